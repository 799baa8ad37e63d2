#include "gui/plots/head_grid.h"

#include "gui/plots/color_legend.h"

#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "gui/plots/heatmap_plot.h"

namespace {

constexpr int kMinTile = 150;  // below this a tile stops being readable; the grid scrolls instead
constexpr int kSpacing = 8;

}  // namespace

// The tiles are compact (no colour scale each), so the grid carries one
// horizontal legend for all of them: the same fixed range for every head.

HeadGrid::HeadGrid(QWidget* parent)
    : QWidget(parent), scroll_(new QScrollArea(this)), container_(new QWidget), grid_(new QGridLayout(container_)),
      legend_(new ColorLegend(ColorLegend::Style::Ticked, this)) {
    legendLabel_ = tr("attention weight");
    rowName_ = tr("row");
    columnName_ = tr("column");
    valueName_ = tr("value");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll_->setWidget(container_);
    grid_->setContentsMargins(kSpacing, kSpacing, kSpacing, kSpacing);
    grid_->setSpacing(kSpacing);
    layout->addWidget(scroll_, 1);
    scroll_->installEventFilter(this);

    auto* bottom = new QHBoxLayout;
    bottom->setContentsMargins(kSpacing, 0, kSpacing, 4);
    auto* hint = new QLabel(tr("Click a head to open it."), this);
    hint->setEnabled(false);  // the palette's muted text: a hint, not content
    bottom->addWidget(hint);
    bottom->addStretch(1);
    bottom->addWidget(legend_);
    layout->addLayout(bottom);
    legend_->setRange(colorMap_, lower_, upper_, legendLabel_);
}

void HeadGrid::setHeads(const std::vector<lstmscope::Matrix>& heads, const QStringList& rowLabels,
                        const QStringList& columnLabels) {
    const int n = static_cast<int>(heads.size());
    // Tiles are reused while the head count stays: re-running on every text
    // edit must not rebuild eight plots.
    while (headCount() > n) {
        delete tiles_.back().frame;
        tiles_.pop_back();
    }
    while (headCount() < n) {
        const int k = headCount();
        Tile t;
        t.frame = new QFrame(container_);
        t.frame->setObjectName(QStringLiteral("headTile"));
        t.frame->setCursor(Qt::PointingHandCursor);
        auto* box = new QVBoxLayout(t.frame);
        box->setContentsMargins(4, 3, 4, 4);
        box->setSpacing(2);
        t.title = new QLabel(tr("head %1").arg(k + 1), t.frame);
        t.title->setAlignment(Qt::AlignCenter);
        t.title->setToolTip(tr("Open head %1").arg(k + 1));
        t.plot = new HeatmapPlot(t.frame);
        t.plot->setCompact(true);
        t.plot->setMinimumSize(40, 40);
        t.plot->setColorMap(colorMap_);
        t.plot->setValueRange(lower_, upper_);
        t.plot->setTooltipNames(rowName_, columnName_, valueName_);
        box->addWidget(t.title);
        box->addWidget(t.plot, 1);
        t.frame->installEventFilter(this);
        t.title->installEventFilter(this);
        connect(t.plot, &HeatmapPlot::cellClicked, this, [this, k](int, int) { emit headActivated(k); });
        connect(t.plot, &HeatmapPlot::cellHovered, this, [this, k](int r, int c) { emit cellHovered(k, r, c); });
        tiles_.push_back(t);
        styleTile(k);
    }
    for (int k = 0; k < n; ++k) {
        tiles_[static_cast<size_t>(k)].plot->setData(heads[static_cast<size_t>(k)], rowLabels, columnLabels);
        tiles_[static_cast<size_t>(k)].plot->setHighlightedRows(highlightedRow_, highlightedRowLast_);
        tiles_[static_cast<size_t>(k)].plot->setHighlightedColumns(highlightedColumn_, highlightedColumnLast_);
    }
    relayout();
}

void HeadGrid::clear() { setHeads({}, {}, {}); }

HeatmapPlot* HeadGrid::tile(int head) const {
    return head >= 0 && head < headCount() ? tiles_[static_cast<size_t>(head)].plot : nullptr;
}

QString HeadGrid::tileTitle(int head) const {
    return head >= 0 && head < headCount() ? tiles_[static_cast<size_t>(head)].title->text() : QString();
}

void HeadGrid::setColorMap(ColorMap map) {
    colorMap_ = map;
    for (auto& t : tiles_) t.plot->setColorMap(map);
    legend_->setRange(colorMap_, lower_, upper_, legendLabel_);
}

void HeadGrid::setValueRange(double lower, double upper) {
    lower_ = lower;
    upper_ = upper;
    for (auto& t : tiles_) t.plot->setValueRange(lower, upper);
    legend_->setRange(colorMap_, lower_, upper_, legendLabel_);
}

