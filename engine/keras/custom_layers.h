// Custom Keras layers (classes Keras itself does not have, such as the
// hand-written `AttentionLayer`s of published models): what they compute is
// in their Python code, which the .h5 does not hold. Two ways in:
//  * a mapping file (--custom-layers FILE, README "Custom Keras layers"):
//      {"layers": {"AttentionLayer": {"op": "attention_pool", "score": "tanh_linear",
//                   "weights": {"context.weight": "att_weight", "context.bias": "att_bias"}}}}
//    each weight named by its Keras name or its position, optionally
//    {"from": "W", "transpose": true};
//  * built-in recognisers for the common published forms, by the layer's
//    weight shapes: W [D, 1] (+ b [1]) is tanh(x W + b) pooling; W [D, A],
//    b [A], u [A] (or [A, 1]) is the HAN pooling u . tanh(x W + b). A
//    recognised layer leaves a note saying what was assumed.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/keras/layer_converters.h"

namespace lstmscope::keras {

struct CustomLayerMap {
    std::string file;  // for messages
    std::map<std::string, nlohmann::json> classes;
};

// Throws Error naming the file for a file that is not such a mapping.
CustomLayerMap read_custom_layer_map(const std::string& path);

Syms convert_custom_layer(Converter& cv, const Layer& layer, const Syms& in, const CustomLayerMap& map);

}  // namespace lstmscope::keras
