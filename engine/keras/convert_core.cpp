// Keras' plain layers as lstmscope nodes. Kernels are stored [in, out] by
// Keras and [out, in] by us (PyTorch's layout): transposed here.
#include <cmath>

#include "engine/json_excerpt.h"
#include "engine/keras/keras_tensors.h"
#include "engine/keras/layer_converters.h"

namespace lstmscope::keras {

using nlohmann::json;

const Sym& single_input(const Converter& cv, const Layer& layer, const Syms& in) {
    if (in.size() != 1) cv.fail(layer, "expects one input, got " + std::to_string(in.size()));
    return in[0];
}

std::string activation_name(const Converter& cv, const Layer& layer, const json& value) {
    std::string name = "linear";
    if (value.is_string()) name = value.get<std::string>();
    // Keras 3 may serialize {"module": "keras.activations", "class_name": "function", "config": "relu"}.
    else if (value.is_object() && value.contains("config") && value["config"].is_string()) name = value["config"];
    else if (!value.is_null()) cv.fail(layer, "has an activation lstmscope cannot read: " + json_excerpt(value));
    if (name == "linear" || name == "relu" || name == "tanh" || name == "sigmoid" || name == "softmax" ||
        name == "gelu" || name == "log_softmax")
        return name;
    cv.fail(layer, "uses the activation '" + name +
                       "'; lstmscope has linear, relu, tanh, sigmoid, softmax, log_softmax and gelu (erf form)");
}

int config_axis(const Converter& cv, const Layer& layer, const json& value, int rank) {
    const json* v = &value;
    if (v->is_array() && v->size() == 1) v = &(*v)[0];
    if (!v->is_number_integer()) cv.fail(layer, "has an axis lstmscope cannot read: " + json_excerpt(value));
    int axis = v->get<int>();
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) cv.fail(layer, "has axis " + json_excerpt(value) + " for a tensor of rank " + std::to_string(rank));
    return axis;
}

// Embedding: a row of the table per token id. mask_zero only matters for
// padding (id 0), which the imported tokenizer does not add (see the import).
Syms convert_embedding(Converter& cv, const Layer& layer, const Syms& in) {
    const Sym& x = single_input(cv, layer, in);
    if (x.kind != Sym::Kind::Tokens) cv.fail(layer, "reads " + x.describe() + "; lstmscope needs every Embedding to read the token ids");
    auto w = cv.weights_of(layer);
    if (w.size() != 1 || w[0].array.shape.size() != 2)
        cv.fail(layer, "should have one [input_dim, output_dim] weight, the file has " + std::to_string(w.size()));
    const auto& e = w[0].array;
    const std::string name = cv.unique_name(layer.name);
    cv.add_node({{"name", name}, {"op", "embedding"}, {"input", "tokens"}});
    cv.add_tensor(name + ".weight", e.shape, e.values);
    if (layer.config.value("mask_zero", false)) cv.mask_zero = true;
    if (cv.embedding_rows == 0) cv.embedding_rows = static_cast<int>(e.shape[0]);
    return {Converter::value(name, true, static_cast<int>(e.shape[1]), layer.name)};
}

