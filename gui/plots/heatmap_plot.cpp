#include "gui/plots/heatmap_plot.h"
#include "gui/plots/refresh_setup.h"
#include "gui/plots/plot_scale.h"

#include <QHelpEvent>
#include <QWheelEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "gui/plots/color_gradient.h"

#include "gui/plots/axis_ticks.h"
#include "gui/plots/binned_map_data.h"

namespace {

constexpr int kMaxLabelPixels = 110;  // longer token labels are elided
constexpr int kMaxRelayouts = 4;      // label re-thinning rounds after one change
constexpr double kWheelZoom = 0.85;   // view size per wheel notch (QCustomPlot's own default)
// The selection outline: a dark line on a light band, each wide enough to
// read on its own, so that one of them stands out on any colour (black on
// viridis' yellow and magma's apricot, white on their near-black ends).
// Drawn without antialiasing: a smoothed 2-pixel line at a fractional
// position spreads into grey and leaves only a pixel of the light band.
constexpr double kOutlineLight = 7.0, kOutlineDark = 2.0;
constexpr double kCompactOutlineLight = 3.5, kCompactOutlineDark = 1.5;  // small multiples: cells are small


// A text ticker showing only every `step`-th label of those visible in `range`.
QSharedPointer<QCPAxisTickerText> thinnedTicker(const QStringList& labels, const QCPRange& range, int step,
                                                const axis_ticks::ShownLabels& shownLabel, bool turned, QMap<int, QString>* shown) {
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const auto [first, last] = axis_ticks::visibleCells(range.lower, range.upper, static_cast<int>(labels.size()));
    for (int k : axis_ticks::thinned(first, last, step)) {
        const QString& text = shownLabel(labels[k], kMaxLabelPixels, turned).text;
        ticker->addTick(k, text);
        if (shown) shown->insert(k, text);
    }
    return ticker;
}

}  // namespace

HeatmapPlot::HeatmapPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    setUpRefresh(plot_);
    followFontScale(plot_, [this] {
        relayouts_ = 0;
        updateTicks();
    });
    rowName_ = tr("row");
    columnName_ = tr("column");
    valueName_ = tr("value");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setMinimumSize(120, 90);

    // Zoom and pan are ours (see eventFilter): QCustomPlot's own would
    // change the axes one at a time and cannot tell the user from a caller.
    plot_->setInteractions(QCP::Interactions());
    plot_->setBackground(plotBackgroundColor());
    plot_->axisRect()->setupFullAxesBox(false);
    plot_->yAxis->setRangeReversed(true);  // row 0 at the top, as in a matrix
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        axis->grid()->setVisible(false);
        axis->setSubTicks(false);
        axis->setTickLength(0, 3);
    }
    plot_->xAxis->setTickLabelRotation(90);
    axis_ticks::installUprightLabels(plot_->xAxis);  // Chinese characters stand upright on the turned axis
    axis_ticks::installUprightLabels(plot_->yAxis);  // level anyway; for the dimmed white-space marks
    plot_->xAxis2->setVisible(false);
    plot_->yAxis2->setVisible(false);

    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setInterpolate(false);
    mapData_ = new BinnedMapData;
    map_->setData(mapData_, false);  // the map owns it
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
        QPen pen(color, width);
        pen.setJoinStyle(Qt::MiterJoin);
        box->setPen(pen);
        box->setBrush(Qt::NoBrush);
        box->setAntialiased(false);
        box->setVisible(false);
        box->setSelectable(false);
        return box;
    };
    rowBox_[0] = makeBox(Qt::white, kOutlineLight);
    rowBox_[1] = makeBox(Qt::black, kOutlineDark);
    columnBox_[0] = makeBox(Qt::white, kOutlineLight);
    columnBox_[1] = makeBox(Qt::black, kOutlineDark);

    setColorMap(colorMap_);
    setValueRange(lower_, upper_);

    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
        clampRanges();
        updateTicks();
        rebinIfNeeded();
    });
    connect(plot_->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
        clampRanges();
        updateTicks();
        rebinIfNeeded();
    });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        pressPos_ = e->pos();
        dragging_ = !compact_ && e->button() == Qt::LeftButton && plot_->axisRect()->rect().contains(e->pos());
        const QCPRange x = plot_->xAxis->range(), y = plot_->yAxis->range();
        dragColumns_[0] = x.lower, dragColumns_[1] = x.upper;
        dragRows_[0] = y.lower, dragRows_[1] = y.upper;
    });
    connect(plot_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
        if (e->button() == Qt::LeftButton) dragging_ = false;
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
        if (rebinIfNeeded()) plot_->replot(QCustomPlot::rpQueuedReplot);
        const QSize size = plot_->axisRect()->rect().size();
        if (size == tickedSize_ || ++relayouts_ > kMaxRelayouts) return;
        updateTicks();
        plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) {
        if (compact_) return;
        resetView();
        emit visibleRangeChanged();
    });
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        if (dragging_ && (e->buttons() & Qt::LeftButton)) {
            if (panTo(e->pos())) emit visibleRangeChanged();
            return;
        }
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
    if (watched == plot_ && event->type() == QEvent::Wheel && !compact_) {
        auto* wheel = static_cast<QWheelEvent*>(event);
        const QPoint pos = wheel->position().toPoint();
        if (!plot_->axisRect()->rect().contains(pos)) return QWidget::eventFilter(watched, event);
        if (zoomAt(pos, wheel->angleDelta().y())) emit visibleRangeChanged();
        wheel->accept();
        return true;
    }
    if (watched == plot_ && event->type() == QEvent::Leave && lastHover_.x() >= 0) {
        lastHover_ = {-1, -1};
        emit cellHovered(-1, -1);
    }
    return QWidget::eventFilter(watched, event);
}

