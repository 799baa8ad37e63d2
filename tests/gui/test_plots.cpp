// The plot wrappers on their own, fed numbers and labels only (no Document,
// no Selection): label orientation and thinning, highlights that show on
// every colour map, colour maps against the plot background, long and
// zero-width token labels, the visible-range API and its signal, ranges of
// highlighted columns, the diverging "difference" use, and the shared
// axis_ticks helper.
#include <QApplication>
#include <QSignalSpy>
#include <QWheelEvent>
#include <QVBoxLayout>
#include <QtTest>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

#include "gui/plots/axis_ticks.h"
#include "gui/plots/binned_map_data.h"
#include "gui/plots/color_legend.h"
#include "gui/plots/color_maps.h"
#include "gui/plots/elided_label.h"
#include "gui/plots/head_grid.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/plots/pool_bar_chart.h"
#include "gui/plots/segment_line_graph.h"
#include "gui/plots/steady_label.h"
#include "gui/plots/unit_line_plot.h"

namespace {

// The glyphs of 60 different common Chinese characters.
QStringList chineseCharacters(int n) {
    const QString text = QString::fromUtf8(
        "房间很干净但是服务太差了我们今天去公园玩天气非常好吃饭的时候看见一个小朋友在唱歌声音好听老师说学生要认真读书写字");
    QStringList out;
    for (int k = 0; k < n; ++k) out << text.mid(k % text.size(), 1);
    return out;
}

lstmscope::Matrix filled(int rows, int cols, double value) { return lstmscope::Matrix::Constant(rows, cols, static_cast<float>(value)); }

lstmscope::Matrix ramp(int rows, int cols) {
    lstmscope::Matrix m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) m(r, c) = static_cast<float>((r * cols + c) % 11) / 10.0f;
    return m;
}

QStringList numbered(const QString& stem, int n) {
    QStringList out;
    for (int k = 0; k < n; ++k) out << QStringLiteral("%1%2").arg(stem).arg(k);
    return out;
}

// Shows a widget offscreen and lets queued replots and re-layouts settle.
void settle(QWidget& w) {
    if (!w.isVisible()) {
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
    }
    for (int k = 0; k < 6; ++k) {
        QCoreApplication::processEvents();
        QTest::qWait(5);
    }
}

// With LSTMSCOPE_TEST_PNG=dir set, writes what a test drew there, to look at.
void savePng(QWidget& w, const char* name) {
    const QString dir = qEnvironmentVariable("LSTMSCOPE_TEST_PNG");
    if (!dir.isEmpty()) w.grab().save(QStringLiteral("%1/%2.png").arg(dir, QLatin1String(name)));
}

