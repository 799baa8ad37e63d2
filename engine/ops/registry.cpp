// The table from op kind to builder. Adding an op: one file under ops/, one
// declaration in ops.h, one line here, one name in op_kind.cpp.
#include <array>

#include "engine/error.h"
#include "engine/ops/ops.h"

namespace lstmscope {

const OpBuilder& op_builder(OpKind kind) {
    static const std::array<std::pair<OpKind, OpBuilder>, 15> table{{
        {OpKind::Embedding, ops::build_embedding},
        {OpKind::Lstm, ops::build_lstm},
        {OpKind::Gru, ops::build_gru},
        {OpKind::Dense, ops::build_dense},
        {OpKind::Attention, ops::build_attention},
        {OpKind::AttentionPool, ops::build_attention_pool},
        {OpKind::MultiheadAttention, ops::build_multihead_attention},
        {OpKind::Concat, ops::build_concat},
        {OpKind::Add, ops::build_add},
        {OpKind::LayerNorm, ops::build_layer_norm},
        {OpKind::Pool, ops::build_pool},
        {OpKind::Activation, ops::build_activation},
        {OpKind::Dropout, ops::build_dropout},
        {OpKind::BatchNorm, ops::build_batch_norm},
        {OpKind::FeatureAttention, ops::build_feature_attention},
    }};
    for (const auto& [k, builder] : table)
        if (k == kind) return builder;
    throw Error("internal error: no builder for op '" + std::string(op_kind_name(kind)) + "'", ErrorKind::internal);
}

}  // namespace lstmscope
