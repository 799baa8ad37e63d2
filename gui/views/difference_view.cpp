#include "gui/views/difference_view.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "engine/analysis/prediction_diff.h"
#include "engine/analysis/token_links.h"
#include "engine/analysis/view_choice.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/plots/two_curve_plot.h"
#include "gui/gate_quantities.h"
#include "gui/trace_labels.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/workspace.h"

namespace analysis = lstmscope::analysis;

namespace {

QString number(double v, int digits = 3) {
    return std::isfinite(v) ? QString::number(v, 'f', digits) : QStringLiteral("—");
}

QString signedNumber(double v) {
    if (!std::isfinite(v)) return QStringLiteral("—");
    return (v > 0 ? QStringLiteral("+") : v < 0 ? QStringLiteral("−") : QString()) + QString::number(std::abs(v), 'f', 3);
}

// A group's column label: the text once when both sides read the same,
// "+word" for a word only B has, "−word" for one only A has, "a|b" for two
// tokenisations that cut differently.
QString groupLabel(const analysis::AlignedGroup& g) {
    const QString a = QString::fromStdString(g.text_a), b = QString::fromStdString(g.text_b);
    if (g.first_a < 0) return QStringLiteral("+") + b;
    if (g.first_b < 0) return QStringLiteral("−") + a;
    if (a == b || b.isEmpty()) return a;
    if (a.isEmpty()) return b;
    return a.size() >= b.size() ? a : b;
}

}  // namespace

