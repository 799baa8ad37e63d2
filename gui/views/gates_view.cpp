#include "gui/views/gates_view.h"

#include "gui/plots/elided_label.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QResizeEvent>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>

#include "engine/analysis/view_choice.h"
#include "gui/gate_quantities.h"
#include "gui/plots/axis_ticks.h"
#include "gui/plots/color_legend.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/plots/unit_line_plot.h"
#include "gui/trace_labels.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"

namespace {

using lstmscope::Direction;
using lstmscope::GateTrace;
using lstmscope::Matrix;

namespace gq = gate_quantities;

// What each quantity is and how its colours read, in the "GatesView"
// context (the titles are gate_quantities' names).
struct QuantityInfo {
    const char* tooltip;
    bool sequential;  // [0, 1] on the user's map, else diverging
};

const std::array<QuantityInfo, gq::Count> kQuantities{{
    {QT_TRANSLATE_NOOP("GatesView", "How much of the cell candidate g enters the cell at this token.\n"
                      "Sigmoid, 0 (shut) to 1 (open); colours fixed over [0, 1]."), true},
    {QT_TRANSLATE_NOOP("GatesView", "How much of the previous cell state is kept at this token.\n"
                       "Sigmoid, 0 (forget) to 1 (keep); colours fixed over [0, 1]."), true},
    {QT_TRANSLATE_NOOP("GatesView", "The new content offered to the cell at this token.\n"
                          "tanh, -1 to 1; diverging colours fixed over [-1, 1], white at 0."), false},
    {QT_TRANSLATE_NOOP("GatesView", "How much of tanh(c) is exposed as the hidden state h.\n"
                       "Sigmoid, 0 (hidden) to 1 (exposed); colours fixed over [0, 1]."), true},
    {QT_TRANSLATE_NOOP("GatesView", "The LSTM's memory: c = f·c(previous) + i·g. Unbounded.\n"
                      "Diverging colours over a symmetric range fixed for this node: the smallest of "
                      "±1, ±2, ±3, ±5 that covers every |c| the node has shown since the model was "
                      "loaded. It never shrinks, so colours compare across texts; values beyond ±5 "
                      "clip to the end colours (the tooltip shows the exact value)."), false},
    {QT_TRANSLATE_NOOP("GatesView", "What the layer outputs: h = o·tanh(c).\n"
                        "-1 to 1; diverging colours fixed over [-1, 1], white at 0."), false},
    {QT_TRANSLATE_NOOP("GatesView", "How much of the previous state h enters the candidate n at this token.\n"
                       "Sigmoid, 0 (ignore the past) to 1 (use it); colours fixed over [0, 1]."), true},
    {QT_TRANSLATE_NOOP("GatesView", "The share of the previous state h that is kept at this token: "
                       "h = (1 − z)·n + z·h(previous).\n"
                       "Sigmoid, 0 (take the candidate n) to 1 (keep the old state); colours fixed over [0, 1]."),
     true},
    {QT_TRANSLATE_NOOP("GatesView", "The new state offered at this token: n = tanh(W·x + r·(U·h(previous) + b)).\n"
                       "tanh, -1 to 1; diverging colours fixed over [-1, 1], white at 0."), false},
}};
// A GRU's h is the same quantity, with its own equation.
const char* const kGruHiddenTooltip = QT_TRANSLATE_NOOP(
    "GatesView", "What the layer outputs and carries to the next token: h = (1 − z)·n + z·h(previous).\n"
                 "-1 to 1; diverging colours fixed over [-1, 1], white at 0.");

// The gates (one kind of scale, [0, 1]) form one group and the signed
// quantities (diverging, centred on 0) the other, so that each group reads
// with one kind of legend; position within a group follows the equations.
// By Quantity: i f g o c h (LSTM), r z n (GRU; h as the LSTM's).
constexpr int kGroup[gq::Count] = {0, 0, 1, 0, 1, 1, 0, 0, 1};
constexpr int kInGroup[gq::Count] = {0, 1, 0, 2, 1, 2, 0, 1, 0};
// The position of h within its group: last of three (g c h), or second of
// two (n h).
int inGroup(int quantity, gq::CellKind kind) {
    return quantity == gq::HiddenState && kind == gq::CellKind::Gru ? 1 : kInGroup[quantity];
}

// Room for the line plot's legend, its upright token labels and a plot area
// that still shows the shape of six lines.
constexpr int kLinePlotMinimum = 190;
// The widest token label that arrangeGrid makes room for below a heatmap.
constexpr int kLabelBandPx = 110;

void setElidedText(QLabel* label, const QString& text) { static_cast<ElidedLabel*>(label)->setFullText(text); }

bool modelHasRecurrent(const lstmscope::Model& model) {
    return std::any_of(model.nodes.begin(), model.nodes.end(),
                       [](const lstmscope::Node& n) { return lstmscope::analysis::is_recurrent(n.op); });
}

}  // namespace

