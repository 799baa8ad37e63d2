#include "gui/views/attention_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QResizeEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

#include "engine/analysis/view_choice.h"
#include "engine/model.h"
#include "gui/corpus/leave_one_out.h"
#include "gui/plots/head_grid.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/plots/pool_bar_chart.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"

namespace {

bool isAttentionOp(lstmscope::OpKind op) {
    return op == lstmscope::OpKind::Attention || op == lstmscope::OpKind::AttentionPool ||
           op == lstmscope::OpKind::MultiheadAttention || op == lstmscope::OpKind::FeatureAttention;
}

QString opName(lstmscope::OpKind op) { return QString::fromUtf8(lstmscope::op_kind_name(op)); }

// Axis labels for a side of the matrix: the tokens when the side has one
// entry per token, otherwise numbered positions (a query that was pooled to
// one row, say), so a label never names the wrong token.
QStringList sideLabels(const QStringList& tokens, int count, const QString& prefix) {
    if (count == tokens.size()) return tokens;
    QStringList out;
    for (int k = 0; k < count; ++k) out << QStringLiteral("%1%2").arg(prefix).arg(k + 1);
    return out;
}

}  // namespace

AttentionView::AttentionView(Document* document, Selection* selection, QWidget* parent)
    : QWidget(parent), document_(document), selection_(selection) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(buildToolbar());
    // Says when the heatmap shows a long text's summary or a window of it.
    banner_ = new QLabel(this);
    banner_->setObjectName(QStringLiteral("attentionSummaryBanner"));
    banner_->setWordWrap(true);
    banner_->setContentsMargins(6, 2, 6, 2);
    banner_->setAutoFillBackground(true);
    QPalette note = banner_->palette();
    note.setColor(QPalette::Window, note.color(QPalette::ToolTipBase));
    note.setColor(QPalette::WindowText, note.color(QPalette::ToolTipText));
    banner_->setPalette(note);
    banner_->hide();
    layout->addWidget(banner_);
    layout->addWidget(buildPages(), 1);
    connectSignals();
    onModelOrTrace();
}

QWidget* AttentionView::buildPages() {
    stack_ = new QStackedWidget(this);
    // The placeholder page: a message, and a line saying what would fill the view.
    placeholderPage_ = new QWidget(stack_);
    auto* page = new QVBoxLayout(placeholderPage_);
    page->addStretch(1);
    placeholder_ = new QLabel(placeholderPage_);
    placeholderDetail_ = new QLabel(placeholderPage_);
    for (QLabel* label : {placeholder_, placeholderDetail_}) {
        label->setAlignment(Qt::AlignCenter);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);  // run errors can be copied
        page->addWidget(label);
    }
    QFont big = placeholder_->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    placeholder_->setFont(big);
    // Softer than content, firmer than the disabled grey: it must read on a projector.
    QPalette soft = placeholder_->palette();
    const QColor text = soft.color(QPalette::WindowText), back = soft.color(QPalette::Window);
    soft.setColor(QPalette::WindowText, QColor((text.red() * 2 + back.red()) / 3, (text.green() * 2 + back.green()) / 3,
                                               (text.blue() * 2 + back.blue()) / 3));
    placeholder_->setPalette(soft);
    placeholderDetail_->setPalette(soft);
    page->addStretch(1);
    heatmap_ = new HeatmapPlot(stack_);
    heatmap_->setTooltipNames(tr("query"), tr("key"), tr("weight"));
    heatmap_->setColorScaleLabel(tr("attention weight"));
    heatmap_->setValueRange(0, 1);
    grid_ = new HeadGrid(stack_);
    grid_->setTooltipNames(tr("query"), tr("key"), tr("weight"));
    bars_ = new PoolBarChart(stack_);
    bars_->setNames(tr("token"), tr("weight"));
    stack_->addWidget(placeholderPage_);
    stack_->addWidget(heatmap_);
    stack_->addWidget(grid_);
    stack_->addWidget(bars_);
    return stack_;

}