DifferenceView::DifferenceView(Workspace* workspace, QWidget* parent) : QWidget(parent), workspace_(workspace) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);

    auto* bar = new QHBoxLayout;
    auto addChooser = [&](const QString& label, QComboBox*& box, const QColor& colour) {
        auto* l = new QLabel(label, this);
        l->setStyleSheet(QStringLiteral("color: %1; font-weight: bold").arg(colour.name()));
        box = new QComboBox(this);
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        box->setToolTip(tr("The attention distribution of this side: pooling weights, or the attention row of the "
                           "selected token (heads averaged unless that pane shows one head)"));
        l->setBuddy(box);
        bar->addWidget(l);
        bar->addWidget(box);
        connect(box, qOverload<int>(&QComboBox::activated), this, &DifferenceView::refreshAttention);
    };
    addChooser(tr("A:"), nodeA_, Pane::colorOf(Pane::Side::A));
    bar->addSpacing(8);
    addChooser(tr("B:"), nodeB_, Pane::colorOf(Pane::Side::B));
    bar->addSpacing(12);
    metrics_ = new QLabel(this);
    metrics_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont strong = metrics_->font();
    strong.setBold(true);
    metrics_->setFont(strong);
    metrics_->setToolTip(tr("Over the aligned tokens (words and their characters, or the words of two texts):\n"
                            "Jensen-Shannon divergence in bits (0 same, 1 disjoint),\n"
                            "Kendall's tau-b of the two rankings (1 same order, −1 reversed),\n"
                            "how many of A's three most attended items are among B's three."));
    bar->addWidget(metrics_, 1);
    layout->addLayout(bar);

    message_ = new QLabel(this);
    message_->setForegroundRole(QPalette::PlaceholderText);
    message_->setWordWrap(true);
    layout->addWidget(message_);

    auto* split = new QSplitter(Qt::Horizontal, this);
    tabs_ = new QTabWidget(split);
    auto* plots = new QWidget(tabs_);
    auto* plotLayout = new QVBoxLayout(plots);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    plotLayout->setSpacing(0);
    strips_ = new HeatmapPlot(plots);
    strips_->setTooltipNames(tr("side"), tr("text"), tr("weight"));
    strips_->setColorScaleLabel(tr("weight"));
    difference_ = new HeatmapPlot(plots);
    difference_->setColorMap(ColorMap::Diverging);
    difference_->setTooltipNames(tr("side"), tr("text"), tr("A − B"));
    difference_->setColorScaleLabel(tr("A − B"));
    plotLayout->addWidget(strips_, 1);
    plotLayout->addWidget(difference_, 1);
    tabs_->addTab(plots, tr("Attention over the text"));

    auto* matrixPage = new QWidget(tabs_);
    auto* matrixLayout = new QVBoxLayout(matrixPage);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    matrixMessage_ = new QLabel(matrixPage);
    matrixMessage_->setWordWrap(true);
    matrixMessage_->setForegroundRole(QPalette::PlaceholderText);
    matrixDiff_ = new HeatmapPlot(matrixPage);
    matrixDiff_->setColorMap(ColorMap::Diverging);
    matrixDiff_->setTooltipNames(tr("query"), tr("key"), tr("A − B"));
    matrixDiff_->setColorScaleLabel(tr("weight A − B"));
    matrixDiff_->setAxisTitles(tr("key token"), tr("query token"));
    matrixLayout->addWidget(matrixMessage_);
    matrixLayout->addWidget(matrixDiff_, 1);
    tabs_->addTab(matrixPage, tr("Attention matrix A − B"));

    auto* curvePage = new QWidget(tabs_);
    auto* curveLayout = new QVBoxLayout(curvePage);
    curveLayout->setContentsMargins(0, 0, 0, 0);
    auto* curveBar = new QHBoxLayout;
    quantity_ = new QComboBox(curvePage);
    // Filled by fillQuantities() with the quantities of the node's kind
    // (gate_quantities.h), h first; each item's data is its Quantity.
    fillQuantities(gate_quantities::CellKind::Lstm);
    quantity_->setToolTip(tr("The quantity of the selected unit plotted for both texts"));
    curveBar->addWidget(new QLabel(tr("Selected unit:"), curvePage));
    curveBar->addWidget(quantity_);
    curveBar->addStretch(1);
    curves_ = new TwoCurvePlot(curvePage);
    curveLayout->addLayout(curveBar);
    curveLayout->addWidget(curves_, 1);
    tabs_->addTab(curvePage, tr("Same unit, two texts"));
    connect(quantity_, &QComboBox::currentIndexChanged, this, &DifferenceView::refreshCurves);
    split->addWidget(tabs_);

    auto* prediction = new QWidget(split);
    auto* predictionLayout = new QVBoxLayout(prediction);
    predictionLayout->setContentsMargins(0, 0, 0, 0);
    table_ = new QTableWidget(0, 4, prediction);
    table_->setHorizontalHeaderLabels({tr("class"), tr("A"), tr("B"), tr("B − A")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    predictionNote_ = new QLabel(prediction);
    predictionNote_->setWordWrap(true);
    predictionLayout->addWidget(table_, 1);
    predictionLayout->addWidget(predictionNote_);
    split->addWidget(prediction);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    for (Pane* pane : {workspace_->paneA(), workspace_->paneB()}) {
        if (!pane) continue;
        connect(pane->document(), &Document::traceChanged, this, &DifferenceView::refresh);
        connect(pane->document(), &Document::modelChanged, this, &DifferenceView::refresh);
        connect(pane->selection(), &Selection::tokenChanged, this, &DifferenceView::refreshAttention);
        connect(pane->selection(), &Selection::attentionChanged, this, &DifferenceView::refreshAttention);
        connect(pane->selection(), &Selection::attentionChanged, this, &DifferenceView::refreshMatrix);
        connect(pane->selection(), &Selection::unitChanged, this, &DifferenceView::refreshCurves);
        connect(pane->selection(), &Selection::lstmChanged, this, &DifferenceView::refreshCurves);
    }
    connect(workspace_, &Workspace::alignmentChanged, this, &DifferenceView::refreshAttention);
    connect(workspace_, &Workspace::alignmentChanged, this, &DifferenceView::refreshCurves);
    refresh();
}

void DifferenceView::setSequentialColorMap(ColorMap map) {
    map_ = map;
    strips_->setColorMap(map);
}

void DifferenceView::refresh() {
    fillChooser(nodeA_, workspace_->paneA());
    fillChooser(nodeB_, workspace_->paneB());
    refreshAttention();
    refreshPrediction();
    refreshMatrix();
    refreshCurves();
}

void DifferenceView::fillChooser(QComboBox* box, Pane* pane) {
    const auto* trace = pane ? pane->document()->trace() : nullptr;
    QStringList names, texts, needNoClick;
    if (trace)
        for (const auto& n : analysis::attention_nodes(*trace)) {
            names << QString::fromStdString(n.name);
            const bool pool = n.op == lstmscope::OpKind::AttentionPool;
            const bool rowsAreTokens = attentionRowsAreTokens(pane->document()->model(), *trace->find(n.name),
                                                              static_cast<int>(trace->tokens.size()));
            // Weights that need no click (a pool, a query that is not the text) come first.
            if (!rowsAreTokens) needNoClick << names.back();
            texts << (pool && n.rows > 1 ? tr("%1 · pooling weights, mean of %n hops", nullptr, n.rows).arg(names.back())
                      : pool             ? tr("%1 · pooling weights").arg(names.back())
                      : rowsAreTokens    ? tr("%1 · row of the selected token").arg(names.back())
                      : n.rows == 1      ? tr("%1 · weights of its one query").arg(names.back())
                                         : tr("%1 · mean of its %n query rows", nullptr, n.rows).arg(names.back()));
        }
    QStringList have;
    for (int k = 0; k < box->count(); ++k) have << box->itemData(k).toString();
    if (have == names) return;
    const QString current = box->currentData().toString();
    const QSignalBlocker block(box);
    box->clear();
    for (int k = 0; k < names.size(); ++k) box->addItem(texts[k], names[k]);
    // Pooling weights first: they need no click to mean something.
    int index = names.indexOf(current);
    if (index < 0 && !needNoClick.isEmpty()) index = names.indexOf(needNoClick.front());
    box->setCurrentIndex(index < 0 ? 0 : index);
    box->setEnabled(names.size() > 1);
}

std::optional<std::vector<double>> DifferenceView::distribution(Pane* pane, QComboBox* box, QString* why) const {
    const auto* trace = pane ? pane->document()->trace() : nullptr;
    if (!trace || !trace->complete()) {
        *why = tr("Pane %1 has no trace yet.").arg(pane ? pane->badge() : QStringLiteral("B"));
        return std::nullopt;
    }
    const std::string name = box->currentData().toString().toStdString();
    const Selection* s = pane->selection();
    // The pane's own head when it shows this node, else the average.
    const int head = s->attentionNode().toStdString() == name ? s->head() : -1;
    const auto choice = analysis::resolve_attention(*trace, name, head);
    if (!choice.node) {
        *why = tr("Model %1 has no attention node.").arg(pane->badge());
        return std::nullopt;
    }
    const int T = static_cast<int>(trace->tokens.size());
    if (analysis::attention_column_count(*choice.node) != T) {
        *why = tr("%1's weights are not one per token.").arg(QString::fromStdString(choice.name));
        return std::nullopt;
    }
    // A pool's rows are its hops, compared as their mean (a distribution
    // too); so are the rows of a query that is not the text (one row: itself).
    const int rows = analysis::attention_row_count(*choice.node);
    const bool rowsAreTokens = attentionRowsAreTokens(pane->document()->model(), *choice.node, T);
    int row = 0;
    if (rowsAreTokens) {
        row = s->token();
        if (row < 0) {
            *why = tr("Click a token to compare what it attends to in A and in B.");
            return std::nullopt;
        }
    }
    // Recorded, or recomputed for a long text's node.
    const int count = rowsAreTokens ? 1 : rows;
    const lstmscope::Matrix m = analysis::attention_rows(choice, row, count);
    if (m.rows() != count || count < 1) {
        *why = tr("The selected token has no attention row in %1.").arg(pane->badge());
        return std::nullopt;
    }
    std::vector<double> weights(static_cast<size_t>(T));
    for (int k = 0; k < T; ++k) weights[static_cast<size_t>(k)] = m.col(k).mean();
    return weights;
}

void DifferenceView::refreshAttention() {
    compared_.reset();
    Pane* a = workspace_->paneA();
    Pane* b = workspace_->paneB();
    QString why;
    std::optional<std::vector<double>> wa, wb;
    if (!b) why = tr("Open a second model (File > Compare with model) or pin the text (Ctrl+P).");
    else if (nodeA_->count() == 0 || nodeB_->count() == 0) why = tr("Both models need an attention node to compare attention.");
    else if ((wa = distribution(a, nodeA_, &why)) && (wb = distribution(b, nodeB_, &why))) {
        compared_ = analysis::align_distributions(a->document()->trace()->tokens, *wa, b->document()->trace()->tokens,
                                                  *wb, workspace_->alignment());
    }
    message_->setText(why);
    message_->setVisible(!why.isEmpty());
    // Empty axes say nothing: the plots show only when there is a comparison.
    const bool shown = compared_ && !compared_->groups.empty();
    strips_->setVisible(shown);
    difference_->setVisible(shown);
    if (!shown) {
        strips_->clear();
        difference_->clear();
        metrics_->clear();
        return;
    }
    const auto& groups = compared_->groups;
    const int n = static_cast<int>(groups.size());
    lstmscope::Matrix sides(2, n), diff(1, n);
    QStringList labels;
    double top = 0, spread = 0;
    for (int k = 0; k < n; ++k) {
        sides(0, k) = static_cast<float>(groups[k].mass_a);
        sides(1, k) = static_cast<float>(groups[k].mass_b);
        diff(0, k) = static_cast<float>(groups[k].mass_a - groups[k].mass_b);
        top = std::max({top, groups[k].mass_a, groups[k].mass_b});
        spread = std::max(spread, std::abs(groups[k].mass_a - groups[k].mass_b));
        labels << groupLabel(groups[k]);
    }
    // A and B share one scale (so equal colours are equal weights); the
    // difference is symmetric around white.
    strips_->setColorMap(map_);
    strips_->setValueRange(0, top > 0 ? top : 1);
    strips_->setData(sides, {tr("A"), tr("B")}, labels);
    difference_->setValueRange(-(spread > 0 ? spread : 1), spread > 0 ? spread : 1);
    difference_->setData(diff, {tr("A − B")}, labels);
    metrics_->setText(metricsText());
}

QString DifferenceView::metricsText() const {
    if (!compared_) return QString();
    const auto& c = *compared_;
    const int k = std::min<int>(3, static_cast<int>(c.groups.size()));
    return tr("JS divergence %1 bits · Kendall τ %2 · top-3 overlap %3/%4")
        .arg(number(c.js_divergence))
        .arg(number(c.kendall_tau, 2))
        .arg(std::isfinite(c.top3_overlap) ? QString::number(std::lround(c.top3_overlap * k)) : QStringLiteral("—"))
        .arg(k);
}

QString DifferenceView::attentionMessage() const { return message_->text(); }

void DifferenceView::refreshPrediction() {
    table_->setRowCount(0);
    predictionNote_->clear();
    Pane* b = workspace_->paneB();
    const auto* ta = workspace_->paneA()->document()->trace();
    const auto* tb = b ? b->document()->trace() : nullptr;
    if (!ta || !tb) return;
    if (!ta->complete() || !tb->complete()) {
        predictionNote_->setText(tr("Computing…"));
        return;
    }
    const auto diff = analysis::compare_predictions(*ta, *tb);
    if (!diff.not_comparable.empty()) {
        predictionNote_->setText(tr("Predictions not compared: %1.").arg(QString::fromStdString(diff.not_comparable)));
        return;
    }
    table_->setRowCount(static_cast<int>(diff.classes.size()));
    for (int r = 0; r < static_cast<int>(diff.classes.size()); ++r) {
        const auto& c = diff.classes[r];
        auto* label = new QTableWidgetItem(QString::fromStdString(c.label));
        auto* va = new QTableWidgetItem(number(c.a));
        auto* vb = new QTableWidgetItem(number(c.b));
        auto* change = new QTableWidgetItem(signedNumber(c.change()));
        for (auto* item : {va, vb, change}) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        // The decision of each side in its pane's colour.
        if (r == diff.argmax_a) va->setForeground(Pane::colorOf(Pane::Side::A).darker(120));
        if (r == diff.argmax_b) vb->setForeground(Pane::colorOf(Pane::Side::B).darker(140));
        QFont bold = va->font();
        bold.setBold(true);
        if (r == diff.argmax_a) va->setFont(bold);
        if (r == diff.argmax_b) vb->setFont(bold);
        table_->setItem(r, 0, label);
        table_->setItem(r, 1, va);
        table_->setItem(r, 2, vb);
        table_->setItem(r, 3, change);
    }
    if (diff.argmax_a < 0 || diff.argmax_b < 0) return;
    predictionNote_->setText(diff.same_decision() ? tr("Same decision.")
                                                  : tr("Different decisions: A says %1, B says %2.")
                                                        .arg(QString::fromStdString(diff.classes[diff.argmax_a].label),
                                                             QString::fromStdString(diff.classes[diff.argmax_b].label)));
}

bool DifferenceView::matrixDifferenceAvailable() const { return matrixDiff_->rowCount() > 0; }

void DifferenceView::refreshMatrix() {
    matrixDiff_->clear();
    Pane* b = workspace_->paneB();
    const auto* ta = workspace_->paneA()->document()->trace();
    const auto* tb = b ? b->document()->trace() : nullptr;
    auto say = [this](const QString& text) {
        matrixMessage_->setText(text);
        matrixMessage_->setVisible(!text.isEmpty());
    };
    if (!ta || !tb || !ta->complete() || !tb->complete()) return say(tr("Both panes need a trace."));
    if (!analysis::same_tokens(ta->tokens, tb->tokens))
        return say(tr("The two sides tokenise differently, so their matrices have no common cells: compare the "
                      "attention over the text instead, aligned by characters."));
    // Each pane's own node and head (a pane showing no multi-head node gets
    // its first matrix node, heads averaged).
    auto pick = [](Pane* pane) {
        const Selection* s = pane->selection();
        return analysis::resolve_attention(*pane->document()->trace(), s->attentionNode().toStdString(), s->head(),
                                           analysis::AttentionKind::Matrix);
    };
    const auto ca = pick(workspace_->paneA());
    const auto cb = pick(b);
    if (!ca.node || !cb.node || ca.node->op == lstmscope::OpKind::AttentionPool ||
        cb.node->op == lstmscope::OpKind::AttentionPool)
        return say(tr("Both models need a self-attention or multi-head attention node for a matrix difference."));
    if (!ca.node->attention_complete() || !cb.node->attention_complete())
        return say(tr("The text is too long for an exact difference heatmap (its weights are not kept); compare "
                      "single rows in the strips above, or shorten the text."));
    const lstmscope::Matrix ma = analysis::attention_matrix(ca);
    const lstmscope::Matrix mb = analysis::attention_matrix(cb);
    if (ma.rows() != mb.rows() || ma.cols() != mb.cols()) return say(tr("The two matrices differ in shape."));
    const lstmscope::Matrix diff = ma - mb;
    const double spread = diff.size() ? std::max<double>(diff.cwiseAbs().maxCoeff(), 1e-6) : 1.0;
    auto describe = [](const analysis::AttentionChoice& c) {
        return QString::fromStdString(c.name) +
               (c.head < 0 && c.node->attention.size() > 1 ? tr(" (head average)")
                : c.node->attention.size() > 1          ? tr(" (head %1)").arg(c.head + 1)
                                                        : QString());
    };
    say(tr("A: %1 minus B: %2; colours symmetric over ±%3.").arg(describe(ca), describe(cb), number(spread)));
    const QStringList labels = tokenLabels(*ta);
    matrixDiff_->setValueRange(-spread, spread);
    matrixDiff_->setData(diff, labels, labels);
}

void DifferenceView::refreshCurves() {
    if (workspace_->mode() != Workspace::Mode::TwoTexts)
        return curves_->clearSeries(tr("Pin a text (Ctrl+P) to see the same unit on two texts."));
    const auto* ta = workspace_->paneA()->document()->trace();
    const auto* tb = workspace_->paneB()->document()->trace();
    if (!ta || !tb) return curves_->clearSeries(tr("Both texts need a trace."));
    const Selection* s = workspace_->paneA()->selection();
    const auto la = analysis::resolve_lstm(*ta, s->lstmNode().toStdString(), s->layer(), s->direction());
    const auto lb = analysis::resolve_lstm(*tb, la.node, la.layer, la.direction);
    if (!la.gates || !lb.gates) return curves_->clearSeries(tr("This model has no LSTM or GRU."));
    fillQuantities(gate_quantities::kindOf(*la.gates));
    const int unit = s->unit();
    if (unit < 0 || unit >= la.gates->h.cols())
        return curves_->clearSeries(tr("Pick a unit: click a row of a gates heatmap."));
    const lstmscope::GateTrace* gates[2] = {la.gates, lb.gates};
    const int q = quantity_->currentData().toInt();
    auto column = [q, unit](const lstmscope::GateTrace& g, int t) -> double {
        const lstmscope::Matrix& m = gate_quantities::matrixOf(g, q);
        return t < m.rows() && unit < m.cols() ? double(m(t, unit)) : std::nan("");
    };
    // B's values under A's tokens, through the word alignment: a word B
    // lacks leaves a gap in B's line.
    const auto links = analysis::counterpart_tokens(ta->tokens, tb->tokens, workspace_->alignment());
    std::vector<double> a, b;
    for (int t = 0; t < static_cast<int>(ta->tokens.size()); ++t) {
        a.push_back(column(*gates[0], t));
        b.push_back(links[t] >= 0 ? column(*gates[1], links[t]) : std::nan(""));
    }
    const QString where = tr("unit %1 · %2").arg(unit).arg(QString::fromStdString(la.node));
    curves_->setSeries(tokenLabels(*ta), a, b, tr("A: main text"), tr("B: pinned text"), Pane::colorOf(Pane::Side::A),
                       Pane::colorOf(Pane::Side::B), gate_quantities::symbol(q) + QStringLiteral(" · ") + where);
}

void DifferenceView::fillQuantities(gate_quantities::CellKind kind) {
    // h first (what the model reads), then the kind's others in legend order.
    std::vector<int> order{gate_quantities::HiddenState};
    if (kind == gate_quantities::CellKind::Lstm) order.push_back(gate_quantities::CellState);
    for (int q : gate_quantities::shown(kind))
        if (q != gate_quantities::HiddenState && q != gate_quantities::CellState) order.push_back(q);
    bool same = quantity_->count() == static_cast<int>(order.size());
    for (int k = 0; same && k < quantity_->count(); ++k) same = quantity_->itemData(k).toInt() == order[size_t(k)];
    if (same) return;
    // Keep the chosen quantity when the other kind has it (h), else h.
    const int current = quantity_->count() ? quantity_->currentData().toInt() : gate_quantities::HiddenState;
    const QSignalBlocker block(quantity_);
    quantity_->clear();
    for (int q : order) quantity_->addItem(gate_quantities::name(q), q);
    const int at = quantity_->findData(current);
    quantity_->setCurrentIndex(at >= 0 ? at : 0);
}
