#include "gui/plots/unit_line_plot.h"
#include "gui/plots/refresh_setup.h"
#include "gui/plots/plot_scale.h"
#include "gui/plots/segment_line_graph.h"

#include <QCoreApplication>
#include <QLabel>
#include <QMouseEvent>
#include <QStackedLayout>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "gui/gate_quantities.h"
#include "gui/plots/axis_ticks.h"
#include "gui/plots/color_maps.h"

namespace {

constexpr int kMaxLabelPixels = 80;  // longer token labels are elided
// Turned labels take at most this share of the plot's height: a long token
// must not push the axis up and squeeze the lines.
constexpr double kMaxLabelShareOfHeight = 0.2;
// Below this many tokens each value also gets a dot, so that a text of one
// token still shows something and short texts read as discrete steps.
constexpr int kDotsBelowTokens = 60;
constexpr int kSampledFromTokens = 1000;

namespace gq = gate_quantities;

struct QuantityStyle {
    QRgb color;
    double width;
    Qt::PenStyle style;
};

// Okabe & Ito's colour-blind-safe palette; the line styles repeat the
// distinction (gates solid, g and n dash-dot, c dashed, h thick) for
// grey-scale prints and projectors that wash colours out. h is drawn last and
// thickest because it is what the rest of the model reads. A GRU's lines take
// the colours of their LSTM counterparts: z (the share kept) f's, n (the
// candidate) g's, r o's. Names: gate_quantities.
constexpr std::array<QuantityStyle, gq::Count> kStyles{{
    {0x0072B2, 1.5, Qt::SolidLine},    // i
    {0xE69F00, 1.5, Qt::SolidLine},    // f
    {0x009E73, 1.5, Qt::DashDotLine},  // g
    {0xCC79A7, 1.5, Qt::SolidLine},    // o
    {0xD55E00, 2.0, Qt::DashLine},     // c
    {0x000000, 2.5, Qt::SolidLine},    // h
    {0xCC79A7, 1.5, Qt::SolidLine},    // r
    {0xE69F00, 1.5, Qt::SolidLine},    // z
    {0x009E73, 1.5, Qt::DashDotLine},  // n
}};
// On long texts the lines are too dense for width to help (and wide ones
// hide each other), so there all but h drop to one pixel and h to two.
// (Width no longer costs much: SegmentLineGraph draws wide lines a segment
// at a time; see segment_line_graph.h.)
constexpr int kThinLinesFromTokens = 120;

}  // namespace

static QString quantityName(int q) { return gq::name(q); }

QColor UnitLinePlot::quantityColor(int quantity) { return QColor(kStyles.at(quantity).color); }

