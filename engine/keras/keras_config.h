// A Keras model's architecture (the `model_config` JSON of an .h5 file, the
// `config.json` of a .keras zip, or `model.to_json()`), read into one plain
// layer graph whatever dialect wrote it: Keras 2 / tf.keras (inbound nodes as
// [layer, node, tensor, kwargs] lists) or Keras 3 (`__keras_tensor__`
// objects with a keras_history, DTypePolicy dtypes), Functional or
// Sequential. Mapping the layers to lstmscope's ops comes after this.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lstmscope::keras {

// One tensor: output `tensor` of call `node` of layer `layer`.
struct TensorRef {
    std::string layer;
    int node = 0;
    int tensor = 0;
    bool operator==(const TensorRef&) const = default;
};

struct Layer {
    std::string class_name;     // "LSTM", "Bidirectional", "AttentionLayer", ...
    std::string name;
    nlohmann::json config;      // the layer's own config object
    // The tensors of each call of the layer, in argument order (a layer
    // called once has one entry; Dot and Concatenate get several tensors).
    std::vector<std::vector<TensorRef>> calls;
    std::vector<nlohmann::json> call_kwargs;  // per call, the keyword arguments (may be null)
};

struct ModelConfig {
    std::string class_name;     // "Functional", "Model", "Sequential"
    std::string name;
    std::vector<Layer> layers;  // in the config's order (a valid topological order)
    std::vector<TensorRef> inputs, outputs;

    const Layer* find(const std::string& layer) const;
};

// Throws Error "<file>: model_config: ..." naming the layer and field at
// fault. `file` is only used in messages.
ModelConfig parse_model_config(const nlohmann::json& config, const std::string& file);

// The same from text (the attribute as stored); JSON nested deeper than 256
// levels is refused before it can exhaust the stack.
ModelConfig parse_model_config(const std::string& text, const std::string& file);

}  // namespace lstmscope::keras
