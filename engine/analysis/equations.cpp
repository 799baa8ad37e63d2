#include "engine/analysis/equations.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lstmscope::analysis {

std::optional<CellEquation> cell_equation(const GateTrace& gates, int token, int unit) {
    if (!gates.has_details()) return std::nullopt;
    const int T = static_cast<int>(gates.i.rows());
    const int H = static_cast<int>(gates.i.cols());
    if (token < 0 || token >= T || unit < 0 || unit >= H) return std::nullopt;
    CellEquation e;
    e.token = token;
    e.unit = unit;
    const bool backward = gates.direction == Direction::Backward;
    const int prev = backward ? token + 1 : token - 1;
    e.prev_token = (prev >= 0 && prev < T) ? prev : -1;
    const Matrix* values[4] = {&gates.i, &gates.f, &gates.g, &gates.o};
    for (int k = 0; k < 4; ++k) {
        const int col = k * H + unit;
        e.input[k] = gates.pre_input(token, col);
        e.recurrent[k] = gates.pre_recurrent(token, col);
        e.bias[k] = gates.bias(col);
        e.z[k] = e.input[k] + e.recurrent[k] + e.bias[k];
        e.value[k] = (*values[k])(token, unit);
    }
    if (e.prev_token >= 0) {
        e.c_prev = gates.c(e.prev_token, unit);
        e.h_prev = gates.h(e.prev_token, unit);
    }
    e.forget_term = e.value[GateF] * e.c_prev;
    e.input_term = e.value[GateI] * e.value[GateG];
    e.c = gates.c(token, unit);
    e.tanh_c = std::tanh(e.c);
    e.h = gates.h(token, unit);
    return e;
}

std::optional<GruEquation> gru_equation(const GateTrace& gates, int token, int unit) {
    const int T = static_cast<int>(gates.r.rows());
    const int H = static_cast<int>(gates.r.cols());
    if (gates.z.rows() != T || gates.n.rows() != T || gates.h.rows() != T || gates.h.cols() != H) return std::nullopt;
    if (token < 0 || token >= T || unit < 0 || unit >= H) return std::nullopt;
    GruEquation e;
    e.token = token;
    e.unit = unit;
    const int prev = gates.direction == Direction::Backward ? token + 1 : token - 1;
    e.prev_token = (prev >= 0 && prev < T) ? prev : -1;
    e.r = gates.r(token, unit);
    e.z = gates.z(token, unit);
    e.n = gates.n(token, unit);
    if (e.prev_token >= 0) e.h_prev = gates.h(e.prev_token, unit);
    e.new_term = (1.0f - e.z) * e.n;
    e.keep_term = e.z * e.h_prev;
    e.h = gates.h(token, unit);
    return e;
}

bool gru_reset_after(const Node& node) {
    if (node.config.is_object())
        if (auto it = node.config.find("reset_after"); it != node.config.end() && it->is_boolean())
            return it->get<bool>();
    return true;
}

std::string gate_activation(const Node& node) {
    if (node.config.is_object())
        if (auto it = node.config.find("gate_activation"); it != node.config.end() && it->is_string())
            return it->get<std::string>();
    return "sigmoid";
}

namespace {

std::string config_string(const Node& node, const char* key, const char* fallback) {
    if (node.config.is_object())
        if (auto it = node.config.find(key); it != node.config.end() && it->is_string()) return it->get<std::string>();
    return fallback;
}

int width_of(const Model& model, const std::string& name) {
    for (const Node& n : model.nodes)
        if (n.name == name) return n.output.cols;
    return 0;
}

}  // namespace

