// PredictionView: bar chart for classification, large value for regression,
// per-token table for tagging linked with Selection.
#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/views/prediction_view.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"

using Mode = PredictionView::Mode;

#include "gui_test_support.h"

using guitest::golden;
using guitest::load;
using guitest::longText;

namespace {

// A copy of a golden model with one node field changed, in `dir`.
QString patchedModel(const QTemporaryDir& dir, const QString& name, const QString& node, const QString& field,
                     const QJsonValue& value) {
    QFile in(golden(name));
    if (!in.open(QIODevice::ReadOnly)) return {};
    QJsonObject manifest = QJsonDocument::fromJson(in.readAll()).object();
    QJsonArray nodes = manifest["nodes"].toArray();
    for (int k = 0; k < nodes.size(); ++k) {
        QJsonObject n = nodes[k].toObject();
        if (n["name"].toString() == node) {
            n[field] = value;
            nodes[k] = n;
        }
    }
    manifest["nodes"] = nodes;
    manifest["weights"] = QStringLiteral(LSTMSCOPE_TEST_DATA "/golden/") + manifest["weights"].toString();
    const QString path = dir.filePath(name + ".json");
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly)) return {};
    out.write(QJsonDocument(manifest).toJson());
    return path;
}

}  // namespace

class TestPredictionView : public QObject {
    Q_OBJECT
private slots:
    void noModel();
    void classificationBars();
    void rawOutputValues();
    void probabilityCheck();
    void regressionValue();
    void taggingTable();
    void taggingRowsFollowSelection();
    void clickingRowSelectsToken();
    void tagging300TokensStaysResponsive();
    void traceReplacedKeepsTableValid();
};

void TestPredictionView::noModel() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    PredictionView view(&doc, &sel);
    QCOMPARE(view.mode(), Mode::Empty);
    QCOMPARE(view.barCount(), 0);
    QCOMPARE(view.highlightedRow(), -1);
    sel.setToken(4);  // nothing to highlight, nothing to crash
}

void TestPredictionView::classificationBars() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    PredictionView view(&doc, &sel);
    load(doc, golden("seed_a"), "I loved the acting, but the plot was too long and very boring.");
    QCOMPARE(view.mode(), Mode::Classification);
    QVERIFY(view.showsProbabilities());
    QCOMPARE(view.title(), QStringLiteral("class probabilities"));
    QCOMPARE(view.barCount(), 2);
    QCOMPARE(view.barLabel(0), QStringLiteral("negative"));
    QCOMPARE(view.barLabel(1), QStringLiteral("positive"));
    const auto& out = doc.trace()->output();
    for (int c = 0; c < 2; ++c) {
        QCOMPARE(view.barValue(c), static_cast<double>(out(0, c)));
        QVERIFY(view.barText(c).endsWith(QStringLiteral("%")));
    }
    QCOMPARE(view.highlightedBar(), doc.trace()->argmax[0]);
}

void TestPredictionView::rawOutputValues() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // seed_a without its softmax: logits, not probabilities.
    const QString path = patchedModel(dir, "seed_a", "probs", "activation", "linear");
    QVERIFY(!path.isEmpty());
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    PredictionView view(&doc, &sel);
    load(doc, path, "great movie");
    QCOMPARE(view.mode(), Mode::Classification);
    QVERIFY(!view.showsProbabilities());
    QCOMPARE(view.title(), QStringLiteral("output values"));
    for (int c = 0; c < view.barCount(); ++c) QVERIFY(!view.barText(c).contains('%'));
    QCOMPARE(view.highlightedBar(), doc.trace()->argmax[0]);
}

void TestPredictionView::probabilityCheck() {
    const float good[] = {0.25f, 0.75f, 1.0f, 0.0f};
    QVERIFY(PredictionView::looksLikeProbabilities(good, 2, 2));
    const float badSum[] = {0.5f, 0.6f};
    QVERIFY(!PredictionView::looksLikeProbabilities(badSum, 1, 2));
    const float negative[] = {-0.5f, 1.5f};
    QVERIFY(!PredictionView::looksLikeProbabilities(negative, 1, 2));
    QCOMPARE(PredictionView::labelName({"a", "b"}, 1), QStringLiteral("b"));
    QCOMPARE(PredictionView::labelName({}, 3), QStringLiteral("class 3"));
}