// Relative luminance (WCAG, linear sRGB).
double luminance(const QColor& c) {
    auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

// CIE76 colour difference in L*a*b* (D65): about 2 is a just noticeable
// difference; 40 and more reads as a clearly different colour.
double deltaE(const QColor& a, const QColor& b) {
    auto lab = [](const QColor& c) {
        auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        const double r = lin(c.redF()), g = lin(c.greenF()), bl = lin(c.blueF());
        const double x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047;
        const double y = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
        const double z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
        auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
        return std::array<double, 3>{116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
    };
    const auto p = lab(a), q = lab(b);
    return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

// Pixel position of cell (row, column)'s centre in the heatmap widget.
QPoint cellCentre(HeatmapPlot* h, int row, int column) {
    QCustomPlot* p = h->customPlot();
    return p->mapTo(h, QPoint(static_cast<int>(p->xAxis->coordToPixel(column)), static_cast<int>(p->yAxis->coordToPixel(row))));
}

void sendWheel(QWidget* target, const QPoint& pos, int delta) {
    QWheelEvent e(QPointF(pos), QPointF(target->mapToGlobal(pos)), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(target, &e);
}

void sendMouse(QWidget* target, QEvent::Type type, const QPoint& pos, Qt::MouseButton button, Qt::MouseButtons buttons) {
    QMouseEvent e(type, QPointF(pos), QPointF(target->mapToGlobal(pos)), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(target, &e);
}

// Counts the warnings Qt prints while alive.
struct WarningCounter {
    static inline int count = 0;
    static inline QStringList first;
    QtMessageHandler previous;
    WarningCounter() {
        count = 0;
        first.clear();
        previous = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& msg) {
            if (type == QtWarningMsg || type == QtCriticalMsg) {
                ++count;
                if (first.size() < 3) first << msg;
            }
        });
    }
    ~WarningCounter() { qInstallMessageHandler(previous); }
};

lstmscope::GateTrace gateTrace(int tokens, int units) {
    lstmscope::GateTrace g;
    for (lstmscope::Matrix* m : {&g.i, &g.f, &g.g, &g.o, &g.c, &g.h}) *m = ramp(tokens, units);
    return g;
}

}  // namespace

class TestPlots : public QObject {
    Q_OBJECT
private slots:
    // Views set their labels and legends on every new trace, mostly to what
    // they were. Setting the same text must not ask for a new layout, which
    // lays out the whole window on every keystroke; a new text must.
    void unchangedLabelsAskForNoLayout() {
        QWidget window;
        auto* layout = new QHBoxLayout(&window);
        auto* label = new ElidedLabel(&window);
        auto* legend = new ColorLegend(ColorLegend::Style::Inline, &window);
        auto* rangeLegend = new ColorLegend(ColorLegend::Style::Inline, &window);
        layout->addWidget(label);
        layout->addWidget(legend);
        layout->addWidget(rangeLegend);
        label->setFullText(QStringLiteral("i: input gate"));
        legend->setEndTexts(ColorMap::Viridis, QStringLiteral("0"), QStringLiteral("1"));
        rangeLegend->setRange(ColorMap::Viridis, 0, 0.5, QStringLiteral("weights"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::qWait(50);  // the first layouts settle

        struct Counter : QObject {
            int requests = 0;
            bool eventFilter(QObject*, QEvent* e) override {
                if (e->type() == QEvent::LayoutRequest) ++requests;
                return false;
            }
        } counter;
        window.installEventFilter(&counter);
        label->setFullText(QStringLiteral("i: input gate"));
        rangeLegend->setRange(ColorMap::Viridis, 0, 0.5, QStringLiteral("weights"));
        QCoreApplication::processEvents();
        QCOMPARE(counter.requests, 0);
        legend->setEndTexts(ColorMap::Viridis, QStringLiteral("0"), QStringLiteral("1"));
        QCoreApplication::processEvents();
        QCOMPARE(counter.requests, 0);
        label->setFullText(QStringLiteral("f: forget gate"));
        QCoreApplication::processEvents();
        QVERIFY(counter.requests > 0);
        counter.requests = 0;
        legend->setEndTexts(ColorMap::Diverging, QStringLiteral("−5"), QStringLiteral("5"));
        QCoreApplication::processEvents();
        QVERIFY(counter.requests > 0);
    }

    // More cells than pixels: each drawn cell is the mean of its bin (NaN
    // cells left out), placed over exactly the columns it covers.
    void binnedCellsAreMeansOverTheirColumns() {
        QCOMPARE(binned_map::cellsPerBin(100, 400), 1);
        QCOMPARE(binned_map::cellsPerBin(799, 400), 1);
        QCOMPARE(binned_map::cellsPerBin(800, 400), 2);
        QCOMPARE(binned_map::cellsPerBin(5000, 0), 1);
        lstmscope::Matrix m(2, 7);
        m << 1, 2, 3, 4, 5, 6, 7,  //
            0, std::nanf(""), 6, std::nanf(""), std::nanf(""), 2, 4;
        BinnedMapData d;
        d.assign(m, 3, 1);  // bins of columns {0,1,2} {3,4,5} {6}
        QCOMPARE(d.keySize(), 3);
        QCOMPARE(d.valueSize(), 2);
        QCOMPARE(d.cell(0, 0), 2.0);
        QCOMPARE(d.cell(1, 0), 5.0);
        QCOMPARE(d.cell(2, 0), 7.0);
        QCOMPARE(d.cell(0, 1), 3.0);  // mean of 0 and 6
        QCOMPARE(d.cell(1, 1), 2.0);  // only the 2 is computed
        QCOMPARE(d.cell(2, 1), 4.0);
        // Bin b covers columns [3b - 0.5, 3b + 2.5]: centres at 1, 4, 7.
        QCOMPARE(d.keyRange().lower, 1.0);
        QCOMPARE(d.keyRange().upper, 7.0);
        d.assign(m, 7, 2);  // one bin each way: stored twice over half its width
        QCOMPARE(d.keySize(), 2);
        QCOMPARE(d.valueSize(), 2);
        QCOMPARE(d.cell(1, 1), d.cell(0, 0));
        QVERIFY(std::abs(d.cell(0, 0) - (1 + 2 + 3 + 4 + 5 + 6 + 7 + 0 + 6 + 2 + 4) / 11.0) < 1e-12);
        QCOMPARE(d.keyRange().lower, 3.0 - 1.75);
        QCOMPARE(d.keyRange().upper, 3.0 + 1.75);
        lstmscope::Matrix allNan(1, 2);
        allNan << std::nanf(""), std::nanf("");
        d.assign(allNan, 2, 1);
        QVERIFY(std::isnan(d.cell(0, 0)));
    }

    // From the transpose (a gate matrix as recorded, tokens x units), the
    // same cells, ranges and NaN handling as from the matrix itself, for
    // bins of one cell and of many, on both sides, and a single bin.
    void binnedCellsFromTheTransposeAreTheSame() {
        const int rows = 37, cols = 523;
        lstmscope::Matrix m(rows, cols);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c)
                m(r, c) = (r * 7 + c * 13) % 11 == 0 ? std::nanf("") : std::sin(0.1f * r + 0.037f * c) * (1 + r % 3);
        m.row(5).setConstant(std::nanf(""));  // a row never computed
        const lstmscope::Matrix t = m.transpose();
        for (const QPoint bins : {QPoint(1, 1), QPoint(9, 1), QPoint(1, 4), QPoint(50, 3), QPoint(600, 40), QPoint(523, 1)}) {
            BinnedMapData a, b;
            a.assign(m, bins.x(), bins.y());
            b.assignColumns(t, bins.x(), bins.y());
            QCOMPARE(b.keySize(), a.keySize());
            QCOMPARE(b.valueSize(), a.valueSize());
            QCOMPARE(b.keyRange(), a.keyRange());
            QCOMPARE(b.valueRange(), a.valueRange());
            QVERIFY(std::abs(b.dataBounds().lower - a.dataBounds().lower) < 1e-6);
            QVERIFY(std::abs(b.dataBounds().upper - a.dataBounds().upper) < 1e-6);
            for (int k = 0; k < a.keySize(); ++k)
                for (int v = 0; v < a.valueSize(); ++v) {
                    const double x = a.cell(k, v), y = b.cell(k, v);
                    QVERIFY2(std::isnan(x) ? std::isnan(y) : std::abs(x - y) < 1e-5,
                             qPrintable(QStringLiteral("bins %1 x %2, cell %3, %4: %5 against %6")
                                            .arg(bins.x()).arg(bins.y()).arg(k).arg(v).arg(y).arg(x)));
                }
        }
        // The heatmap given the transpose answers for the same cells.
        HeatmapPlot h;
        h.setDataByColumns(lstmscope::Matrix(t), numbered("u", rows), numbered("t", cols));
        QCOMPARE(h.rowCount(), rows);
        QCOMPARE(h.columnCount(), cols);
        QCOMPARE(h.valueAt(3, 100), static_cast<double>(m(3, 100)));
        QVERIFY(h.toolTipText(3, 100).contains(QString::number(m(3, 100), 'f', 4)));
    }

    void longMatricesAreBinnedUntilZoomedIn() {
        HeatmapPlot h;
        h.resize(640, 320);
        QSignalSpy bins(&h, &HeatmapPlot::binsChanged);
        h.setData(ramp(4, 6000), numbered("u", 4), numbered("t", 6000));
        settle(h);
        const int perBin = h.columnsPerBin();
        QVERIFY2(perBin >= 6000 / h.customPlot()->axisRect()->width() - 1 && perBin > 1, qPrintable(QString::number(perBin)));
        QCOMPARE(h.rowsPerBin(), 1);
        QVERIFY(bins.count() >= 1);
        auto* map = qobject_cast<QCPColorMap*>(h.customPlot()->plottable(0));
        QVERIFY(map);
        QCOMPARE(map->data()->keySize(), (6000 + perBin - 1) / perBin);
        // The first drawn column is the mean of the first perBin values of row 1.
        double sum = 0;
        for (int c = 0; c < perBin; ++c) sum += h.valueAt(1, c);
        QVERIFY(std::abs(map->data()->cell(0, 1) - sum / perBin) < 1e-6);
        QCOMPARE(h.valueAt(1, 3), ramp(4, 6000)(1, 3));  // tooltips keep the exact cells
        h.setVisibleColumns(99.5, 199.5);
        settle(h);
        QCOMPARE(h.columnsPerBin(), 1);
        QCOMPARE(map->data()->keySize(), 6000);
        QCOMPARE(map->data()->cell(150, 2), double(h.valueAt(2, 150)));
    }

    // 1. Chinese characters on a turned axis stand upright.
    void chineseColumnLabelsStandUpright() {
        HeatmapPlot h;
        h.resize(640, 320);
        h.setData(ramp(4, 60), numbered("u", 4), chineseCharacters(60));
        settle(h);
        QCOMPARE(h.customPlot()->xAxis->tickLabelRotation(), 90.0);  // many tokens: the axis is turned
        int shown = 0;
        for (int c = 0; c < 60; ++c) {
            if (h.columnTickLabel(c).isEmpty()) continue;
            ++shown;
            QCOMPARE(h.columnLabelAngle(c), 0.0);
        }
        QVERIFY2(shown >= 10, qPrintable(QString::number(shown)));
        savePng(h, "chinese_60");

        // Among long words, a two-character word is stacked upright and the words stay turned.
        QStringList mixed = numbered("wonderful", 40);
        mixed[3] = QString::fromUtf8("服务");
        mixed[4] = QString::fromUtf8("服");
        h.setData(ramp(4, 40), numbered("u", 4), mixed);
        h.setVisibleColumns(-0.5, 9.5);
        settle(h);
        QCOMPARE(h.columnTickLabel(3), QString::fromUtf8("服\n务"));
        QCOMPARE(h.columnLabelAngle(3), 0.0);
        QCOMPARE(h.columnLabelAngle(4), 0.0);
        QCOMPARE(h.columnLabelAngle(5), 90.0);
        savePng(h, "chinese_mixed");
    }

    // 2. The selected row/column outline shows on both ends of every map.
    void highlightShowsOnEveryColourMap() {
        const std::vector<std::pair<ColorMap, double>> cases{
            {ColorMap::Viridis, 0.0}, {ColorMap::Viridis, 1.0}, {ColorMap::Magma, 0.0}, {ColorMap::Magma, 1.0},
            {ColorMap::Cividis, 0.0}, {ColorMap::Cividis, 1.0}, {ColorMap::Diverging, 0.0}, {ColorMap::Diverging, 0.5},
            {ColorMap::Diverging, 1.0}};
        HeatmapPlot h;
        h.resize(420, 320);
        for (const auto& [map, t] : cases) {
            h.setColorMap(map);
            h.setValueRange(0, 1);
            h.setData(filled(8, 8, t), numbered("u", 8), numbered("t", 8));
            h.setHighlightedColumn(4);
            h.setHighlightedRow(-1);
            settle(h);
            const QImage img = h.grab().toImage();
            const QPoint a = cellCentre(&h, 2, 2), b = cellCentre(&h, 2, 4);
            const QColor cell = img.pixelColor(a);
            // Across the left edge of the outlined column: the longest run of
            // pixels that clearly stand out from the cells' colour.
            int run = 0, best = 0;
            for (int x = a.x(); x <= b.x(); ++x) {
                const QColor p = img.pixelColor(x, a.y());
                const bool contrasts = std::abs(luminance(p) - luminance(cell)) >= 0.35;
                run = contrasts ? run + 1 : 0;
                best = std::max(best, run);
            }
            if (best < 2) {
                QString scan;
                for (int x = a.x(); x <= b.x(); ++x) scan += img.pixelColor(x, a.y()).name() + " ";
                QFAIL(qPrintable(QStringLiteral("%1 at %2: run %3; %4").arg(colorMapName(map)).arg(t).arg(best).arg(scan)));
            }
        }
        h.setColorMap(ColorMap::Magma);
        h.setData(ramp(8, 8), numbered("u", 8), numbered("t", 8));
        h.setHighlightedRow(2);
        settle(h);
        savePng(h, "highlight_magma");
    }

    // 3. Every sequential map's ends are distinguishable from the plot background.
    void sequentialMapsStandOutFromTheBackground() {
        HeatmapPlot h;
        h.resize(300, 200);
        h.setData(filled(2, 2, 0.5), {"a", "b"}, {"c", "d"});
        settle(h);
        const QColor background = h.grab().toImage().pixelColor(1, 1);
        for (ColorMap map : {ColorMap::Viridis, ColorMap::Magma, ColorMap::Cividis}) {
            for (double t : {0.0, 1.0}) {
                const double d = deltaE(colorAt(map, t), background);
                QVERIFY2(d >= 40, qPrintable(QStringLiteral("%1 at %2: deltaE %3 from %4")
                                                 .arg(colorMapName(map)).arg(t).arg(d).arg(background.name())));
            }
        }
    }

    // 4. A very long token does not squeeze the unit line plot.
    void longTokenKeepsTheLinePlotArea() {
        const int tokens = 12;
        const QStringList shortLabels = numbered("w", tokens);
        QStringList longLabels = shortLabels;
        longLabels[5] = QString(200, QLatin1Char('x'));
        UnitLinePlot a, b;
        for (UnitLinePlot* p : {&a, &b}) p->resize(700, 250);
        a.setUnit(gateTrace(tokens, 3), 1, shortLabels, "unit 1");
        b.setUnit(gateTrace(tokens, 3), 1, longLabels, "unit 1");
        settle(a);
        settle(b);
        const QRect ra = a.customPlot()->axisRect()->rect(), rb = b.customPlot()->axisRect()->rect();
        QVERIFY2(std::abs(ra.height() - rb.height()) <= 8, qPrintable(QStringLiteral("%1 vs %2").arg(ra.height()).arg(rb.height())));
        QVERIFY2(std::abs(ra.width() - rb.width()) <= 8, qPrintable(QStringLiteral("%1 vs %2").arg(ra.width()).arg(rb.width())));
        QVERIFY(rb.height() >= 100);
        savePng(b, "long_token");
    }

    // 5. Zero-width labels draw without a warning.
    void zeroWidthLabelsDrawWithoutWarnings() {
        const QStringList labels{QString(QChar(0x200B)), QString(QChar(0x200D)), QString(QChar(0xFEFF)),
                                 QString(QChar(0x200B)) + QChar(0x200D), "ok", QString(QChar(0x2060)), QString()};
        HeatmapPlot h;
        h.resize(400, 300);
        UnitLinePlot line;
        line.resize(600, 250);
        PoolBarChart bars;
        bars.resize(500, 250);
        WarningCounter warnings;
        h.setData(ramp(7, 7), labels, labels);
        line.setUnit(gateTrace(7, 2), 0, labels, "unit 0");
        bars.setData({0.1, 0.2, 0.3, 0.1, 0.2, 0.1, 0.1}, labels);
        settle(h);
        settle(line);
        settle(bars);
        // Draw them all once more, synchronously.
        for (QWidget* w : std::initializer_list<QWidget*>{&h, &line, &bars}) QVERIFY(!w->grab().isNull());
        savePng(h, "zero_width_heatmap");
        savePng(line, "zero_width_line");
        savePng(bars, "zero_width_bars");
        QVERIFY2(warnings.count == 0, qPrintable(QStringLiteral("%1 warnings, first: %2").arg(warnings.count).arg(warnings.first.join(" | "))));
        // The invisible token is named, so it can be found on the axis.
        QCOMPARE(h.columnTickLabel(0), QStringLiteral("U+200B"));
    }

    // 6a. The visible range: set programmatically without a signal, clamped, read back.
    void visibleRangeApi() {
        HeatmapPlot h;
        h.resize(500, 400);
        h.setData(ramp(10, 20), numbered("u", 10), numbered("t", 20));
        settle(h);
        QSignalSpy spy(&h, &HeatmapPlot::visibleRangeChanged);
        QCOMPARE(h.visibleColumnLower(), -0.5);
        QCOMPARE(h.visibleColumnUpper(), 19.5);
        QCOMPARE(h.visibleRowLower(), -0.5);
        QCOMPARE(h.visibleRowUpper(), 9.5);
        h.setVisibleColumns(2.5, 7.5);
        h.setVisibleRows(1.5, 4.5);
        QCOMPARE(h.visibleColumnLower(), 2.5);
        QCOMPARE(h.visibleColumnUpper(), 7.5);
        QCOMPARE(h.visibleRowLower(), 1.5);
        QCOMPARE(h.visibleRowUpper(), 4.5);
        h.setVisibleColumns(-10, 100);  // beyond the data: clamped
        QCOMPARE(h.visibleColumnLower(), -0.5);
        QCOMPARE(h.visibleColumnUpper(), 19.5);
        QCOMPARE(spy.count(), 0);

        UnitLinePlot line;
        line.resize(600, 250);
        line.setUnit(gateTrace(12, 2), 0, numbered("w", 12), "unit 0");
        line.setVisibleTokenRange(1.5, 6.5);
        QCOMPARE(line.visibleTokenLower(), 1.5);
        QCOMPARE(line.visibleTokenUpper(), 6.5);
    }

    // 6b. Wheel, drag and double click are the user's: one signal each, both axes alike.
    void userZoomKeepsSixHeatmapsAligned() {
        QWidget window;
        window.resize(900, 600);
        auto* layout = new QGridLayout(&window);
        std::vector<HeatmapPlot*> maps;
        for (int k = 0; k < 6; ++k) {
            maps.push_back(new HeatmapPlot(&window));
            layout->addWidget(maps.back(), k / 3, k % 3);
            maps.back()->setData(ramp(16, 30), numbered("u", 16), numbered("t", 30));
        }
        // The caller's sync: what GatesView does, through the API only.
        for (HeatmapPlot* source : maps)
            connect(source, &HeatmapPlot::visibleRangeChanged, this, [source, &maps] {
                for (HeatmapPlot* other : maps) {
                    if (other == source) continue;
                    other->setVisibleColumns(source->visibleColumnLower(), source->visibleColumnUpper());
                    other->setVisibleRows(source->visibleRowLower(), source->visibleRowUpper());
                }
            });
        settle(window);
        HeatmapPlot* source = maps[4];
        QSignalSpy spy(source, &HeatmapPlot::visibleRangeChanged);
        QWidget* surface = source->customPlot();
        const QPoint at = surface->mapFrom(source, cellCentre(source, 10, 20));
        sendWheel(surface, at, 120);
        QCOMPARE(spy.count(), 1);
        const double columns = source->visibleColumnUpper() - source->visibleColumnLower();
        const double rows = source->visibleRowUpper() - source->visibleRowLower();
        QVERIFY(columns < 30 && rows < 16);
        // Both axes zoomed by the same factor.
        QVERIFY2(std::abs(columns / 30 - rows / 16) < 1e-6, qPrintable(QStringLiteral("%1 %2").arg(columns).arg(rows)));
        for (HeatmapPlot* other : maps) {
            QCOMPARE(other->visibleColumnLower(), source->visibleColumnLower());
            QCOMPARE(other->visibleColumnUpper(), source->visibleColumnUpper());
            QCOMPARE(other->visibleRowLower(), source->visibleRowLower());
            QCOMPARE(other->visibleRowUpper(), source->visibleRowUpper());
        }
        // A drag pans both axes of every map.
        QSignalSpy clicks(source, &HeatmapPlot::cellClicked);
        const double columnBefore = source->visibleColumnLower();
        sendMouse(surface, QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton);
        sendMouse(surface, QEvent::MouseMove, at + QPoint(-30, -20), Qt::NoButton, Qt::LeftButton);
        sendMouse(surface, QEvent::MouseButtonRelease, at + QPoint(-30, -20), Qt::LeftButton, Qt::NoButton);
        QVERIFY(spy.count() >= 2);
        QCOMPARE(clicks.count(), 0);
        QVERIFY(source->visibleColumnLower() > columnBefore);
        for (HeatmapPlot* other : maps) {
            QCOMPARE(other->visibleColumnLower(), source->visibleColumnLower());
            QCOMPARE(other->visibleRowLower(), source->visibleRowLower());
        }
        // A double click resets all of them.
        const int before = spy.count();
        sendMouse(surface, QEvent::MouseButtonDblClick, at, Qt::LeftButton, Qt::LeftButton);
        QCOMPARE(spy.count(), before + 1);
        for (HeatmapPlot* other : maps) {
            QCOMPARE(other->visibleColumnLower(), -0.5);
            QCOMPARE(other->visibleColumnUpper(), 29.5);
            QCOMPARE(other->visibleRowUpper(), 15.5);
        }
    }

    // 6c. A range of tokens outlined as one box, in every plot.
    void highlightedColumnRanges() {
        HeatmapPlot h;
        h.resize(500, 300);
        h.setColorMap(ColorMap::Viridis);
        h.setData(filled(6, 12, 0.0), numbered("u", 6), numbered("t", 12));
        h.setHighlightedColumns(3, 9);
        QCOMPARE(h.highlightedColumn(), 3);
        QCOMPARE(h.highlightedColumnLast(), 9);
        settle(h);
        const QImage img = h.grab().toImage();
        const QColor cell = img.pixelColor(cellCentre(&h, 2, 1));
        // No outline inside the box between its columns, one at its ends
        // (its light band, within a few pixels of the cell edge).
        auto edgeAt = [&](double column) {
            const QPoint p = cellCentre(&h, 2, 0);
            const int x = static_cast<int>(std::lround(h.customPlot()->xAxis->coordToPixel(column))) + h.customPlot()->x();
            for (int dx = -4; dx <= 4; ++dx)
                if (std::abs(luminance(img.pixelColor(x + dx, p.y())) - luminance(cell)) > 0.3) return true;
            return false;
        };
        QVERIFY(edgeAt(2.5));
        QVERIFY(edgeAt(9.5));
        QVERIFY(!edgeAt(5.5));
        h.setHighlightedColumn(4);
        QCOMPARE(h.highlightedColumnLast(), 4);
        h.setHighlightedColumn(-1);
        QCOMPARE(h.highlightedColumnLast(), -1);

        PoolBarChart bars;
        bars.resize(400, 250);
        bars.setData({0.1, 0.2, 0.3, 0.2, 0.2}, chineseCharacters(5));
        bars.setHighlightedBars(1, 3);
        settle(bars);
        savePng(bars, "bars_range");
        QCOMPARE(bars.highlightedBar(), 1);
        QCOMPARE(bars.highlightedBarLast(), 3);
        bars.setHighlightedBar(2);
        QCOMPARE(bars.highlightedBarLast(), 2);

        HeadGrid grid;
        grid.setHeads({ramp(5, 5), ramp(5, 5)}, numbered("q", 5), numbered("k", 5));
        grid.setHighlightedColumns(1, 3);
        QCOMPARE(grid.tile(1)->highlightedColumn(), 1);
        QCOMPARE(grid.tile(1)->highlightedColumnLast(), 3);

        UnitLinePlot line;
        line.setUnit(gateTrace(10, 2), 0, numbered("w", 10), "unit 0");
        line.resize(600, 250);
        line.setMarkerTokens(2, 8);
        settle(line);
        savePng(line, "line_range");
        QCOMPARE(line.markerToken(), 2);
        QCOMPARE(line.markerTokenLast(), 8);
        line.setMarkerToken(5);
        QCOMPARE(line.markerTokenLast(), 5);
    }

    // 7. The shared axis helper.
    void axisTicksHelper() {
        using axis_ticks::clampToCells;
        using axis_ticks::Range;
        QCOMPARE(clampToCells(2.5, 7.5, 20), (Range{2.5, 7.5}));
        QCOMPARE(clampToCells(-3, 2, 20), (Range{-0.5, 4.5}));
        QCOMPARE(clampToCells(17, 25, 20), (Range{11.5, 19.5}));
        QCOMPARE(clampToCells(-10, 100, 20), (Range{-0.5, 19.5}));
        QCOMPARE(clampToCells(3.0, 3.2, 20), (Range{3.0, 4.0}));  // at least one cell
        QCOMPARE(clampToCells(0, 5, 0), (Range{-0.5, 0.5}));
        QCOMPARE(axis_ticks::visibleCells(2.5, 7.5, 20), std::make_pair(2, 8));
        QCOMPARE(axis_ticks::visibleCells(-0.5, 30, 20), std::make_pair(0, 19));
        QVERIFY(axis_ticks::visibleCells(0, 1, 0).first > axis_ticks::visibleCells(0, 1, 0).second);
        QCOMPARE(axis_ticks::labelStep(15, 20), 1);
        QCOMPARE(axis_ticks::labelStep(15, 5), 3);
        QCOMPARE(axis_ticks::labelStep(15, 7.5), 2);
        QCOMPARE(axis_ticks::thinned(0, 9, 3), (QVector<int>{0, 3, 6, 9}));
        QCOMPARE(axis_ticks::thinned(0, 9, 3, 4), (QVector<int>{0, 4, 9}));
        QCOMPARE(axis_ticks::thinned(2, 5, 1), (QVector<int>{2, 3, 4, 5}));
        QVERIFY(axis_ticks::standsUpright(QString::fromUtf8("服")));
        QVERIFY(axis_ticks::standsUpright(QString::fromUtf8("服务员")));
        QVERIFY(axis_ticks::standsUpright(QString::fromUtf8("，")));
        QVERIFY(axis_ticks::standsUpright("a"));
        QVERIFY(!axis_ticks::standsUpright(QString::fromUtf8("服务员们")));
        QVERIFY(!axis_ticks::standsUpright("ab"));
        QVERIFY(!axis_ticks::standsUpright(QString::fromUtf8("a服")));
        // ASCII takes a short cut; controls still count as nothing shown.
        QVERIFY(axis_ticks::standsUpright("a\n"));
        QVERIFY(axis_ticks::standsUpright(" "));
        QVERIFY(!axis_ticks::standsUpright("\n"));
        QVERIFY(!axis_ticks::standsUpright("a\tb"));
        QVERIFY(!axis_ticks::standsUpright(QString(QChar(0x7f))));
        QVERIFY(axis_ticks::standsUpright(QString::fromUtf8("\u200b服")));  // format characters show nothing
        QCOMPARE(axis_ticks::stacked(QString::fromUtf8("服务")), QString::fromUtf8("服\n务"));
        const QFontMetrics fm(QApplication::font());
        QCOMPARE(axis_ticks::displayLabel(QString(QChar(0xFEFF)), fm, 100), QStringLiteral("U+FEFF"));
        QCOMPARE(axis_ticks::displayLabel(QString(QChar(0x200B)) + QChar(0x200D), fm, 200), QStringLiteral("U+200B U+200D"));
        QCOMPARE(axis_ticks::displayLabel(QString::fromUtf8("服务"), fm, 100, true), QString::fromUtf8("服\n务"));
        QCOMPARE(axis_ticks::displayLabel(QString::fromUtf8("服务"), fm, 100, false), QString::fromUtf8("服务"));
        QCOMPARE(axis_ticks::displayLabel("a\nb", fm, 100), QStringLiteral("a b"));
        const QString longLabel = axis_ticks::displayLabel(QString(200, QLatin1Char('x')), fm, 80);
        QVERIFY(fm.horizontalAdvance(longLabel) <= 80);
        QVERIFY(!axis_ticks::displayLabel("wonderful", fm, 1).isEmpty());
        QCOMPARE(axis_ticks::labelRotation(QString::fromUtf8("服\n务"), 90), 0.0);
        QCOMPARE(axis_ticks::labelRotation("wonderful", 90), 90.0);

        // The cached form answers as displayLabel does, per font and width.
        QFont big = QApplication::font();
        big.setPointSizeF(big.pointSizeF() * 2);
        for (const QFont& font : {QApplication::font(), big})
            for (const QString& label : {QStringLiteral("wonderful"), QString::fromUtf8("服务"), QString(200, QLatin1Char('x'))})
                for (int pixels : {30, 80, 400})
                    for (bool stack : {false, true}) {
                        const QFontMetrics m(font);
                        const axis_ticks::ShownLabel& shown = axis_ticks::ShownLabels(font)(label, pixels, stack);
                        QCOMPARE(shown.text, axis_ticks::displayLabel(label, m, pixels, stack));
                        QCOMPARE(shown.advance, m.horizontalAdvance(shown.text));
                    }
        QVERIFY(axis_ticks::ShownLabels(big)("wonderful", 400).advance >
                axis_ticks::ShownLabels(QApplication::font())("wonderful", 400).advance);
    }

    // 8. A signed difference on the diverging map: white at 0, signs in the tooltip.
    void divergingDifference() {
        HeatmapPlot h;
        h.resize(400, 300);
        h.setColorMap(ColorMap::Diverging);
        h.setValueRange(-2, 2);
        lstmscope::Matrix m(2, 3);
        m << 0.0f, 1.5f, -0.25f, -2.0f, 2.0f, 0.0f;
        h.setData(m, {"a", "b"}, {"x", "y", "z"});
        settle(h);
        const QImage img = h.grab().toImage();
        auto close = [](const QColor& a, const QColor& b) {
            return std::abs(a.red() - b.red()) <= 3 && std::abs(a.green() - b.green()) <= 3 && std::abs(a.blue() - b.blue()) <= 3;
        };
        QVERIFY2(close(img.pixelColor(cellCentre(&h, 0, 0)), colorAt(ColorMap::Diverging, 0.5)),
                 qPrintable(img.pixelColor(cellCentre(&h, 0, 0)).name()));
        QVERIFY(close(img.pixelColor(cellCentre(&h, 1, 0)), colorAt(ColorMap::Diverging, 0.0)));
        QVERIFY(close(img.pixelColor(cellCentre(&h, 1, 1)), colorAt(ColorMap::Diverging, 1.0)));
        QVERIFY2(h.toolTipText(0, 1).endsWith("+1.5000"), qPrintable(h.toolTipText(0, 1)));
        QVERIFY2(h.toolTipText(0, 2).endsWith("-0.2500"), qPrintable(h.toolTipText(0, 2)));
        QVERIFY2(h.toolTipText(0, 0).endsWith(" 0.0000"), qPrintable(h.toolTipText(0, 0)));
        // A [0, 1] range (attention) keeps plain numbers.
        h.setColorMap(ColorMap::Viridis);
        h.setValueRange(0, 1);
        QVERIFY(h.toolTipText(0, 1).endsWith(" 1.5000"));
    }

    // A wide solid pen: segments with filled round joins and caps; a NaN
    // point breaks the line (nothing drawn across it), as in QCPGraph.
    void segmentLineGraphJoinsRoundAndBreaksAtNan() {
        QCustomPlot plot;
        plot.resize(400, 300);
        plot.axisRect()->setAutoMargins(QCP::msNone);
        plot.axisRect()->setMargins(QMargins(0, 0, 0, 0));
        plot.xAxis->setRange(-1, 7);
        plot.yAxis->setRange(-1, 2);
        auto* g = SegmentLineGraph::add(&plot);
        const QColor ink(200, 30, 30);
        g->setPen(QPen(ink, 9.0));
        const double nan = std::numeric_limits<double>::quiet_NaN();
        g->setData({0, 1, 2, 3, 4, 5, 6}, {0, 1, 0, nan, 0, 1, 0});
        const QImage img = plot.toPixmap(400, 300, 1.0).toImage();
        auto px = [&](double x, double y) {
            return img.pixelColor(qRound(plot.xAxis->coordToPixel(x)), qRound(plot.yAxis->coordToPixel(y)));
        };
        auto isInk = [&](const QColor& c) { return std::abs(c.red() - ink.red()) < 40 && c.green() < 90; };
        QVERIFY(isInk(px(0.5, 0.5)));  // on a segment
        QVERIFY(isInk(px(5.5, 0.5)));
        QVERIFY(!isInk(px(3.0, 0.0)));  // the NaN's place: no line to it or across it
        QVERIFY(!isInk(px(2.6, 0.0)));
        // The peak at (1, 1): its outer edge is filled round the corner
        // (flat segment ends alone would leave a notch right above the point).
        const QPoint peak(qRound(plot.xAxis->coordToPixel(1)), qRound(plot.yAxis->coordToPixel(1)));
        QVERIFY2(isInk(img.pixelColor(peak + QPoint(0, -3))), qPrintable(img.pixelColor(peak + QPoint(0, -3)).name()));
        // A round end at the first point: ink just before it along the line.
        const QPoint start(qRound(plot.xAxis->coordToPixel(0)), qRound(plot.yAxis->coordToPixel(0)));
        QVERIFY(isInk(img.pixelColor(start + QPoint(-3, 0))));
    }

    // A dense curve (a long text, several points a pixel) drawn without the
    // joins inside its dense runs: as much ink as QCPGraph's own stroke, and
    // no pixel column along it left empty.
    void segmentLineGraphDenseCurvesStayWhole() {
        QImage images[2];
        QVector<double> x, y;
        for (int k = 0; k < 3000; ++k) x << k, y << std::sin(k * 0.02) + 0.3 * std::sin(k * 0.7);
        for (int segmented = 0; segmented < 2; ++segmented) {
            QCustomPlot plot;
            plot.axisRect()->setAutoMargins(QCP::msNone);
            plot.axisRect()->setMargins(QMargins(0, 0, 0, 0));
            for (QCPAxis* axis : {plot.xAxis, plot.yAxis}) axis->setVisible(false), axis->grid()->setVisible(false);
            plot.xAxis->setRange(-10, 3010);
            plot.yAxis->setRange(-1.6, 1.6);
            QCPGraph* g = segmented ? SegmentLineGraph::add(&plot) : plot.addGraph();
            g->setPen(QPen(Qt::black, 2.5));
            g->setData(x, y);
            images[segmented] = plot.toPixmap(500, 200, 1.0).toImage().convertToFormat(QImage::Format_RGB32);
        }
        double ink[2] = {0, 0};
        for (int i = 0; i < 2; ++i)
            for (int r = 0; r < images[i].height(); ++r)
                for (int c = 0; c < images[i].width(); ++c) ink[i] += 255 - qGray(images[i].pixel(c, r));
        QVERIFY2(std::abs(ink[1] - ink[0]) < 0.08 * ink[0], qPrintable(QStringLiteral("%1 against %2").arg(ink[1]).arg(ink[0])));
        for (int c = 5; c < 495; ++c) {
            int darkest = 255;
            for (int r = 0; r < images[1].height(); ++r) darkest = std::min(darkest, qGray(images[1].pixel(c, r)));
            QVERIFY2(darkest < 100, qPrintable(QStringLiteral("column %1").arg(c)));
        }
    }

    // More bars than pixels: each pixel column shows its tallest bar, in
    // that bar's colour, so a one-token peak among thousands still shows.
    void poolBarsKeepEveryPeakWhenDense() {
        PoolBarChart bars;
        bars.resize(500, 300);
        std::vector<double> w(3000, 0.001);
        w[1231] = 0.9;
        for (int k = 1232; k <= 1240; ++k) w[static_cast<size_t>(k)] = 0.2;  // drawn after the peak, on its pixel
        bars.setData(w, numbered("t", 3000));
        bars.setValueRange(0, 1);
        settle(bars);
        QCustomPlot* plot = bars.customPlot();
        const QImage img = plot->toPixmap(plot->width(), plot->height(), 1.0).toImage();
        const int column = static_cast<int>(std::floor(plot->xAxis->coordToPixel(1231)));
        QCOMPARE(static_cast<int>(std::floor(plot->xAxis->coordToPixel(1232))), column);  // the premise
        const QColor top = colorAt(ColorMap::Viridis, 0.9);
        auto near = [](const QColor& a, const QColor& b) {
            return std::abs(a.red() - b.red()) < 12 && std::abs(a.green() - b.green()) < 12 && std::abs(a.blue() - b.blue()) < 12;
        };
        for (double v : {0.85, 0.5, 0.1}) {
            const QColor c = img.pixelColor(column, static_cast<int>(plot->yAxis->coordToPixel(v)));
            QVERIFY2(near(c, top), qPrintable(QStringLiteral("at %1: %2").arg(v).arg(c.name())));
        }
        // Away from the peak the bars are slivers at the base.
        const QColor away = img.pixelColor(column + 40, static_cast<int>(plot->yAxis->coordToPixel(0.5)));
        QVERIFY2(!near(away, top), qPrintable(away.name()));
    }

    // Stamped scatter points look like the shapes QCPGraph draws point by
    // point: the same ink, in the same places (to a quarter pixel), for a
    // filled and an outlined shape, at one and two device pixels per pixel.
    void segmentLineGraphStampsItsScatterPoints() {
        struct Style {
            QCPScatterStyle::ScatterShape shape;
            double size;
        };
        for (const Style style : {Style{QCPScatterStyle::ssDisc, 4.5}, Style{QCPScatterStyle::ssCircle, 7.0}})
            for (double scale : {1.0, 2.0}) {
                QImage images[2];
                for (int stamped = 0; stamped < 2; ++stamped) {
                    QCustomPlot plot;
                    plot.resize(300, 200);
                    plot.axisRect()->setAutoMargins(QCP::msNone);
                    plot.axisRect()->setMargins(QMargins(0, 0, 0, 0));
                    plot.xAxis->setVisible(false);
                    plot.yAxis->setVisible(false);
                    plot.xAxis->grid()->setVisible(false);
                    plot.yAxis->grid()->setVisible(false);
                    plot.xAxis->setRange(0, 1);
                    plot.yAxis->setRange(0, 1);
                    QCPGraph* g = stamped ? SegmentLineGraph::add(&plot) : plot.addGraph();
                    g->setLineStyle(QCPGraph::lsNone);
                    g->setPen(QPen(QColor(20, 90, 200), 1.5));
                    g->setScatterStyle(QCPScatterStyle(style.shape, style.size));
                    QVector<double> x, y;
                    for (int k = 0; k < 40; ++k) {  // scattered, at every sub-pixel offset
                        x << 0.05 + 0.9 * std::fmod(k * 0.6180339887, 1.0);
                        y << 0.05 + 0.9 * std::fmod(k * 0.4142135623 + 0.013 * k, 1.0);
                    }
                    g->setData(x, y);
                    images[stamped] = plot.toPixmap(300, 200, scale).toImage().convertToFormat(QImage::Format_RGB32);
                }
                QCOMPARE(images[0].size(), images[1].size());
                double inkA = 0, inkB = 0, diff = 0, ax = 0, ay = 0, bx = 0, by = 0;
                for (int j = 0; j < images[0].height(); ++j)
                    for (int i = 0; i < images[0].width(); ++i) {
                        const double a = 255 - qGray(images[0].pixel(i, j)), b = 255 - qGray(images[1].pixel(i, j));
                        inkA += a;
                        inkB += b;
                        diff += std::abs(a - b);
                        ax += a * i, ay += a * j, bx += b * i, by += b * j;
                    }
                const QString what = QStringLiteral("shape %1, scale %2").arg(int(style.shape)).arg(scale);
                QVERIFY2(inkA > 1000, qPrintable(what));
                QVERIFY2(std::abs(inkA - inkB) < 0.05 * inkA, qPrintable(what + QStringLiteral(": ink %1 against %2").arg(inkB).arg(inkA)));
                QVERIFY2(diff < 0.2 * inkA, qPrintable(what + QStringLiteral(": differs by %1 of %2").arg(diff).arg(inkA)));
                QVERIFY2(std::abs(ax / inkA - bx / inkB) < 0.25 * scale && std::abs(ay / inkA - by / inkB) < 0.25 * scale,
                         qPrintable(what));
            }
    }

    // SteadyLabel (the status bar's run time, the teaching views' headings)
    // asks for a new layout only when the size it wants changes: a one-line
    // label keeps its widest width, a wrapped one its height while the new
    // text takes as many lines; a new font measures everything again.
    void steadyLabelAsksForLayoutOnlyWhenItsSizeChanges() {
        QWidget window;
        auto* layout = new QVBoxLayout(&window);
        auto* line = new SteadyLabel(SteadyLabel::Wrap::OneLine);
        auto* words = new SteadyLabel(SteadyLabel::Wrap::Words);
        layout->addWidget(line);
        layout->addWidget(words);
        window.resize(300, 200);
        line->setText(QStringLiteral("engine 10.25 ms"));
        words->setText(QStringLiteral("lstm, layer 0 forward · unit 5 · t = 4 of 11"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCoreApplication::processEvents();
        struct Counter : QObject {
            int requests = 0;
            bool eventFilter(QObject*, QEvent* event) override {
                if (event->type() == QEvent::LayoutRequest) ++requests;
                return false;
            }
        } counter;
        window.installEventFilter(&counter);
        const int wide = line->sizeHint().width();
        line->setText(QStringLiteral("engine 9.87 ms"));  // narrower: keeps its width
        QCOMPARE(line->sizeHint().width(), wide);
        words->setText(QStringLiteral("lstm, layer 0 forward · unit 5 · t = 5 of 11"));  // the same lines
        QCoreApplication::processEvents();
        QCOMPARE(counter.requests, 0);
        QCOMPARE(words->text(), QStringLiteral("lstm, layer 0 forward · unit 5 · t = 5 of 11"));
        // Wider than ever, or more lines: the layout hears of it.
        line->setText(QStringLiteral("engine 10.25 ms · B: engine 12.50 ms"));
        QVERIFY(line->sizeHint().width() > wide);
        QCoreApplication::processEvents();
        QCOMPARE(counter.requests, 1);
        const int oneLine = words->heightForWidth(words->width());
        words->setText(QString(QStringLiteral("a long heading that wraps ")).repeated(6));
        QVERIFY(words->heightForWidth(words->width()) > oneLine);
        QCoreApplication::processEvents();
        QCOMPARE(counter.requests, 2);
        // A short wrapped text is as wide as its row wants, not as its digits.
        words->setText(QStringLiteral("t = 5"));
        QCoreApplication::processEvents();
        const int requests = counter.requests;
        words->setText(QStringLiteral("t = 15"));
        QCoreApplication::processEvents();
        QCOMPARE(counter.requests, requests);
        // Measured in the font it has: a larger font wants more room.
        const QSize before = line->sizeHint();
        QFont big = line->font();
        big.setPointSizeF(big.pointSizeF() * 2);
        line->setFont(big);
        QVERIFY(line->sizeHint().width() > before.width() && line->sizeHint().height() > before.height());
        window.removeEventFilter(&counter);
    }
};

QTEST_MAIN(TestPlots)
#include "test_plots.moc"