UnitLinePlot::UnitLinePlot(QWidget* parent)
    : QWidget(parent), stack_(new QStackedLayout(this)), placeholder_(new QLabel(this)), plot_(new QCustomPlot(this)) {
    setUpRefresh(plot_);
    followFontScale(plot_, [this] {
        updateLegendWrap();
        updateTicks();
    });
    placeholder_->setText(tr("Click a unit row in a gate heatmap to plot it over time"));
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);
    stack_->addWidget(placeholder_);
    stack_->addWidget(plot_);
    stack_->setCurrentWidget(placeholder_);
    setMinimumSize(200, 120);

    // Row 0 holds the title and a legend laid out in a row, so the legend
    // never covers a line.
    auto* header = new QCPLayoutGrid;
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, header);
    plot_->plotLayout()->setRowStretchFactor(0, 0.001);
    QFont titleFont = font();
    titleFont.setBold(true);
    title_ = new QCPTextElement(plot_, QString(), titleFont);
    header->addElement(0, 0, title_);
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    header->addElement(0, 1, plot_->legend);
    header->setColumnStretchFactor(0, 1);
    header->setColumnStretchFactor(1, 0.001);
    plot_->legend->setVisible(true);
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->legend->setBrush(Qt::NoBrush);
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot_->legend->setWrap(static_cast<int>(gq::shown(kind_).size()));
    plot_->legend->setIconSize(24, 10);
    plot_->legend->setSelectableParts(QCPLegend::spNone);

    // Every quantity's graph, created once: h last, so it is drawn on top;
    // those of the other kind stay empty, hidden and out of the legend.
    int order[gq::Count];
    for (int q = 0, k = 0; q < gq::Count; ++q)
        if (q != gq::HiddenState) order[k++] = q;
    order[gq::Count - 1] = gq::HiddenState;
    for (int q : order) {
        graphs_[q] = SegmentLineGraph::add(plot_);
        graphs_[q]->setName(quantityName(q));
        QPen pen(QColor(kStyles[q].color), kStyles[q].width, kStyles[q].style);
        pen.setCapStyle(Qt::FlatCap);
        graphs_[q]->setPen(pen);
    }
    applyKind();

    auto yTicker = QSharedPointer<QCPAxisTickerFixed>::create();
    yTicker->setTickStep(0.5);
    yTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot_->yAxis->setTicker(yTicker);
    plot_->yAxis->grid()->setZeroLinePen(QPen(QColor(120, 120, 120), 1));
    plot_->xAxis->grid()->setVisible(false);
    plot_->xAxis->setSubTicks(false);
    plot_->yAxis->setSubTicks(false);
    plot_->xAxis->setTickLabelRotation(90);
    axis_ticks::installUprightLabels(plot_->xAxis);  // Chinese characters stand upright on the turned axis
    plot_->setBackground(plotBackgroundColor());
    plot_->yAxis->setLabel(tr("value"));

    // The markers live on their own buffered layer: moving the selected or
    // hovered token then repaints two lines, not six graphs.
    plot_->addLayer("markers", plot_->layer("main"), QCustomPlot::limAbove);
    markerLayer_ = plot_->layer("markers");
    markerLayer_->setMode(QCPLayer::lmBuffered);
    auto makeLine = [this](const QPen& pen) {
        auto* line = new QCPItemStraightLine(plot_);
        line->setLayer(markerLayer_);
        line->setPen(pen);
        line->setSelectable(false);
        line->setVisible(false);
        line->setClipToAxisRect(true);
        return line;
    };
    hoverLine_ = makeLine(QPen(QColor(150, 150, 150), 1, Qt::DashLine));
    markerLine_ = makeLine(QPen(QColor(40, 40, 40), 1.5));
    // A range of tokens: a grey band over the whole height, edged like the line.
    markerBand_ = new QCPItemRect(plot_);
    markerBand_->setLayer(markerLayer_);
    markerBand_->setPen(QPen(QColor(40, 40, 40), 1.5));
    markerBand_->setBrush(QColor(0, 0, 0, 30));
    markerBand_->setSelectable(false);
    markerBand_->setVisible(false);
    markerBand_->setClipToAxisRect(true);
    for (QCPItemPosition* p : {markerBand_->topLeft, markerBand_->bottomRight}) {
        p->setTypeX(QCPItemPosition::ptPlotCoords);
        p->setTypeY(QCPItemPosition::ptAxisRectRatio);
    }

    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setRangeDrag(Qt::Horizontal);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal);

    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
        clampRange();
        updateTicks();
        if (!emitting_) {
            const QCPRange r = plot_->xAxis->range();
            emit visibleTokenRangeChanged(r.lower, r.upper);
        }
    });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { pressPos_ = e->pos(); });
    connect(plot_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
        if (e->button() != Qt::LeftButton || (e->pos() - pressPos_).manhattanLength() > 4) return;  // a drag
        const int token = tokenAt(e->pos().x());
        if (token >= 0) emit tokenClicked(token);
    });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) {
        plot_->xAxis->setRange(-0.5, std::max(1, pointCount()) - 0.5);
        plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const bool inside = plot_->axisRect()->rect().contains(e->pos());
        const int token = inside ? tokenAt(e->pos().x()) : -1;
        if (token == lastMouseToken_) return;
        lastMouseToken_ = token;
        emit tokenHovered(token);
        if (token >= 0) QToolTip::showText(e->globalPosition().toPoint(), hoverText(token), plot_);
        else QToolTip::hideText();
    });
    // The label step depends on the axis rect's width, which QCustomPlot
    // only knows after laying out; a stale step is corrected by one more
    // (queued) replot.
    connect(plot_, &QCustomPlot::afterLayout, this, [this] {
        if (labelStep() != tickStep_) {
            updateTicks();
            plot_->replot(QCustomPlot::rpQueuedReplot);
        }
    });
    plot_->installEventFilter(this);
}