GatesView::GatesView(Document* document, Selection* selection, QWidget* parent)
    : QWidget(parent), document_(document), selection_(selection) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    stack_ = new QStackedWidget(this);
    outer->addWidget(stack_);

    placeholder_ = new QLabel(stack_);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);
    placeholder_->setMargin(24);
    stack_->addWidget(placeholder_);

    auto* content = new QWidget(stack_);
    stack_->addWidget(content);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(6, 6, 6, 6);
    contentLayout->setSpacing(4);

    contentLayout->addLayout(buildChoosers(content));

    // Heatmaps; arrangeGrid() places them.
    grid_ = new QWidget(content);
    gridLayout_ = new QGridLayout(grid_);
    gridLayout_->setContentsMargins(0, 0, 0, 0);
    gridLayout_->setHorizontalSpacing(8);
    gridLayout_->setVerticalSpacing(4);
    for (int q = 0; q < gq::Count; ++q) buildCell(q);
    grid_->installEventFilter(this);

    linePlot_ = new UnitLinePlot(content);
    auto* splitter = new QSplitter(Qt::Vertical, content);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(grid_);
    splitter->addWidget(linePlot_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    linePlot_->setMinimumHeight(kLinePlotMinimum);
    splitter->setSizes({700, 250});
    contentLayout->addWidget(splitter, 1);
    updateTitles();
    arrangeGrid();

    connectSignals();
    onModelChanged();
    if (document_->trace()) onTraceChanged();
}

QHBoxLayout* GatesView::buildChoosers(QWidget* content) {
    auto* bar = new QHBoxLayout;
    bar->setSpacing(6);
    auto addChooser = [&](const QString& label, QComboBox* box, const QString& tip) {
        auto* l = new QLabel(label, content);
        l->setBuddy(box);
        box->setToolTip(tip);
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        bar->addWidget(l);
        bar->addWidget(box);
        bar->addSpacing(6);
        return l;
    };
    nodeBox_ = new QComboBox(content);
    layerBox_ = new QComboBox(content);
    directionBox_ = new QComboBox(content);
    orderBox_ = new QComboBox(content);
    // Named by the node's kind ("LSTM" or "GRU", setKind): short, so the
    // bar costs no more width than it did for LSTMs alone.
    nodeLabel_ = addChooser(tr("&LSTM"), nodeBox_, tr("The recurrent layer (an LSTM or GRU node) whose gates are shown"));
    addChooser(tr("La&yer"), layerBox_, tr("Layer 0 reads the embeddings; the last layer feeds the rest of the model"));
    addChooser(tr("&Direction"), directionBox_,
               tr("Forward reads the text left to right, backward right to left; values always sit at their token"));
    directionBox_->addItem(tr("forward"));
    directionBox_->addItem(tr("backward"));
    info_ = new ElidedLabel(content);  // the first thing to give way when narrow
    info_->setForegroundRole(QPalette::PlaceholderText);
    info_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    info_->setToolTip(tr("Wheel: zoom · drag: pan · double-click: reset\n"
                         "Click a cell to select its token and unit; click a label to select just one"));
    bar->addWidget(info_, 1);
    bar->addSpacing(12);
    addChooser(tr("&Sort units"), orderBox_,
               tr("By index: unit 0 first.\n"
                  "By variance: units whose hidden state h varies most over the text first.\n"
                  "By saturation: units most often at a rail first, counting over i, f, o and h (a GRU: r, z "
                  "and h) the tokens where a gate is below 0.1 or above 0.9, or |h| is above 0.9."));
    orderBox_->addItem(tr("by index"));
    orderBox_->addItem(tr("by variance of h"));
    orderBox_->addItem(tr("by saturation"));
    return bar;
}

