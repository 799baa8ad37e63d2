// The shared state of compare mode: two panes, each with its own Document
// and Selection, linked only through character spans.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/views/attention_view.h"
#include "gui/views/gates_view.h"
#include "gui/views/model_view.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/text_cursor.h"
#include "gui/workspace/workspace.h"
#include "gui_test_support.h"

using guitest::golden;

namespace {

// A copy of a golden model whose nodes are renamed ("lstm" -> "enc_", "att"
// -> "pool"), tensors included, so two models with different node names can
// be compared. The safetensors header is patched in place: the new LSTM name
// has the old one's length, so no offset moves.
QString renamedCopy(const QTemporaryDir& dir, const QString& name) {
    QFile manifestFile(golden(name));
    if (!manifestFile.open(QIODevice::ReadOnly)) return {};
    QJsonObject manifest = QJsonDocument::fromJson(manifestFile.readAll()).object();
    auto rename = [](const QString& n) {
        if (n == "lstm") return QStringLiteral("enc_");
        if (n == "att") return QStringLiteral("pool");
        return n;
    };
    QJsonArray nodes;
    for (const auto& value : manifest["nodes"].toArray()) {
        QJsonObject node = value.toObject();
        // Every reference to a node: name, input, query, key, value, inputs.
        for (const QString& key : node.keys()) {
            if (key == "op") continue;
            if (node[key].isString()) {
                node[key] = rename(node[key].toString());
            } else if (node[key].isArray()) {
                QJsonArray items = node[key].toArray();
                for (auto item : items)
                    if (item.isString()) item = rename(item.toString());
                node[key] = items;
            }
        }
        nodes.append(node);
    }
    manifest["nodes"] = nodes;
    manifest["name"] = name + "_renamed";
    manifest["weights"] = name + "_renamed.safetensors";
    manifest.remove("checks");
    QFile weightsIn(QFileInfo(golden(name)).dir().filePath(name + ".safetensors"));
    if (!weightsIn.open(QIODevice::ReadOnly)) return {};
    QByteArray bytes = weightsIn.readAll();
    quint64 headerLength = 0;
    for (int k = 7; k >= 0; --k) headerLength = (headerLength << 8) | static_cast<unsigned char>(bytes[k]);
    QByteArray header = bytes.mid(8, static_cast<int>(headerLength));
    header.replace("\"lstm.", "\"enc_.");
    // "att." -> "pool." would change the length: pad the header's trailing
    // spaces instead (the format allows them).
    const int grow = header.count("\"att.");
    header.replace("\"att.", "\"pool.");
    if (grow > 0) {
        // Drop `grow` bytes of trailing padding if there is some, else give up.
        int trailing = 0;
        while (trailing < header.size() && header[header.size() - 1 - trailing] == ' ') ++trailing;
        if (trailing < grow) return {};
        header.chop(grow);
    }
    bytes.replace(8, static_cast<int>(headerLength), header);
    QFile weightsOut(dir.filePath(name + "_renamed.safetensors"));
    if (!weightsOut.open(QIODevice::WriteOnly) || weightsOut.write(bytes) != bytes.size()) return {};
    const QString path = dir.filePath(name + "_renamed.json");
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly)) return {};
    out.write(QJsonDocument(manifest).toJson());
    return path;
}

void open(Workspace& ws, const QString& path, const QString& text) {
    QString error;
    QVERIFY2(ws.openModel(path, &error), qPrintable(error));
    ws.setText(text);
    ws.paneA()->document()->runNow();
    QVERIFY2(ws.paneA()->document()->trace(), qPrintable(ws.paneA()->document()->runError()));
}

}  // namespace

