// One function per family of Keras layers: each gets the layer, the symbols
// of its call's inputs (in argument order) and the call's keyword
// arguments, writes nodes and tensors through the Converter, and returns the
// symbols of the call's outputs. Layer-by-layer semantics are documented
// beside each converter with the Keras formula they follow.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "engine/keras/keras_graph.h"

namespace lstmscope::keras {

using Syms = std::vector<Sym>;

// convert_core.cpp
Syms convert_embedding(Converter& cv, const Layer& layer, const Syms& in);
Syms convert_dense(Converter& cv, const Layer& layer, const Syms& in);
Syms convert_time_distributed(Converter& cv, const Layer& layer, const Syms& in);
Syms convert_activation(Converter& cv, const Layer& layer, const Syms& in);
Syms convert_softmax(Converter& cv, const Layer& layer, const Syms& in);
Syms convert_merge(Converter& cv, const Layer& layer, const Syms& in);       // Concatenate, Add
Syms convert_global_pool(Converter& cv, const Layer& layer, const Syms& in);
Syms convert_flatten(Converter& cv, const Layer& layer, const Syms& in);     // Flatten, Reshape
Syms convert_normalization(Converter& cv, const Layer& layer, const Syms& in);  // LayerNormalization, BatchNormalization

// convert_recurrent.cpp: LSTM, GRU (and their TF 2.0 "Unified" names), Bidirectional
Syms convert_recurrent(Converter& cv, const Layer& layer, const Syms& in);

// convert_attention.cpp: the stock-layer attention pieces and the attention layers
Syms convert_permute(Converter& cv, const Layer& layer, const Syms& in);
Syms convert_dot(Converter& cv, const Layer& layer, const Syms& in);
Syms convert_attention_layer(Converter& cv, const Layer& layer, const Syms& in, const nlohmann::json& kwargs);
Syms convert_multihead_attention(Converter& cv, const Layer& layer, const Syms& in, const nlohmann::json& kwargs);
// A softmax over the axis `axis` (Keras' numbering, batch axis 0, negative
// from the end) of `x`: the attention patterns, or an activation node.
Sym softmax_of(Converter& cv, const Layer& layer, const Sym& x, int axis);

// Shared by the converters.
const Sym& single_input(const Converter& cv, const Layer& layer, const Syms& in);
// Keras activation config (a name, or Keras 3's serialized function) as our
// activation name; throws naming the layer for ones lstmscope lacks.
std::string activation_name(const Converter& cv, const Layer& layer, const nlohmann::json& value);
// An integer axis (or a one-element list) from the config, made
// non-negative for a tensor of `rank` (batch axis included).
int config_axis(const Converter& cv, const Layer& layer, const nlohmann::json& value, int rank);

}  // namespace lstmscope::keras
