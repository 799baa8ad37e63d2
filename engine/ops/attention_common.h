// What `attention` and `multihead_attention` share: reading the query, key
// and value inputs with their defaults and checks, and the causal mask.
#pragma once

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "engine/attention_source.h"
#include "engine/op.h"
#include "engine/ops/activations.h"

namespace lstmscope::ops {

// An attention's bands of rows, or a multi-head attention's heads, go to
// several threads only from this many multiply-adds (each op counts what
// dominates its run): a thread costs ~20 us to start and join.
constexpr double kThreadWork = 2.0e6;

struct AttentionInputs {
    InputRef query, key, value;
};

// key defaults to query, value to key (models/FORMAT.md). Key and value
// must have the same number of rows (one value row per key row); a causal
// mask needs query and key with the same number of rows, since it pairs
// query position i with key position i. Otherwise the query may have rows
// of its own (a learned 1 x D or R x D `parameter` attending over a
// sequence): the output has the query's rows.
inline AttentionInputs read_attention_inputs(BuildContext& ctx, bool causal) {
    AttentionInputs in;
    in.query = ctx.input("query");
    in.key = ctx.optional_input("key").value_or(in.query);
    in.value = ctx.optional_input("value").value_or(in.key);
    if (!in.value.shape.same_rows(in.key.shape))
        ctx.fail_field("value", "'" + in.value.name + "' is " + in.value.shape.to_string() + " but key '" +
                                    in.key.name + "' is " + in.key.shape.to_string() +
                                    "; key and value need the same number of rows");
    if (causal && !in.query.shape.same_rows(in.key.shape))
        ctx.fail_field("causal", "needs query and key with the same number of rows, but query '" + in.query.name +
                                     "' is " + in.query.shape.to_string() + " and key '" + in.key.name + "' is " +
                                     in.key.shape.to_string());
    return in;
}

// Position i may not attend to j > i: those scores become -infinity, which
// softmax_rows turns into weight exactly 0 (as a boolean attn_mask does in
// torch.nn.functional.scaled_dot_product_attention).
// `scores` holds query rows first_row, first_row + 1, ... of the full matrix.
inline void mask_causal(Matrix& scores, Eigen::Index first_row = 0) {
    const float minus_inf = -std::numeric_limits<float>::infinity();
    const Eigen::Index cols = scores.cols();
    for (Eigen::Index i = 0; i < scores.rows(); ++i) {
        const Eigen::Index row = first_row + i;
        if (row + 1 < cols) scores.row(i).tail(cols - row - 1).setConstant(minus_inf);
    }
}

// Attention is computed a block of query rows at a time: a block of scores
// is at most RunOptions::attention_block_floats (256 KB by default), so a long
// text never holds a whole T x T matrix at once beyond what is recorded. For
// short texts one block is the whole matrix.
inline Eigen::Index attention_block_rows(const RunContext& ctx, Eigen::Index keys) {
    return std::max<Eigen::Index>(64, Eigen::Index{std::max(1, ctx.attention_block_floats)} /
                                          std::max<Eigen::Index>(1, keys));
}

// Which query rows of a `heads` x `rows` x `columns` attention to record:
// [first, end) of RunContext clamped to the matrix, or none when the
// matrices are over RunContext::attention_record_limit.
struct RecordedRows {
    Eigen::Index first = 0, end = 0;
    bool complete = false;  // every row: nothing needs a source or a summary
    Eigen::Index count() const { return end - first; }
};
inline RecordedRows recorded_rows(const RunContext& ctx, Eigen::Index heads, Eigen::Index rows, Eigen::Index columns) {
    RecordedRows r;
    if (ctx.attention_record_limit >= 0 && heads * rows * columns > ctx.attention_record_limit) return r;
    r.first = std::clamp<Eigen::Index>(ctx.attention_first, 0, rows);
    r.end = std::clamp<Eigen::Index>(ctx.attention_end, r.first, rows);
    r.complete = r.first == 0 && r.end == rows;
    // The weights (and with details the scores) of the rows kept, checked
    // against the run's memory budget before they are allocated.
    ctx.reserve_recording(heads * r.count() * columns * static_cast<Eigen::Index>(sizeof(float)) * (ctx.details ? 2 : 1));
    return r;
}

// What a node that does not record every row keeps instead (see
// engine/attention_source.h): the summary is built only then.
inline std::optional<SummaryBuilder> summary_builder(const RunContext& ctx, const RecordedRows& keep, int heads,
                                                     Eigen::Index rows, Eigen::Index columns) {
    if (keep.complete || ctx.attention_summary_bins <= 0) return std::nullopt;
    return SummaryBuilder(heads, static_cast<int>(rows), static_cast<int>(columns), ctx.attention_summary_bins);
}

// A block of scores (query rows from r0) becomes weights: the softmax, then
// any intervention on this node. With a summary the weights are added to
// it, in the softmax's own pass when no intervention changes them after it.
inline void weights_of_block(const RunContext& ctx, std::optional<SummaryBuilder>& summary, int head, Matrix& s,
                             Eigen::Index r0, bool causal) {
    if (summary && !ctx.intervenes()) {
        summary->softmax_and_add(head, s, static_cast<int>(r0));
        return;
    }
    softmax_rows(s);
    ctx.intervene(head, r0, causal, s);
    if (summary) summary->add(head, s, static_cast<int>(r0));
}

// Copies the part of block [r0, r0 + block.rows()) that falls in `keep` into
// `dst` (whose row 0 is keep.first).
inline void record_block(const Matrix& block, Eigen::Index r0, const RecordedRows& keep, Matrix& dst) {
    const Eigen::Index a = std::max(r0, keep.first), b = std::min(r0 + block.rows(), keep.end);
    if (a < b) dst.middleRows(a - keep.first, b - a) = block.middleRows(a - r0, b - a);
}

}  // namespace lstmscope::ops
