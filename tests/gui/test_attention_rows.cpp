// Attention nodes whose rows are not the text's tokens: an attention whose
// query is one row is drawn as bars like pooling (per head for multi-head,
// its heads as one heads x tokens heatmap for "all heads"); a multi-hop
// attention_pool as one hops x tokens heatmap. The token strip, the
// difference view and the attention equation read them the same way.
#include <QComboBox>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/analysis/view_choice.h"
#include "gui/main_window.h"
#include "gui/compare_area.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/plots/pool_bar_chart.h"
#include "gui/teaching/attention_equation_view.h"
#include "gui/teaching/step_bar.h"
#include "gui/views/attention_view.h"
#include "gui/views/difference_view.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"
#include "gui/workspace/workspace.h"
#include "gui_test_support.h"
#include "tiny_models.h"

namespace {

const QString kText = QStringLiteral("the movie was good but the plot was boring and long");  // 11 tokens

// With LSTMSCOPE_SHOT_DIR set, the view as a PNG there (for the README).
void shoot(QWidget& view, const QString& name) {
    if (!qEnvironmentVariableIsSet("LSTMSCOPE_SHOT_DIR")) return;
    view.resize(900, 420);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.grab().save(qEnvironmentVariable("LSTMSCOPE_SHOT_DIR") + "/" + name);
}

lstmscope::Matrix weightsOf(const Document& doc, const char* node, int head = 0) {
    return doc.trace()->find(node)->attention.at(static_cast<size_t>(head));
}

}  // namespace