void AttentionView::connectSignals() {
    hoverTimer_.setSingleShot(true);
    hoverTimer_.setInterval(kHoverDelayMs);
    connect(&hoverTimer_, &QTimer::timeout, this, [this] {
        // The trace may have been replaced (fewer tokens) since the mouse moved.
        selection_->setHoverToken(pendingHover_ < tokenCount() ? pendingHover_ : -1);
    });

    connect(document_, &Document::modelChanged, this, [this] {
        allHeads_ = false;
        windowMode_ = false;
        onModelOrTrace();
    });
    connect(document_, &Document::traceChanged, this, &AttentionView::onModelOrTrace);
    connect(LeaveOneOut::of(document_), &LeaveOneOut::changed, this, &AttentionView::updateTau);
    connect(document_, &Document::runFailed, this, &AttentionView::refresh);
    connect(selection_, &Selection::attentionChanged, this, [this] {
        // Someone else (the model view) opened a head of the node on screen:
        // show that head rather than the grid.
        if (allHeads_ && selection_->attentionNode() == shownNode_ && selection_->head() != shownHead_)
            allHeads_ = false;
        refresh();
    });
    connect(selection_, &Selection::tokenChanged, this, &AttentionView::updateHighlights);
    connect(selection_, &Selection::stepChanged, this, &AttentionView::refresh);
    connect(selection_, &Selection::lstmChanged, this, [this] {
        if (selection_->stepping()) refresh();  // the walk follows the chosen LSTM
    });

    connect(nodeCombo_, qOverload<int>(&QComboBox::activated), this, &AttentionView::pickNode);
    connect(headCombo_, qOverload<int>(&QComboBox::activated), this, &AttentionView::pickHead);
    connect(fitCheck_, &QCheckBox::toggled, this, &AttentionView::setFitRangeToData);

    connect(heatmap_, &HeatmapPlot::cellClicked, this, [this](int row, int column) {
        // A summary cell opens its exact weights.
        if (showingSummary()) showWindowAround(rowAxis_.firstPosition(row), columnAxis_.firstPosition(column));
        pickToken(tokenOfCell(row, column));
    });
    connect(heatmap_, &HeatmapPlot::rowLabelClicked, this, [this](int row) {
        if (summarized_) {
            if (rowAxis_.total == tokenCount()) pickToken(rowAxis_.firstPosition(row));
        } else if (heatmapRows_ == HeatmapRows::Heads) {
            // One query, all heads: a head's row opens that head (as bars).
            allHeads_ = false;
            selection_->setAttention(shownNode_, row);
            refresh();
        } else if (heatmapRows_ == HeatmapRows::Tokens && shown_.rows() == tokenCount()) {
            pickToken(row);
        }
    });
    connect(heatmap_, &HeatmapPlot::columnLabelClicked, this, [this](int column) {
        if (summarized_) {
            if (columnAxis_.total == tokenCount()) pickToken(columnAxis_.firstPosition(column));
        } else if (shown_.cols() == tokenCount()) {
            pickToken(column);
        }
    });
    connect(wholeTextButton_, &QPushButton::clicked, this, &AttentionView::showWholeText);
    connect(heatmap_, &HeatmapPlot::cellHovered, this, [this](int row, int column) {
        hoverToken(tokenOfCell(row, column));
    });
    connect(grid_, &HeadGrid::headActivated, this, [this](int head) {
        allHeads_ = false;
        selection_->setAttention(shownNode_, head);
        refresh();  // the Selection may already name this head: then it says nothing
    });
    connect(grid_, &HeadGrid::cellHovered, this, [this](int, int row, int column) {
        hoverToken(tokenOfCell(row, column));
    });
    connect(bars_, &PoolBarChart::barClicked, this, &AttentionView::pickToken);
    connect(bars_, &PoolBarChart::barHovered, this, &AttentionView::hoverToken);

}

bool AttentionView::showingAllHeads() const {
    return stack_->currentWidget() == grid_ ||
           (stack_->currentWidget() == heatmap_ && heatmapRows_ == HeatmapRows::Heads);
}
bool AttentionView::showingBars() const { return stack_->currentWidget() == bars_; }
bool AttentionView::showingPlaceholder() const { return stack_->currentWidget() == placeholderPage_; }
QString AttentionView::placeholderText() const { return showingPlaceholder() ? placeholder_->text() : QString(); }

QStringList AttentionView::nodeNames() const {
    QStringList names;
    for (const auto& n : nodes_) names << n.name;
    return names;
}

