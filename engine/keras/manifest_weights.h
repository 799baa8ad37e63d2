// A manifest whose "weights" names a Keras weights file instead of a
// safetensors file: how a subclassed Keras model (saved only with
// save_weights, with no architecture Keras can write) opens. The manifest
// describes the graph in the format's ops, each node named after the Keras
// layer whose weights it takes; the weights are converted here by the
// node's op (kernels transposed, GRU gates reordered, MultiHeadAttention's
// kernels flattened). Nodes without a Keras layer of their name take none.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/keras/keras_tensors.h"

namespace lstmscope::keras {

// Throws Error naming the manifest, the node and the Keras weight at fault.
Tensors manifest_tensors_from_keras(const nlohmann::json& manifest, const std::string& manifest_file,
                                    const std::string& weights_path);

}  // namespace lstmscope::keras