// Dense: x W + b on the last axis (every row of a sequence, as
// TimeDistributed(Dense) does). A Dense(1) over a sequence is also noted as
// a possible attention score (linear, or tanh as the hand-written layers
// do; after a Dense(A, tanh) it is the HAN score w . tanh(W h + b)).
Syms convert_dense(Converter& cv, const Layer& layer, const Syms& in) {
    const Sym& x = cv.value_input(layer, single_input(cv, layer, in));
    const std::string act = activation_name(cv, layer, layer.config.value("activation", json("linear")));
    auto w = cv.weights_of(layer);
    const bool use_bias = layer.config.value("use_bias", true);
    const std::string name = cv.unique_name(layer.name);
    Tensors tensors;
    dense_tensors(cv.file() + ": layer '" + layer.name + "' (" + layer.class_name + ")", name, w, use_bias, tensors);
    const auto& kernel = w[0].array;
    const int64_t n_in = kernel.shape[0], n_out = kernel.shape[1];
    if (n_in != x.width)
        cv.fail(layer, "has a kernel for " + std::to_string(n_in) + " inputs but reads " + x.describe());
    cv.add_node({{"name", name}, {"op", "dense"}, {"input", x.node}, {"activation", act}});
    for (auto& [n, t] : tensors) cv.add_tensor(n, t.shape, std::move(t.data));
    cv.dense_info[name] = {x.node, act, x.sequence};
    Sym out = Converter::value(name, x.sequence, static_cast<int>(n_out), layer.name);
    if (n_out == 1 && x.sequence && (act == "linear" || act == "tanh")) {
        PendingPool pool;
        pool.source = x.node;
        pool.source_width = x.width;
        pool.score = act == "tanh" ? "tanh_linear" : "linear";
        const auto before = cv.dense_info.find(x.node);
        if (act == "linear" && before != cv.dense_info.end() && before->second.activation == "tanh" &&
            before->second.input_is_sequence) {
            // w . tanh(W h + b) (+ c, which a softmax ignores): tanh_proj.
            const std::string prev = x.node;
            auto& t = cv.tensors();
            pool.score = "tanh_proj";
            pool.source = before->second.input;
            pool.weights["proj.weight"] = t.at(prev + ".weight");
            if (t.count(prev + ".bias")) pool.weights["proj.bias"] = t.at(prev + ".bias");
            pool.source_width = static_cast<int>(t.at(prev + ".weight").shape[1]);
        }
        StoredTensor context;
        context.shape = {1, n_in};
        context.data = kernel.values;  // [n_in, 1] row-major is [1, n_in]
        pool.weights["context.weight"] = context;
        if (use_bias && pool.score != "tanh_proj") {
            StoredTensor bias;
            bias.shape = {1};
            bias.data = w[1].array.values;
            pool.weights["context.bias"] = bias;
        }
        out.kind = Sym::Kind::ScoreColumn;
        out.pool = std::move(pool);
    }
    return {out};
}

Syms convert_time_distributed(Converter& cv, const Layer& layer, const Syms& in) {
    const json inner = layer.config.value("layer", json::object());
    const std::string cls = inner.value("class_name", "");
    if (cls != "Dense") cv.fail(layer, "wraps a " + cls + "; lstmscope maps TimeDistributed(Dense) only");
    Layer dense = layer;  // the weights are stored under the wrapper's name
    dense.class_name = "Dense";
    dense.config = inner.value("config", json::object());
    return convert_dense(cv, dense, in);
}

Syms convert_activation(Converter& cv, const Layer& layer, const Syms& in) {
    const Sym& x = single_input(cv, layer, in);
    const std::string act = activation_name(cv, layer, layer.config.value("activation", json("linear")));
    if (act == "linear") return {x};
    if (act == "softmax") return {softmax_of(cv, layer, x, -1)};
    const Sym& v = cv.value_input(layer, x);
    const std::string name = cv.unique_name(layer.name);
    cv.add_node({{"name", name}, {"op", "activation"}, {"input", v.node}, {"function", act}});
    return {Converter::value(name, v.sequence, v.width, layer.name)};
}

Syms convert_softmax(Converter& cv, const Layer& layer, const Syms& in) {
    const Sym& x = single_input(cv, layer, in);
    const json axis = layer.config.value("axis", json(-1));
    return {softmax_of(cv, layer, x, config_axis(cv, layer, axis, x.keras_rank()))};
}

// Concatenate on the feature axis, Add of equal shapes.
Syms convert_merge(Converter& cv, const Layer& layer, const Syms& in) {
    if (in.size() < 2) cv.fail(layer, "needs at least two inputs");
    std::vector<const Sym*> xs;
    for (const Sym& s : in) xs.push_back(&cv.value_input(layer, s));
    for (const Sym* s : xs)
        if (s->sequence != xs[0]->sequence)
            cv.fail(layer, "joins a sequence with a single vector; lstmscope joins values with the same rows");
    json names = json::array();
    int width = 0;
    for (const Sym* s : xs) {
        names.push_back(s->node);
        width += s->width;
    }
    const bool concat = layer.class_name == "Concatenate";
    if (concat) {
        const int rank = xs[0]->sequence ? 3 : 2;
        if (config_axis(cv, layer, layer.config.value("axis", json(-1)), rank) != rank - 1)
            cv.fail(layer, "joins along the token axis; lstmscope concatenates features (axis -1)");
    } else {
        for (const Sym* s : xs)
            if (s->width != xs[0]->width) cv.fail(layer, "adds values of different widths");
        width = xs[0]->width;
    }
    const std::string name = cv.unique_name(layer.name);
    cv.add_node({{"name", name}, {"op", concat ? "concat" : "add"}, {"inputs", names}});
    return {Converter::value(name, xs[0]->sequence, width, layer.name)};
}