int UnitLinePlot::labelStep() const {
    // Turned labels need a line height each, level ones their width.
    const QFontMetrics fm(plot_->xAxis->tickLabelFont());
    const double needed = levelLabels_ ? labelWidth_ + fm.averageCharWidth() : fm.height() + 2;
    return axis_ticks::labelStep(needed, plot_->axisRect()->width() / std::max(1e-9, plot_->xAxis->range().size()));
}

int UnitLinePlot::labelBudget() const {
    const QFontMetrics fm(plot_->xAxis->tickLabelFont());
    if (levelLabels_) return 2 * fm.height();
    return std::min(kMaxLabelPixels, std::max(3 * fm.height(), static_cast<int>(height() * kMaxLabelShareOfHeight)));
}

bool UnitLinePlot::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && event->type() == QEvent::Leave && lastMouseToken_ >= 0) {
        lastMouseToken_ = -1;
        emit tokenHovered(-1);
    }
    return QWidget::eventFilter(watched, event);
}

void UnitLinePlot::setUnit(const lstmscope::GateTrace& gates, int unit, const QStringList& tokenLabels,
                           const QString& title) {
    const int tokens = static_cast<int>(gates.h.rows());
    if (unit < 0 || unit >= gates.h.cols() || tokens == 0) {
        clearUnit();
        return;
    }
    const gq::CellKind kind = gq::kindOf(gates);
    if (kind != kind_) {
        kind_ = kind;
        applyKind();
    }
    const bool sameLength = tokens == pointCount() && unit_ >= 0;
    unit_ = unit;
    labels_ = tokenLabels;
    // Short labels (Chinese characters, letters, punctuation) read better
    // level than turned on their side; longer words are turned so that more
    // of them fit. The typical label decides (the 90th percentile), not the
    // longest: one 200-character token is elided like the rest, and does not
    // turn the axis and push it up into the lines.
    const QFontMetrics fm(plot_->xAxis->tickLabelFont());
    std::vector<int> widths;
    const axis_ticks::ShownLabels shownLabel(plot_->xAxis->tickLabelFont());
    for (const QString& label : labels_) widths.push_back(shownLabel(label, kMaxLabelPixels).advance);
    int typical = 0;
    if (!widths.empty()) {
        auto nth = widths.begin() + static_cast<std::ptrdiff_t>((widths.size() - 1) * 9 / 10);
        std::nth_element(widths.begin(), nth, widths.end());
        typical = *nth;
    }
    levelLabels_ = typical <= 2 * fm.height();
    labelWidth_ = 0;
    for (const QString& label : labels_)
        labelWidth_ = std::max(labelWidth_, shownLabel(label, labelBudget()).advance);
    plot_->xAxis->setTickLabelRotation(levelLabels_ ? 0 : 90);
    QVector<double> keys(tokens);
    for (int t = 0; t < tokens; ++t) keys[t] = t;
    double maxAbsC = 0;
    for (int q : gq::shown(kind_)) {
        const lstmscope::Matrix& m = gq::matrixOf(gates, q);
        series_[q].resize(tokens);
        QVector<double> values(tokens);
        for (int t = 0; t < tokens; ++t) values[t] = series_[q][t] = m(t, unit);
        graphs_[q]->setData(keys, values, true);
        // Long texts: QCustomPlot's sampling keeps each pixel column's first,
        // last, lowest and highest value, so the line looks the same at a
        // fraction of the points; short ones draw every point exactly.
        graphs_[q]->setAdaptiveSampling(tokens >= kSampledFromTokens);
        QPen pen = graphs_[q]->pen();
        pen.setWidthF((tokens < kThinLinesFromTokens ? kStyles[q].width : q == gq::HiddenState ? 2.0 : 1.0) *
                      lineScale());
        graphs_[q]->setPen(pen);
        graphs_[q]->setScatterStyle(tokens < kDotsBelowTokens
                                        ? QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(kStyles[q].color), 4.5)
                                        : QCPScatterStyle(QCPScatterStyle::ssNone));
    }
    for (double v : series_[gq::CellState]) maxAbsC = std::max(maxAbsC, std::abs(v));
    // Gates live in [0, 1] and g, n, h in [-1, 1], so [-1, 1] holds everything
    // but c; it grows (in steps of 0.5) only for a cell state that leaves it,
    // so the gate lines keep their height for most units.
    yLimit_ = maxAbsC > 1.0 ? std::ceil(maxAbsC * 2.0) / 2.0 : 1.0;
    const double pad = 0.06 * yLimit_;
    plot_->yAxis->setRange(-yLimit_ - pad, yLimit_ + pad);
    auto* yTicker = static_cast<QCPAxisTickerFixed*>(plot_->yAxis->ticker().data());
    yTicker->setTickStep(yLimit_ <= 1.0 ? 0.5 : yLimit_ <= 4.0 ? 1.0 : std::ceil(yLimit_ / 4.0));

    title_->setText(title);
    updateLegendWrap();
    if (!sameLength) {
        emitting_ = true;  // a new text resets the view; the heatmaps reset themselves
        plot_->xAxis->setRange(-0.5, tokens - 0.5);
        emitting_ = false;
    }
    updateMarkers();
    updateTicks();
    stack_->setCurrentWidget(plot_);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void UnitLinePlot::clearUnit() {
    unit_ = -1;
    labels_.clear();
    for (int q = 0; q < gq::Count; ++q) {
        series_[q].clear();
        graphs_[q]->data()->clear();
    }
    lastMouseToken_ = -1;
    stack_->setCurrentWidget(placeholder_);
}