void HeatmapPlot::setData(const lstmscope::Matrix& values, const QStringList& rowLabels, const QStringList& columnLabels) {
    setData(lstmscope::Matrix(values), rowLabels, columnLabels);
}

void HeatmapPlot::setData(lstmscope::Matrix&& values, const QStringList& rowLabels, const QStringList& columnLabels) {
    take(std::move(values), false, rowLabels, columnLabels);
}

void HeatmapPlot::setDataByColumns(lstmscope::Matrix&& columns, const QStringList& rowLabels,
                                   const QStringList& columnLabels) {
    take(std::move(columns), true, rowLabels, columnLabels);
}

void HeatmapPlot::take(lstmscope::Matrix&& values, bool byColumns, const QStringList& rowLabels,
                       const QStringList& columnLabels) {
    const Eigen::Index rows = byColumns ? values.cols() : values.rows(), cols = byColumns ? values.rows() : values.cols();
    const bool sameSize = rows == rowCount() && cols == columnCount();
    values_ = std::move(values);
    byColumns_ = byColumns;
    relayouts_ = 0;
    rowLabels_ = rowLabels;
    columnLabels_ = columnLabels;
    rowTips_.clear();
    columnTips_.clear();
    if (!sameSize) resetView();  // before the bins: they follow the view
    rebuildMap();
    updateHighlights();
    updateTicks();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::clear() { setData(lstmscope::Matrix(), {}, {}); }

void HeatmapPlot::rebuildMap() {
    const int rows = rowCount(), cols = columnCount();
    map_->setVisible(rows > 0 && cols > 0);
    const int columnsPerBin = wantedColumnsPerBin(), rowsPerBin = wantedRowsPerBin();
    const bool changed = columnsPerBin != columnsPerBin_ || rowsPerBin != rowsPerBin_;
    columnsPerBin_ = columnsPerBin;
    rowsPerBin_ = rowsPerBin;
    if (byColumns_)
        mapData_->assignColumns(values_, columnsPerBin_, rowsPerBin_);
    else
        mapData_->assign(values_, columnsPerBin_, rowsPerBin_);
    if (changed) emit binsChanged();
}

// Bins follow the zoom: fine enough for the pixels of the visible part.
int HeatmapPlot::wantedColumnsPerBin() const {
    return binned_map::cellsPerBin(plot_->xAxis->range().size(), plot_->axisRect()->width());
}

int HeatmapPlot::wantedRowsPerBin() const {
    return binned_map::cellsPerBin(plot_->yAxis->range().size(), plot_->axisRect()->height());
}

bool HeatmapPlot::rebinIfNeeded() {
    if (rowCount() == 0 || columnCount() == 0) return false;
    if (wantedColumnsPerBin() == columnsPerBin_ && wantedRowsPerBin() == rowsPerBin_) return false;
    rebuildMap();
    return true;
}

void HeatmapPlot::setColorMap(ColorMap map) {
    colorMap_ = map;
    map_->setGradient(colorGradient(map));
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

void HeatmapPlot::setTooltipLabels(const QStringList& rowTips, const QStringList& columnTips) {
    rowTips_ = rowTips;
    columnTips_ = columnTips;
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
    for (int k = 0; k < 2; ++k) {
        const double width = k == 0 ? (compact ? kCompactOutlineLight : kOutlineLight) : (compact ? kCompactOutlineDark : kOutlineDark);
        for (QCPItemRect* box : {rowBox_[k], columnBox_[k]}) {
            QPen pen = box->pen();
            pen.setWidthF(width * lineScale());
            box->setPen(pen);
        }
    }
    setColorScaleVisible(!compact);
    if (compact) plot_->axisRect()->setAutoMargins(QCP::msNone), plot_->axisRect()->setMargins(QMargins(1, 1, 1, 1));
    else plot_->axisRect()->setAutoMargins(QCP::msAll);
}

void HeatmapPlot::setHighlightedRow(int row) { setHighlightedRows(row, row); }

void HeatmapPlot::setHighlightedColumn(int column) { setHighlightedColumns(column, column); }

void HeatmapPlot::setHighlightedRows(int first, int last) {
    highlightedRow_ = first < 0 ? -1 : first;
    highlightedRowLast_ = first < 0 ? -1 : std::max(first, last);
    updateHighlights();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setHighlightedColumns(int first, int last) {
    highlightedColumn_ = first < 0 ? -1 : first;
    highlightedColumnLast_ = first < 0 ? -1 : std::max(first, last);
    updateHighlights();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::updateHighlights() {
    const int rows = rowCount(), cols = columnCount();
    // A range reaching past the data is cut to it; one wholly outside shows nothing.
    const bool showRow = highlightedRow_ >= 0 && highlightedRow_ < rows;
    const bool showColumn = highlightedColumn_ >= 0 && highlightedColumn_ < cols;
    const int lastRow = std::min(highlightedRowLast_, rows - 1), lastColumn = std::min(highlightedColumnLast_, cols - 1);
    for (int k = 0; k < 2; ++k) {
        rowBox_[k]->setVisible(showRow);
        columnBox_[k]->setVisible(showColumn);
        if (showRow) {
            rowBox_[k]->topLeft->setCoords(-0.5, highlightedRow_ - 0.5);
            rowBox_[k]->bottomRight->setCoords(cols - 0.5, lastRow + 0.5);
        }
        if (showColumn) {
            columnBox_[k]->topLeft->setCoords(highlightedColumn_ - 0.5, -0.5);
            columnBox_[k]->bottomRight->setCoords(lastColumn + 0.5, rows - 0.5);
        }
    }
}

void HeatmapPlot::resetView() {
    plot_->xAxis->setRange(-0.5, std::max(1, columnCount()) - 0.5);
    plot_->yAxis->setRange(-0.5, std::max(1, rowCount()) - 0.5);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setVisibleColumns(double lower, double upper) {
    const axis_ticks::Range r = axis_ticks::clampToCells(lower, upper, columnCount());
    plot_->xAxis->setRange(r.lower, r.upper);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setVisibleRows(double lower, double upper) {
    const axis_ticks::Range r = axis_ticks::clampToCells(lower, upper, rowCount());
    plot_->yAxis->setRange(r.lower, r.upper);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

double HeatmapPlot::visibleColumnLower() const { return plot_->xAxis->range().lower; }
double HeatmapPlot::visibleColumnUpper() const { return plot_->xAxis->range().upper; }
double HeatmapPlot::visibleRowLower() const { return plot_->yAxis->range().lower; }
double HeatmapPlot::visibleRowUpper() const { return plot_->yAxis->range().upper; }

bool HeatmapPlot::zoomAt(const QPoint& pos, int wheelDelta) {
    if (wheelDelta == 0) return false;
    // One factor for both axes, around the cell under the mouse, and both
    // axes set before anyone hears of it: heatmaps synced through
    // visibleRangeChanged() keep their rows and columns lined up.
    const double factor = std::pow(kWheelZoom, wheelDelta / 120.0);
    const QCPRange x = plot_->xAxis->range(), y = plot_->yAxis->range();
    const double cx = plot_->xAxis->pixelToCoord(pos.x()), cy = plot_->yAxis->pixelToCoord(pos.y());
    const axis_ticks::Range nx = axis_ticks::clampToCells(cx + (x.lower - cx) * factor, cx + (x.upper - cx) * factor, columnCount());
    const axis_ticks::Range ny = axis_ticks::clampToCells(cy + (y.lower - cy) * factor, cy + (y.upper - cy) * factor, rowCount());
    if (nx.lower == x.lower && nx.upper == x.upper && ny.lower == y.lower && ny.upper == y.upper) return false;
    plot_->xAxis->setRange(nx.lower, nx.upper);
    plot_->yAxis->setRange(ny.lower, ny.upper);
    plot_->replot(QCustomPlot::rpQueuedReplot);
    return true;
}

bool HeatmapPlot::panTo(const QPoint& pos) {
    // The cells follow the mouse: offsets from the press, in the view of the press.
    const QRect rect = plot_->axisRect()->rect();
    if (rect.width() <= 0 || rect.height() <= 0) return false;
    const double dx = (pos.x() - pressPos_.x()) * (dragColumns_[1] - dragColumns_[0]) / rect.width();
    const double dy = (pos.y() - pressPos_.y()) * (dragRows_[1] - dragRows_[0]) / rect.height();  // rows run downwards
    const axis_ticks::Range nx = axis_ticks::clampToCells(dragColumns_[0] - dx, dragColumns_[1] - dx, columnCount());
    const axis_ticks::Range ny = axis_ticks::clampToCells(dragRows_[0] - dy, dragRows_[1] - dy, rowCount());
    const QCPRange x = plot_->xAxis->range(), y = plot_->yAxis->range();
    if (nx.lower == x.lower && nx.upper == x.upper && ny.lower == y.lower && ny.upper == y.upper) return false;
    plot_->xAxis->setRange(nx.lower, nx.upper);
    plot_->yAxis->setRange(ny.lower, ny.upper);
    plot_->replot(QCustomPlot::rpQueuedReplot);
    return true;
}

void HeatmapPlot::clampRanges() {
    // Zoom and pan stay within the matrix: no empty space beyond the data.
    auto clamp = [](QCPAxis* axis, int count) {
        const QCPRange r = axis->range();
        const axis_ticks::Range c = axis_ticks::clampToCells(r.lower, r.upper, count);
        if (c.lower != r.lower || c.upper != r.upper) {
            const QSignalBlocker block(axis);
            axis->setRange(c.lower, c.upper);
        }
    };
    clamp(plot_->xAxis, columnCount());
    clamp(plot_->yAxis, rowCount());
}

void HeatmapPlot::updateTicks() {
    shownColumnLabels_.clear();
    if (compact_) return;
    const QFontMetrics fm(plot_->xAxis->tickLabelFont());
    // Turned labels and level rows need a line height each; an upright CJK
    // glyph on the turned axis is no wider than that.
    const int lineHeight = fm.height() + 2;
    const QRect rect = plot_->axisRect()->rect();
    tickedSize_ = rect.size();
    const QCPRange xr = plot_->xAxis->range(), yr = plot_->yAxis->range();
    const int xStep = axis_ticks::labelStep(lineHeight, rect.width() / std::max(1e-9, xr.size()));
    const int yStep = axis_ticks::labelStep(lineHeight, rect.height() / std::max(1e-9, yr.size()));
    const bool turned = plot_->xAxis->tickLabelRotation() != 0;
    const axis_ticks::ShownLabels shownLabel(plot_->xAxis->tickLabelFont());
    plot_->xAxis->setTicker(thinnedTicker(columnLabels_, xr, xStep, shownLabel, turned, &shownColumnLabels_));
    plot_->yAxis->setTicker(thinnedTicker(rowLabels_, yr, yStep, shownLabel, false, nullptr));
}

double HeatmapPlot::columnLabelAngle(int column) const {
    const double axis = plot_->xAxis->tickLabelRotation();
    return shownColumnLabels_.contains(column) ? axis_ticks::labelRotation(shownColumnLabels_.value(column), axis) : axis;
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
    auto label = [](const QStringList& labels, const QStringList& tips, int k) {
        if (k < tips.size() && !tips[k].isEmpty()) return tips[k];
        return k < labels.size() ? QStringLiteral("'%1' (%2)").arg(labels[k]).arg(k) : QString::number(k);
    };
    // On a range around 0 (differences, signed states) the sign is the point: "+0.2310".
    const double v = valueAt(row, column);
    QString value = std::isnan(v) ? tr("not computed yet") : QString::number(v, 'f', 4);
    if (value == QLatin1String("-0.0000")) value = QStringLiteral("0.0000");
    if (lower_ < 0 && upper_ > 0 && v > 0 && value != QLatin1String("0.0000")) value.prepend(QLatin1Char('+'));
    return QStringLiteral("%1 %2\n%3 %4\n%5 %6")
        .arg(rowName_, label(rowLabels_, rowTips_, row), columnName_, label(columnLabels_, columnTips_, column),
             valueName_, value);
}