void TestPredictionView::regressionValue() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    PredictionView view(&doc, &sel);
    load(doc, golden("lstm_3layer"), "great movie");
    QCOMPARE(view.mode(), Mode::Regression);
    const double v = doc.trace()->output()(0, 0);
    QVERIFY(view.regressionText().contains(QString::number(v, 'g', 5)));
}

void TestPredictionView::taggingTable() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    PredictionView view(&doc, &sel);
    load(doc, golden("seed_b"), "I loved the acting, but the plot was too long.");
    QCOMPARE(view.mode(), Mode::Tagging);
    const auto& trace = *doc.trace();
    auto* table = view.table();
    QCOMPARE(table->rowCount(), static_cast<int>(trace.tokens.size()));
    for (int t = 0; t < table->rowCount(); ++t) {
        QCOMPARE(table->item(t, 1)->text(), QString::fromStdString(trace.tokens[t].text));
        QCOMPARE(table->item(t, 2)->text(), QString::fromStdString(trace.labels[trace.argmax[t]]));
        QVERIFY(table->item(t, 3)->text().endsWith('%'));
    }
}

void TestPredictionView::taggingRowsFollowSelection() {
    Document doc;
    Selection sel;  // a bare selection: no pane sets first choices or clamps
    PredictionView view(&doc, &sel);
    load(doc, golden("seed_b"), "I loved the acting, but the plot was too long.");
    QCOMPARE(view.highlightedRow(), -1);
    sel.setToken(4);
    QCOMPARE(view.highlightedRow(), 4);
    sel.setToken(-1);
    QCOMPARE(view.highlightedRow(), -1);
    // A token set before the table existed is highlighted when it appears.
    sel.setToken(2);
    load(doc, golden("pad_post"), "Great movie!");
    QCOMPARE(view.highlightedRow(), 2);
}

void TestPredictionView::clickingRowSelectsToken() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    PredictionView view(&doc, &sel);
    view.resize(500, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    load(doc, golden("seed_b"), "I loved the acting, but the plot was too long.");
    QApplication::processEvents();
    auto* table = view.table();
    const QRect r = table->visualItemRect(table->item(5, 1));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(sel.token(), 5);
    QCOMPARE(view.highlightedRow(), 5);
    // Keyboard moves the current row, and so the token.
    QTest::keyClick(table, Qt::Key_Down);
    QCOMPARE(sel.token(), 6);
}

void TestPredictionView::tagging300TokensStaysResponsive() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    PredictionView view(&doc, &sel);
    view.resize(500, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    doc.setText(longText());
    QString error;
    QVERIFY(doc.loadModel(golden("seed_b"), &error));
    // (How fast is the keystroke benchmark's business, bench/.)
    doc.runNow();
    QApplication::processEvents();
    QCOMPARE(view.table()->rowCount(), 300);
    QCOMPARE(view.table()->verticalScrollBar()->value(), 0);
    sel.setToken(290);
    QApplication::processEvents();
    QCOMPARE(view.highlightedRow(), 290);
    QVERIFY(view.table()->verticalScrollBar()->value() > 0);  // scrolled into view
    const QRect row = view.table()->visualItemRect(view.table()->item(290, 1));
    QVERIFY(view.table()->viewport()->rect().intersects(row));
}

void TestPredictionView::traceReplacedKeepsTableValid() {
    Document doc;
    Selection sel;  // a bare selection: no pane sets first choices or clamps
    PredictionView view(&doc, &sel);
    load(doc, golden("seed_b"), longText());
    sel.setToken(250);
    doc.setText("great");
    doc.runNow();
    QCOMPARE(view.table()->rowCount(), 1);
    QCOMPARE(view.highlightedRow(), -1);  // token 250 is gone
    load(doc, golden("seed_a"), "great");
    QCOMPARE(view.mode(), Mode::Classification);
}

QTEST_MAIN(TestPredictionView)
#include "test_prediction_view.moc"
