// Element-wise activations shared by `dense`, `activation` and the attention
// ops, and the numerically stable row softmax every attention uses.
#pragma once

#include "engine/matrix.h"
#include "engine/op.h"

namespace lstmscope::ops {

enum class Activation { Linear, Relu, Tanh, Sigmoid, Softmax, Gelu, LogSoftmax };

// Reads an activation-valued field ("activation" of dense, "function" of
// activation) with its default.
Activation read_activation(BuildContext& ctx, std::string_view key, std::optional<Activation> fallback);

// In place. Softmax and log_softmax are over each row.
void apply_activation(Activation activation, Matrix& m);

// Softmax over each row, subtracting the row max first (as torch.softmax).
// Entries equal to -infinity (masked) get weight exactly 0.
void softmax_rows(Matrix& m);

}  // namespace lstmscope::ops