void GatesView::buildCell(int q) {
    cells_[q] = new QWidget(grid_);
    auto* cellLayout = new QVBoxLayout(cells_[q]);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    cellLayout->setSpacing(1);
    // The header carries the legend: name, low end, colour bar, high end.
    // One slim bar per heatmap costs no data width, where a QCustomPlot
    // colour scale beside each of six heatmaps would take a fifth of it.
    auto* header = new QWidget(cells_[q]);
    header->setToolTip(tr(kQuantities[q].tooltip));
    header->setObjectName(QStringLiteral("header"));
    auto* headerLayout = new QHBoxLayout(header);
    headerLayout->setContentsMargins(0, 0, 0, 0);
    headerLayout->setSpacing(4);
    Legend& legend = legends_[q];
    legend.name = new ElidedLabel(header);
    QFont bold = legend.name->font();
    bold.setBold(true);
    legend.name->setFont(bold);
    setElidedText(legend.name, gq::name(q));
    // The shared inline legend ("0 ▭ 1"), as in the token strip.
    legend.scale = new ColorLegend(ColorLegend::Style::Inline, header);
    legend.note = new ElidedLabel(header);
    legend.note->setForegroundRole(QPalette::PlaceholderText);
    headerLayout->addWidget(legend.name);
    headerLayout->addSpacing(6);
    headerLayout->addWidget(legend.scale);
    headerLayout->addWidget(legend.note, 1);
    heatmaps_[q] = new HeatmapPlot(cells_[q]);
    heatmaps_[q]->setColorMap(kQuantities[q].sequential ? sequentialMap_ : ColorMap::Diverging);
    heatmaps_[q]->setValueRange(kQuantities[q].sequential ? 0.0 : -1.0, 1.0);
    heatmaps_[q]->setColorScaleVisible(false);
    heatmaps_[q]->setTooltipNames(tr("row"), tr("token"), gq::symbol(q));
    cellLayout->addWidget(header);
    cellLayout->addWidget(heatmaps_[q], 1);
}

void GatesView::updateInfo() {
    const HeatmapPlot* h = heatmaps_[HiddenState];
    QString text = tr("%n units", nullptr, h->rowCount()) + QStringLiteral(" × ") + tr("%n tokens", nullptr, h->columnCount());
    // More cells than pixels: say that a drawn cell is a mean, not a value.
    if (h->columnsPerBin() > 1 && h->rowsPerBin() > 1)
        text += QStringLiteral(" · ") + tr("each drawn cell: mean of %1 tokens × %2 units (zoom in for single ones)")
                                            .arg(h->columnsPerBin())
                                            .arg(h->rowsPerBin());
    else if (h->columnsPerBin() > 1)
        text += QStringLiteral(" · ") + tr("each drawn column: mean of %n tokens (zoom in for single ones)", nullptr,
                                           h->columnsPerBin());
    else if (h->rowsPerBin() > 1)
        text += QStringLiteral(" · ") + tr("each drawn row: mean of %n units (zoom in for single ones)", nullptr,
                                           h->rowsPerBin());
    setElidedText(info_, text);
}

