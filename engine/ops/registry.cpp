// The table from op kind to builder and fields. Adding an op: one file under
// ops/, one declaration in ops.h, one line here (with every field its builder
// may read), one name in op_kind.cpp.
#include <span>
#include <vector>

#include "engine/error.h"
#include "engine/ops/ops.h"

namespace lstmscope {

namespace {

struct OpEntry {
    OpKind kind;
    OpBuilder builder;
    // Every field some configuration of the op reads, "name" and "op" aside:
    // the loader rejects any other field before the builder runs, and a
    // builder reading a field missing here is an internal error.
    std::vector<std::string_view> fields;
};

const std::vector<OpEntry>& op_table() {
    static const std::vector<OpEntry> table{
        {OpKind::Embedding, ops::build_embedding, {"input"}},
        {OpKind::Lstm, ops::build_lstm,
         {"input", "hidden_size", "num_layers", "bidirectional", "merge", "return", "gate_activation"}},
        {OpKind::Gru, ops::build_gru,
         {"input", "hidden_size", "num_layers", "bidirectional", "merge", "return", "gate_activation",
          "reset_after"}},
        {OpKind::Dense, ops::build_dense, {"input", "activation"}},
        {OpKind::Attention, ops::build_attention, {"query", "key", "value", "score", "causal"}},
        {OpKind::AttentionPool, ops::build_attention_pool, {"input", "score", "hops"}},
        {OpKind::MultiheadAttention, ops::build_multihead_attention,
         {"query", "key", "value", "num_heads", "head_dim", "causal"}},
        {OpKind::Concat, ops::build_concat, {"inputs"}},
        {OpKind::Add, ops::build_add, {"inputs"}},
        {OpKind::LayerNorm, ops::build_layer_norm, {"input", "eps"}},
        {OpKind::Pool, ops::build_pool, {"input", "mode"}},
        {OpKind::Activation, ops::build_activation, {"input", "function"}},
        {OpKind::Dropout, ops::build_dropout, {"input"}},
        {OpKind::BatchNorm, ops::build_batch_norm, {"input", "eps"}},
        {OpKind::FeatureAttention, ops::build_feature_attention, {"input"}},
        {OpKind::Flatten, ops::build_flatten, {"input"}},
        {OpKind::Parameter, ops::build_parameter, {}},
    };
    return table;
}

const OpEntry& entry(OpKind kind) {
    for (const auto& e : op_table())
        if (e.kind == kind) return e;
    throw Error("internal error: no builder for op '" + std::string(op_kind_name(kind)) + "'", ErrorKind::internal);
}

}  // namespace

const OpBuilder& op_builder(OpKind kind) { return entry(kind).builder; }

std::span<const std::string_view> op_fields(OpKind kind) { return entry(kind).fields; }

BuiltOp build_node(OpKind kind, BuildContext& ctx) {
    ctx.reject_fields_unknown_to_op();
    BuiltOp built = op_builder(kind)(ctx);
    ctx.reject_unknown_fields();
    return built;
}

}  // namespace lstmscope
