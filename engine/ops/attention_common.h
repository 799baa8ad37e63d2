// What `attention` and `multihead_attention` share: reading the query, key
// and value inputs with their defaults and checks, and the causal mask.
#pragma once

#include <limits>
#include <string>

#include "engine/op.h"

namespace lstmscope::ops {

struct AttentionInputs {
    InputRef query, key, value;
};

// key defaults to query, value to key (spec/model-format.md). Key and value
// must have the same number of rows (one value row per key row); a causal
// mask needs query and key with the same number of rows, since it pairs
// query position i with key position i.
inline AttentionInputs read_attention_inputs(BuildContext& ctx, bool causal) {
    AttentionInputs in;
    in.query = ctx.input("query");
    in.key = ctx.optional_input("key").value_or(in.query);
    in.value = ctx.optional_input("value").value_or(in.key);
    if (in.value.shape.rows != in.key.shape.rows)
        ctx.fail_field("value", "'" + in.value.name + "' is " + in.value.shape.to_string() + " but key '" +
                                    in.key.name + "' is " + in.key.shape.to_string() +
                                    "; key and value need the same number of rows");
    if (causal && in.query.shape.rows != in.key.shape.rows)
        ctx.fail_field("causal", "needs query and key with the same number of rows, but query '" + in.query.name +
                                     "' is " + in.query.shape.to_string() + " and key '" + in.key.name + "' is " +
                                     in.key.shape.to_string());
    return in;
}

// Position i may not attend to j > i: those scores become -infinity, which
// softmax_rows turns into weight exactly 0 (as a boolean attn_mask does in
// torch.nn.functional.scaled_dot_product_attention).
inline void mask_causal(Matrix& scores) {
    const float minus_inf = -std::numeric_limits<float>::infinity();
    const Eigen::Index cols = scores.cols();
    for (Eigen::Index i = 0; i < scores.rows() && i + 1 < cols; ++i)
        scores.row(i).tail(cols - i - 1).setConstant(minus_inf);
}

}  // namespace lstmscope::ops
