// Where the token strip's colours come from: the values of each "Colour
// by" source (an attention row or the pooling weights, the selected unit's
// h or c, leave-one-out importance) taken from a trace, with the caption
// and the hint shown when a source has nothing to show. Part of TokenStrip
// (gui/views/token_strip.h); the widget itself is in token_strip.cpp.
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/analysis/view_choice.h"
#include "engine/model.h"
#include "gui/corpus/leave_one_out.h"
#include "gui/trace_labels.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"

using lstmscope::OpKind;

namespace {

double nan() { return std::numeric_limits<double>::quiet_NaN(); }

QString quoted(const QString& s) { return QStringLiteral("“") + s + QStringLiteral("”"); }

}  // namespace

// The attention weights the chips show: one row of the chosen attention
// node (the selected token's) or the pooling weights.
void TokenStrip::takeAttentionValues(const lstmscope::Trace& trace) {
    const int T = static_cast<int>(trace.tokens.size());
    if (!trace.complete()) {
        hintText_ = tr("The attention of this long text is still being computed…");
        return;
    }
    auto labelOf = [&](int t) { return quoted(tokenLabel(trace.tokens[t])); };
    // The attention view's node when it fits this colouring, else the
    // shared fallback (view_choice.h): never written back.
    const auto choice = lstmscope::analysis::resolve_attention(
        trace, selection_ ? selection_->attentionNode().toStdString() : std::string(),
        selection_ ? selection_->head() : 0,
        source_ == Source::PoolWeights ? lstmscope::analysis::AttentionKind::Pool
                                       : lstmscope::analysis::AttentionKind::Matrix);
    const lstmscope::NodeTrace* node = choice.node;
    if (!node) {
        hintText_ = source_ == Source::PoolWeights
                        ? tr("This model has no attention_pool node: choose another colouring.")
                        : tr("This model has no attention: choose another colouring.");
    } else {
        const QString name = QString::fromStdString(node->name);
        const bool pool = node->op == OpKind::AttentionPool;
        // Rows that are not the tokens (a pool's hops, usually one; a query
        // of one row, or a learned query of several) are shown whichever
        // token is selected, as their mean when there are several.
        const int rows = lstmscope::analysis::attention_row_count(*node);
        const bool rowsAreTokens =
            attentionRowsAreTokens(document_ ? document_->model() : nullptr, *node, T);
        int row = 0;
        QString rowText;
        if (!rowsAreTokens && !pool) {
            rowText = rows == 1 ? tr("weights of its one query") : tr("mean of its %n query rows", nullptr, rows);
        } else if (rowsAreTokens) {
            row = selection_ ? selection_->token() : -1;
            if (row < 0)
                hintText_ = tr("Click a token to see what it attends to.");
            else if (row >= lstmscope::analysis::attention_row_count(*node))
                hintText_ = tr("The selected token has no attention row.");
            rowText = row >= 0 && row < T ? tr("attention of %1").arg(labelOf(row)) : QString();
        }
        if (hintText_.isEmpty()) {
            const int heads = lstmscope::analysis::attention_head_count(*node);
            const int head = choice.head;
            // One row: recorded, or recomputed for a long text's node. A
            // multi-hop pool: the mean of its hops (each sums to 1, so the
            // mean does too), and the caption says so.
            const int count = rowsAreTokens ? 1 : rows;
            const lstmscope::Matrix shown = lstmscope::analysis::attention_rows(choice, row, count);
            values_.assign(T, nan());
            const int cols = std::min<int>(T, static_cast<int>(shown.cols()));
            for (int k = 0; k < cols && shown.rows() > 0; ++k) values_[k] = shown.col(k).mean();
            double top = 0;
            for (double v : values_)
                if (std::isfinite(v)) top = std::max(top, v);
            rangeMax_ = top > 0 ? top : 1;
            valueName_ = tr("weight");
            QString where = name;
            if (node->op == OpKind::MultiheadAttention)
                where += head < 0 ? tr(", mean of %n heads", nullptr, heads) : tr(", head %1").arg(head + 1);
            if (pool && rows > 1) where += tr(", mean of %n hops", nullptr, rows);
            sourceCaption_ = pool ? tr("pooling weights (%1)").arg(where) : tr("%1 (%2)").arg(rowText, where);
        }
    }
}