std::optional<ScoreFormula> score_formula(const Model& model, const Node& node) {
    ScoreFormula f;
    // The manifest does not say which optional tensors a node has; the
    // weights file does.
    const auto has = [&](const char* suffix) {
        return std::find(node.tensors.begin(), node.tensors.end(), node.name + suffix) != node.tensors.end();
    };
    const bool causal = node.config.is_object() && node.config.value("causal", false);
    switch (node.op) {
    case OpKind::Attention: {
        const std::string score = config_string(node, "score", "dot");
        f.form = score == "scaled_dot" ? ScoreForm::ScaledDot
                 : score == "general"  ? ScoreForm::General
                 : score == "additive" ? ScoreForm::Additive
                                       : ScoreForm::Dot;
        f.causal = causal;
        const std::string query = config_string(node, "query", "");
        f.key_width = width_of(model, config_string(node, "key", query.c_str()));
        f.learned_scale = has(".scale");
        f.bias = f.form == ScoreForm::Additive && has(".key_proj.bias");
        return f;
    }
    case OpKind::AttentionPool: {
        const std::string score = config_string(node, "score", "tanh_proj");
        f.form = score == "tanh"          ? ScoreForm::PoolTanh
                 : score == "linear"      ? ScoreForm::PoolLinear
                 : score == "tanh_linear" ? ScoreForm::PoolTanhLinear
                                          : ScoreForm::PoolTanhProj;
        // Under `tanh` no bias applies (a stray context.bias is unused).
        f.bias = f.form == ScoreForm::PoolTanhProj ? has(".proj.bias")
                 : f.form == ScoreForm::PoolTanh   ? false
                                                   : has(".context.bias");
        return f;
    }
    case OpKind::MultiheadAttention: {
        f.form = ScoreForm::MultiHead;
        f.causal = causal;
        f.heads = node.config.is_object() ? node.config.value("num_heads", 1) : 1;
        // d_h: given, or the packed projection's width split over the heads;
        // 0 (unknown) for separate projections without head_dim.
        const int given = node.config.is_object() ? node.config.value("head_dim", 0) : 0;
        const bool packed = has(".in_proj_weight");
        if (given > 0)
            f.key_width = given;
        else if (packed && f.heads > 0)
            f.key_width = width_of(model, config_string(node, "query", "")) / f.heads;
        return f;
    }
    default:
        return std::nullopt;
    }
}

std::optional<AttentionEquation> attention_equation(const NodeTrace& node, int head, int row, int top_k) {
    // The row's scores and weights: recorded by a details run, or (a long
    // text's node, which records none) recomputed by its source.
    Matrix s, a;
    if (node.attention_source) {
        const AttentionSource& src = *node.attention_source;
        if (head < 0 || head >= src.heads() || row < 0 || row >= src.rows()) return std::nullopt;
        src.scores(head, row, 1, s);
        a = src.weights(head, row, 1);
    } else {
        if (node.scores.empty() || head < 0 || head >= static_cast<int>(node.scores.size())) return std::nullopt;
        if (row < 0 || row >= node.scores[static_cast<size_t>(head)].rows()) return std::nullopt;
        s = node.scores[static_cast<size_t>(head)].row(row);
        a = node.attention.at(static_cast<size_t>(head)).row(row);
    }
    AttentionEquation e;
    e.row = row;
    e.head = head;
    const int K = static_cast<int>(s.cols());
    e.max_score = -INFINITY;
    for (int j = 0; j < K; ++j)
        if (std::isfinite(s(0, j))) e.max_score = std::max(e.max_score, s(0, j));
    for (int j = 0; j < K; ++j) {
        AttentionTerm t;
        t.key = j;
        t.score = s(0, j);
        t.weight = a(0, j);
        if (std::isfinite(t.score)) {
            t.shifted = static_cast<float>(std::exp(double(t.score) - double(e.max_score)));
            e.denominator += std::exp(double(t.score) - double(e.max_score));
        } else {
            ++e.masked;
        }
        e.weight_sum += t.weight;
        e.terms.push_back(t);
    }
    std::vector<int> order(static_cast<size_t>(K));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return e.terms[size_t(x)].weight > e.terms[size_t(y)].weight; });
    order.resize(static_cast<size_t>(std::min(K, std::max(0, top_k))));
    e.top = std::move(order);
    return e;
}

}  // namespace lstmscope::analysis
