#include "gui/views/heatmap_plot.h"

#include <QHelpEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace {

constexpr int kMaxLabelPixels = 110;  // longer token labels are elided
constexpr int kMaxRelayouts = 4;      // label re-thinning rounds after one change

QCPColorGradient gradientFor(ColorMap map) {
    QCPColorGradient g;
    g.clearColorStops();
    for (int k = 0; k <= 32; ++k) g.setColorStopAt(k / 32.0, colorAt(map, k / 32.0));
    g.setLevelCount(256);
    return g;
}

// A text ticker showing only every `step`-th label within [first, last].
QSharedPointer<QCPAxisTickerText> thinnedTicker(const QStringList& labels, int first, int last, int step,
                                                const QFontMetrics& fm) {
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int k = std::max(0, first); k <= std::min<int>(last, labels.size() - 1); ++k)
        if (k % step == 0) ticker->addTick(k, fm.elidedText(labels[k], Qt::ElideRight, kMaxLabelPixels));
    return ticker;
}

}  // namespace

HeatmapPlot::HeatmapPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setMinimumSize(120, 90);

    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setupFullAxesBox(false);
    plot_->yAxis->setRangeReversed(true);  // row 0 at the top, as in a matrix
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        axis->grid()->setVisible(false);
        axis->setSubTicks(false);
        axis->setTickLength(0, 3);
    }
    plot_->xAxis->setTickLabelRotation(90);
    plot_->xAxis2->setVisible(false);
    plot_->yAxis2->setVisible(false);

    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setInterpolate(false);
    map_->setTightBoundary(false);
    scale_ = new QCPColorScale(plot_);
    scale_->setBarWidth(12);
    plot_->plotLayout()->addElement(0, 1, scale_);
    map_->setColorScale(scale_);
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    scale_->setMarginGroup(QCP::msTop | QCP::msBottom, margins);

    auto makeBox = [this](const QColor& color, double width) {
        auto* box = new QCPItemRect(plot_);
        box->setPen(QPen(color, width));
        box->setBrush(Qt::NoBrush);
        box->setVisible(false);
        box->setSelectable(false);
        return box;
    };
    rowBox_[0] = makeBox(Qt::white, 3.5);
    rowBox_[1] = makeBox(Qt::black, 1.5);
    columnBox_[0] = makeBox(Qt::white, 3.5);
    columnBox_[1] = makeBox(Qt::black, 1.5);

    setColorMap(colorMap_);
    setValueRange(lower_, upper_);

    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { clampRanges(); updateTicks(); });
    connect(plot_->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { clampRanges(); updateTicks(); });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { pressPos_ = e->pos(); });
    connect(plot_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
        if ((e->pos() - pressPos_).manhattanLength() > 4 || e->button() != Qt::LeftButton) return;  // a drag
        bool onRows = false, onColumns = false;
        const QPoint cell = cellAt(e->pos(), &onRows, &onColumns);
        if (onRows && cell.y() >= 0) emit rowLabelClicked(cell.y());
        else if (onColumns && cell.x() >= 0) emit columnLabelClicked(cell.x());
        else if (cell.x() >= 0 && cell.y() >= 0) emit cellClicked(cell.y(), cell.x());
    });
    // Label thinning depends on the axis rect's size, which QCustomPlot only
    // knows after its layout pass: re-thin then, and redraw once if it moved.
    // New labels can change the margins and so the rect again; a few rounds
    // settle it, and a cap keeps a pathological size from replotting forever.
    connect(plot_, &QCustomPlot::afterLayout, this, [this] {
        const QSize size = plot_->axisRect()->rect().size();
        if (size == tickedSize_ || ++relayouts_ > kMaxRelayouts) return;
        updateTicks();
        plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) { resetView(); });
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const QPoint cell = cellAt(e->pos());
        if (cell == lastHover_) return;
        lastHover_ = cell;
        emit cellHovered(cell.y(), cell.x());
        if (cell.x() >= 0) QToolTip::showText(e->globalPosition().toPoint(), toolTipText(cell.y(), cell.x()), plot_);
        else QToolTip::hideText();
    });
    plot_->installEventFilter(this);
}