class TestWorkspace : public QObject {
    Q_OBJECT
private slots:
    // Two Documents on one shared Selection segfaulted: each GatesView wrote
    // its own model's LSTM name into the selection, the other rewrote it,
    // and the signals recursed until the stack ran out. Each pane now has
    // its own selection and views resolve fallbacks without writing.
    void twoModelsWithDifferentNodeNamesNeverLoop() {
        QTemporaryDir dir;
        const QString renamed = renamedCopy(dir, "seed_b");
        QVERIFY(!renamed.isEmpty());
        Workspace ws;
        open(ws, golden("seed_a"), "free entry win a prize now");
        // Views of both panes, as the compare area builds them.
        GatesView gatesA(ws.paneA()->document(), ws.paneA()->selection());
        AttentionView attentionA(ws.paneA()->document(), ws.paneA()->selection());
        TokenStrip stripA(ws.paneA()->document(), ws.paneA()->selection());
        ModelView modelA(ws.paneA()->document(), ws.paneA()->selection());
        QString error;
        QVERIFY2(ws.openCompareModel(renamed, &error), qPrintable(error));
        GatesView gatesB(ws.paneB()->document(), ws.paneB()->selection());
        AttentionView attentionB(ws.paneB()->document(), ws.paneB()->selection());
        TokenStrip stripB(ws.paneB()->document(), ws.paneB()->selection());
        ModelView modelB(ws.paneB()->document(), ws.paneB()->selection());
        QCOMPARE(ws.mode(), Workspace::Mode::TwoModels);
        QVERIFY(ws.paneB()->document()->trace());

        QCOMPARE(gatesA.currentNode(), QString("lstm"));
        QCOMPARE(gatesB.currentNode(), QString("enc_"));
        QCOMPARE(ws.paneA()->selection()->lstmNode(), QString("lstm"));
        QCOMPARE(ws.paneB()->selection()->lstmNode(), QString("enc_"));
        // Choosing in one pane leaves the other pane's choices alone.
        ws.paneA()->selection()->setAttention("attn", 0);
        ws.paneA()->selection()->setLstm("lstm", 0, lstmscope::Direction::Backward);
        QCOMPARE(ws.paneB()->selection()->lstmNode(), QString("enc_"));
        QCOMPARE(ws.paneB()->selection()->attentionNode(), QString("attn"));  // B's own node of that name
        QCOMPARE(gatesB.currentNode(), QString("enc_"));
        // A name the model lacks is shown as the fallback, never written back.
        ws.paneB()->selection()->setLstm("lstm", 0, lstmscope::Direction::Forward);
        QCOMPARE(gatesB.currentNode(), QString("enc_"));
        QCOMPARE(ws.paneB()->selection()->lstmNode(), QString("lstm"));
        // Typing re-runs both models; nothing loops or crashes.
        ws.setText("call now to claim your free prize");
        ws.paneA()->document()->runNow();
        ws.paneB()->document()->runNow();
        QCOMPARE(ws.paneA()->document()->trace()->text, std::string("call now to claim your free prize"));
        QCOMPARE(ws.paneB()->document()->trace()->text, std::string("call now to claim your free prize"));
        ws.closeB();
        QCOMPARE(ws.mode(), Workspace::Mode::Single);
        QVERIFY(!ws.paneB());
    }

    // A click on a word in a word model selects, in a character model, every
    // character of that word; and back.
    void wordAndCharacterModelsLinkByCharacterSpans() {
        Workspace ws;
        const QString text = "the service was slow";
        open(ws, golden("unk_token"), text);
        QString error;
        QVERIFY2(ws.openCompareModel(golden("tok_char_chinese"), &error), qPrintable(error));
        const auto* ta = ws.paneA()->document()->trace();
        const auto* tb = ws.paneB()->document()->trace();
        QVERIFY(ta && tb);
        int service = -1;
        for (int k = 0; k < static_cast<int>(ta->tokens.size()); ++k)
            if (ta->tokens[k].start == 4) service = k;
        QVERIFY(service >= 0);
        ws.paneA()->selection()->setToken(service);
        const Selection* b = ws.paneB()->selection();
        QVERIFY(b->token() >= 0);
        QCOMPARE(b->tokenLast() - b->token() + 1, 7);
        QString chars;
        for (int t = b->token(); t <= b->tokenLast(); ++t) chars += QString::fromStdString(tb->tokens[t].text);
        QCOMPARE(chars, QString("service"));
        QCOMPARE(ws.cursor()->selected()->start, 4);
        QCOMPARE(ws.cursor()->selected()->end, 11);
        // The pane the user touched keeps exactly what was clicked.
        QCOMPARE(ws.paneA()->selection()->token(), service);
        QCOMPARE(ws.paneA()->selection()->tokenLast(), service);

        // Back: one character in B selects its word in A.
        ws.paneB()->selection()->setToken(b->token() + 2);  // the 'r'
        QCOMPARE(ws.paneA()->selection()->token(), service);
        QCOMPARE(ws.paneA()->selection()->tokenLast(), service);
        // Hover links the same way.
        ws.paneA()->selection()->setHoverToken(service + 1);  // "was"
        QCOMPARE(ws.paneB()->selection()->hoverTokenLast() - ws.paneB()->selection()->hoverToken() + 1, 3);
        ws.paneA()->selection()->setHoverToken(-1);
        QCOMPARE(ws.paneB()->selection()->hoverToken(), -1);
    }

