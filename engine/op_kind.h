#pragma once

#include <optional>
#include <string_view>

namespace lstmscope {

enum class OpKind {
    Embedding,
    Lstm,
    Gru,
    Dense,
    Attention,
    AttentionPool,
    MultiheadAttention,
    Concat,
    Add,
    LayerNorm,
    Pool,
    Activation,
    Dropout,
    BatchNorm,
    FeatureAttention,
    Flatten,
    Parameter,
};

// The spelling used in manifests and traces ("attention_pool", ...).
std::string_view op_kind_name(OpKind kind);
std::optional<OpKind> op_kind_from_name(std::string_view name);

}  // namespace lstmscope
