// One builder per op (or op family); registry.cpp maps op kinds to them.
#pragma once

#include "engine/op.h"

namespace lstmscope::ops {

BuiltOp build_embedding(BuildContext& ctx);
BuiltOp build_lstm(BuildContext& ctx);
BuiltOp build_gru(BuildContext& ctx);
BuiltOp build_dense(BuildContext& ctx);
BuiltOp build_attention(BuildContext& ctx);
BuiltOp build_attention_pool(BuildContext& ctx);
BuiltOp build_multihead_attention(BuildContext& ctx);
BuiltOp build_concat(BuildContext& ctx);
BuiltOp build_add(BuildContext& ctx);
BuiltOp build_layer_norm(BuildContext& ctx);
BuiltOp build_batch_norm(BuildContext& ctx);
BuiltOp build_feature_attention(BuildContext& ctx);
BuiltOp build_pool(BuildContext& ctx);
BuiltOp build_activation(BuildContext& ctx);
BuiltOp build_dropout(BuildContext& ctx);
BuiltOp build_flatten(BuildContext& ctx);
BuiltOp build_parameter(BuildContext& ctx);

}  // namespace lstmscope::ops
