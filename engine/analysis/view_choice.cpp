#include "engine/analysis/view_choice.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "engine/analysis/distribution_metrics.h"

namespace lstmscope::analysis {

bool is_recurrent(OpKind op) { return op == OpKind::Lstm || op == OpKind::Gru; }

std::vector<LstmNodeSummary> lstm_nodes(const Trace& trace) {
    std::vector<LstmNodeSummary> out;
    for (const auto& n : trace.nodes) {
        if (!is_recurrent(n.op) || n.gates.empty()) continue;
        LstmNodeSummary s;
        s.name = n.name;
        s.op = n.op;
        s.hidden = static_cast<int>(n.gates.front().h.cols());
        for (const auto& g : n.gates) {
            s.layers = std::max(s.layers, g.layer + 1);
            s.bidirectional = s.bidirectional || g.direction == Direction::Backward;
        }
        out.push_back(std::move(s));
    }
    return out;
}

namespace {

const GateTrace* find_gates(const NodeTrace& node, int layer, Direction direction) {
    for (const auto& g : node.gates)
        if (g.layer == layer && g.direction == direction) return &g;
    return nullptr;
}

bool fits(const NodeTrace& node, AttentionKind kind) {
    switch (kind) {
    case AttentionKind::Pool: return node.op == OpKind::AttentionPool;
    case AttentionKind::Matrix: return node.op != OpKind::AttentionPool;
    case AttentionKind::Any: return true;
    }
    return true;
}

}  // namespace

LstmChoice resolve_lstm(const Trace& trace, std::string_view wanted_node, int wanted_layer,
                        Direction wanted_direction) {
    const auto nodes = lstm_nodes(trace);
    LstmChoice choice;
    if (nodes.empty()) return choice;
    auto it = std::find_if(nodes.begin(), nodes.end(), [&](const LstmNodeSummary& n) { return n.name == wanted_node; });
    if (it == nodes.end()) {
        choice.node = nodes.front().name;
        choice.op = nodes.front().op;
        choice.layer = nodes.front().layers - 1;
        choice.direction = Direction::Forward;
        choice.fallback = true;
    } else {
        choice.node = it->name;
        choice.op = it->op;
        choice.layer = std::clamp(wanted_layer, 0, it->layers - 1);
        choice.direction = it->bidirectional ? wanted_direction : Direction::Forward;
    }
    if (const NodeTrace* n = trace.find(choice.node)) choice.gates = find_gates(*n, choice.layer, choice.direction);
    return choice;
}

double hidden_variance(const GateTrace& gates, int unit) {
    const auto column = gates.h.col(unit).cast<double>();
    const double n = static_cast<double>(column.size());
    if (n == 0) return 0;
    const double mean = column.sum() / n;
    return (column.array() - mean).square().sum() / n;
}

double saturation(const GateTrace& gates, int unit) {
    const Eigen::Index tokens = gates.h.rows();
    if (tokens == 0) return 0;
    const bool gru = is_gru(gates);
    const Matrix* lstm_gates[] = {&gates.i, &gates.f, &gates.o};
    const Matrix* gru_gates[] = {&gates.r, &gates.z};
    const std::span<const Matrix* const> sigmoid_gates = gru ? std::span<const Matrix* const>(gru_gates)
                                                             : std::span<const Matrix* const>(lstm_gates);
    int saturated = 0;
    for (Eigen::Index t = 0; t < tokens; ++t) {
        for (const Matrix* m : sigmoid_gates) {
            const float v = (*m)(t, unit);
            saturated += v < 0.1f || v > 0.9f;
        }
        saturated += std::abs(gates.h(t, unit)) > 0.9f;
    }
    return saturated / (static_cast<double>(sigmoid_gates.size() + 1) * static_cast<double>(tokens));
}

int resolve_unit(const GateTrace& gates, int wanted_unit) {
    const int units = static_cast<int>(gates.h.cols());
    if (units == 0 || gates.h.rows() == 0) return -1;
    if (wanted_unit >= 0 && wanted_unit < units) return wanted_unit;
    int best = 0;
    double bestVariance = hidden_variance(gates, 0);
    for (int u = 1; u < units; ++u) {
        const double v = hidden_variance(gates, u);
        if (v > bestVariance) best = u, bestVariance = v;
    }
    return best;
}

std::vector<AttentionNodeSummary> attention_nodes(const Trace& trace) {
    std::vector<AttentionNodeSummary> out;
    for (const auto& n : trace.nodes) {
        if (!has_attention(n)) continue;
        AttentionNodeSummary s;
        s.name = n.name;
        s.op = n.op;
        s.heads = n.op == OpKind::MultiheadAttention ? attention_head_count(n) : 1;
        s.rows = attention_row_count(n);
        s.columns = attention_column_count(n);
        s.summarized = n.attention_source && !n.attention_summary.empty();
        out.push_back(std::move(s));
    }
    return out;
}

AttentionChoice resolve_attention(const Trace& trace, std::string_view wanted_node, int wanted_head,
                                  AttentionKind kind) {
    AttentionChoice choice;
    const NodeTrace* node = nullptr;
    if (const NodeTrace* w = trace.find(wanted_node); w && has_attention(*w) && fits(*w, kind)) node = w;
    choice.fallback = node == nullptr;
    for (const auto& n : trace.nodes)
        if (!node && has_attention(n) && fits(n, kind)) node = &n;
    if (!node && kind == AttentionKind::Matrix)
        for (const auto& n : trace.nodes)
            if (!node && has_attention(n)) node = &n;
    if (!node) return choice;
    choice.node = node;
    choice.name = node->name;
    const int heads = attention_head_count(*node);
    const bool multi = node->op == OpKind::MultiheadAttention && heads > 1;
    if (!multi) choice.head = 0;
    else if (choice.fallback) choice.head = -1;
    else choice.head = wanted_head >= -1 && wanted_head < heads ? wanted_head : -1;
    return choice;
}

bool has_attention(const NodeTrace& node) { return !node.attention.empty() || node.attention_source != nullptr; }

int attention_row_count(const NodeTrace& node) {
    if (node.attention_source) return node.attention_source->rows();
    return node.attention.empty() ? 0 : static_cast<int>(node.attention.front().rows());
}

int attention_column_count(const NodeTrace& node) {
    if (node.attention_source) return node.attention_source->columns();
    return node.attention.empty() ? 0 : static_cast<int>(node.attention.front().cols());
}

int attention_head_count(const NodeTrace& node) {
    return node.attention_source ? node.attention_source->heads() : static_cast<int>(node.attention.size());
}

Matrix attention_matrix(const AttentionChoice& choice) {
    if (!choice.node || !choice.node->attention_complete()) return {};
    if (choice.head >= 0) return choice.node->attention.at(static_cast<size_t>(choice.head));
    return head_average(choice.node->attention);
}

Matrix attention_rows(const AttentionChoice& choice, int first, int count) {
    const NodeTrace* n = choice.node;
    if (!n || first < 0 || count <= 0) return {};
    // Recorded rows when they cover the request, else recomputed.
    if (!n->attention.empty() && first >= n->attention_first_row &&
        first + count <= n->attention_first_row + n->attention.front().rows()) {
        const int at = first - n->attention_first_row;
        if (choice.head >= 0) return n->attention.at(static_cast<size_t>(choice.head)).middleRows(at, count);
        Matrix sum = Matrix::Zero(count, n->attention.front().cols());
        for (const auto& m : n->attention) sum += m.middleRows(at, count);
        return sum / static_cast<float>(n->attention.size());
    }
    if (!n->attention_source || first + count > n->attention_source->rows()) return {};
    if (choice.head >= 0) return n->attention_source->weights(choice.head, first, count);
    return n->attention_source->head_average(first, count);
}

Matrix attention_summary(const AttentionChoice& choice) {
    if (!choice.node || choice.node->attention_summary.empty()) return {};
    if (choice.head >= 0) return choice.node->attention_summary.heads.at(static_cast<size_t>(choice.head));
    return choice.node->attention_summary.head_average();
}

}  // namespace lstmscope::analysis
