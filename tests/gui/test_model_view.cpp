// ModelView: name, description, metadata, the node table with shapes for
// the current text, and its link with the attention/LSTM parts of Selection.
#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include "gui/views/model_view.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"

#include "gui_test_support.h"

using guitest::golden;
using guitest::load;
using guitest::longText;

namespace {

int rowOf(const ModelView& view, const QString& node) {
    for (int r = 0; r < view.nodeRowCount(); ++r)
        if (view.cellText(r, ModelView::NameColumn) == node) return r;
    return -1;
}

void clickRow(ModelView& view, const QString& node) {
    auto* tree = view.nodeTree();
    auto* item = tree->topLevelItem(rowOf(view, node));
    QVERIFY(item);
    const QRect r = tree->visualItemRect(item);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, r.center());
}

}  // namespace

class TestModelView : public QObject {
    Q_OBJECT
private slots:
    void noModel();
    void nodesInOrderWithShapes();
    void parameterCounts();
    void metadataShown();
    void attentionRowSetsSelection();
    void lstmRowSetsSelection();
    void rowsFollowSelection();
    void modelWithoutAttention();
};

void TestModelView::noModel() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    ModelView view(&doc, &sel);
    QCOMPARE(view.nodeRowCount(), 0);
    QVERIFY(view.selectedNode().isEmpty());
    sel.setAttention("att", 0);  // nothing to follow, nothing to crash
}

void TestModelView::nodesInOrderWithShapes() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    ModelView view(&doc, &sel);
    load(doc, golden("seed_a"), "I loved the acting, but the plot was too long and very boring.");
    const auto* model = doc.model();
    QCOMPARE(view.nameText(), QStringLiteral("seed_a"));
    QVERIFY(view.descriptionText().startsWith("Seed architecture A"));
    QCOMPARE(view.nodeRowCount(), static_cast<int>(model->nodes.size()));
    const int T = static_cast<int>(doc.trace()->tokens.size());
    QCOMPARE(T, 15);
    for (int r = 0; r < view.nodeRowCount(); ++r) {
        const auto& node = model->nodes[r];
        QCOMPARE(view.cellText(r, ModelView::NameColumn), QString::fromStdString(node.name));
        QVERIFY(view.cellText(r, ModelView::OpColumn)
                    .startsWith(QString::fromStdString(std::string(lstmscope::op_kind_name(node.op)))));
        QCOMPARE(view.cellText(r, ModelView::ShapeColumn), ModelView::shapeText(node.output, T));
    }
    QCOMPARE(view.cellText(rowOf(view, "lstm"), ModelView::ShapeColumn), QStringLiteral("15 x 16"));
    QCOMPARE(view.cellText(rowOf(view, "probs"), ModelView::ShapeColumn), QStringLiteral("1 x 2"));
    QCOMPARE(view.cellText(rowOf(view, "attn"), ModelView::InputsColumn), QStringLiteral("mha, lstm"));
    QCOMPARE(view.cellText(rowOf(view, "mha"), ModelView::OpColumn), QStringLiteral("multihead_attention"));
    QVERIFY(view.cellToolTip(rowOf(view, "mha"), ModelView::OpColumn).contains("8 heads"));

    // The shapes follow the text.
    doc.setText("great movie");
    doc.runNow();
    QCOMPARE(view.cellText(rowOf(view, "lstm"), ModelView::ShapeColumn), QStringLiteral("2 x 16"));
    QCOMPARE(ModelView::shapeText({lstmscope::Rows::Tokens, 64}, -1), QStringLiteral("T x 64"));
    QCOMPARE(ModelView::shapeText({lstmscope::Rows::Tokens, 64}, 12), QStringLiteral("12 x 64"));
}

void TestModelView::parameterCounts() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    ModelView view(&doc, &sel);
    load(doc, golden("seed_a"), "great movie");
    const auto* model = doc.model();
    for (int r = 0; r < view.nodeRowCount(); ++r)
        QCOMPARE(view.cellText(r, ModelView::ParametersColumn), ModelView::formatCount(model->nodes[r].parameters));
    QCOMPARE(view.totalParametersText(), ModelView::formatCount(model->parameter_count()));
    // Thousands separators, whatever the locale's symbol.
    const QString big = ModelView::formatCount(1234567);
    QCOMPARE(big.size(), 9);
    QVERIFY(big.startsWith('1') && big.endsWith("567"));
    QCOMPARE(ModelView::formatCount(12), QStringLiteral("12"));
}