void GatesView::connectSignals() {
    connect(heatmaps_[HiddenState], &HeatmapPlot::binsChanged, this, &GatesView::updateInfo);
    // The heatmaps share both axes: zooming or panning any of them moves all
    // (tokens and units alike, so rows stay lined up) and the line plot.
    for (int q = 0; q < gq::Count; ++q) {
        connect(heatmaps_[q], &HeatmapPlot::visibleRangeChanged, this, [this, q] { syncRanges(q); });
        connect(heatmaps_[q], &HeatmapPlot::cellClicked, this, [this](int row, int column) {
            selection_->setToken(column);
            if (row >= 0 && row < static_cast<int>(rowUnits_.size())) selection_->setUnit(rowUnits_[row]);
        });
        connect(heatmaps_[q], &HeatmapPlot::rowLabelClicked, this, [this](int row) {
            if (row >= 0 && row < static_cast<int>(rowUnits_.size())) selection_->setUnit(rowUnits_[row]);
        });
        connect(heatmaps_[q], &HeatmapPlot::columnLabelClicked, selection_, &Selection::setToken);
        connect(heatmaps_[q], &HeatmapPlot::cellHovered, this, [this](int, int column) { selection_->setHoverToken(column); });
    }
    connect(linePlot_, &UnitLinePlot::visibleTokenRangeChanged, this, [this](double lower, double upper) {
        if (syncing_) return;
        syncing_ = true;
        for (HeatmapPlot* h : heatmaps_) h->setVisibleColumns(lower, upper);
        syncing_ = false;
    });
    connect(linePlot_, &UnitLinePlot::tokenClicked, selection_, &Selection::setToken);
    connect(linePlot_, &UnitLinePlot::tokenHovered, selection_, &Selection::setHoverToken);

    connect(nodeBox_, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index < 0 || !document_->trace()) return;
        const auto nodes = lstmNodes(*document_->trace());
        if (index >= static_cast<int>(nodes.size())) return;
        const auto& info = nodes[index];
        // Keep the layer and direction when the new node has them.
        const int layer = std::min(layer_, info.layers - 1);
        selection_->setLstm(info.name, layer, info.bidirectional ? direction_ : Direction::Forward);
    });
    connect(layerBox_, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0 && !node_.isEmpty()) selection_->setLstm(node_, index, direction_);
    });
    connect(directionBox_, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0 && !node_.isEmpty())
            selection_->setLstm(node_, layer_, index == 1 ? Direction::Backward : Direction::Forward);
    });
    connect(orderBox_, &QComboBox::currentIndexChanged, this,
            [this](int index) { setUnitOrder(static_cast<UnitOrder>(std::clamp(index, 0, 2))); });

    connect(document_, &Document::modelChanged, this, &GatesView::onModelChanged);
    connect(document_, &Document::traceChanged, this, &GatesView::onTraceChanged);
    connect(selection_, &Selection::lstmChanged, this, &GatesView::onLstmChanged);
    connect(selection_, &Selection::tokenChanged, this, &GatesView::onTokenChanged);
    connect(selection_, &Selection::unitChanged, this, &GatesView::onUnitChanged);
    connect(selection_, &Selection::stepChanged, this, &GatesView::refresh);
    connect(selection_, &Selection::hoverTokenChanged, linePlot_, &UnitLinePlot::setHoverToken);

}

// ---- layout -----------------------------------------------------------------

void GatesView::setCompact(bool compact) { linePlot_->setMinimumHeight(compact ? 135 : kLinePlotMinimum); }

bool GatesView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == grid_ && event->type() == QEvent::Resize) arrangeGrid();
    return QWidget::eventFilter(watched, event);
}

void GatesView::arrangeGrid() {
    // Whichever arrangement leaves the larger data area per heatmap once the
    // labels are paid for (unit labels across, a header and upright token
    // labels down). An LSTM's six: two rows of three (one row per group) or
    // three rows of two (one column per group); wide windows and wide docks
    // get 2 x 3, tall narrow docks 3 x 2. A GRU's four: two rows of two
    // (gates above), or one row of four in a wide, short dock.
    const bool gru = kind_ == CellKind::Gru;
    const int count = gru ? 4 : 6;
    const QFontMetrics fm(font());
    const double across = fm.horizontalAdvance(tr("unit %1").arg(888)) + 24;
    const double down = fm.height() * 3 + std::min(maxTokenLabelPx_, kLabelBandPx) + 12;
    const double w = grid_->width(), h = grid_->height();
    auto area = [&](int columns) {
        const int rows = count / columns;
        return std::max(0.0, w / columns - across) * std::max(0.0, h / rows - down);
    };
    const int wide = gru ? 4 : 3, narrow = 2;
    int columns = area(narrow) > area(wide) ? narrow : wide;
    bool wideFits = true;
    if (gru) {
        // One row of four only when each heatmap still has room for its
        // header (name and colour bar) and a label under every token of a
        // short text: otherwise titles elide and labels thin out.
        QFont bold = font();
        bold.setBold(true);
        double header = 0;
        for (int q : gq::shown(kind_))
            header = std::max<double>(header, QFontMetrics(bold).horizontalAdvance(gq::name(q)) + 130);
        const double labels = static_cast<double>(std::min<qsizetype>(tokenLabels_.size(), 40)) * (fm.height() + 2);
        wideFits = w / wide - across >= std::max(header - across, labels);
        if (!wideFits) columns = narrow;
    }
    // Switch only for a clear gain: a layout that flips back and forth while
    // the user drags a splitter is worse than either.
    if (columns_ != 0 && arrangedKind_ == kind_ && columns != columns_ && (columns_ != wide || wideFits) &&
        area(columns) < 1.1 * area(columns_))
        columns = columns_;
    if (columns != columns_ || kind_ != arrangedKind_) {
        columns_ = columns;
        arrangedKind_ = kind_;
        for (QWidget* cell : cells_) gridLayout_->removeWidget(cell);
        const auto& shown = gq::shown(kind_);
        for (int q = 0; q < gq::Count; ++q) {
            const bool isShown = quantityShown(q);
            cells_[q]->setVisible(isShown);
            if (!isShown) continue;
            const int group = kGroup[q], at = inGroup(q, kind_);
            if (gru && columns == 4)  // one row, in legend order r z n h
                gridLayout_->addWidget(cells_[q], 0, static_cast<int>(std::find(shown.begin(), shown.end(), q) - shown.begin()));
            else if (columns == count / 2)  // one row per group
                gridLayout_->addWidget(cells_[q], group, at);
            else  // one column per group
                gridLayout_->addWidget(cells_[q], at, group);
        }
        const int rows = count / columns;
        for (int k = 0; k < 4; ++k) {
            gridLayout_->setColumnStretch(k, k < columns ? 1 : 0);
            gridLayout_->setRowStretch(k, k < rows ? 1 : 0);
        }
    }
}

