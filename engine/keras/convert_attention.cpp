// Attention in Keras models: the pieces people build it from (a softmax over
// the tokens, Permute, Dot) and Keras' own attention layers.
//
// Recognised stock-layer forms (x a T x D sequence):
//   pooling:  Dense(1) -> Softmax(axis=1) [-> Permute((2, 1))] -> Dot with x
//             (optionally Flatten after the Dense or the Dot):
//             attention_pool, score linear / tanh_linear / tanh_proj
//   self:     Dot(axes=[2, 1])([q, Permute((2, 1))(k)]) or Dot(axes=[2, 2])([q, k])
//             -> softmax over the last axis -> Dot(axes=[2, 1]) with v:
//             attention, score dot (seed B's form)
// Each becomes one node named after its softmax layer.
#include <cmath>

#include "engine/json_excerpt.h"
#include "engine/keras/keras_tensors.h"
#include "engine/keras/layer_converters.h"

namespace lstmscope::keras {

using nlohmann::json;

Sym softmax_of(Converter& cv, const Layer& layer, const Sym& x, int axis) {
    const int rank = x.keras_rank();
    if (axis < 0) axis += rank;
    if (x.kind == Sym::Kind::ScoreColumn && ((!x.flat && axis == 1) || (x.flat && axis == 1))) {
        Sym w = x;
        w.kind = Sym::Kind::PoolWeights;
        w.made_by = layer.name;
        return w;
    }
    if (x.kind == Sym::Kind::PairScores && axis == 2) {
        Sym w = x;
        w.kind = Sym::Kind::PairWeights;
        w.made_by = layer.name;
        return w;
    }
    const Sym& v = cv.value_input(layer, x);
    if (axis != rank - 1)
        cv.fail(layer, "takes a softmax over the tokens of " + v.describe() +
                           "; lstmscope recognises that only for one score per token (a Dense(1) before it)");
    const std::string name = cv.unique_name(layer.name);
    cv.add_node({{"name", name}, {"op", "activation"}, {"input", v.node}, {"function", "softmax"}});
    return Converter::value(name, v.sequence, v.width, layer.name);
}

Syms convert_permute(Converter& cv, const Layer& layer, const Syms& in) {
    const Sym& x = single_input(cv, layer, in);
    const json dims = layer.config.value("dims", json::array());
    if (dims != json::array({2, 1}))
        cv.fail(layer, "permutes with dims " + json_excerpt(dims) + "; lstmscope understands Permute((2, 1)) in an attention");
    Sym out = x;
    out.made_by = x.made_by;
    switch (x.kind) {
        case Sym::Kind::PoolWeights:
            if (x.flat) break;
            out.kind = Sym::Kind::PoolWeightsT;
            return {out};
        case Sym::Kind::PoolWeightsT: out.kind = Sym::Kind::PoolWeights; return {out};
        case Sym::Kind::Transposed: out.kind = Sym::Kind::Value; out.sequence = true; return {out};
        case Sym::Kind::Value:
            if (!x.sequence) break;
            out.kind = Sym::Kind::Transposed;
            out.made_by = layer.name;
            return {out};
        default: break;
    }
    cv.fail(layer, "transposes " + x.describe() + ", which lstmscope cannot map");
}

namespace {

// The attention_pool node a completed pooling pattern becomes.
Sym emit_pool(Converter& cv, const Layer& layer, const Sym& weights, const Sym& x) {
    const PendingPool& p = *weights.pool;
    if (x.node != p.source)
        cv.fail(layer, "applies attention weights computed from '" + p.source + "' to '" + x.node +
                           "'; lstmscope's attention_pool scores and sums the same sequence");
    const std::string name = cv.unique_name(weights.made_by);
    cv.add_node({{"name", name}, {"op", "attention_pool"}, {"input", x.node}, {"score", p.score}});
    for (const auto& [suffix, t] : p.weights) cv.add_tensor(name + "." + suffix, t.shape, t.data);
    return Converter::value(name, false, x.width, layer.name);
}

Sym emit_attention(Converter& cv, const Layer& layer, const Sym& weights, const Sym& v) {
    const PendingPair& p = *weights.pair;
    const std::string name = cv.unique_name(weights.made_by);
    cv.add_node({{"name", name}, {"op", "attention"}, {"query", p.query}, {"key", p.key}, {"value", v.node}, {"score", "dot"}});
    return Converter::value(name, true, v.width, layer.name);
}

std::pair<int, int> dot_axes(const Converter& cv, const Layer& layer, const Sym& a, const Sym& b) {
    const json axes = layer.config.value("axes", json(-1));
    int x = 0, y = 0;
    if (axes.is_number_integer()) x = y = axes.get<int>();
    else if (axes.is_array() && axes.size() == 2 && axes[0].is_number_integer() && axes[1].is_number_integer())
        x = axes[0].get<int>(), y = axes[1].get<int>();
    else cv.fail(layer, "has axes " + json_excerpt(axes) + " lstmscope cannot read");
    if (x < 0) x += a.keras_rank();
    if (y < 0) y += b.keras_rank();
    return {x, y};
}

}  // namespace

Syms convert_dot(Converter& cv, const Layer& layer, const Syms& in) {
    if (in.size() != 2) cv.fail(layer, "needs two inputs");
    if (layer.config.value("normalize", false))
        cv.fail(layer, "normalizes (cosine similarity), which lstmscope's attention lacks");
    const Sym& a = in[0];
    const Sym& b = in[1];
    const auto [x, y] = dot_axes(cv, layer, a, b);
    using K = Sym::Kind;
    auto is_seq = [](const Sym& s) { return s.is_value() && s.kind == K::Value && s.sequence; };
    // Pooling: weights (over tokens) . sequence, contracting the token axis.
    if (a.kind == K::PoolWeightsT && x == 2 && is_seq(b) && y == 1) return {emit_pool(cv, layer, a, b)};
    if (a.kind == K::PoolWeights && x == 1 && is_seq(b) && y == 1) return {emit_pool(cv, layer, a, b)};
    if (b.kind == K::PoolWeights && y == 1 && is_seq(a) && x == 1) return {emit_pool(cv, layer, b, a)};
    if (b.kind == K::PoolWeightsT && y == 2 && is_seq(a) && x == 1) return {emit_pool(cv, layer, b, a)};
    // Scores: q . k^T.
    if (is_seq(a) && x == 2 && ((b.kind == K::Transposed && y == 1) || (is_seq(b) && y == 2))) {
        Sym s;
        s.kind = K::PairScores;
        s.pair = PendingPair{a.node, b.node};
        s.made_by = layer.name;
        return {s};
    }
    // Weighted sum: softmax(scores) . v.
    if (a.kind == K::PairWeights && x == 2 && is_seq(b) && y == 1) return {emit_attention(cv, layer, a, b)};
    cv.fail(layer, "multiplies " + a.describe() + " and " + b.describe() + " (axes " + std::to_string(x) + ", " +
                       std::to_string(y) + "); lstmscope maps Dot only inside an attention");
}

// Keras Attention (Luong) and AdditiveAttention (Bahdanau), called on
// [query, value] or [query, value, key]. softmax(scores) . value with
//   Attention dot:     scores = scale * q . k             (scale if use_scale)
//   Attention concat:  scores = w * sum(tanh(scale * (q + k)))
//   Additive:          scores = sum(scale * tanh(q + k))  (scale a vector if use_scale)
// The last two are our `additive` score v . tanh(W_q q + W_k k) with W_q and
// W_k the identity (times scale) and v = w * ones or the scale vector.
Syms convert_attention_layer(Converter& cv, const Layer& layer, const Syms& in, const json& kwargs) {
    if (in.size() < 2 || in.size() > 3) cv.fail(layer, "should be called on [query, value] or [query, value, key]");
    const Sym& q = cv.value_input(layer, in[0]);
    const Sym& v = cv.value_input(layer, in[1]);
    const Sym& k = in.size() == 3 ? cv.value_input(layer, in[2]) : v;
    if (!q.sequence || !v.sequence || !k.sequence) cv.fail(layer, "needs sequences for query, value and key");
    if (q.width != k.width) cv.fail(layer, "has query and key of different widths");
    const bool additive = layer.class_name == "AdditiveAttention";
    const bool use_scale = layer.config.value("use_scale", additive);
    const std::string mode = additive ? "concat" : layer.config.value("score_mode", std::string("dot"));
    if (mode != "dot" && mode != "concat") cv.fail(layer, "has score_mode '" + mode + "'");
    const bool causal = layer.config.value("causal", false) ||
                        (kwargs.is_object() && kwargs.value("use_causal_mask", false));
    auto w = cv.weights_of(layer);
    const size_t expected = (use_scale ? 1u : 0u) + (!additive && mode == "concat" ? 1u : 0u);
    if (w.size() != expected)
        cv.fail(layer, "should have " + std::to_string(expected) + " weights, the file has " + std::to_string(w.size()));
    const std::string name = cv.unique_name(layer.name);
    json node{{"name", name}, {"op", "attention"}, {"query", q.node}, {"key", k.node}, {"value", v.node}};
    if (causal) node["causal"] = true;
    const int64_t d = q.width;
    if (mode == "dot") {
        node["score"] = "dot";
        cv.add_node(node);
        if (use_scale) cv.add_tensor(name + ".scale", {1}, w[0].array.values);
        return {Converter::value(name, true, v.width, layer.name)};
    }
    node["score"] = "additive";
    cv.add_node(node);
    float inner = 1.0f;
    std::vector<float> outer(static_cast<size_t>(d), 1.0f);
    if (additive) {
        if (use_scale) {
            if (w[0].array.values.size() != static_cast<size_t>(d)) cv.fail(layer, "has a scale of the wrong size");
            outer = w[0].array.values;
        }
    } else {
        if (use_scale) inner = w[0].array.values.at(0);
        for (float& o : outer) o = w.back().array.values.at(0);
    }
    std::vector<float> eye(static_cast<size_t>(d * d), 0.0f);
    for (int64_t i = 0; i < d; ++i) eye[static_cast<size_t>(i * d + i)] = inner;
    cv.add_tensor(name + ".query_proj.weight", {d, d}, eye);
    cv.add_tensor(name + ".key_proj.weight", {d, d}, eye);
    cv.add_tensor(name + ".v.weight", {1, d}, outer);
    return {Converter::value(name, true, v.width, layer.name)};
}

// MultiHeadAttention(query, value, key=value): Keras' kernels are
// [D, heads, key_dim] per projection and [heads, value_dim, out] for the
// output; flattened they are our [heads * key_dim, D] after a transpose.
Syms convert_multihead_attention(Converter& cv, const Layer& layer, const Syms& in, const json& kwargs) {
    if (in.size() < 2 || in.size() > 3) cv.fail(layer, "should be called on query, value (and key)");
    const Sym& q = cv.value_input(layer, in[0]);
    const Sym& v = cv.value_input(layer, in[1]);
    const Sym& k = in.size() == 3 ? cv.value_input(layer, in[2]) : v;
    if (!q.sequence || !v.sequence || !k.sequence) cv.fail(layer, "needs sequences for query, value and key");
    const json& c = layer.config;
    const int heads = c.value("num_heads", 0), key_dim = c.value("key_dim", 0);
    const int value_dim = c.contains("value_dim") && c["value_dim"].is_number_integer() ? c["value_dim"].get<int>() : key_dim;
    if (heads <= 0 || key_dim <= 0) cv.fail(layer, "needs positive num_heads and key_dim");
    if (value_dim != key_dim) cv.fail(layer, "has value_dim != key_dim, which lstmscope's multihead_attention lacks");
    if (c.contains("attention_axes") && !c["attention_axes"].is_null())
        cv.fail(layer, "attends over custom attention_axes, which lstmscope lacks");
    const bool use_bias = c.value("use_bias", true);
    auto w = cv.weights_of(layer);
    const bool causal = kwargs.is_object() && kwargs.value("use_causal_mask", false);
    const std::string name = cv.unique_name(layer.name);
    json node{{"name", name}, {"op", "multihead_attention"}, {"query", q.node}, {"key", k.node}, {"value", v.node},
              {"num_heads", heads}, {"head_dim", key_dim}};
    if (causal) node["causal"] = true;
    cv.add_node(node);
    const int widths[3] = {q.width, k.width, v.width};
    Tensors tensors;
    const int64_t out = multihead_tensors(cv.file() + ": layer '" + layer.name + "' (" + layer.class_name + ")", name,
                                          heads, key_dim, widths, use_bias, w, tensors);
    for (auto& [n, t] : tensors) cv.add_tensor(n, t.shape, std::move(t.data));
    return {Converter::value(name, true, static_cast<int>(out), layer.name)};
}

}  // namespace lstmscope::keras
