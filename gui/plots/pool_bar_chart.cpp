#include "gui/plots/pool_bar_chart.h"

#include <limits>
#include "gui/plots/refresh_setup.h"
#include "gui/plots/plot_scale.h"

#include <QHelpEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <utility>
#include <qcustomplot.h>

#include "gui/plots/color_gradient.h"

#include "gui/plots/axis_ticks.h"

namespace {

constexpr int kMaxLabelPixels = 110;  // as HeatmapPlot: longer token labels are elided


}  // namespace

// QCPBars has one brush for all bars; colouring each bar by its weight would
// take one plottable per bar (300+ at a time), so the bars are drawn by this
// small plottable instead: one rectangle per token, coloured on the fixed scale.
class ColoredBars : public QCPAbstractPlottable {
public:
    ColoredBars(QCPAxis* keyAxis, QCPAxis* valueAxis) : QCPAbstractPlottable(keyAxis, valueAxis) {
        setAntialiased(false);  // crisp bar edges; rectangles gain nothing from smoothing
        setSelectable(QCP::stNone);
    }

    std::vector<double> weights;
    ColorMap map = ColorMap::Viridis;
    double lower = 0, upper = 1;
    int highlighted = -1, highlightedLast = -1;

    QColor colorOf(double w) const {
        const double span = upper - lower;
        return colorAt(map, span > 0 ? (w - lower) / span : 0.0);
    }

    double selectTest(const QPointF&, bool, QVariant*) const override { return -1; }
    QCPRange getKeyRange(bool& found, QCP::SignDomain) const override {
        found = !weights.empty();
        return QCPRange(-0.5, std::max<double>(1, weights.size()) - 0.5);
    }
    QCPRange getValueRange(bool& found, QCP::SignDomain, const QCPRange&) const override {
        found = !weights.empty();
        double top = 0;
        for (double w : weights) top = std::max(top, w);
        return QCPRange(0, top);
    }

protected:
    void draw(QCPPainter* painter) override {
        QCPAxis* x = keyAxis();
        QCPAxis* y = valueAxis();
        const int n = static_cast<int>(weights.size());
        if (!x || !y || n == 0) return;
        const double cell = std::abs(x->coordToPixel(1) - x->coordToPixel(0));
        // Gaps between bars while there is room: a fifth of a bar when wide,
        // one pixel when narrow (bars of one colour must not melt into a
        // block), none below three pixels, where a gap would eat the bar.
        const double half = cell >= 6 ? 0.4 : cell >= 3 ? 0.5 - 0.5 / cell : 0.5;
        const int first = std::max(0, static_cast<int>(std::floor(x->range().lower)));
        const int last = std::min(n - 1, static_cast<int>(std::ceil(x->range().upper)));
        const double base = y->coordToPixel(0);
        const QRect area = clipRect();

        auto barRect = [&](int k) {
            const double top = y->coordToPixel(weights[static_cast<size_t>(k)]);
            QRectF r(QPointF(x->coordToPixel(k - half), top), QPointF(x->coordToPixel(k + half), base));
            r = r.normalized();
            // A tiny weight still shows as a sliver, so every token has a visible bar.
            if (r.height() < 1.5) r.setTop(base - 1.5);
            if (r.width() < 1) r.setWidth(1);
            return r;
        };

        const bool marked = highlighted >= 0 && highlighted <= last && highlightedLast >= first;
        const int markFirst = std::max(highlighted, first), markLast = std::min(highlightedLast, last);
        if (marked) {
            // A light band over the whole columns: findable even when the bars are tiny.
            QRectF band(QPointF(x->coordToPixel(markFirst - 0.5), area.top()),
                        QPointF(x->coordToPixel(markLast + 0.5), area.bottom()));
            painter->fillRect(band.normalized(), QColor(0, 0, 0, 28));
        }
        painter->setPen(Qt::NoPen);
        if (cell >= 1.0) {
            for (int k = first; k <= last; ++k) painter->fillRect(barRect(k), colorOf(weights[static_cast<size_t>(k)]));
        } else {
            // More bars than pixels (a long text): one bar per pixel column,
            // the tallest of the tokens on it, in its colour, so every peak
            // shows. Bar after bar, each a pixel wide, left the column in
            // whichever colours were drawn last, and cost ~3.7 ms at 5,000
            // tokens against ~0.2 ms.
            int column = std::numeric_limits<int>::min(), tallest = -1;
            auto flush = [&] {
                if (tallest < 0) return;
                QRectF r = barRect(tallest);
                r.setLeft(column);
                r.setWidth(1);
                painter->fillRect(r, colorOf(weights[static_cast<size_t>(tallest)]));
            };
            for (int k = first; k <= last; ++k) {
                const int at = static_cast<int>(std::floor(x->coordToPixel(k)));
                if (at != column) {
                    flush();
                    column = at;
                    tallest = k;
                } else if (weights[static_cast<size_t>(k)] > weights[static_cast<size_t>(tallest)]) {
                    tallest = k;
                }
            }
            flush();
        }
        if (marked) {
            // One box around the marked bars, up to the tallest; a wide light
            // outline under a dark one, as HeatmapPlot: visible on any colour.
            QRectF r = barRect(markFirst);
            for (int k = markFirst + 1; k <= markLast; ++k) r = r.united(barRect(k));
            r.adjust(-1, -1, 1, 0);
            painter->setBrush(Qt::NoBrush);
            painter->setPen(QPen(Qt::white, 6.0 * lineScale()));
            painter->drawRect(r);
            painter->setPen(QPen(Qt::black, 2.0 * lineScale()));
            painter->drawRect(r);
        }
    }
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override {
        painter->fillRect(rect, colorOf(upper));
    }
};