void TestModelView::metadataShown() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile in(golden("seed_a"));
    QVERIFY(in.open(QIODevice::ReadOnly));
    QJsonObject manifest = QJsonDocument::fromJson(in.readAll()).object();
    manifest["weights"] = QStringLiteral(LSTMSCOPE_TEST_DATA "/golden/") + manifest["weights"].toString();
    manifest["name"] = QStringLiteral("Sentiment 情感");
    QJsonObject meta;
    meta["heldout_accuracy"] = 0.8734;
    meta["dataset"] = "IMDB";
    meta["licence"] = "CC-BY-4.0";
    meta["epochs"] = 12;
    meta["training"] = QJsonObject{{"optimizer", "adam"}, {"lr", 0.001}};
    meta["seeds"] = QJsonArray{1, 2, 3};
    meta["examples"] = QJsonArray{QJsonObject{{"text", "Great movie!"}, {"note", "clearly positive"}},
                                  QJsonObject{{"text", "Not good."}, {"note", "negation"}}};
    manifest["metadata"] = meta;
    const QString path = dir.filePath("rich.json");
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(manifest).toJson());
    out.close();

    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    ModelView view(&doc, &sel);
    load(doc, path, "great movie");
    QCOMPARE(view.nameText(), QStringLiteral("Sentiment 情感"));
    const QString text = view.metadataText();
    QVERIFY2(text.contains("heldout_accuracy"), qPrintable(text));
    QVERIFY(text.contains("0.8734"));
    QVERIFY(text.contains("87.3 %"));
    QVERIFY(text.contains("IMDB"));
    QVERIFY(text.contains("CC-BY-4.0"));
    QVERIFY(text.contains("optimizer: adam"));  // nested object summarised
    QVERIFY(text.contains("1, 2, 3"));
    QVERIFY(text.contains("clearly positive"));  // example notes listed
    QVERIFY(text.contains("negation"));
    QVERIFY(!text.contains("Great movie!"));
    // The highlights come first.
    QVERIFY(text.indexOf("heldout_accuracy") < text.indexOf("epochs"));
}

void TestModelView::attentionRowSetsSelection() {
    Document doc;
    Selection sel;  // a bare selection: no pane sets first choices or clamps
    ModelView view(&doc, &sel);
    view.resize(700, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    load(doc, golden("seed_a"), "I loved the acting, but the plot was too long.");
    QApplication::processEvents();

    clickRow(view, "mha");
    QCOMPARE(sel.attentionNode(), QStringLiteral("mha"));
    QCOMPARE(sel.head(), 0);
    sel.setAttention("mha", 5);
    clickRow(view, "attn");
    QCOMPARE(sel.attentionNode(), QStringLiteral("attn"));
    QCOMPARE(sel.head(), 0);  // head 5 means nothing for a single-head node
    sel.setAttention("attn", -1);
    clickRow(view, "mha");
    QCOMPARE(sel.head(), -1);  // the head average is valid for the multi-head node: kept
    QCOMPARE(view.selectedNode(), QStringLiteral("mha"));
}

void TestModelView::lstmRowSetsSelection() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    ModelView view(&doc, &sel);
    view.resize(700, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    load(doc, golden("seed_a"), "great movie");
    QApplication::processEvents();
    QSignalSpy attentionSpy(&sel, &Selection::attentionChanged);
    clickRow(view, "lstm");
    QCOMPARE(sel.lstmNode(), QStringLiteral("lstm"));
    QCOMPARE(sel.layer(), 0);
    QCOMPARE(sel.direction(), lstmscope::Direction::Forward);
    QCOMPARE(attentionSpy.count(), 0);
    // Re-selecting the node shown does not reset the user's direction.
    sel.setLstm("lstm", 0, lstmscope::Direction::Backward);
    clickRow(view, "emb");
    clickRow(view, "lstm");
    QCOMPARE(sel.direction(), lstmscope::Direction::Backward);
    // Other nodes leave the selection alone.
    QSignalSpy lstmSpy(&sel, &Selection::lstmChanged);
    clickRow(view, "probs");
    QCOMPARE(lstmSpy.count(), 0);
    QCOMPARE(attentionSpy.count(), 0);
}

void TestModelView::rowsFollowSelection() {
    Document doc;
    Selection sel;  // a bare selection: no pane sets first choices or clamps
    ModelView view(&doc, &sel);
    load(doc, golden("seed_a"), "great movie");
    QSignalSpy attentionSpy(&sel, &Selection::attentionChanged);
    sel.setAttention("attn", 0);
    QCOMPARE(view.selectedNode(), QStringLiteral("attn"));
    QCOMPARE(attentionSpy.count(), 1);  // following did not write back
    sel.setLstm("lstm", 0, lstmscope::Direction::Forward);
    QCOMPARE(view.selectedNode(), QStringLiteral("lstm"));
    // A head change alone does not move the row away from the user's choice.
    sel.setAttention("attn", 0);
    view.nodeTree()->setCurrentItem(view.nodeTree()->topLevelItem(rowOf(view, "ff")));
    sel.setAttention("mha", 2);
    QCOMPARE(view.selectedNode(), QStringLiteral("mha"));
    view.nodeTree()->setCurrentItem(view.nodeTree()->topLevelItem(rowOf(view, "ff")));
    sel.setAttention("mha", 3);
    QCOMPARE(view.selectedNode(), QStringLiteral("ff"));
    QCOMPARE(sel.head(), 3);
}

void TestModelView::modelWithoutAttention() {
    Document doc;
    Selection sel;  // a bare selection: no pane sets first choices or clamps
    ModelView view(&doc, &sel);
    load(doc, golden("lstm_uni"), "great");
    QCOMPARE(view.nodeRowCount(), 3);
    QCOMPARE(view.cellText(1, ModelView::ShapeColumn), QStringLiteral("1 x 6"));  // "great": one token, 6 units
    sel.setAttention("att", 0);                                                   // a node this model does not have
    QVERIFY(view.selectedNode().isEmpty());
    // A model swap while a row is selected.
    sel.setLstm("lstm", 0, lstmscope::Direction::Forward);
    QCOMPARE(view.selectedNode(), QStringLiteral("lstm"));
    load(doc, golden("mha_1head"), "great movie");
    QCOMPARE(view.nodeRowCount(), 3);
}

QTEST_MAIN(TestModelView)
#include "test_model_view.moc"
