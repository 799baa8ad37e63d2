// Compare mode in the window: two models on one text, one model on two texts
// (a pinned minimal pair), the panes linked by characters, the difference
// view's numbers, and leaving compare mode.
#include <QComboBox>
#include <QDockWidget>
#include <QGuiApplication>
#include <QImage>
#include <QLineEdit>
#include <QProcess>
#include <QScreen>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "engine/analysis/text_alignment.h"
#include "engine/analysis/view_choice.h"
#include "gui/compare_area.h"
#include "gui/main_window.h"
#include "gui/pane_widget.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/plots/two_curve_plot.h"
#include "gui/trace_export.h"
#include "gui/view_export.h"
#include "gui/views/attention_view.h"
#include "gui/views/difference_view.h"
#include "gui/views/gates_view.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/workspace.h"

namespace {

QString bundled(const QString& name) {
    return QString::fromLocal8Bit(qgetenv("LSTMSCOPE_MODELS")) + QStringLiteral("/%1.json").arg(name);
}

int tokenStartingAt(const lstmscope::Trace& trace, int start) {
    for (int k = 0; k < static_cast<int>(trace.tokens.size()); ++k)
        if (trace.tokens[k].start == start) return k;
    return -1;
}

}  // namespace

class TestCompare : public QObject {
    Q_OBJECT
private slots:
    void twoModelsShowTwoLinkedPanes() {
        MainWindow w(false);
        w.resize(1600, 1000);
        QVERIFY(w.openModel(bundled("sentiment_en_bilstm_pool"), true));
        const QString text = "The food was good but the service was awful.";
        w.setText(text);
        QVERIFY(w.compareWithModel(bundled("sentiment_zh_char_bilstm_selfattn"), true));
        QCOMPARE(w.workspace()->mode(), Workspace::Mode::TwoModels);
        CompareArea* area = w.compareArea();
        QVERIFY(area);
        QVERIFY(area->paneWidget(0)->titleText().contains("BiLSTM + attention pooling"));
        QVERIFY(area->paneWidget(1)->titleText().contains(w.workspace()->paneB()->modelName()));
        QVERIFY(!w.workspace()->paneB()->modelName().isEmpty());
        QVERIFY(w.windowTitle().contains(" vs "));
        // The docks make room for the panes.
        QVERIFY(!w.dock("attention")->isVisibleTo(&w));
        const auto* ta = w.workspace()->paneA()->document()->trace();
        const auto* tb = w.workspace()->paneB()->document()->trace();
        QVERIFY(ta && tb);
        QCOMPARE(tb->text, text.toStdString());

        // "service" in the word model lights up s-e-r-v-i-c-e in the character model.
        const int service = tokenStartingAt(*ta, text.indexOf("service"));
        QVERIFY(service >= 0);
        w.workspace()->paneA()->selection()->setToken(service);
        auto* stripB = qobject_cast<TokenStrip*>(area->paneWidget(1)->view("tokens"));
        QVERIFY(stripB);
        QCOMPARE(stripB->selectedTokenLast() - stripB->selectedToken() + 1, 7);
        QCOMPARE(QString::fromStdString(tb->tokens[stripB->selectedToken()].text), QString("s"));

        // Both have attention: the difference view compares the distributions.
        DifferenceView* diff = area->differenceView();
        QVERIFY(diff->hasAttentionComparison());
        QVERIFY(diff->metricsText().contains("JS divergence"));
        // Word groups: each word of A is one group holding its characters in B.
        bool foundService = false;
        for (const auto& g : diff->attentionComparison().groups)
            foundService = foundService || (g.text_a == "service" && g.last_b - g.first_b == 6);
        QVERIFY(foundService);
        // Predictions side by side, B minus A.
        QTableWidget* table = diff->predictionTable();
        QCOMPARE(table->rowCount(), 2);

        // Export and the trace files of both sides.
        QTemporaryDir dir;
        QString error;
        QVERIFY2(exportWidget(&w, dir.filePath("compare.png"), &error), qPrintable(error));
        QVERIFY(!QImage(dir.filePath("compare.png")).isNull());
        QCOMPARE(tracePathForB("/tmp/run.json"), QString("/tmp/run-B.json"));

        // Close B: one model, the docks come back.
        w.closeComparison();
        QCOMPARE(w.workspace()->mode(), Workspace::Mode::Single);
        QVERIFY(!w.compareArea());
        QVERIFY(w.dock("attention")->isVisibleTo(&w));
        QVERIFY(!w.windowTitle().contains(" vs "));
    }