QStringList AttentionView::headChoices() const {
    QStringList out;
    if (headCombo_->isHidden()) return out;
    for (int k = 0; k < headCombo_->count(); ++k)
        if (!headCombo_->itemText(k).isEmpty()) out << headCombo_->itemText(k);
    return out;
}

const AttentionNodeInfo* AttentionView::info(const QString& name) const {
    for (const auto& n : nodes_)
        if (n.name == name) return &n;
    return nullptr;
}

int AttentionView::tokenOfCell(int row, int column) const {
    // A cell stands for its query token (the row): "what does this token look
    // at". A query pooled to one row has no token; then the key stands in.
    const int count = tokenCount();
    if (row < 0 || column < 0) return -1;
    // feature_attention's rows are features, even when there are as many as tokens.
    if (const auto* n = info(shownNode_); n && n->op == lstmscope::OpKind::FeatureAttention)
        return column < count ? column : -1;
    if (summarized_) {
        if (rowAxis_.total == count) return rowAxis_.firstPosition(row);
        if (columnAxis_.total == count) return columnAxis_.firstPosition(column);
        return -1;
    }
    if (heatmapRows_ == HeatmapRows::Tokens && shown_.rows() == count) return row;
    if (shown_.cols() == count) return column;
    return -1;
}

int AttentionView::tokenCount() const {
    const auto* trace = document_->trace();
    return trace ? static_cast<int>(trace->tokens.size()) : 0;
}

void AttentionView::onModelOrTrace() { refresh(); }

void AttentionView::showPlaceholder(const QString& text, const QString& detail) {
    nodes_.clear();
    shownNode_.clear();
    shownHead_ = 0;
    shown_ = lstmscope::Matrix();
    heatmapRows_ = HeatmapRows::Tokens;
    highlightedToken_ = -1;
    {
        const QSignalBlocker block(nodeCombo_);
        nodeCombo_->clear();
    }
    toolbar_->hide();
    banner_->hide();
    summarized_ = false;
    gridHeads_.clear();
    placeholder_->setText(text);
    placeholderDetail_->setText(detail);
    placeholderDetail_->setVisible(!detail.isEmpty());
    stack_->setCurrentWidget(placeholderPage_);
    // Drop the old matrices so a stale hover cannot report tokens that are gone.
    heatmap_->clear();
    grid_->clear();
    bars_->clear();
}