bool GatesView::quantityShown(int q) const {
    const auto& shown = gq::shown(kind_);
    return std::find(shown.begin(), shown.end(), q) != shown.end();
}

void GatesView::setKind(CellKind kind) {
    if (kind == kind_ && columns_ != 0) return;
    kind_ = kind;
    // The quantities the other kind showed keep no data.
    for (int q = 0; q < gq::Count; ++q)
        if (!quantityShown(q)) heatmaps_[q]->clear();
    nodeLabel_->setText(kind == CellKind::Gru ? tr("&GRU") : tr("&LSTM"));
    QWidget* header = cells_[HiddenState]->findChild<QWidget*>(QStringLiteral("header"));
    if (header) header->setToolTip(tr(kind == CellKind::Gru ? kGruHiddenTooltip : kQuantities[HiddenState].tooltip));
    arrangeGrid();
}

// ---- sort keys --------------------------------------------------------------

double GatesView::hiddenVariance(const GateTrace& gates, int unit) { return lstmscope::analysis::hidden_variance(gates, unit); }

double GatesView::saturation(const GateTrace& gates, int unit) { return lstmscope::analysis::saturation(gates, unit); }

double GatesView::cellStateLimitFor(double maxAbsC) {
    for (double limit : {1.0, 2.0, 3.0, 5.0})
        if (maxAbsC <= limit) return limit;
    return 5.0;
}

// ---- state ------------------------------------------------------------------

int GatesView::rowOfUnit(int unit) const {
    return unit >= 0 && unit < static_cast<int>(unitRows_.size()) ? unitRows_[unit] : -1;
}

int GatesView::highlightedToken() const { return heatmaps_[HiddenState]->highlightedColumn(); }

int GatesView::highlightedUnit() const {
    const int row = heatmaps_[HiddenState]->highlightedRow();
    return row >= 0 && row < static_cast<int>(rowUnits_.size()) ? rowUnits_[row] : -1;
}

QString GatesView::nodeChooserLabel() const { return nodeLabel_->text(); }

bool GatesView::placeholderVisible() const { return stack_->currentWidget() == placeholder_; }
QString GatesView::placeholderText() const { return placeholderVisible() ? placeholder_->text() : QString(); }
double GatesView::cellStateLimit() const { return cellLimits_.value(node_, 1.0); }

const GateTrace* GatesView::currentGates() const {
    const auto* trace = document_->trace();
    return trace && !node_.isEmpty() ? findGates(*trace, node_, layer_, direction_) : nullptr;
}

// ---- slots ------------------------------------------------------------------

void GatesView::setSequentialColorMap(ColorMap map) {
    sequentialMap_ = map;
    for (int q = 0; q < gq::Count; ++q)
        if (kQuantities[q].sequential) heatmaps_[q]->setColorMap(map);
    updateTitles();
}

void GatesView::setUnitOrder(UnitOrder order) {
    if (orderBox_->currentIndex() != static_cast<int>(order)) {
        const QSignalBlocker block(orderBox_);
        orderBox_->setCurrentIndex(static_cast<int>(order));
    }
    if (order == order_) return;
    order_ = order;
    refresh();
}