Syms convert_global_pool(Converter& cv, const Layer& layer, const Syms& in) {
    const Sym& x = cv.value_input(layer, single_input(cv, layer, in));
    if (!x.sequence) cv.fail(layer, "pools " + x.describe() + "; it needs a sequence");
    if (layer.config.value("data_format", std::string("channels_last")) != "channels_last")
        cv.fail(layer, "pools with data_format channels_first; lstmscope pools over the tokens (channels_last)");
    const bool max = layer.class_name.find("Max") != std::string::npos;
    const std::string name = cv.unique_name(layer.name);
    cv.add_node({{"name", name}, {"op", "pool"}, {"input", x.node}, {"mode", max ? "max" : "mean"}});
    return {Converter::value(name, false, x.width, layer.name)};
}

// Flatten and Reshape change nothing for a single vector; a score column
// flattened to (batch, T) stays an attention piece.
Syms convert_flatten(Converter& cv, const Layer& layer, const Syms& in) {
    const Sym& x = single_input(cv, layer, in);
    if ((x.kind == Sym::Kind::ScoreColumn || x.kind == Sym::Kind::PoolWeights) && layer.class_name == "Flatten") {
        Sym flat = x;
        flat.flat = true;
        flat.made_by = x.kind == Sym::Kind::PoolWeights ? x.made_by : layer.name;
        if (x.kind == Sym::Kind::ScoreColumn) flat.made_by = x.made_by;
        return {flat};
    }
    const Sym& v = cv.value_input(layer, x);
    if (v.sequence)
        cv.fail(layer, "flattens " + v.describe() +
                           "; that needs a fixed number of tokens, which lstmscope's graphs do not have");
    if (layer.class_name == "Reshape") {
        int64_t count = 1;
        for (const auto& d : layer.config.value("target_shape", json::array())) {
            if (!d.is_number_integer()) cv.fail(layer, "has a target_shape lstmscope cannot read");
            count *= d.get<int64_t>();
        }
        if (count != v.width) cv.fail(layer, "reshapes " + v.describe() + " to a different size");
    }
    return {v};
}

// LayerNormalization: over the last axis, (x - mean) / sqrt(var + eps) *
// gamma + beta. BatchNormalization at inference: per feature with the
// moving statistics. Keras' epsilon default is 1e-3 for both.
Syms convert_normalization(Converter& cv, const Layer& layer, const Syms& in) {
    const Sym& x = cv.value_input(layer, single_input(cv, layer, in));
    const int rank = x.sequence ? 3 : 2;
    if (config_axis(cv, layer, layer.config.value("axis", json(-1)), rank) != rank - 1)
        cv.fail(layer, "normalizes along an axis other than the features; lstmscope normalizes features (axis -1)");
    const bool layer_norm = layer.class_name == "LayerNormalization";
    if (layer_norm && layer.config.value("rms_scaling", false)) cv.fail(layer, "uses rms_scaling, which lstmscope lacks");
    const bool scale = layer.config.value("scale", true), center = layer.config.value("center", true);
    auto w = cv.weights_of(layer);
    const size_t expected = (scale ? 1u : 0u) + (center ? 1u : 0u) + (layer_norm ? 0u : 2u);
    if (w.size() != expected)
        cv.fail(layer, "should have " + std::to_string(expected) + " weights, the file has " + std::to_string(w.size()));
    for (const auto& nw : w)
        if (nw.array.values.size() != static_cast<size_t>(x.width))
            cv.fail(layer, "weight '" + nw.name + "' has " + std::to_string(nw.array.values.size()) +
                               " values for " + std::to_string(x.width) + " features");
    const auto d = static_cast<int64_t>(x.width);
    const std::string name = cv.unique_name(layer.name);
    size_t k = 0;
    const std::vector<float> gamma = scale ? w[k++].array.values : std::vector<float>(static_cast<size_t>(d), 1.0f);
    const std::vector<float> beta = center ? w[k++].array.values : std::vector<float>(static_cast<size_t>(d), 0.0f);
    const double eps = layer.config.value("epsilon", 1e-3);
    cv.add_node({{"name", name}, {"op", layer_norm ? "layer_norm" : "batch_norm"}, {"input", x.node}, {"eps", eps}});
    cv.add_tensor(name + ".weight", {d}, gamma);
    cv.add_tensor(name + ".bias", {d}, beta);
    if (!layer_norm) {
        cv.add_tensor(name + ".running_mean", {d}, w[k].array.values);
        cv.add_tensor(name + ".running_var", {d}, w[k + 1].array.values);
    }
    return {Converter::value(name, x.sequence, x.width, layer.name)};
}

}  // namespace lstmscope::keras