    void pinnedPairShowsWhatOneWordChanges() {
        MainWindow w(false);
        w.resize(1600, 1000);
        QVERIFY(w.openModel(bundled("sentiment_en_bilstm_pool"), true));
        w.setText("The food was not good.");
        QVERIFY(w.pinText("The food was good.", true));
        QCOMPARE(w.workspace()->mode(), Workspace::Mode::TwoTexts);
        CompareArea* area = w.compareArea();
        QVERIFY(area);
        QVERIFY(area->paneWidget(1)->textEditor());
        QCOMPARE(area->paneWidget(1)->textEditor()->text(), QString("The food was good."));
        DifferenceView* diff = area->differenceView();
        QVERIFY2(diff->hasAttentionComparison(), qPrintable(diff->attentionMessage()));
        // "not" is a gap: A has it, B does not.
        int gaps = 0;
        for (const auto& g : diff->attentionComparison().groups)
            if (g.first_b < 0) {
                ++gaps;
                QCOMPARE(QString::fromStdString(g.text_a), QString("not"));
                QCOMPARE(g.mass_b, 0.0);
            }
        QCOMPARE(gaps, 1);
        const double js = diff->attentionComparison().js_divergence;
        QVERIFY(js > 0 && js <= 1);
        // The prediction table gives A, B and the change for each class.
        QTableWidget* table = diff->predictionTable();
        QCOMPARE(table->rowCount(), 2);
        const auto* ta = w.workspace()->paneA()->document()->trace();
        const auto* tb = w.workspace()->paneB()->document()->trace();
        for (int r = 0; r < 2; ++r) {
            QCOMPARE(table->item(r, 1)->text(), QString::number(ta->output()(0, r), 'f', 3));
            QCOMPARE(table->item(r, 2)->text(), QString::number(tb->output()(0, r), 'f', 3));
        }
        // Same model: one unit on both texts, B's gap where "not" is.
        w.workspace()->paneA()->selection()->setUnit(1);
        TwoCurvePlot* curves = diff->unitCurves();
        QCOMPARE(curves->pointCount(), static_cast<int>(ta->tokens.size()));
        QVERIFY(std::isnan(curves->valueB(3)));  // "not"
        QVERIFY(std::isfinite(curves->valueB(4)));  // "good"
        // Same tokens on both sides? No: the matrix difference says why not.
        QVERIFY(!diff->matrixDifferenceAvailable());

        // Editing B's own text re-runs B only.
        area->paneWidget(1)->textEditor()->setText("The food was very good.");
        emit area->paneWidget(1)->textEdited("The food was very good.");
        w.workspace()->paneB()->document()->runNow();
        QCOMPARE(w.workspace()->paneB()->document()->trace()->text, std::string("The food was very good."));
        QCOMPARE(w.workspace()->paneA()->document()->trace()->text, std::string("The food was not good."));
    }

    // An LSTM beside a GRU: each pane's gates view shows its own kind, a
    // token picked in one lights the same word in the other; a pinned pair on
    // the GRU compares the same unit's h, r, z or n on the two texts.
    void gruPanesShowTheirOwnGates() {
        MainWindow w(false);
        w.resize(1600, 1000);
        QVERIFY(w.openModel(bundled("sentiment_en_bilstm_pool"), true));
        w.setText("The food was good but the service was slow.");
        QVERIFY(w.compareWithModel(bundled("sentiment_en_bigru_attn"), true));
        CompareArea* area = w.compareArea();
        QVERIFY(area);
        auto* gatesA = qobject_cast<GatesView*>(area->paneWidget(0)->view("gates"));
        auto* gatesB = qobject_cast<GatesView*>(area->paneWidget(1)->view("gates"));
        QVERIFY(gatesA && gatesB);
        QCOMPARE(gatesA->cellKind(), GatesView::CellKind::Lstm);
        QCOMPARE(gatesB->cellKind(), GatesView::CellKind::Gru);
        QCOMPARE(gatesB->currentNode(), QString("gru"));
        QVERIFY(!gatesB->placeholderVisible());
        QCOMPARE(gatesB->heatmap(GatesView::UpdateGate)->columnCount(),
                 static_cast<int>(w.workspace()->paneB()->document()->trace()->tokens.size()));
        QCOMPARE(gatesB->heatmap(GatesView::CellState)->rowCount(), 0);
        // A token chosen in A's gates selects the same word in B's.
        emit gatesA->heatmap(GatesView::ForgetGate)->cellClicked(0, 3);  // "good"
        QCOMPARE(w.workspace()->paneB()->selection()->token(), 3);
        QCOMPARE(gatesB->highlightedToken(), 3);
        w.closeComparison();

        // One GRU on a minimal pair.
        QVERIFY(w.openModel(bundled("sentiment_en_bigru_attn"), true));
        w.setText("The food was not good.");
        QVERIFY(w.pinText("The food was good.", true));
        DifferenceView* diff = w.compareArea()->differenceView();
        QComboBox* quantity = diff->quantityChooser();
        QStringList names;
        for (int k = 0; k < quantity->count(); ++k) names << quantity->itemText(k);
        QCOMPARE(names, QStringList({"h: hidden state", "r: reset gate", "z: update gate", "n: candidate"}));
        w.workspace()->paneA()->selection()->setUnit(5);
        quantity->setCurrentIndex(2);  // z
        TwoCurvePlot* curves = diff->unitCurves();
        const auto* ta = w.workspace()->paneA()->document()->trace();
        const auto* tb = w.workspace()->paneB()->document()->trace();
        const auto la = lstmscope::analysis::resolve_lstm(*ta, w.workspace()->paneA()->selection()->lstmNode().toStdString(),
                                                          w.workspace()->paneA()->selection()->layer(),
                                                          w.workspace()->paneA()->selection()->direction());
        const auto lb = lstmscope::analysis::resolve_lstm(*tb, la.node, la.layer, la.direction);
        QVERIFY(la.gates && lb.gates);
        QCOMPARE(curves->pointCount(), static_cast<int>(ta->tokens.size()));
        QCOMPARE(curves->valueA(1), double(la.gates->z(1, 5)));  // "food"
        QCOMPARE(curves->valueB(1), double(lb.gates->z(1, 5)));
        QVERIFY(std::isnan(curves->valueB(3)));  // "not": B has no such word
        QCOMPARE(curves->valueB(4), double(lb.gates->z(3, 5)));  // "good" is B's token 3
    }