void GatesView::onModelChanged() {
    // A new model's c values say nothing about the old one's.
    cellLimits_.clear();
    node_.clear();
    refresh();
}

namespace {

// The largest |x| over the finite values (a masked step's NaN has no size).
// Sixteen independent lanes, so the compiler vectorises the loop: a single
// running maximum cannot be reordered without -ffast-math, and as a scalar
// loop the 1M cell states of a 5,000-token BiLSTM took 2.4 ms a keystroke.
float largestFiniteMagnitude(const float* x, Eigen::Index n) {
    constexpr float kLargest = std::numeric_limits<float>::max();
    float lane[16] = {};
    Eigen::Index k = 0;
    for (; k + 16 <= n; k += 16)
        for (int j = 0; j < 16; ++j) {
            const float v = std::fabs(x[k + j]);
            const float finite = v <= kLargest ? v : 0.0f;
            lane[j] = lane[j] > finite ? lane[j] : finite;
        }
    float top = 0;
    for (float v : lane) top = std::max(top, v);
    for (; k < n; ++k) {
        const float v = std::fabs(x[k]);
        if (v <= kLargest) top = std::max(top, v);
    }
    return top;
}

}  // namespace

void GatesView::onTraceChanged() {
    const auto* trace = document_->trace();
    if (trace) {
        // Grow each node's c range to cover this text (see the header).
        for (const auto& n : trace->nodes) {
            if (n.gates.empty()) continue;
            float maxAbsC = 0;
            for (const auto& g : n.gates) maxAbsC = std::max(maxAbsC, largestFiniteMagnitude(g.c.data(), g.c.size()));
            const QString name = QString::fromStdString(n.name);
            cellLimits_[name] = std::max(cellLimits_.value(name, 1.0), cellStateLimitFor(maxAbsC));
        }
        tokenLabels_ = tokenLabels(*trace);
        // Only widths up to kLabelBandPx matter (arrangeGrid caps them), and
        // the cached, elided measure spares shaping every label per trace.
        const axis_ticks::ShownLabels shown(font());
        maxTokenLabelPx_ = 0;
        for (const QString& label : tokenLabels_)
            maxTokenLabelPx_ = std::max(maxTokenLabelPx_, shown(label, kLabelBandPx + 10).advance);
        arrangeGrid();
    } else {
        tokenLabels_.clear();
    }
    onLstmChanged();
}

void GatesView::onLstmChanged() {
    // Read-only: a node this trace lacks (or none yet) is shown as the
    // fallback view_choice resolves, never written back to the selection.
    const auto* trace = document_->trace();
    node_.clear();
    if (trace) {
        const auto choice = lstmscope::analysis::resolve_lstm(*trace, selection_->lstmNode().toStdString(),
                                                              selection_->layer(), selection_->direction());
        node_ = QString::fromStdString(choice.node);
        layer_ = choice.layer;
        direction_ = choice.direction;
    }
    fillChoosers();
    refresh();
}

void GatesView::fillChoosers() {
    const QSignalBlocker b1(nodeBox_), b2(layerBox_), b3(directionBox_);
    const auto* trace = document_->trace();
    const auto nodes = trace ? lstmNodes(*trace) : std::vector<LstmNodeInfo>{};
    QStringList names;
    for (const auto& n : nodes) names << n.name;
    QStringList current;
    for (int k = 0; k < nodeBox_->count(); ++k) current << nodeBox_->itemText(k);
    if (current != names) {
        nodeBox_->clear();
        nodeBox_->addItems(names);
    }
    const int nodeIndex = static_cast<int>(names.indexOf(node_));
    nodeBox_->setCurrentIndex(nodeIndex);
    nodeBox_->setEnabled(names.size() > 1);

    const int layers = nodeIndex >= 0 ? nodes[nodeIndex].layers : 1;
    if (layerBox_->count() != layers) {
        layerBox_->clear();
        for (int k = 0; k < layers; ++k) layerBox_->addItem(QString::number(k));
    }
    layerBox_->setCurrentIndex(std::clamp(layer_, 0, layers - 1));
    layerBox_->setEnabled(layers > 1);

    const bool bidirectional = nodeIndex >= 0 && nodes[nodeIndex].bidirectional;
    directionBox_->setCurrentIndex(direction_ == Direction::Backward ? 1 : 0);
    directionBox_->setEnabled(bidirectional);
    directionBox_->setToolTip(bidirectional ? tr("Forward reads the text left to right, backward right to left; "
                                                 "values always sit at their token")
                                            : tr("This layer reads in one direction only"));
}