class TestAttentionRows : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void oneQueryAttentionIsDrawnAsBars() {
        Document doc;
        guitest::load(doc, tinymodel::oneQueryModel(dir_.path(), false), kText);
        Selection sel;
        AttentionView view(&doc, &sel);
        QCOMPARE(view.shownNode(), QString("attn"));
        const lstmscope::Matrix a = weightsOf(doc, "attn");
        QCOMPARE(int(a.rows()), 1);
        QCOMPARE(int(a.cols()), 11);
        // Bars, not a 1 x T heatmap: the same numbers and tooltips as a pool.
        QVERIFY(view.showingBars());
        PoolBarChart* bars = view.poolChart();
        QCOMPARE(bars->barCount(), 11);
        for (int k = 0; k < 11; ++k) QCOMPARE(bars->valueAt(k), double(a(0, k)));
        QVERIFY(bars->toolTipText(3).startsWith("token 'good' (3)\nweight 0."));
        QVERIFY(view.headChoices().isEmpty());
        // A bar selects its key token; the selection is outlined on the bars.
        emit bars->barClicked(5);
        QCOMPARE(sel.token(), 5);
        QCOMPARE(bars->highlightedBar(), 5);
        QCOMPARE(view.highlightedToken(), 5);
        view.resize(700, 400);
        QVERIFY(!view.grab().isNull());
    }

    void oneQueryMultiheadIsBarsPerHeadAndOneHeatmapOfHeads() {
        Document doc;
        guitest::load(doc, tinymodel::oneQueryModel(dir_.path(), true), kText);
        Selection sel;
        AttentionView view(&doc, &sel);
        QCOMPARE(view.shownNode(), QString("attn"));
        QCOMPARE(view.headChoices(), QStringList({"head 1", "head 2", "average of heads", "all heads"}));
        // Opened on the average of the heads: bars of the mean.
        QCOMPARE(view.shownHead(), -1);
        QVERIFY(view.showingBars());
        const lstmscope::Matrix h0 = weightsOf(doc, "attn", 0), h1 = weightsOf(doc, "attn", 1);
        QVERIFY(qAbs(view.poolChart()->valueAt(4) - (h0(0, 4) + h1(0, 4)) / 2) < 1e-6);
        sel.setAttention("attn", 1);
        QVERIFY(view.showingBars());
        for (int k = 0; k < 11; ++k) QCOMPARE(view.poolChart()->valueAt(k), double(h1(0, k)));

        // All heads: one heads x tokens heatmap, rows "head 1", "head 2".
        view.setShowAllHeads(true);
        QVERIFY(view.showingAllHeads());
        QVERIFY(!view.showingBars());
        QCOMPARE(view.heatmapRows(), AttentionView::HeatmapRows::Heads);
        HeatmapPlot* map = view.heatmap();
        QCOMPARE(map->rowCount(), 2);
        QCOMPARE(map->columnCount(), 11);
        QCOMPARE(map->valueAt(0, 7), double(h0(0, 7)));
        QCOMPARE(map->valueAt(1, 7), double(h1(0, 7)));
        QVERIFY(map->toolTipText(1, 3).startsWith("head 2 of 2\ntoken 'good' (3)\nweight 0."));
        // The head the view showed is outlined; a cell selects its token, not a head.
        QCOMPARE(map->highlightedRow(), 1);
        shoot(view, "one_query_all_heads.png");
        emit map->cellClicked(0, 6);
        QCOMPARE(sel.token(), 6);
        QVERIFY(view.showingAllHeads());
        // A head's row label opens that head, as bars.
        emit map->rowLabelClicked(0);
        QVERIFY(view.showingBars());
        QCOMPARE(sel.head(), 0);
        QCOMPARE(view.poolChart()->valueAt(2), double(h0(0, 2)));
    }

    void tokenStripShowsTheOneQueryWhateverTokenIsSelected() {
        Document doc;
        guitest::load(doc, tinymodel::oneQueryModel(dir_.path(), false), kText);
        Selection sel;
        TokenStrip strip(&doc, &sel);
        QCOMPARE(strip.source(), TokenStrip::Source::AttentionRow);
        const lstmscope::Matrix a = weightsOf(doc, "attn");
        // No click needed, and a click does not change the row: there is one.
        QVERIFY(strip.hintText().isEmpty());
        QCOMPARE(strip.chipValue(2), double(a(0, 2)));
        sel.setToken(7);
        QCOMPARE(strip.chipValue(2), double(a(0, 2)));
        QVERIFY(strip.chipToolTip(strip.chipIndexOfToken(2)).contains("weights of its one query (attn)"));
    }

    void equationOfAOneQueryAttentionNamesNoToken() {
        Document doc;
        guitest::load(doc, tinymodel::oneQueryModel(dir_.path(), false), kText);
        Selection sel;
        AttentionEquationView view(&doc, &sel);
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(doc.traceHasDetails());
        QTRY_VERIFY(!view.placeholderVisible());
        sel.setToken(4);
        QCOMPARE(view.shownRow(), 0);
        // The query is the LSTM's last state, not token 1 "the".
        QVERIFY2(view.headingText().contains("query 1 of 1 (a query that is not a token of the text)"),
                 qPrintable(view.headingText()));
        QVERIFY(!view.headingText().contains("“the”"));
        QVERIFY(!view.findChild<QSpinBox*>("attentionEquationRow")->isVisibleTo(&view));
    }

    void differenceViewComparesTheOneQueryWithoutAClick() {
        MainWindow w(false);
        const QString model = tinymodel::oneQueryModel(dir_.path(), false);
        QVERIFY(w.openModel(model, true));
        w.setText(kText);
        QVERIFY(w.compareWithModel(model, true));
        DifferenceView* diff = w.compareArea()->differenceView();
        QCOMPARE(diff->nodeChooser(true)->currentText(), QString("attn · weights of its one query"));
        QVERIFY2(diff->hasAttentionComparison(), qPrintable(diff->attentionMessage()));
        const auto* trace = w.workspace()->paneA()->document()->trace();
        const auto& groups = diff->attentionComparison().groups;
        QCOMPARE(int(groups.size()), 11);
        QVERIFY(qAbs(groups[3].mass_a - trace->find("attn")->attention[0](0, 3)) < 1e-6);
    }

    void multiHopPoolIsOneHeatmapOfHops() {
        Document doc;
        guitest::load(doc, tinymodel::multiHopModel(dir_.path(), 3), kText);
        Selection sel;
        AttentionView view(&doc, &sel);
        QCOMPARE(view.shownNode(), QString("pool"));
        const lstmscope::Matrix a = weightsOf(doc, "pool");
        QCOMPARE(int(a.rows()), 3);
        // One heatmap, rows "hop 1..3", not bars and not three nodes.
        QCOMPARE(view.nodeNames(), QStringList({"pool"}));
        QVERIFY(!view.showingBars());
        QCOMPARE(view.heatmapRows(), AttentionView::HeatmapRows::Hops);
        HeatmapPlot* map = view.heatmap();
        QCOMPARE(map->rowCount(), 3);
        QCOMPARE(map->columnCount(), 11);
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 11; ++c) QCOMPARE(map->valueAt(r, c), double(a(r, c)));
        QVERIFY2(map->toolTipText(1, 3).startsWith("hop 2 of 3\ntoken 'good' (3)\nweight 0."),
                 qPrintable(map->toolTipText(1, 3)));
        QCOMPARE(view.findChild<QComboBox*>()->currentText(), QString("pool · 3 hops"));
        // A token is a column here: selecting one never outlines a hop, and a
        // cell selects its token.
        sel.setToken(2);
        QCOMPARE(map->highlightedColumn(), 2);
        QCOMPARE(map->highlightedRow(), -1);
        emit map->cellClicked(1, 7);
        QCOMPARE(sel.token(), 7);
        view.resize(800, 400);
        QVERIFY(!view.grab().isNull());
        shoot(view, "multi_hop_heatmap.png");
    }

    void oneHopPoolStaysBars() {
        Document doc;
        guitest::load(doc, tinymodel::multiHopModel(dir_.path(), 1), kText);
        Selection sel;
        AttentionView view(&doc, &sel);
        QVERIFY(view.showingBars());
        QCOMPARE(view.poolChart()->barCount(), 11);
        QCOMPARE(view.findChild<QComboBox*>()->currentText(), QString("pool · attention_pool"));
    }

    void tokenStripAndDifferenceViewUseTheMeanOfTheHops() {
        const QString model = tinymodel::multiHopModel(dir_.path(), 3);
        {
            Document doc;
            guitest::load(doc, model, kText);
            Selection sel;
            TokenStrip strip(&doc, &sel);
            QCOMPARE(strip.source(), TokenStrip::Source::PoolWeights);
            const lstmscope::Matrix a = weightsOf(doc, "pool");
            for (int t = 0; t < 11; ++t) QVERIFY(qAbs(strip.chipValue(t) - a.col(t).mean()) < 1e-6);
            QVERIFY(strip.chipToolTip(strip.chipIndexOfToken(0)).contains("pooling weights (pool, mean of 3 hops)"));
        }
        MainWindow w(false);
        QVERIFY(w.openModel(model, true));
        w.setText(kText);
        QVERIFY(w.compareWithModel(model, true));
        DifferenceView* diff = w.compareArea()->differenceView();
        QCOMPARE(diff->nodeChooser(true)->currentText(), QString("pool · pooling weights, mean of 3 hops"));
        QVERIFY2(diff->hasAttentionComparison(), qPrintable(diff->attentionMessage()));
        const lstmscope::Matrix a = w.workspace()->paneA()->document()->trace()->find("pool")->attention[0];
        QVERIFY(qAbs(diff->attentionComparison().groups[5].mass_a - a.col(5).mean()) < 1e-6);
    }

    void equationExplainsTheChosenHop() {
        Document doc;
        guitest::load(doc, tinymodel::multiHopModel(dir_.path(), 3), kText);
        Selection sel;
        AttentionEquationView view(&doc, &sel);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(doc.traceHasDetails());
        QTRY_VERIFY(!view.placeholderVisible());
        auto* hop = view.findChild<QSpinBox*>("attentionEquationRow");
        QVERIFY(hop->isVisibleTo(&view));
        QCOMPARE(hop->maximum(), 3);
        QCOMPARE(view.shownRow(), 0);
        hop->setValue(2);
        QCOMPARE(view.shownRow(), 1);
        QVERIFY2(view.headingText().contains("hop 2 of 3"), qPrintable(view.headingText()));
        const QStringList lines = view.lines();
        // This model's projection has no bias: no "+ b" in its formula.
        QVERIFY2(lines.first().contains(QStringLiteral("s₂(hⱼ) = w₂ · tanh(W hⱼ), w₂ = row 2 of context.weight")),
                 qPrintable(lines.first()));
        // The listed weights are hop 2's, largest first.
        const lstmscope::Matrix a = weightsOf(doc, "pool");
        QStringList rows = lines.filter(" | ");
        rows.removeFirst();
        QVERIFY(!rows.isEmpty());
        for (const QString& r : rows) {
            const QStringList cells = r.split(" | ");
            const int key = cells[0].section(' ', 0, 0).toInt() - 1;
            QVERIFY2(qAbs(cells[3].toDouble() - a(1, key)) <= 0.005 + 1e-9, qPrintable(r));
        }
        shoot(view, "equation_hop_2.png");
        // Selecting a token does not move the hop.
        sel.setToken(5);
        QCOMPARE(view.shownRow(), 1);
    }

    // A learned query of as many rows as the text has tokens: its rows are
    // still numbered queries, never the tokens.
    void learnedQueryRowsAreNotTokens() {
        Document doc;
        guitest::load(doc, tinymodel::learnedQueryModel(dir_.path(), 11), kText);
        Selection sel;
        AttentionView view(&doc, &sel);
        QCOMPARE(view.shownNode(), QString("attn"));
        QCOMPARE(view.heatmapRows(), AttentionView::HeatmapRows::Other);
        HeatmapPlot* map = view.heatmap();
        QCOMPARE(map->rowCount(), 11);
        QVERIFY2(map->toolTipText(2, 3).startsWith("query 'q3' (2)\nkey 'good' (3)"), qPrintable(map->toolTipText(2, 3)));
        sel.setToken(4);
        QCOMPARE(map->highlightedRow(), -1);
        QCOMPARE(map->highlightedColumn(), 4);
        emit map->cellClicked(1, 8);
        QCOMPARE(sel.token(), 8);  // the key: the row is no token
        // The token strip shows the mean of the query rows, whatever is selected.
        TokenStrip strip(&doc, &sel);
        const lstmscope::Matrix a = weightsOf(doc, "attn");
        QVERIFY(qAbs(strip.chipValue(6) - a.col(6).mean()) < 1e-6);
        QVERIFY(strip.chipToolTip(strip.chipIndexOfToken(6)).contains("mean of its 11 query rows (attn)"));
    }

    // Stepping through a learned query row by row: the step names no token
    // for a row (row 1 is not the text's "the").
    void stepBarNamesNoTokenForALearnedQuery() {
        Document doc;
        guitest::load(doc, tinymodel::learnedQueryModel(dir_.path(), 3), kText);
        Selection sel;
        StepBar bar(&doc, &sel);
        const StepContext ctx = stepContext(&doc, &sel);
        const int attn = static_cast<int>(doc.trace()->find("attn") - doc.trace()->nodes.data());
        int step = -1;
        for (int k = 0; k < ctx.plan.size() && step < 0; ++k)
            if (ctx.plan.steps[static_cast<size_t>(k)].kind == lstmscope::analysis::ComputationStep::Kind::AttentionRow &&
                ctx.plan.steps[static_cast<size_t>(k)].node == attn)
                step = k;
        QVERIFY(step >= 0);
        sel.setStep(step);
        QVERIFY2(bar.stepText().endsWith("attn: query 1 of 3"), qPrintable(bar.stepText()));
    }

private:
    QTemporaryDir dir_;
};

QTEST_MAIN(TestAttentionRows)
#include "test_attention_rows.moc"