PoolBarChart::PoolBarChart(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    setUpRefresh(plot_);
    followFontScale(plot_, [this] { updateTicks(); });
    itemName_ = tr("token");
    valueName_ = tr("weight");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setMinimumSize(120, 90);

    plot_->setBackground(plotBackgroundColor());
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // Zoom and pan run along the tokens only: the weight axis always shows 0..max.
    plot_->axisRect()->setRangeDrag(Qt::Horizontal);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal);
    plot_->xAxis->grid()->setVisible(false);
    plot_->xAxis->setSubTicks(false);
    plot_->xAxis->setTickLength(0, 3);
    axis_ticks::installUprightLabels(plot_->xAxis);  // Chinese characters stand upright; white-space marks dimmed
    plot_->yAxis->grid()->setPen(QPen(QColor(0, 0, 0, 30), 1, Qt::DotLine));
    plot_->yAxis->grid()->setZeroLinePen(Qt::NoPen);
    plot_->yAxis->setNumberFormat("g");
    plot_->xAxis->setLabel(itemName_);
    plot_->yAxis->setLabel(tr("attention weight"));

    bars_ = new ColoredBars(plot_->xAxis, plot_->yAxis);

    // The colour scale the bars use, as on every heatmap: the height says
    // the weight, the colour ties it to the same scale as the other views.
    scale_ = new QCPColorScale(plot_);
    scale_->setBarWidth(12);
    scale_->setType(QCPAxis::atRight);
    scale_->axis()->setLabel(tr("attention weight"));
    plot_->plotLayout()->addElement(0, 1, scale_);
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    scale_->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    scale_->setGradient(colorGradient(bars_->map));
    scale_->setDataRange(QCPRange(0, 1));

    // The weight every token would get if attention were uniform: bars above
    // it are the tokens the pool favours.
    uniformLine_ = new QCPItemStraightLine(plot_);
    uniformLine_->setPen(QPen(QColor(90, 90, 90), 1, Qt::DashLine));
    uniformLine_->setSelectable(false);
    uniformText_ = new QCPItemText(plot_);
    uniformText_->setSelectable(false);
    uniformText_->setColor(QColor(70, 70, 70));
    uniformText_->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
    uniformText_->position->setAxes(plot_->xAxis, plot_->yAxis);
    uniformText_->position->setAxisRect(plot_->axisRect());
    uniformText_->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    uniformText_->position->setTypeY(QCPItemPosition::ptPlotCoords);
    uniformText_->setClipToAxisRect(true);
    // Readable over the bars of a long text, where the line runs through them.
    uniformText_->setBrush(QColor(255, 255, 255, 215));
    uniformText_->setPadding(QMargins(3, 1, 3, 1));
    uniformLine_->setVisible(false);
    uniformText_->setVisible(false);

    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
        clampRange();
        updateTicks();
    });
    // Only one axis zooms and pans here, so QCustomPlot's own interaction
    // serves; eventFilter marks the user's wheel and drag events.
    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
        if (userRange_) emit visibleRangeChanged();
    });
    // Which labels fit depends on the final width of the axis rect, known only
    // after QCustomPlot's layout pass; when the labels change, draw once more.
    connect(plot_, &QCustomPlot::afterLayout, this, [this] {
        if (updateTicks()) plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { pressPos_ = e->pos(); });
    connect(plot_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
        if ((e->pos() - pressPos_).manhattanLength() > 4 || e->button() != Qt::LeftButton) return;  // a drag
        const int k = barAt(e->pos());
        if (k >= 0) emit barClicked(k);
    });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) {
        resetView();
        emit visibleRangeChanged();
    });
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const int k = barAt(e->pos());
        if (k == lastHover_) return;
        lastHover_ = k;
        emit barHovered(k);
        if (k >= 0) QToolTip::showText(e->globalPosition().toPoint(), toolTipText(k), plot_);
        else QToolTip::hideText();
    });
    plot_->installEventFilter(this);
    resetView();
}