void GatesView::showPlaceholder(const QString& text) {
    placeholder_->setText(text);
    stack_->setCurrentWidget(placeholder_);
    rowUnits_.clear();
    unitRows_.clear();
    for (HeatmapPlot* h : heatmaps_) h->clear();
    linePlot_->clearUnit();
}

void GatesView::updateTitles() {
    for (int q = 0; q < gq::Count; ++q) {
        Legend& legend = legends_[q];
        if (kQuantities[q].sequential) {
            legend.scale->setEndTexts(sequentialMap_, QStringLiteral("0"), QStringLiteral("1"));
        } else {
            const double limit = q == CellState ? cellStateLimit() : 1.0;
            legend.scale->setEndTexts(ColorMap::Diverging, QStringLiteral("−%1").arg(limit), QString::number(limit));
        }
        if (q == CellState) setElidedText(legend.note, tr("fixed for this node"));
    }
}

void GatesView::refresh() {
    QElapsedTimer timer;
    timer.start();
    const auto* model = document_->model();
    if (!model) return showPlaceholder(tr("Open a model to see its LSTM or GRU gates."));
    if (!modelHasRecurrent(*model))
        return showPlaceholder(tr("This model has no recurrent layer (LSTM or GRU), so there are no gates to show."));
    const auto* trace = document_->trace();
    if (!trace) return showPlaceholder(tr("Type a text to see the gates at each of its tokens."));
    const GateTrace* gates = currentGates();
    if (!gates || gates->h.rows() == 0)
        return showPlaceholder(tr("The recurrent layer recorded no gates for this text."));
    setKind(gq::kindOf(*gates));

    const int tokens = static_cast<int>(gates->h.rows());
    const int units = static_cast<int>(gates->h.cols());

    // Row order.
    rowUnits_.resize(units);
    std::iota(rowUnits_.begin(), rowUnits_.end(), 0);
    if (order_ != UnitOrder::Index) {
        std::vector<double> key(units);
        for (int u = 0; u < units; ++u)
            key[u] = order_ == UnitOrder::Variance ? hiddenVariance(*gates, u) : saturation(*gates, u);
        // Stable, so ties keep index order and the layout does not jitter.
        std::stable_sort(rowUnits_.begin(), rowUnits_.end(), [&key](int a, int b) { return key[a] > key[b]; });
    }
    unitRows_.assign(units, -1);
    for (int r = 0; r < units; ++r) unitRows_[rowUnits_[r]] = r;
    QStringList rowLabels;
    rowLabels.reserve(units);
    for (int u : rowUnits_) rowLabels << tr("unit %1").arg(u);

    // Step-through: only what the current step has computed is drawn; the
    // rest of the cells are blank (NaN) and the current token is outlined.
    const StepShown stepShown = shownAtStep(*gates);
    const GateTrace& source = stepShown.gates ? *stepShown.gates : *gates;
    const int selectedToken = stepShown.currentToken >= 0 ? stepShown.currentToken : selection_->token();
    const int selectedLast = stepShown.currentToken >= 0 ? stepShown.currentToken : selection_->tokenLast();
    const int selectedRow = rowOfUnit(selection_->unit());
    for (int q : gq::shown(kind_)) {
        const Matrix& m = gq::matrixOf(source, q);
        // Units down, tokens across: the map takes m as it is recorded (a
        // row per token), its units in the rows' sorted order.
        Matrix shown(tokens, units);
        if (order_ == UnitOrder::Index) {
            shown = m;
        } else {
            for (int t = 0; t < tokens; ++t) {
                const float* in = m.row(t).data();
                float* out = shown.row(t).data();
                for (int r = 0; r < units; ++r) out[r] = in[rowUnits_[static_cast<size_t>(r)]];
            }
        }
        HeatmapPlot* h = heatmaps_[q];
        if (q == CellState) h->setValueRange(-cellStateLimit(), cellStateLimit());
        h->setHighlightedRow(selectedRow);
        if (selectedToken >= 0 && selectedToken < tokens)
            h->setHighlightedColumns(selectedToken, std::min(selectedLast, tokens - 1));
        else
            h->setHighlightedColumn(-1);
        h->setDataByColumns(std::move(shown), rowLabels, tokenLabels_);
    }
    updateTitles();
    updateInfo();
    stack_->setCurrentWidget(stack_->widget(1));
    refreshLinePlot();
    lastRefreshMs_ = static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

void GatesView::refreshLinePlot() {
    const GateTrace* gates = currentGates();
    const int unit = selection_->unit();
    if (!gates || unit < 0 || unit >= gates->h.cols()) {
        linePlot_->clearUnit();
        return;
    }
    // The choosers above already name the node, layer and direction.
    const StepShown stepShown = shownAtStep(*gates);
    linePlot_->setUnit(stepShown.gates ? *stepShown.gates : *gates, unit, tokenLabels_, tr("unit %1").arg(unit));
    if (stepShown.currentToken >= 0)
        linePlot_->setMarkerTokens(stepShown.currentToken, stepShown.currentToken);
    else
        linePlot_->setMarkerTokens(selection_->token(), selection_->tokenLast());
    linePlot_->setHoverToken(selection_->hoverToken());
    linePlot_->setVisibleTokenRange(heatmaps_[HiddenState]->visibleColumnLower(),
                                    heatmaps_[HiddenState]->visibleColumnUpper());
}

GatesView::StepShown GatesView::shownAtStep(const GateTrace& gates) const {
    StepShown out;
    const StepContext step = stepContext(document_, selection_);
    const lstmscope::Trace* trace = document_->trace();
    if (!step.active() || !trace) return out;
    int node = -1;
    for (size_t k = 0; k < trace->nodes.size(); ++k)
        if (QString::fromStdString(trace->nodes[k].name) == node_) node = static_cast<int>(k);
    using lstmscope::analysis::GatesReveal;
    const GatesReveal reveal = lstmscope::analysis::gates_reveal(step.plan, step.reveal, node, layer_, direction_);
    if (reveal == GatesReveal::All) return out;
    // Blank every token the step has not reached (all of them for None).
    auto masked = std::make_shared<GateTrace>(gates);
    const int tokens = static_cast<int>(gates.h.rows());
    const float blank = std::numeric_limits<float>::quiet_NaN();
    for (Matrix* m : {&masked->i, &masked->f, &masked->g, &masked->o, &masked->c, &masked->h, &masked->r, &masked->z,
                      &masked->n}) {
        if (m->rows() != tokens) continue;  // the other kind's quantities are empty
        for (int t = 0; t < tokens; ++t)
            if (reveal == GatesReveal::None || t < step.reveal.lstm_first || t > step.reveal.lstm_last)
                m->row(t).setConstant(blank);
    }
    out.gates = masked;
    if (reveal == GatesReveal::Partial) out.currentToken = step.reveal.current_token;
    return out;
}

void GatesView::onTokenChanged(int token) {
    // A range: a word selected in another pane's word model covers several
    // character tokens here.
    const int columns = heatmaps_[HiddenState]->columnCount();
    const bool valid = token >= 0 && token < columns;
    const int last = valid ? std::min(selection_->tokenLast(), columns - 1) : -1;
    for (HeatmapPlot* h : heatmaps_) h->setHighlightedColumns(valid ? token : -1, last);
    linePlot_->setMarkerTokens(valid ? token : -1, last);
}

void GatesView::onUnitChanged(int unit) {
    const int row = rowOfUnit(unit);
    for (HeatmapPlot* h : heatmaps_) h->setHighlightedRow(row);
    refreshLinePlot();
}

void GatesView::syncRanges(int source) {
    if (syncing_) return;
    syncing_ = true;
    const HeatmapPlot* from = heatmaps_[source];
    for (int q = 0; q < gq::Count; ++q) {
        if (q == source) continue;
        heatmaps_[q]->setVisibleColumns(from->visibleColumnLower(), from->visibleColumnUpper());
        heatmaps_[q]->setVisibleRows(from->visibleRowLower(), from->visibleRowUpper());
    }
    if (linePlot_->hasUnit()) linePlot_->setVisibleTokenRange(from->visibleColumnLower(), from->visibleColumnUpper());
    syncing_ = false;
}