    // A pinned pair: one model on two texts, aligned word by word.
    void pinnedPairAlignsByWordsNotPositions() {
        Workspace ws;
        open(ws, golden("unk_token"), "the food was not good");
        QString error;
        QVERIFY2(ws.pinText("the food was good", &error), qPrintable(error));
        QCOMPARE(ws.mode(), Workspace::Mode::TwoTexts);
        QVERIFY(!ws.alignment().identity());
        const auto* ta = ws.paneA()->document()->trace();
        const auto* tb = ws.paneB()->document()->trace();
        QVERIFY(ta && tb);
        QCOMPARE(tb->text, std::string("the food was good"));
        // "good" is token 4 in A and token 3 in B: linked by the diff.
        ws.paneA()->selection()->setToken(4);
        QCOMPARE(ws.paneB()->selection()->token(), 3);
        // "not" exists only in A: nothing to select in B.
        ws.paneA()->selection()->setToken(3);
        QCOMPARE(ws.paneB()->selection()->token(), -1);
        // Same model: node, unit and head choices are shared.
        ws.paneA()->selection()->setUnit(2);
        QCOMPARE(ws.paneB()->selection()->unit(), 2);
        ws.paneB()->selection()->setLstm("lstm", 0, lstmscope::Direction::Forward);
        QCOMPARE(ws.paneA()->selection()->lstmNode(), QString("lstm"));
        // Pane B's own text can be edited.
        ws.setTextB("the food was very good");
        ws.paneB()->document()->runNow();
        QCOMPARE(ws.paneB()->document()->trace()->text, std::string("the food was very good"));
        // ... and the main text does not reach it.
        ws.setText("the soup was not good");
        ws.paneA()->document()->runNow();
        QCOMPARE(ws.paneB()->document()->trace()->text, std::string("the food was very good"));
    }

    // Closing B cleared pane A's token and unit: B's selection was cleared
    // while the links still ran.
    void closingBKeepsPaneASelection() {
        Workspace ws;
        open(ws, golden("unk_token"), "the food was not good");
        QString error;
        QVERIFY(ws.pinText("the food was good", &error));
        ws.paneA()->selection()->setToken(4);
        ws.paneA()->selection()->setUnit(3);
        QCOMPARE(ws.paneB()->selection()->token(), 3);
        ws.closeB();
        QCOMPARE(ws.paneA()->selection()->token(), 4);
        QCOMPARE(ws.paneA()->selection()->unit(), 3);
        QVERIFY(ws.paneA()->selection()->lstmNode() == "lstm");
    }

    // Opening model B on a long text ran B's first pass on the GUI thread.
    void compareModelOnALongTextRunsOffTheGuiThread() {
        Workspace ws;
        QStringList words;
        for (int k = 0; k < 700; ++k) words << "the movie was good";
        const QString text = words.join(' ');
        QVERIFY(text.toUtf8().size() >= Document::kAsyncThresholdBytes);
        open(ws, golden("seed_a"), text);
        QString error;
        QSignalSpy traces(ws.allPanes()[1]->document(), &Document::traceChanged);  // pane B exists in single mode too
        QVERIFY2(ws.openCompareModel(golden("seed_b"), &error), qPrintable(error));
        QVERIFY(ws.paneB()->document()->running());
        QVERIFY(!ws.paneB()->document()->trace());
        QVERIFY(traces.wait(60000));
        QCOMPARE(ws.paneB()->document()->trace()->text, text.toStdString());
    }

    void pinWithoutModelFailsWithAMessage() {
        Workspace ws;
        QString error;
        QVERIFY(!ws.pinText("x", &error));
        QVERIFY(error.contains("model"));
        QCOMPARE(ws.mode(), Workspace::Mode::Single);
    }

    void twoModelsFollowTheOneText() {
        Workspace ws;
        open(ws, golden("seed_a"), "hello there");
        QString error;
        QVERIFY(ws.openCompareModel(golden("seed_b"), &error));
        ws.setText("win a free prize");
        ws.paneA()->document()->runNow();
        ws.paneB()->document()->runNow();
        QCOMPARE(ws.paneB()->document()->trace()->text, std::string("win a free prize"));
        QVERIFY(ws.alignment().identity());
        // A missing file names the file and keeps the comparison as it was.
        QVERIFY(!ws.openCompareModel("/nonexistent/model.json", &error));
        QVERIFY2(error.contains("/nonexistent/model.json"), qPrintable(error));
        QCOMPARE(ws.mode(), Workspace::Mode::TwoModels);
    }
};

QTEST_MAIN(TestWorkspace)
#include "test_workspace.moc"