// The selected unit's h or c at every token.
void TokenStrip::takeStateValues(const lstmscope::Trace& trace) {
    const int T = static_cast<int>(trace.tokens.size());
    const auto nodes = lstmNodes(trace);
    const QString stateName = source_ == Source::HiddenState ? QStringLiteral("h") : QStringLiteral("c");
    if (nodes.empty()) {
        hintText_ = tr("This model has no LSTM or GRU: choose another colouring.");
    } else {
        const auto choice = lstmscope::analysis::resolve_lstm(
            trace, selection_ ? selection_->lstmNode().toStdString() : std::string(),
            selection_ ? selection_->layer() : 0, selection_ ? selection_->direction() : lstmscope::Direction::Forward);
        const lstmscope::GateTrace* gates = choice.gates;
        const QString nodeName = QString::fromStdString(choice.node);
        const int layer = choice.layer;
        const auto direction = choice.direction;
        const int unit = selection_ ? selection_->unit() : -1;
        if (!gates) {
            hintText_ = tr("No gates recorded for this layer.");
        } else if (source_ == Source::CellState && gates->c.size() == 0) {
            hintText_ = tr("A GRU has no cell state: colour by the hidden state h instead.");
        } else if (unit < 0) {
            hintText_ = tr("Pick a unit: click a row of a gates heatmap.");
        } else if (unit >= gates->h.cols()) {
            hintText_ = tr("Unit %1 does not exist in %2 (%n units).", nullptr, static_cast<int>(gates->h.cols()))
                            .arg(unit)
                            .arg(nodeName);
        } else {
            const lstmscope::Matrix& m = source_ == Source::HiddenState ? gates->h : gates->c;
            values_.assign(T, nan());
            for (int k = 0; k < std::min<int>(T, static_cast<int>(m.rows())); ++k) values_[k] = m(k, unit);
            // Step-through: a state not computed yet has no colour.
            const StepContext step = stepContext(document_, selection_);
            if (step.active()) {
                const auto reveal = lstmscope::analysis::gates_reveal(step.plan, step.reveal, step.plan.lstm_node,
                                                                      layer, direction);
                const bool sameNode = step.plan.lstm_node >= 0 &&
                                      trace.nodes[static_cast<size_t>(step.plan.lstm_node)].name == choice.node;
                for (int k = 0; k < T && sameNode && reveal != lstmscope::analysis::GatesReveal::All; ++k)
                    if (reveal == lstmscope::analysis::GatesReveal::None || k < step.reveal.lstm_first ||
                        k > step.reveal.lstm_last)
                        values_[k] = nan();
            }
            valueName_ = stateName;
            QString where = nodeName;
            const auto info =
                std::find_if(nodes.begin(), nodes.end(), [&](const auto& n) { return n.name == nodeName; });
            if (info != nodes.end() && info->layers > 1) where += tr(", layer %1").arg(layer);
            if (info != nodes.end() && info->bidirectional)
                where += direction == lstmscope::Direction::Forward ? tr(", forward") : tr(", backward");
            sourceCaption_ = tr("%1 of unit %2 (%3)").arg(stateName).arg(unit).arg(where);
        }
    }
}

// Each token's leave-one-out importance: the total variation distance
// between the output with the token deleted and the full output, from
// corpus::analyse_text (gui/corpus/leave_one_out.h), asked for here.
void TokenStrip::takeLeaveOneOutValues(const lstmscope::Trace& trace) {
    LeaveOneOut* loo = LeaveOneOut::of(document_);
    if (!loo) return;
    const int T = static_cast<int>(trace.tokens.size());
    switch (loo->status()) {
    case LeaveOneOut::Status::NoTrace:
        return;
    case LeaveOneOut::Status::NotClassifier:
        hintText_ = tr("Leave-one-out importance needs a classifier with one output for the whole text.");
        return;
    case LeaveOneOut::Status::NoAttention:
        hintText_ = tr("Leave-one-out importance is computed by the attention faithfulness tests, which need a "
                       "model with attention.");
        return;
    case LeaveOneOut::Status::TooLong:
        hintText_ = tr("Leave-one-out importance is not computed for texts over %1 tokens (this one has %2): it "
                       "costs one run of the model per token.")
                        .arg(LeaveOneOut::kMaxTokens)
                        .arg(T);
        return;
    case LeaveOneOut::Status::Computing:
        loo->request();
        hintText_ = tr("Computing the leave-one-out importance: one run of the model per token…");
        return;
    case LeaveOneOut::Status::Failed:
        hintText_ = loo->error();
        return;
    case LeaveOneOut::Status::Ready:
        break;
    }
    const auto* f = loo->result();
    if (!f) return;
    values_.assign(static_cast<size_t>(T), nan());
    double top = 0;
    for (int t = 0; t < T && t < static_cast<int>(f->leave_one_out.size()); ++t) {
        values_[static_cast<size_t>(t)] = f->leave_one_out[static_cast<size_t>(t)];
        if (std::isfinite(values_[static_cast<size_t>(t)])) top = std::max(top, values_[static_cast<size_t>(t)]);
    }
    rangeMax_ = top > 0 ? top : 1;
    valueName_ = tr("TVD");
    sourceCaption_ = tr("leave-one-out importance (output change without the token)");
}