    void sameTokensGiveAnAttentionMatrixDifference() {
        MainWindow w(false);
        QVERIFY(w.openModel(bundled("seed_a_sms_spam"), true));
        w.setText("free entry to win a prize call now");
        QVERIFY(w.compareWithModel(bundled("seed_a_sms_spam"), true));
        DifferenceView* diff = w.compareArea()->differenceView();
        QVERIFY(diff->matrixDifferenceAvailable());
        // The same model on the same text: A − B is zero everywhere.
        HeatmapPlot* m = diff->matrixDifferencePlot();
        for (int r = 0; r < m->rowCount(); ++r)
            for (int c = 0; c < m->columnCount(); ++c) QCOMPARE(m->valueAt(r, c), 0.0);
        // Same tokens: zooming one pane's attention heatmap zooms the other's.
        auto* a = qobject_cast<AttentionView*>(w.compareArea()->paneWidget(0)->view("attention"));
        auto* b = qobject_cast<AttentionView*>(w.compareArea()->paneWidget(1)->view("attention"));
        QVERIFY(a && b);
        a->heatmap()->setVisibleColumns(1.5, 4.5);
        a->heatmap()->setVisibleRows(0.5, 3.5);
        emit a->heatmap()->visibleRangeChanged();
        QCOMPARE(b->heatmap()->visibleColumnLower(), 1.5);
        QCOMPARE(b->heatmap()->visibleColumnUpper(), 4.5);
        QCOMPARE(b->heatmap()->visibleRowUpper(), 3.5);
    }

    void stackedLayoutAndCommandLine() {
        MainWindow w(false);
        QVERIFY(w.openModel(bundled("sentiment_en_bilstm_pool"), true));
        w.setText("good");
        QVERIFY(w.compareWithModel(bundled("sentiment_en_lstm_last"), true));
        w.setCompareStacked(true);
        QVERIFY(w.compareArea()->stacked());
        // The model without attention: the difference view says so.
        QVERIFY(!w.compareArea()->differenceView()->hasAttentionComparison());
        QVERIFY(!w.compareArea()->differenceView()->attentionMessage().isEmpty());

        QTemporaryDir dir;
        const QString png = dir.filePath("compare.png");
        QProcess app;
        app.start(LSTMSCOPE_APP, {bundled("sentiment_en_bilstm_pool"), "--text", "The food was not good.", "--pin-text",
                                  "The food was good.", "--screenshot", png, "--size", "1400x900"});
        QVERIFY(app.waitForFinished(60000));
        QCOMPARE(app.exitCode(), 0);
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1400, 900));
        QProcess bad;
        bad.start(LSTMSCOPE_APP, {bundled("sentiment_en_bilstm_pool"), "--compare", dir.filePath("missing.json"),
                                  "--screenshot", png});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(QString::fromLocal8Bit(bad.readAllStandardError()).contains("missing.json"));
    }
};

QTEST_MAIN(TestCompare)
#include "test_compare.moc"
