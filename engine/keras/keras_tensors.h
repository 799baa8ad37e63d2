// Keras weights as lstmscope tensors: the layout changes shared by the
// importer's layer converters and by manifests whose weights file is a
// Keras .h5 (manifest_weights.h). Each throws Error with `where` (the file
// and layer) in front of the message.
#pragma once

#include <map>
#include <string>

#include "engine/keras/keras_weights.h"
#include "engine/safetensors.h"

namespace lstmscope::keras {

using Tensors = std::map<std::string, StoredTensor>;

StoredTensor make_tensor(std::vector<int64_t> shape, std::vector<float> data);

// Dense: kernel [in, out] -> NODE.weight [out, in]; bias -> NODE.bias.
void dense_tensors(const std::string& where, const std::string& node, const std::vector<NamedWeight>& w,
                   bool use_bias, Tensors& out);

// One direction of a Keras LSTM/GRU (kernel, recurrent_kernel, bias) as
// NODE.weight_ih_l0<suffix>, weight_hh_l0, bias_ih_l0 (and bias_hh_l0 for a
// reset_after GRU). Keras' gate blocks are i f c o (LSTM, as ours) and
// z r h (GRU; ours r z n: the first two swap).
void recurrent_direction_tensors(const std::string& where, const std::string& node, const std::string& suffix,
                                 bool gru, bool reset_after, int units, int input_width, bool use_bias,
                                 const NamedWeight* w, Tensors& out);

// MultiHeadAttention's query/key/value/output kernels ([D, heads, dim],
// [heads, dim, out]) and biases as q_proj / k_proj / v_proj / out_proj.
// Returns the output width.
int64_t multihead_tensors(const std::string& where, const std::string& node, int heads, int key_dim,
                          const int query_width[3], bool use_bias, const std::vector<NamedWeight>& w, Tensors& out);

}  // namespace lstmscope::keras