void UnitLinePlot::setMarkerToken(int token) { setMarkerTokens(token, token); }

void UnitLinePlot::setMarkerTokens(int first, int last) {
    last = first < 0 ? -1 : std::max(first, last);
    first = std::max(-1, first);
    if (first == marker_ && last == markerLast_) return;
    marker_ = first;
    markerLast_ = last;
    updateMarkers();
    markerLayer_->replot();
}

void UnitLinePlot::setHoverToken(int token) {
    if (token == hover_) return;
    hover_ = token;
    updateMarkers();
    markerLayer_->replot();
}

void UnitLinePlot::setVisibleTokenRange(double lower, double upper) {
    emitting_ = true;
    plot_->xAxis->setRange(lower, upper);
    emitting_ = false;
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

double UnitLinePlot::visibleTokenLower() const { return plot_->xAxis->range().lower; }
double UnitLinePlot::visibleTokenUpper() const { return plot_->xAxis->range().upper; }

double UnitLinePlot::yLower() const { return plot_->yAxis->range().lower; }
double UnitLinePlot::yUpper() const { return plot_->yAxis->range().upper; }
QString UnitLinePlot::placeholderText() const { return placeholder_->text(); }
bool UnitLinePlot::placeholderVisible() const { return stack_->currentWidget() == placeholder_; }

void UnitLinePlot::updateMarkers() {
    const int tokens = pointCount();
    auto place = [tokens](QCPItemStraightLine* line, int token) {
        const bool show = token >= 0 && token < tokens;
        line->setVisible(show);
        if (!show) return;
        line->point1->setCoords(token, 0);
        line->point2->setCoords(token, 1);
    };
    const bool band = marker_ >= 0 && markerLast_ > marker_ && marker_ < tokens;
    place(markerLine_, band ? -1 : marker_);
    markerBand_->setVisible(band);
    if (band) {
        markerBand_->topLeft->setCoords(marker_ - 0.5, 0);
        markerBand_->bottomRight->setCoords(std::min(markerLast_, tokens - 1) + 0.5, 1);
    }
    // The hover line would only double the selection marker.
    place(hoverLine_, hover_ >= marker_ && hover_ <= markerLast_ ? -1 : hover_);
}

void UnitLinePlot::clampRange() {
    // Like the heatmaps: zoom and pan stay within the tokens.
    axis_ticks::clampAxisToCells(plot_->xAxis, pointCount());
}

void UnitLinePlot::updateTicks() {
    // Every label that fits without overlapping: one per `step` tokens.
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const axis_ticks::ShownLabels shownLabel(plot_->xAxis->tickLabelFont());
    const QCPRange r = plot_->xAxis->range();
    const int step = tickStep_ = labelStep();
    const int budget = labelBudget();
    const auto [first, last] = axis_ticks::visibleCells(r.lower, r.upper, std::min<int>(labels_.size(), pointCount()));
    for (int t : axis_ticks::thinned(first, last, step))
        ticker->addTick(t, shownLabel(labels_[t], budget, !levelLabels_).text);
    plot_->xAxis->setTicker(ticker);
}

void UnitLinePlot::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    updateLegendWrap();
    updateTicks();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void UnitLinePlot::updateLegendWrap() {
    // The legend entries (six, a GRU's four) in one row when they fit beside
    // the title (the names' widths depend on the language), else in two rows:
    // a short plot (a compare pane) has no height to spare for a third.
    const QString key = plot_->legend->font().key() + QChar(0x1f) + QString::number(static_cast<int>(kind_)) +
                        QChar(0x1f) + QString::number(plot_->legend->itemCount());
    if (key != legendRowKey_) {
        int row = plot_->legend->margins().left() + plot_->legend->margins().right() + 5 * plot_->legend->columnSpacing();
        for (int k = 0; k < plot_->legend->itemCount(); ++k)
            row += plot_->legend->item(k)->minimumOuterSizeHint().width();
        legendRowKey_ = key;
        legendRowWidth_ = row;
    }
    const int row = legendRowWidth_;
    const int title = QFontMetrics(title_->font()).horizontalAdvance(title_->text()) + 40;
    const int entries = static_cast<int>(gq::shown(kind_).size());
    const int wrap = row + title + 10 <= width() ? entries : (entries + 1) / 2;
    if (plot_->legend->wrap() != wrap) {
        plot_->legend->setWrap(wrap);
        plot_->legend->setFillOrder(QCPLegend::foColumnsFirst, true);  // re-flow the entries
    }
}

int UnitLinePlot::tokenAt(int x) const {
    const int token = static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(x)));
    return token >= 0 && token < pointCount() ? token : -1;
}

QString UnitLinePlot::hoverText(int token) const {
    if (token < 0 || token >= pointCount()) return {};
    QString text = tr("token '%1' (%2)").arg(token < labels_.size() ? labels_[token] : QString()).arg(token);
    for (int q : gq::shown(kind_))
        text += QStringLiteral("\n%1  %2").arg(quantityName(q)).arg(series_[q][token], 0, 'f', 4);
    return text;
}

void UnitLinePlot::applyKind() {
    // The kind's graphs in the legend, in its order; the others hidden and empty.
    plot_->legend->clearItems();
    for (int q = 0; q < gq::Count; ++q) {
        graphs_[q]->setVisible(false);
        graphs_[q]->data()->clear();
        series_[q].clear();
    }
    for (int q : gq::shown(kind_)) {
        graphs_[q]->setVisible(true);
        graphs_[q]->addToLegend();
    }
    plot_->legend->setWrap(static_cast<int>(gq::shown(kind_).size()));
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst, true);
}

bool UnitLinePlot::lineShown(int quantity) const {
    return quantity >= 0 && quantity < gq::Count && graphs_[quantity]->visible();
}