void HeadGrid::setLegendLabel(const QString& label) {
    legendLabel_ = label;
    legend_->setRange(colorMap_, lower_, upper_, legendLabel_);
}

void HeadGrid::setTooltipLabels(const QStringList& rowTips, const QStringList& columnTips) {
    for (auto& t : tiles_) t.plot->setTooltipLabels(rowTips, columnTips);
}

void HeadGrid::setTooltipNames(const QString& rowName, const QString& columnName, const QString& valueName) {
    rowName_ = rowName;
    columnName_ = columnName;
    valueName_ = valueName;
    for (auto& t : tiles_) t.plot->setTooltipNames(rowName, columnName, valueName);
}

void HeadGrid::setCurrentHead(int head) {
    const int old = current_;
    current_ = head;
    if (old >= 0 && old < headCount()) styleTile(old);
    if (head >= 0 && head < headCount()) styleTile(head);
}

void HeadGrid::setHighlightedRow(int row) { setHighlightedRows(row, row); }

void HeadGrid::setHighlightedColumn(int column) { setHighlightedColumns(column, column); }

void HeadGrid::setHighlightedRows(int first, int last) {
    highlightedRow_ = first;
    highlightedRowLast_ = last;
    for (auto& t : tiles_) t.plot->setHighlightedRows(first, last);
}

void HeadGrid::setHighlightedColumns(int first, int last) {
    highlightedColumn_ = first;
    highlightedColumnLast_ = last;
    for (auto& t : tiles_) t.plot->setHighlightedColumns(first, last);
}

void HeadGrid::styleTile(int head) {
    const Tile& t = tiles_[static_cast<size_t>(head)];
    const bool current = head == current_;
    const QColor accent = palette().color(QPalette::Highlight);
    // The selector names the frame only: QLabel is a QFrame too and must not get the border.
    t.frame->setStyleSheet(current ? QStringLiteral("QFrame#headTile { border: 2px solid %1; border-radius: 5px; }")
                                         .arg(accent.name())
                                   : QStringLiteral("QFrame#headTile { border: 1px solid palette(mid); border-radius: 5px; }"));
    QFont f = t.title->font();
    f.setBold(current);
    t.title->setFont(f);
    t.title->setText(current ? tr("head %1 (selected)").arg(head + 1) : tr("head %1").arg(head + 1));
}

void HeadGrid::relayout() {
    const int n = headCount();
    columns_ = 0;
    while (grid_->count() > 0) delete grid_->takeAt(0);
    for (int k = 0; k < grid_->columnCount(); ++k) grid_->setColumnStretch(k, 0);
    for (int k = 0; k < grid_->rowCount(); ++k) grid_->setRowStretch(k, 0);
    if (n == 0) return;
    // The column count that gives the largest square-ish tiles in the space at hand.
    // Measured on the scroll area, not its viewport: the viewport narrows when
    // the scroll bar appears, which must not feed back into this choice.
    const QSize room = scroll_->contentsRect().size() - QSize(2 * kSpacing, 2 * kSpacing);
    int w = std::max(1, room.width());
    const int h = std::max(1, room.height());
    int best = 1;
    double bestSide = 0;
    for (int c = 1; c <= n; ++c) {
        const int rows = (n + c - 1) / c;
        const double side = std::min((w - (c - 1) * kSpacing) / double(c), (h - (rows - 1) * kSpacing) / double(rows));
        if (side > bestSide) bestSide = side, best = c;
    }
    if (bestSide < kMinTile) {  // too many heads for the room: fixed-size tiles, scrolled
        w -= scroll_->verticalScrollBar()->sizeHint().width();
        best = std::clamp((w + kSpacing) / (kMinTile + kSpacing), 1, n);
    }
    columns_ = best;
    const int rows = (n + best - 1) / best;
    for (int k = 0; k < n; ++k) grid_->addWidget(tiles_[static_cast<size_t>(k)].frame, k / best, k % best);
    for (int c = 0; c < best; ++c) grid_->setColumnStretch(c, 1);
    for (int r = 0; r < rows; ++r) grid_->setRowStretch(r, 1);
    container_->setMinimumHeight(bestSide < kMinTile ? rows * (kMinTile + kSpacing) + kSpacing : 0);
}

bool HeadGrid::eventFilter(QObject* watched, QEvent* event) {
    if (watched == scroll_ && event->type() == QEvent::Resize) relayout();
    if (event->type() == QEvent::MouseButtonRelease && static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton) {
        for (int k = 0; k < headCount(); ++k) {
            const Tile& t = tiles_[static_cast<size_t>(k)];
            if (watched == t.frame || watched == t.title) {
                emit headActivated(k);
                return true;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}