bool PoolBarChart::eventFilter(QObject* watched, QEvent* event) {
    // A range change while the plot handles a wheel or drag event is the user's.
    if (watched == plot_ && !userRange_ &&
        (event->type() == QEvent::Wheel ||
         (event->type() == QEvent::MouseMove && (static_cast<QMouseEvent*>(event)->buttons() & Qt::LeftButton)))) {
        userRange_ = true;
        static_cast<QObject*>(plot_)->event(event);  // QObject::event is public
        userRange_ = false;
        return true;
    }
    if (watched == plot_ && event->type() == QEvent::Leave && lastHover_ >= 0) {
        lastHover_ = -1;
        emit barHovered(-1);
    }
    return QWidget::eventFilter(watched, event);
}

void PoolBarChart::setData(const std::vector<double>& weights, const QStringList& labels) {
    const bool sameSize = weights.size() == weights_.size();
    weights_ = weights;
    labels_ = labels;
    tips_.clear();
    bars_->weights = weights;
    if (lastHover_ >= barCount()) lastHover_ = -1;
    const int n = barCount();
    uniformLine_->setVisible(n >= 2);
    uniformText_->setVisible(n >= 2);
    if (n >= 2) {
        const double u = 1.0 / n;
        uniformLine_->point1->setCoords(0, u);
        uniformLine_->point2->setCoords(1, u);
        uniformText_->position->setCoords(0.995, u);
        uniformText_->setText(tr("uniform 1/%1").arg(n));
    }
    updateValueAxis();
    if (!sameSize) resetView();
    updateTicks();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void PoolBarChart::clear() { setData({}, {}); }

void PoolBarChart::setColorMap(ColorMap map) {
    bars_->map = map;
    scale_->setGradient(colorGradient(map));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void PoolBarChart::setValueRange(double lower, double upper) {
    bars_->lower = lower;
    bars_->upper = upper;
    scale_->setDataRange(QCPRange(lower, upper));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void PoolBarChart::setColorScaleLabel(const QString& label) {
    scale_->axis()->setLabel(label);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void PoolBarChart::setNames(const QString& itemName, const QString& valueName) {
    itemName_ = itemName;
    valueName_ = valueName;
    plot_->xAxis->setLabel(itemName);
}

void PoolBarChart::setTooltipLabels(const QStringList& tips) { tips_ = tips; }

void PoolBarChart::setHighlightedBar(int index) { setHighlightedBars(index, index); }

void PoolBarChart::setHighlightedBars(int first, int last) {
    highlighted_ = first >= 0 && first < barCount() ? first : -1;
    highlightedLast_ = highlighted_ < 0 ? -1 : std::clamp(last, highlighted_, barCount() - 1);
    bars_->highlighted = highlighted_;
    bars_->highlightedLast = highlightedLast_;
    updateTicks();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

QColor PoolBarChart::barColor(int index) const {
    if (index < 0 || index >= barCount()) return {};
    return bars_->colorOf(weights_[static_cast<size_t>(index)]);
}

QString PoolBarChart::toolTipText(int index) const {
    if (index < 0 || index >= barCount()) return {};
    const QString label = index < tips_.size() && !tips_[index].isEmpty() ? tips_[index]
                          : index < labels_.size() ? QStringLiteral("'%1' (%2)").arg(labels_[index]).arg(index)
                                                   : QString::number(index);
    return QStringLiteral("%1 %2\n%3 %4").arg(itemName_, label, valueName_).arg(weights_[static_cast<size_t>(index)], 0, 'f', 4);
}

int PoolBarChart::barAt(const QPoint& pos) const {
    const QRect rect = plot_->axisRect()->rect();
    if (pos.x() < rect.left() || pos.x() > rect.right() || pos.y() < rect.top()) return -1;
    // The whole column counts, and so does its label below the axis: small bars are hard to hit.
    const int k = static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(pos.x())));
    return k >= 0 && k < barCount() ? k : -1;
}

void PoolBarChart::updateValueAxis() {
    double top = 0;
    for (double w : weights_) top = std::max(top, w);
    // Headroom above the tallest bar, and room for the uniform line and its label.
    if (barCount() >= 2) top = std::max(top, 1.15 / barCount());
    plot_->yAxis->setRange(0, top > 0 ? top * 1.12 : 1.0);
}

void PoolBarChart::resetView() {
    plot_->xAxis->setRange(-0.5, std::max(1, barCount()) - 0.5);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void PoolBarChart::setVisibleBars(double lower, double upper) {
    const axis_ticks::Range r = axis_ticks::clampToCells(lower, upper, barCount());
    const bool user = std::exchange(userRange_, false);
    plot_->xAxis->setRange(r.lower, r.upper);
    userRange_ = user;
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

double PoolBarChart::visibleBarLower() const { return plot_->xAxis->range().lower; }
double PoolBarChart::visibleBarUpper() const { return plot_->xAxis->range().upper; }

void PoolBarChart::clampRange() {
    // Zoom and pan stay within the tokens: no empty space beyond them.
    axis_ticks::clampAxisToCells(plot_->xAxis, barCount());
}

bool PoolBarChart::updateTicks() {
    const QFontMetrics fm(plot_->xAxis->tickLabelFont());
    const QCPRange xr = plot_->xAxis->range();
    const double perBar = plot_->axisRect()->width() / std::max(1e-9, xr.size());
    const auto [first, last] = axis_ticks::visibleCells(xr.lower, xr.upper, std::min<int>(barCount(), labels_.size()));
    QStringList level;
    int widest = 0;
    const axis_ticks::ShownLabels shownLabel(plot_->xAxis->tickLabelFont());
    for (int k = first; k <= last; ++k) {
        const axis_ticks::ShownLabel& shown = shownLabel(labels_[k], kMaxLabelPixels);
        level << shown.text;
        widest = std::max(widest, shown.advance);
    }
    // Level labels when every one fits its bar; otherwise turned a quarter
    // (CJK words stacked upright) and thinned so that neighbours never overlap.
    const bool upright = widest + 6 <= perBar;
    const int step = upright ? 1 : axis_ticks::labelStep(fm.height() + 2, perBar);
    const int h = highlighted_ >= first && highlighted_ <= last ? highlighted_ : -1;
    const TickState state{first, last, step, h, upright, labels_};
    if (state == ticks_) return false;
    ticks_ = state;
    plot_->xAxis->setTickLabelRotation(upright ? 0 : 90);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    // The selected token always keeps its label; its neighbours make room.
    for (int k : axis_ticks::thinned(first, last, step, h))
        ticker->addTick(k, upright ? level[k - first] : shownLabel(labels_[k], kMaxLabelPixels, true).text);
    plot_->xAxis->setTicker(ticker);
    return true;
}

void PoolBarChart::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    updateTicks();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}