void AttentionView::refresh() {
    const auto* model = document_->model();
    const auto* trace = document_->trace();
    if (!model)
        return showPlaceholder(tr("No model loaded"), tr("Open a model to see the weights of its attention nodes."));
    const bool hasAttention = std::any_of(model->nodes.begin(), model->nodes.end(),
                                          [](const lstmscope::Node& n) { return isAttentionOp(n.op); });
    const QString noAttentionDetail =
        tr("Attention weights appear here for models with an attention, attention_pool, multihead_attention or "
           "feature_attention node.");
    if (!hasAttention) return showPlaceholder(tr("This model has no attention node"), noAttentionDetail);
    if (!trace) {
        const QString error = document_->runError();
        if (error.isEmpty()) return showPlaceholder(tr("No text yet"), tr("Type a text to see the attention weights."));
        return showPlaceholder(tr("The model could not run on this text"), error);
    }
    if (!trace->complete())
        return showPlaceholder(tr("Computing the attention…"),
                               tr("%n tokens: the attention takes a while on a text this long; the tokens and the "
                                  "LSTM are shown already.",
                                  nullptr, static_cast<int>(trace->tokens.size())));
    nodes_ = attentionNodes(*trace);
    if (nodes_.empty()) return showPlaceholder(tr("This model has no attention node"), noAttentionDetail);
    fillNodeChooser();

    // Read-only: a node this trace lacks (the selection is empty, or names a
    // node of a model that is gone) is shown as view_choice's fallback.
    const auto choice = lstmscope::analysis::resolve_attention(*trace, selection_->attentionNode().toStdString(),
                                                               selection_->head());
    const AttentionNodeInfo* node = info(QString::fromStdString(choice.name));
    if (!node) node = &nodes_.front();
    const bool multi = node->op == lstmscope::OpKind::MultiheadAttention && node->heads > 1;
    const int head = choice.head;
    if (node->name != shownNode_) windowMode_ = false;  // a window belongs to its node
    // feature_attention: one row per feature of its input, not per token.
    const bool perFeature = node->op == lstmscope::OpKind::FeatureAttention;
    const lstmscope::NodeTrace* nt = findNode(*trace, node->name);
    const QStringList tokens = tokenLabels(*trace);
    // Query rows are tokens only when the query is the sequence: a learned
    // query of k rows on a k-token text still gets numbered rows.
    const bool rowsAreTokens = attentionRowsAreTokens(document_->model(), *nt, static_cast<int>(tokens.size()));
    // One weight per token (a pool, or an attention whose query is one row,
    // not the text), or a pool's hops: read through attention_rows, which
    // recomputes what a long text did not keep, so never shown as a summary.
    // (A self-attention over a one-token text stays a 1 x 1 heatmap.)
    const bool oneRow = node->rows == 1 && !perFeature && !rowsAreTokens;
    const bool hops = node->op == lstmscope::OpKind::AttentionPool && node->rows > 1;
    summarized_ = node->summarized && !oneRow && !hops;
    if (!summarized_) windowMode_ = false;
    banner_->setVisible(summarized_);
    wholeTextButton_->setVisible(summarized_ && windowMode_);
    shownNode_ = node->name;
    shownHead_ = head;
    {
        const QSignalBlocker block(nodeCombo_);
        nodeCombo_->setCurrentIndex(static_cast<int>(node - nodes_.data()));
    }
    fillHeadChooser(*node);
    toolbar_->show();

    const int rows = node->rows, cols = node->columns;
    const QStringList rowLabels = perFeature      ? sideLabels({}, rows, QStringLiteral("f"))
                                  : rowsAreTokens ? tokens
                                                  : sideLabels({}, rows, QStringLiteral("q"));
    const QStringList columnLabels = sideLabels(tokens, cols, QStringLiteral("k"));

    // Step-through: an attention not reached yet is not shown; one being
    // computed row by row shows the rows done so far.
    int rowsDone = rows;
    const StepContext step = stepContext(document_, selection_);
    if (step.active()) {
        const int index = static_cast<int>(nt - trace->nodes.data());
        if (!step.reveal.node_started(index) || (!step.reveal.node_done(index) && (oneRow || hops || perFeature || (multi && allHeads_))))
            return showPlaceholder(tr("Not computed yet"),
                                   tr("%1 is computed at a later step of the walk (now at step %2 of %3).")
                                       .arg(shownNode_)
                                       .arg(step.step + 1)
                                       .arg(step.plan.size()));
        if (!step.reveal.node_done(index)) rowsDone = step.reveal.rows_done;
        if (summarized_ && rowsDone < rows)
            return showPlaceholder(tr("Not computed yet"),
                                   tr("The text is long: %1 appears when its last row is computed.").arg(shownNode_));
    }
    const QString weight = tr("weight");
    heatmap_->setTooltipNames(perFeature ? tr("feature") : tr("query"), tr("key"), weight);
    grid_->setTooltipNames(tr("query"), tr("key"), weight);

    // White-space tokens: their tooltips say what the ␣ ↵ ⇥ marks stand for.
    const QStringList tips = tokenTooltipLabels(*trace);
    const QStringList columnTips = cols == tokens.size() ? tips : QStringList();
    heatmapRows_ = rowsAreTokens ? HeatmapRows::Tokens : HeatmapRows::Other;

    if (hops) {
        showHops(choice, *node, columnLabels, columnTips);
    } else if (oneRow && multi && allHeads_) {
        showHeadRows(choice, *node, columnLabels, columnTips);
    } else if (oneRow) {
        showBars(choice, *node, columnLabels, columnTips);
    } else if (summarized_) {
        showLongText(choice, multi && allHeads_, tokens);
        if (showingPlaceholder()) return;
    } else if (multi && allHeads_) {
        shown_ = nt->attention[static_cast<size_t>(std::max(0, head))];
        grid_->setHeads(nt->attention, rowLabels, columnLabels);
        grid_->setTooltipLabels(heatmapRows_ == HeatmapRows::Tokens ? tips : QStringList(), columnTips);
        grid_->setCurrentHead(head);
        stack_->setCurrentWidget(grid_);
        info_->setText(tr("%1 × %2 · multihead_attention").arg(rows).arg(cols));
    } else {
        // The head average is a summary of recorded weights, computed once
        // in engine/analysis: each row still sums to 1, so it reads like one
        // more head.
        shown_ = lstmscope::analysis::attention_matrix(choice);
        // Rows not computed yet are blank (NaN: the plot's background).
        if (rowsDone < rows) shown_.bottomRows(rows - rowsDone).setConstant(std::numeric_limits<float>::quiet_NaN());
        heatmap_->setAxisTitles(cols == static_cast<int>(tokens.size()) ? tr("key token") : tr("key"),
                                perFeature ? tr("feature (each has its own weights over the tokens)")
                                : rowsAreTokens ? tr("query token")
                                                : tr("query"));
        heatmap_->setData(shown_, rowLabels, columnLabels);
        heatmap_->setTooltipLabels(heatmapRows_ == HeatmapRows::Tokens ? tips : QStringList(), columnTips);
        stack_->setCurrentWidget(heatmap_);
        info_->setText(tr("%1 × %2 · %3").arg(rows).arg(cols).arg(opName(node->op)));
    }
    applyRange();
    updateHighlights();
    updateTau();
}

