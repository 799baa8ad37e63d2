#include "engine/op_kind.h"

#include <array>
#include <utility>

namespace lstmscope {

namespace {
constexpr std::array<std::pair<OpKind, std::string_view>, 17> kNames{{
    {OpKind::Embedding, "embedding"},
    {OpKind::Lstm, "lstm"},
    {OpKind::Gru, "gru"},
    {OpKind::Dense, "dense"},
    {OpKind::Attention, "attention"},
    {OpKind::AttentionPool, "attention_pool"},
    {OpKind::MultiheadAttention, "multihead_attention"},
    {OpKind::Concat, "concat"},
    {OpKind::Add, "add"},
    {OpKind::LayerNorm, "layer_norm"},
    {OpKind::Pool, "pool"},
    {OpKind::Activation, "activation"},
    {OpKind::Dropout, "dropout"},
    {OpKind::BatchNorm, "batch_norm"},
    {OpKind::FeatureAttention, "feature_attention"},
    {OpKind::Flatten, "flatten"},
    {OpKind::Parameter, "parameter"},
}};
}  // namespace

std::string_view op_kind_name(OpKind kind) {
    for (const auto& [k, name] : kNames)
        if (k == kind) return name;
    return "?";
}

std::optional<OpKind> op_kind_from_name(std::string_view name) {
    for (const auto& [k, n] : kNames)
        if (n == name) return k;
    return std::nullopt;
}

}  // namespace lstmscope