bool HeatmapPlot::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && event->type() == QEvent::Leave && lastHover_.x() >= 0) {
        lastHover_ = {-1, -1};
        emit cellHovered(-1, -1);
    }
    return QWidget::eventFilter(watched, event);
}

void HeatmapPlot::setData(const lstmscope::Matrix& values, const QStringList& rowLabels, const QStringList& columnLabels) {
    const bool sameSize = values.rows() == values_.rows() && values.cols() == values_.cols();
    values_ = values;
    relayouts_ = 0;
    rowLabels_ = rowLabels;
    columnLabels_ = columnLabels;
    rebuildMap();
    if (!sameSize) resetView();
    updateHighlights();
    updateTicks();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::clear() { setData(lstmscope::Matrix(), {}, {}); }

void HeatmapPlot::rebuildMap() {
    const int rows = rowCount(), cols = columnCount();
    map_->setVisible(rows > 0 && cols > 0);
    if (rows == 0 || cols == 0) return;
    // QCustomPlot places cell centres evenly over the range; a single cell
    // would have no width, so a 1-wide side is stored twice over half the width.
    const int keySize = cols == 1 ? 2 : cols, valueSize = rows == 1 ? 2 : rows;
    const QCPRange keyRange = cols == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, cols - 1);
    const QCPRange valueRange = rows == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, rows - 1);
    auto* data = map_->data();
    data->setSize(keySize, valueSize);
    data->setRange(keyRange, valueRange);
    for (int r = 0; r < valueSize; ++r)
        for (int c = 0; c < keySize; ++c)
            data->setCell(c, r, values_(std::min(r, rows - 1), std::min(c, cols - 1)));
}

