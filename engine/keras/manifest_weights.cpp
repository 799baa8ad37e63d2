#include "engine/keras/manifest_weights.h"

#include <set>

#include "engine/error.h"
#include "engine/keras/hdf5_file.h"
#include "engine/keras/keras_graph.h"

namespace lstmscope::keras {

using nlohmann::json;

namespace {

void node_tensors(const json& node, const std::string& where, const std::vector<NamedWeight>& w, Tensors& out) {
    const std::string name = node.value("name", "");
    const std::string op = node.value("op", "");
    auto need = [&](size_t n) {
        if (w.size() != n)
            throw Error(ErrorKind::model, where, "op '" + op + "' takes " + std::to_string(n) + " Keras weights, the layer has " +
                        std::to_string(w.size()));
    };
    if (op == "embedding") {
        need(1);
        out[name + ".weight"] = make_tensor(w[0].array.shape, w[0].array.values);
    } else if (op == "dense") {
        dense_tensors(where, name, w, w.size() == 2, out);
    } else if (op == "lstm" || op == "gru") {
        const bool gru = op == "gru";
        const bool bidi = node.value("bidirectional", false);
        if (node.value("num_layers", 1) != 1)
            throw Error(ErrorKind::model, where, "a Keras layer is one recurrent layer; give each its own node (num_layers 1)");
        const size_t dirs = bidi ? 2 : 1;
        if (w.size() != 3 * dirs && w.size() != 2 * dirs)
            throw Error(ErrorKind::model, where, "expected " + std::to_string(3 * dirs) + " Keras weights (kernel, recurrent kernel, "
                                "bias per direction), the layer has " + std::to_string(w.size()));
        const size_t per = w.size() / dirs;
        const int units = node.value("hidden_size", 0);
        if (w[0].array.shape.size() != 2) throw Error(ErrorKind::model, where, "the kernel '" + w[0].name + "' is not 2-D");
        const int input_width = static_cast<int>(w[0].array.shape[0]);
        const bool reset_after = node.value("reset_after", true);
        recurrent_direction_tensors(where, name, "", gru, reset_after, units, input_width, per == 3, w.data(), out);
        if (bidi)
            recurrent_direction_tensors(where, name, "_reverse", gru, reset_after, units, input_width, per == 3,
                                        w.data() + per, out);
    } else if (op == "multihead_attention") {
        const int heads = node.value("num_heads", 0), head_dim = node.value("head_dim", 0);
        if (heads <= 0 || head_dim <= 0)
            throw Error(ErrorKind::model, where, "give num_heads and head_dim to take a Keras MultiHeadAttention's weights");
        const bool use_bias = w.size() == 8;
        const int64_t hd = static_cast<int64_t>(heads) * head_dim;
        int widths[3];
        for (int p = 0; p < 3; ++p) {
            const size_t k = static_cast<size_t>(use_bias ? 2 * p : p);
            if (k >= w.size()) throw Error(ErrorKind::model, where, "too few Keras weights for multihead_attention");
            widths[p] = static_cast<int>(static_cast<int64_t>(w[k].array.values.size()) / hd);
        }
        multihead_tensors(where, name, heads, head_dim, widths, use_bias, w, out);
    } else if (op == "attention") {
        if (w.size() == 1 && w[0].array.values.size() == 1) out[name + ".scale"] = make_tensor({1}, w[0].array.values);
        else if (!w.empty()) throw Error(ErrorKind::model, where, "a Keras attention with weights other than one scale maps through the importer (open the .h5 with its architecture)");
    } else if (op == "layer_norm") {
        need(2);
        out[name + ".weight"] = make_tensor({static_cast<int64_t>(w[0].array.values.size())}, w[0].array.values);
        out[name + ".bias"] = make_tensor({static_cast<int64_t>(w[1].array.values.size())}, w[1].array.values);
    } else if (op == "batch_norm") {
        need(4);
        const char* suffixes[] = {".weight", ".bias", ".running_mean", ".running_var"};
        for (int k = 0; k < 4; ++k)
            out[name + suffixes[k]] = make_tensor({static_cast<int64_t>(w[static_cast<size_t>(k)].array.values.size())},
                                                  w[static_cast<size_t>(k)].array.values);
    } else if (op == "attention_pool") {
        const std::string score = node.value("score", "tanh_proj");
        if (score == "tanh_proj") {
            if (w.size() != 2 && w.size() != 3) throw Error(ErrorKind::model, where, "tanh_proj takes W, (b,) u from the Keras layer");
            if (w[0].array.shape.size() != 2) throw Error(ErrorKind::model, where, "the projection '" + w[0].name + "' is not 2-D");
            const int64_t d = w[0].array.shape[0], a = w[0].array.shape[1];
            out[name + ".proj.weight"] = make_tensor({a, d}, transposed(w[0].array));
            if (w.size() == 3) out[name + ".proj.bias"] = make_tensor({a}, w[1].array.values);
            out[name + ".context.weight"] = make_tensor({1, static_cast<int64_t>(w.back().array.values.size())}, w.back().array.values);
        } else {
            if (w.empty() || w.size() > 2) throw Error(ErrorKind::model, where, score + " takes w (and b) from the Keras layer");
            out[name + ".context.weight"] = make_tensor({1, static_cast<int64_t>(w[0].array.values.size())}, w[0].array.values);
            if (w.size() == 2) out[name + ".context.bias"] = make_tensor({1}, w[1].array.values);
        }
    } else if (op == "feature_attention") {
        if (w.empty() || w.size() > 2) throw Error(ErrorKind::model, where, "feature_attention takes W (and b) from the Keras layer");
        out[name + ".weight"] = make_tensor(w[0].array.shape, w[0].array.values);
        if (w.size() == 2) out[name + ".bias"] = make_tensor({static_cast<int64_t>(w[1].array.values.size())}, w[1].array.values);
    } else if (!w.empty()) {
        throw Error(ErrorKind::model, where, "op '" + op + "' has no weights, but the Keras layer '" + name + "' has " +
                    std::to_string(w.size()));
    }
}

}  // namespace

Tensors manifest_tensors_from_keras(const json& manifest, const std::string& manifest_file,
                                    const std::string& weights_path) {
    const Hdf5File file(weights_path);
    const ModelConfig none;
    const KerasWeights weights(file, none);
    if (weights.keras3_layout())
        throw Error(ErrorKind::model, weights_path, "a Keras 3 weights file stores layers by class, not by name; open the .keras "
                                   "file (or the .h5 with its architecture) instead");
    std::set<std::string> layers;
    for (const auto& n : weights.layer_names()) layers.insert(n);
    Tensors out;
    const json nodes = manifest.value("nodes", json::array());
    if (!nodes.is_array()) return out;  // the loader reports the manifest's own errors
    for (const json& node : nodes) {
        if (!node.is_object() || !node.contains("name") || !node["name"].is_string()) continue;
        const std::string name = node["name"];
        if (!layers.count(name)) continue;
        node_tensors(node, manifest_file + ": node '" + name + "': Keras layer '" + name + "' of " + weights_path,
                     weights.layer(name), out);
    }
    return out;
}

}  // namespace lstmscope::keras
