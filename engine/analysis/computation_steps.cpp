#include "engine/analysis/computation_steps.h"

#include "engine/analysis/view_choice.h"

namespace lstmscope::analysis {

StepPlan plan_steps(const Trace& trace, const std::string& lstm_node, int layer, Direction direction,
                    bool cell_phases) {
    StepPlan plan;
    plan.tokens = static_cast<int>(trace.tokens.size());
    for (size_t k = 0; k < trace.nodes.size(); ++k) {
        const NodeTrace& n = trace.nodes[k];
        if (!is_recurrent(n.op) || n.name != lstm_node) continue;
        for (const GateTrace& g : n.gates)
            if (g.layer == layer && g.direction == direction) {
                plan.lstm_node = static_cast<int>(k);
                plan.op = n.op;
                plan.layer = layer;
                plan.direction = direction;
            }
        break;
    }
    // Walk from the LSTM or GRU (or, without one, from the node after the first:
    // the embedding is a lookup with nothing to watch).
    const int first_node = plan.lstm_node >= 0 ? plan.lstm_node : 1;
    if (plan.lstm_node >= 0) {
        const int T = static_cast<int>(trace.nodes[static_cast<size_t>(plan.lstm_node)].gates.front().h.rows());
        for (int step = 0; step < T; ++step) {
            const int t = direction == Direction::Backward ? T - 1 - step : step;
            if (!cell_phases) {
                plan.steps.push_back({ComputationStep::Kind::LstmTimestep, plan.lstm_node, t});
                continue;
            }
            for (int phase = 0; phase < CellPhases; ++phase)
                plan.steps.push_back({ComputationStep::Kind::LstmTimestep, plan.lstm_node, t, phase});
        }
    }
    for (int k = plan.lstm_node >= 0 ? first_node + 1 : first_node; k < static_cast<int>(trace.nodes.size()); ++k) {
        const NodeTrace& n = trace.nodes[static_cast<size_t>(k)];
        if (n.op == OpKind::Dropout) continue;  // the identity at inference
        const bool matrix = (n.op == OpKind::Attention || n.op == OpKind::MultiheadAttention) && has_attention(n);
        if (matrix && attention_row_count(n) > 1) {
            for (int row = 0; row < attention_row_count(n); ++row)
                plan.steps.push_back({ComputationStep::Kind::AttentionRow, k, row});
        } else {
            plan.steps.push_back({ComputationStep::Kind::Node, k, -1});
        }
    }
    return plan;
}

StepReveal reveal_at(const StepPlan& plan, int step) {
    StepReveal r;
    if (step < 0 || step >= plan.size()) return r;
    r.everything = false;
    const ComputationStep& s = plan.steps[static_cast<size_t>(step)];
    r.current_node = s.node;
    switch (s.kind) {
    case ComputationStep::Kind::LstmTimestep:
        r.current_partial = true;
        r.current_token = s.token;
        r.phase = s.phase;
        if (plan.direction == Direction::Backward) {
            r.lstm_first = s.token;
            r.lstm_last = plan.tokens - 1;
        } else {
            r.lstm_first = 0;
            r.lstm_last = s.token;
        }
        break;
    case ComputationStep::Kind::AttentionRow:
        r.current_partial = true;
        r.rows_done = s.token + 1;
        r.current_row = s.token;
        r.lstm_first = 0;
        r.lstm_last = plan.tokens - 1;
        break;
    case ComputationStep::Kind::Node:
        r.lstm_first = 0;
        r.lstm_last = plan.tokens - 1;
        break;
    }
    return r;
}

GatesReveal gates_reveal(const StepPlan& plan, const StepReveal& reveal, int node, int layer, Direction direction) {
    if (reveal.everything || reveal.node_done(node)) return GatesReveal::All;
    if (!reveal.node_started(node)) return GatesReveal::None;
    // The node being walked.
    if (node != plan.lstm_node) return GatesReveal::None;
    if (layer < plan.layer) return GatesReveal::All;
    if (layer == plan.layer && direction == plan.direction) return GatesReveal::Partial;
    return GatesReveal::None;
}

StepLabel step_label(const Trace& trace, const StepPlan& plan, int step) {
    StepLabel label;
    if (step < 0 || step >= plan.size()) return label;
    const ComputationStep& s = plan.steps[static_cast<size_t>(step)];
    const NodeTrace& n = trace.nodes.at(static_cast<size_t>(s.node));
    label.kind = s.kind;
    label.node = n.name;
    label.op = n.op;
    label.token = s.token;
    switch (s.kind) {
    case ComputationStep::Kind::LstmTimestep:
        label.count = plan.tokens;
        label.position = (s.phase >= 0 ? step / CellPhases : step) + 1;
        label.phase = s.phase;
        break;
    case ComputationStep::Kind::AttentionRow:
        label.count = attention_row_count(n);
        label.position = s.token + 1;
        break;
    case ComputationStep::Kind::Node:
        label.count = 1;
        label.position = 1;
        break;
    }
    return label;
}

}  // namespace lstmscope::analysis