void HeatmapPlot::setColorMap(ColorMap map) {
    colorMap_ = map;
    map_->setGradient(gradientFor(map));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setValueRange(double lower, double upper) {
    lower_ = lower;
    upper_ = upper;
    map_->setDataRange(QCPRange(lower, upper));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setAxisTitles(const QString& columnTitle, const QString& rowTitle) {
    plot_->xAxis->setLabel(columnTitle);
    plot_->yAxis->setLabel(rowTitle);
}

void HeatmapPlot::setTooltipNames(const QString& rowName, const QString& columnName, const QString& valueName) {
    rowName_ = rowName;
    columnName_ = columnName;
    valueName_ = valueName;
}

void HeatmapPlot::setColorScaleVisible(bool visible) {
    scale_->setVisible(visible);
    if (visible && !plot_->plotLayout()->hasElement(0, 1)) plot_->plotLayout()->addElement(0, 1, scale_);
    if (!visible && plot_->plotLayout()->hasElement(0, 1)) plot_->plotLayout()->take(scale_);
    plot_->plotLayout()->simplify();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setColorScaleLabel(const QString& label) { scale_->axis()->setLabel(label); }

void HeatmapPlot::setCompact(bool compact) {
    compact_ = compact;
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        axis->setTickLabels(!compact);
        axis->setTicks(!compact);
        if (compact) axis->setLabel(QString());
    }
    plot_->setInteractions(compact ? QCP::Interactions() : QCP::Interactions(QCP::iRangeDrag | QCP::iRangeZoom));
    setColorScaleVisible(!compact);
    if (compact) plot_->axisRect()->setAutoMargins(QCP::msNone), plot_->axisRect()->setMargins(QMargins(1, 1, 1, 1));
    else plot_->axisRect()->setAutoMargins(QCP::msAll);
}

void HeatmapPlot::setHighlightedRow(int row) {
    highlightedRow_ = row;
    updateHighlights();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setHighlightedColumn(int column) {
    highlightedColumn_ = column;
    updateHighlights();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::updateHighlights() {
    const int rows = rowCount(), cols = columnCount();
    const bool showRow = highlightedRow_ >= 0 && highlightedRow_ < rows;
    const bool showColumn = highlightedColumn_ >= 0 && highlightedColumn_ < cols;
    for (int k = 0; k < 2; ++k) {
        rowBox_[k]->setVisible(showRow);
        columnBox_[k]->setVisible(showColumn);
        if (showRow) {
            rowBox_[k]->topLeft->setCoords(-0.5, highlightedRow_ - 0.5);
            rowBox_[k]->bottomRight->setCoords(cols - 0.5, highlightedRow_ + 0.5);
        }
        if (showColumn) {
            columnBox_[k]->topLeft->setCoords(highlightedColumn_ - 0.5, -0.5);
            columnBox_[k]->bottomRight->setCoords(highlightedColumn_ + 0.5, rows - 0.5);
        }
    }
}

void HeatmapPlot::resetView() {
    plot_->xAxis->setRange(-0.5, std::max(1, columnCount()) - 0.5);
    plot_->yAxis->setRange(-0.5, std::max(1, rowCount()) - 0.5);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::clampRanges() {
    // Zoom and pan stay within the matrix: no empty space beyond the data.
    auto clamp = [](QCPAxis* axis, int count) {
        const double lo = -0.5, hi = std::max(1, count) - 0.5;
        QCPRange r = axis->range();
        double size = std::min(r.size(), hi - lo);
        size = std::max(size, std::min(1.0, hi - lo));
        double lower = std::clamp(r.lower, lo, hi - size);
        if (lower != r.lower || size != r.size()) {
            const QSignalBlocker block(axis);
            axis->setRange(lower, lower + size);
        }
    };
    clamp(plot_->xAxis, columnCount());
    clamp(plot_->yAxis, rowCount());
}

void HeatmapPlot::updateTicks() {
    if (compact_) return;
    const QFontMetrics fm(plot_->xAxis->tickLabelFont());
    const int lineHeight = fm.height() + 2;
    auto stepFor = [lineHeight](const QCPRange& range, int pixels) {
        const double perCell = pixels / std::max(1e-9, range.size());
        return std::max(1, static_cast<int>(std::ceil(lineHeight / std::max(1e-9, perCell))));
    };
    const QRect rect = plot_->axisRect()->rect();
    tickedSize_ = rect.size();
    const QCPRange xr = plot_->xAxis->range(), yr = plot_->yAxis->range();
    plot_->xAxis->setTicker(thinnedTicker(columnLabels_, static_cast<int>(std::floor(xr.lower)),
                                          static_cast<int>(std::ceil(xr.upper)), stepFor(xr, rect.width()), fm));
    plot_->yAxis->setTicker(thinnedTicker(rowLabels_, static_cast<int>(std::floor(yr.lower)),
                                          static_cast<int>(std::ceil(yr.upper)), stepFor(yr, rect.height()), fm));
}

void HeatmapPlot::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    relayouts_ = 0;
    updateTicks();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

QPoint HeatmapPlot::cellAt(const QPoint& pos, bool* onRowLabels, bool* onColumnLabels) const {
    const QRect rect = plot_->axisRect()->rect();
    const int col = static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(pos.x())));
    const int row = static_cast<int>(std::lround(plot_->yAxis->pixelToCoord(pos.y())));
    const bool colOk = col >= 0 && col < columnCount(), rowOk = row >= 0 && row < rowCount();
    const bool insideX = pos.x() >= rect.left() && pos.x() <= rect.right();
    const bool insideY = pos.y() >= rect.top() && pos.y() <= rect.bottom();
    if (onRowLabels) *onRowLabels = pos.x() < rect.left() && insideY && rowOk;
    if (onColumnLabels) *onColumnLabels = pos.y() > rect.bottom() && insideX && colOk;
    if (onRowLabels && *onRowLabels) return {-1, row};
    if (onColumnLabels && *onColumnLabels) return {col, -1};
    if (insideX && insideY && colOk && rowOk) return {col, row};
    return {-1, -1};
}

QString HeatmapPlot::toolTipText(int row, int column) const {
    if (row < 0 || row >= rowCount() || column < 0 || column >= columnCount()) return {};
    auto label = [](const QStringList& labels, int k) {
        return k < labels.size() ? QStringLiteral("'%1' (%2)").arg(labels[k]).arg(k) : QString::number(k);
    };
    return QStringLiteral("%1 %2\n%3 %4\n%5 %6")
        .arg(rowName_, label(rowLabels_, row), columnName_, label(columnLabels_, column), valueName_)
        .arg(values_(row, column), 0, 'f', 4);
}