void AttentionView::applyRange() {
    lower_ = 0;
    upper_ = 1;
    // A summary's shares are small and close together (a row of 256 bins
    // sums to 1): always stretched to the range shown, and labelled so.
    const bool summary = showingSummary();
    if (fitRange_ || summary) {
        // The smallest to the largest weight on screen (over every head in
        // the grid, so tiles stay comparable): what the user asks for when the
        // fixed scale shows a flat colour, as for the near-uniform weights of
        // a long text. The legend then names the stretched range.
        double low = 0, high = 0;
        bool any = false;
        auto take = [&](const lstmscope::Matrix& m) {
            if (m.size() == 0) return;
            low = any ? std::min(low, double(m.minCoeff())) : m.minCoeff();
            high = any ? std::max(high, double(m.maxCoeff())) : m.maxCoeff();
            any = true;
        };
        if (showingAllHeads() && summarized_) {
            for (const auto& m : gridHeads_) take(m);
        } else if (showingAllHeads()) {
            const auto* nt = document_->trace() ? findNode(*document_->trace(), shownNode_) : nullptr;
            if (nt)
                for (const auto& m : nt->attention) take(m);
        } else {
            take(shown_);
        }
        if (any && high - low > 1e-7) lower_ = low, upper_ = high;
        else if (any && high > 0) upper_ = high;  // one flat value: keep 0 as the bottom
    }
    const QString label = summary     ? tr("share of attention (fitted)")
                          : fitRange_ ? tr("attention weight (fitted)")
                                      : tr("attention weight");
    heatmap_->setValueRange(lower_, upper_);
    heatmap_->setColorScaleLabel(label);
    grid_->setValueRange(lower_, upper_);
    grid_->setLegendLabel(label);
    bars_->setValueRange(lower_, upper_);
    bars_->setColorScaleLabel(label);
}

