// Tokens made of white space (keras_char keeps spaces, newlines and tabs)
// are drawn as marks, ␣ ↵ ⇥, dimmer than words, on the token chips and the
// heatmap and bar axes; tooltips say what each mark stands for.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include "gui/plots/head_grid.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/plots/pool_bar_chart.h"
#include "gui/plots/whitespace_marks.h"
#include "gui/trace_labels.h"
#include "gui/views/attention_view.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/selection.h"
#include "gui_test_support.h"
#include "tiny_models.h"

namespace {

// "ab c\nd\ta": tokens a b ␣ c ↵ d ⇥ a.
const QString kText = QStringLiteral("ab c\nd\ta");

// The darkest grey level (0 black .. 255 white) inside `rect` of `image`.
int darkest(const QImage& image, const QRect& rect) {
    int low = 255;
    const QRect r = rect.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) low = std::min(low, qGray(image.pixel(x, y)));
    return low;
}

}  // namespace

class TestWhitespaceTokens : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void marksAndDescriptions() {
        using namespace whitespace_marks;
        QCOMPARE(marks(" "), QStringLiteral("␣"));
        QCOMPARE(marks("\n"), QStringLiteral("↵"));
        QCOMPARE(marks("\t"), QStringLiteral("⇥"));
        QCOMPARE(marks("  \r\n"), QStringLiteral("␣␣↵"));  // CR LF is one newline
        QCOMPARE(marks(QStringLiteral("\u3000")), QStringLiteral("␣"));
        QCOMPARE(marks("word"), QStringLiteral("word"));
        QCOMPARE(marks(" a"), QStringLiteral(" a"));  // not white space only: left as it is
        QCOMPARE(describe(" "), QStringLiteral("space"));
        QCOMPARE(describe("    "), QStringLiteral("space ×4"));
        QCOMPARE(describe("  \n\t"), QStringLiteral("space ×2, newline, tab"));
        QCOMPARE(describe(QStringLiteral("\u00a0")), QStringLiteral("U+00A0"));
        QCOMPARE(describe("a"), QString());
        QVERIFY(isMarksOnly(QStringLiteral("␣↵")));
        QVERIFY(!isMarksOnly(QStringLiteral("a␣")));
        QVERIFY(!isMarksOnly(QString()));
        QVERIFY(!isMarksOnly(QStringLiteral("…")));
    }

    void tokenLabelsAndTooltipLabels() {
        Document doc;
        guitest::load(doc, tinymodel::whitespaceCharModel(dir_.path()), kText);
        QCOMPARE(tokenLabels(*doc.trace()), QStringList({"a", "b", "␣", "c", "↵", "d", "⇥", "a"}));
        const QStringList tips = tokenTooltipLabels(*doc.trace());
        QCOMPARE(tips.size(), 8);
        QCOMPARE(tips[0], QString());  // a word keeps the plot's own "'a' (0)"
        QCOMPARE(tips[2], QStringLiteral("'␣' (2) · space"));
        QCOMPARE(tips[6], QStringLiteral("'⇥' (6) · tab"));
    }

    // tokenLabels() keeps its last answer for the views that ask after it
    // (issue 9): a trace of the same length with one token changed, or a
    // padding flag changed, must get its own labels, never the kept ones.
    void tokenLabelsAreOfTheTraceAskedAbout() {
        lstmscope::Trace a;
        for (const char* t : {"the", "food", "was", "good"}) a.tokens.push_back(lstmscope::Token{t, 0, 0, 1, false});
        lstmscope::Trace b = a;
        b.tokens[3].text = "bad";
        lstmscope::Trace c = a;
        c.tokens[2].pad = true;
        QCOMPARE(tokenLabels(a), QStringList({"the", "food", "was", "good"}));
        QCOMPARE(tokenLabels(b), QStringList({"the", "food", "was", "bad"}));
        QCOMPARE(tokenLabels(c), QStringList({"the", "food", "⟨pad⟩", "good"}));
        QCOMPARE(tokenLabels(a), QStringList({"the", "food", "was", "good"}));
        QCOMPARE(tokenLabels(lstmscope::Trace{}), QStringList());
    }

    void attentionAxesAndTooltipsShowTheMarks() {
        Document doc;
        guitest::load(doc, tinymodel::whitespaceCharModel(dir_.path()), kText);
        Selection sel;
        AttentionView view(&doc, &sel);
        sel.setAttention("self", 0);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        HeatmapPlot* map = view.heatmap();
        map->customPlot()->replot();
        QCOMPARE(map->columnTickLabel(2), QStringLiteral("␣"));
        QCOMPARE(map->columnTickLabel(4), QStringLiteral("↵"));
        QCOMPARE(map->columnTickLabel(6), QStringLiteral("⇥"));
        QVERIFY2(map->toolTipText(2, 4).startsWith("query '␣' (2) · space\nkey '↵' (4) · newline\nweight 0."),
                 qPrintable(map->toolTipText(2, 4)));
        QVERIFY(map->toolTipText(0, 1).startsWith("query 'a' (0)\nkey 'b' (1)\n"));

        sel.setAttention("pool", 0);
        QVERIFY(view.showingBars());
        QVERIFY2(view.poolChart()->toolTipText(6).startsWith("token '⇥' (6) · tab\nweight 0."),
                 qPrintable(view.poolChart()->toolTipText(6)));
    }

    // The marks are drawn dimmer than the words on an axis.
    void axisMarksAreDimmer() {
        HeatmapPlot plot;
        plot.resize(300, 260);
        lstmscope::Matrix m(1, 2);
        m << 0.5f, 0.5f;
        plot.setData(m, {"x"}, {"m", "␣"});
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QCustomPlot* p = plot.customPlot();
        p->replot();
        const QImage image = p->toPixmap().toImage();
        if (qEnvironmentVariableIsSet("LSTMSCOPE_SHOT_DIR"))
            image.save(qEnvironmentVariable("LSTMSCOPE_SHOT_DIR") + "/axis_marks.png");
        const int below = p->axisRect()->rect().bottom() + 6;  // under the tick marks
        auto labelArea = [&](int column) {
            const int x = int(p->xAxis->coordToPixel(column));
            return QRect(x - 8, below, 16, p->height() - below);
        };
        const int word = darkest(image, labelArea(0)), mark = darkest(image, labelArea(1));
        QVERIFY2(word < 90, qPrintable(QString::number(word)));
        QVERIFY2(mark > word + 50, qPrintable(QStringLiteral("word %1, mark %2").arg(word).arg(mark)));
    }

    void chipsShowMarksDimmedAndTooltipsNameThem() {
        Document doc;
        guitest::load(doc, tinymodel::whitespaceCharModel(dir_.path()), kText);
        Selection sel;
        TokenStrip strip(&doc, &sel);
        strip.setSource(TokenStrip::Source::None);  // one neutral fill for every chip
        const auto& chips = strip.chips();
        QCOMPARE(int(chips.size()), 8);
        QCOMPARE(chips[2].text, QStringLiteral("␣"));
        QVERIFY(chips[2].whitespace);
        QVERIFY(!chips[3].whitespace);
        QCOMPARE(chips[4].text, QStringLiteral("↵"));
        const QString tip = strip.chipToolTip(strip.chipIndexOfToken(6));
        QVERIFY2(tip.startsWith("“⇥” · token 6"), qPrintable(tip));
        QVERIFY2(tip.contains("white space: tab"), qPrintable(tip));
        QVERIFY(!strip.chipToolTip(strip.chipIndexOfToken(3)).contains("white space"));

        strip.resize(600, 120);
        strip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&strip));
        const QImage image = strip.chipArea()->grab().toImage();
        auto inside = [&](int token) { return strip.chipRect(strip.chipIndexOfToken(token)).adjusted(3, 3, -3, -3); };
        const int word = darkest(image, inside(3)), mark = darkest(image, inside(2));
        QVERIFY2(mark > word + 50, qPrintable(QStringLiteral("word %1, mark %2").arg(word).arg(mark)));
    }

    // The tooltip labels reach every tile of the heads grid, and new data forgets them.
    void tooltipLabelsOfGridTilesAndNewData() {
        lstmscope::Matrix m(2, 2);
        m << 0.5f, 0.5f, 0.25f, 0.75f;
        HeadGrid grid;
        grid.setHeads({m, m}, {"a", "␣"}, {"a", "␣"});
        grid.setTooltipLabels({}, {QString(), QStringLiteral("'␣' (1) · space")});
        QVERIFY2(grid.tile(1)->toolTipText(0, 1).contains("'␣' (1) · space"), qPrintable(grid.tile(1)->toolTipText(0, 1)));
        QVERIFY(grid.tile(0)->toolTipText(0, 0).contains("'a' (0)"));
        HeatmapPlot plot;
        plot.setData(m, {"a", "␣"}, {"a", "␣"});
        plot.setTooltipLabels({QStringLiteral("1 of 2")}, {});
        QVERIFY(plot.toolTipText(0, 1).startsWith("row 1 of 2\n"));
        plot.setData(m, {"a", "␣"}, {"a", "␣"});
        QVERIFY(plot.toolTipText(0, 1).startsWith("row 'a' (0)\n"));
        PoolBarChart bars;
        bars.setData({0.4, 0.6}, {"a", "␣"});
        bars.setTooltipLabels({QString(), QStringLiteral("'␣' (1) · space")});
        QVERIFY(bars.toolTipText(1).startsWith("token '␣' (1) · space\n"));
        bars.setData({0.4, 0.6}, {"a", "␣"});
        QVERIFY(bars.toolTipText(1).startsWith("token '␣' (1)\n"));
    }

private:
    QTemporaryDir dir_;
};

QTEST_MAIN(TestWhitespaceTokens)
#include "test_whitespace_tokens.moc"