void AttentionView::updateHighlights() {
    const int t = selection_->token();
    const int count = tokenCount();
    const bool valid = t >= 0 && t < count && !showingPlaceholder();
    if (summarized_ && valid) {
        // A window follows the selected query; a summary outlines its bins.
        if (windowMode_ && rowAxis_.total == count && rowAxis_.cellOf(t) < 0) {
            windowRow_ = windowStartAround(t, rowAxis_.total);
            refresh();  // ends here again, with t inside the window
            return;
        }
        const int lastToken = std::min(selection_->tokenLast(), count - 1);
        auto cells = [&](const CellAxis& axis, int* first, int* last) {
            *first = axis.total == count ? axis.cellOf(t) : -1;
            *last = *first >= 0 ? std::max(*first, axis.cellOf(std::max(t, lastToken))) : -1;
            if (*first >= 0 && *last < 0) *last = axis.count - 1;  // the range runs out of the window
        };
        int r0, r1, c0, c1;
        cells(rowAxis_, &r0, &r1);
        cells(columnAxis_, &c0, &c1);
        heatmap_->setHighlightedRows(r0, r1);
        heatmap_->setHighlightedColumns(c0, c1);
        grid_->setHighlightedRows(r0, r1);
        grid_->setHighlightedColumns(c0, c1);
        highlightedToken_ = r0 >= 0 || c0 >= 0 ? t : -1;
        return;
    }
    const int row = valid && !summarized_ && heatmapRows_ == HeatmapRows::Tokens && shown_.rows() == count ? t : -1;
    const int column = valid && !summarized_ && shown_.cols() == count ? t : -1;
    // A range when another pane's word selects several character tokens here.
    int last = valid ? std::min(selection_->tokenLast(), count - 1) : -1;
    // Stepping through this node row by row: the row being computed is the
    // one outlined, as the token strip marks the timestep being computed.
    if (const int stepRow = stepRowOfShownNode(); stepRow >= 0 && stepRow < shown_.rows() && !showingPlaceholder()) {
        heatmap_->setHighlightedRows(stepRow, stepRow);
        heatmap_->setHighlightedColumns(-1, -1);
        grid_->setHighlightedRows(stepRow, stepRow);
        grid_->setHighlightedColumns(-1, -1);
        bars_->setHighlightedBars(-1, -1);
        highlightedToken_ = -1;
        return;
    }
    // The selected token is outlined both as a query (row) and as a key
    // (column); one query's heads outline the head the view was showing.
    if (heatmapRows_ == HeatmapRows::Heads && shownHead_ >= 0) heatmap_->setHighlightedRows(shownHead_, shownHead_);
    else heatmap_->setHighlightedRows(row, row >= 0 ? last : -1);
    heatmap_->setHighlightedColumns(column, column >= 0 ? last : -1);
    grid_->setHighlightedRows(row, row >= 0 ? last : -1);
    grid_->setHighlightedColumns(column, column >= 0 ? last : -1);
    bars_->setHighlightedBars(column, column >= 0 ? last : -1);
    highlightedToken_ = row >= 0 || column >= 0 ? t : -1;
}

int AttentionView::stepRowOfShownNode() const {
    const lstmscope::Trace* trace = document_->trace();
    if (!trace || !selection_->stepping()) return -1;
    const StepContext step = stepContext(document_, selection_);
    const auto* current = step.current();
    if (!current || current->kind != lstmscope::analysis::ComputationStep::Kind::AttentionRow) return -1;
    const lstmscope::NodeTrace* nt = findNode(*trace, shownNode_);
    if (!nt || current->node != static_cast<int>(nt - trace->nodes.data())) return -1;
    return current->token;
}

void AttentionView::pickNode(int comboIndex) {
    if (comboIndex < 0 || comboIndex >= static_cast<int>(nodes_.size())) return;
    const AttentionNodeInfo& node = nodes_[static_cast<size_t>(comboIndex)];
    int head = 0;
    if (node.heads > 1) {
        // Keep the head when moving between multi-head nodes that both have it.
        const AttentionNodeInfo* old = info(shownNode_);
        const bool keep = old && old->heads > 1 && shownHead_ < node.heads;
        head = keep ? shownHead_ : -1;
    }
    selection_->setAttention(node.name, head);
    refresh();
}

void AttentionView::pickHead(int comboIndex) {
    const int head = headCombo_->itemData(comboIndex).toInt();
    if (head == kAllHeadsEntry) {
        setShowAllHeads(true);
        return;
    }
    allHeads_ = false;
    selection_->setAttention(shownNode_, head);
    refresh();
}

void AttentionView::setShowAllHeads(bool all) {
    allHeads_ = all;
    refresh();
}

void AttentionView::pickToken(int token) {
    if (token >= 0 && token < tokenCount()) selection_->setToken(token);
}

void AttentionView::hoverToken(int token) {
    // Collected for a moment: sweeping over a 300-token heatmap must not
    // repaint every other view once per cell.
    pendingHover_ = token;
    hoverTimer_.start();
}

void AttentionView::setSequentialColorMap(ColorMap map) {
    colorMap_ = map;
    heatmap_->setColorMap(map);
    grid_->setColorMap(map);
    bars_->setColorMap(map);
}

void AttentionView::setFitRangeToData(bool fit) {
    fitRange_ = fit;
    {
        const QSignalBlocker block(fitCheck_);
        fitCheck_->setChecked(fit);
    }
    applyRange();
}
