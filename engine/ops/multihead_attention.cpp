// `multihead_attention` (models/FORMAT.md), as torch.nn.MultiheadAttention
// (PyTorch 1.13/2.x, batch of one, no dropout): project query, key and value,
// split the projections into heads, scaled-dot attention per head, join the
// heads and project out. Records every head's T_q x T_k weights, or over
// RunOptions::attention_record_limit a source and a summary of them.
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/kernels/narrow_product.h"
#include "engine/kernels/narrow_scores.h"
#include "engine/kernels/softmax.h"
#include "engine/kernels/packed_gemm.h"
#include "engine/ops/activations.h"
#include "engine/ops/attention_common.h"
#include "engine/ops/ops.h"
#include "engine/parallel.h"

namespace lstmscope::ops {
namespace {

// One input projection x W^T + b, transposed once at load.
struct Projection {
    kernels::PackedGemm weight;  // [d_in, h * hd]: W^T, packed
    RowVector bias;              // [h * hd], empty if absent

    Matrix apply(const Matrix& x, int threads) const {
        Matrix y = weight(x, threads);
        if (bias.size()) y.rowwise() += bias;
        return y;
    }
};

// The scores of every head, from the projected queries (scaled) and keys:
// used by the run block by block, and kept by a long text's trace to
// recompute any rows later (engine/attention_source.h).
//
// Each head's queries are kept as their own contiguous T x hd matrix and its
// keys packed (K_h^T, hd x T) for the engine's matrix kernel: Eigen's product
// was the attention's time in a portable build (its SSE kernel: a sixth of
// the medium benchmark shape, against a twentieth natively), and packing
// costs T x hd per head against T x T x hd for the product.
class HeadScores final : public AttentionSource {
public:
    HeadScores(const Matrix& q, const Matrix& k, int heads, int head_dim, bool causal)
        : rows_(static_cast<int>(q.rows())), columns_(static_cast<int>(k.rows())), heads_(heads), causal_(causal) {
        for (int h = 0; h < heads; ++h) {
            const Eigen::Index at = static_cast<Eigen::Index>(h) * head_dim;
            q_.emplace_back(q.middleCols(at, head_dim));
            k_.emplace_back(k.middleCols(at, head_dim).transpose());
        }
    }
    int heads() const override { return heads_; }
    int rows() const override { return rows_; }
    int columns() const override { return columns_; }
    const Matrix& queries(int head) const { return q_[static_cast<size_t>(head)]; }
    void scores(int head, int first, int count, Matrix& s) const override {
        const Matrix& q = q_[static_cast<size_t>(head)];
        k_[static_cast<size_t>(head)].multiply_rows(q.row(first).data(), count, s);
        if (causal_) mask_causal(s, first);
    }

private:
    int rows_, columns_, heads_;
    bool causal_;
    std::vector<Matrix> q_;                   // per head: T_q x hd, scaled
    std::vector<kernels::PackedGemm> k_;      // per head: K_h^T, hd x T_k
};

// A head's values, ready for the weighted sums: heads of up to 16
// dimensions take the narrow product, which reads sixteen weights per
// instruction (engine/kernels/narrow_product.h), wider ones the packed one.
class HeadValues {
public:
    explicit HeadValues(const Matrix& v) : is_narrow_(v.cols() <= kernels::NarrowProduct::kMaxColumns) {
        if (is_narrow_) narrow_ = kernels::NarrowProduct(v);
        else wide_ = kernels::PackedGemm(v);
    }
    void multiply(const Matrix& weights, Matrix& out) const {
        if (is_narrow_) narrow_.multiply(weights, out);
        else wide_.multiply(weights, out);
    }
    // The narrow product, when it has a vector path (else null).
    const kernels::NarrowProduct* narrow() const { return is_narrow_ && narrow_.vector_path() ? &narrow_ : nullptr; }

private:
    bool is_narrow_;
    kernels::NarrowProduct narrow_;
    kernels::PackedGemm wide_;
};

// A head of few dimensions over a long text, when nothing asks for its
// weights as a matrix (no rows recorded, no intervention, no causal mask):
// query rows go kFusedRows at a time through their scores (with each row's
// maximum), softmax (summed into the summary on the way) and weighted sum
// while they are still in the core's cache, instead of a 64-row block of
// scores written out and read back by each step. The same numbers as the
// block path: the scores and the softmax have its bits, and the weighted
// sum is the narrow product's either way.
constexpr int kFusedRows = 8;

void run_fused_head(const kernels::NarrowScores& keys, const Matrix& queries, const kernels::NarrowProduct& values,
                    std::optional<SummaryBuilder>& summary, int head, Eigen::Index block, Matrix& joined,
                    Eigen::Index at) {
    const int Tq = static_cast<int>(queries.rows()), Tk = keys.keys(), hd = keys.depth();
    Matrix s(kFusedRows, Tk);
    float top[kFusedRows];
    const int ldj = static_cast<int>(joined.cols());
    for (int r0 = 0; r0 < Tq; r0 += static_cast<int>(block)) {
        const int n = std::min(static_cast<int>(block), Tq - r0);
        auto add_row = [&](int i, float* acc, bool first) {
            const int g = i % kFusedRows;
            if (g == 0) keys.scores(queries.row(r0 + i).data(), hd, std::min(kFusedRows, n - i), s.data(), Tk, top);
            kernels::softmax_row_from_max(s.row(g).data(), Tk, top[g], acc, first);
            if (g == kFusedRows - 1 || i == n - 1) {
                float* out = joined.data() + static_cast<Eigen::Index>(r0 + i - g) * ldj + at;
                values.multiply_rows(s.data(), Tk, g + 1, out, ldj);
            }
        };
        if (summary)
            summary->add_rows(head, r0, n, Tk, add_row);
        else
            for (int i = 0; i < n; ++i) add_row(i, nullptr, false);
    }
}

class MultiheadAttentionOp final : public Op {
public:
    MultiheadAttentionOp(AttentionInputs in, int heads, int head_dim, bool causal, Projection q, Projection k,
                         Projection v, Projection out)
        : query_(in.query.index), key_(in.key.index), value_(in.value.index), heads_(heads), head_dim_(head_dim),
          causal_(causal), q_(std::move(q)), k_(std::move(k)), v_(std::move(v)), out_(std::move(out)) {}

    void run(const RunContext& ctx, NodeTrace& out) const override {
        Matrix q = q_.apply(ctx.value(query_), ctx.threads);
        // PyTorch scales q by 1/sqrt(hd) before Q K^T (multi_head_attention_forward).
        q *= 1.0f / std::sqrt(static_cast<float>(head_dim_));
        const Matrix k = k_.apply(ctx.value(key_), ctx.threads);
        const auto source = std::make_shared<const HeadScores>(q, k, heads_, head_dim_, causal_);
        const Matrix v = v_.apply(ctx.value(value_), ctx.threads);
        std::vector<HeadValues> values;
        for (int h = 0; h < heads_; ++h)
            values.emplace_back(Matrix(v.middleCols(static_cast<Eigen::Index>(h) * head_dim_, head_dim_)));
        const Eigen::Index Tq = source->rows(), Tk = source->columns();
        Matrix joined(Tq, static_cast<Eigen::Index>(heads_) * head_dim_);
        const RecordedRows keep = recorded_rows(ctx, heads_, Tq, Tk);
        const bool record = keep.count() > 0;
        out.attention.assign(record ? static_cast<size_t>(heads_) : 0, Matrix(keep.count(), Tk));
        out.scores.assign(record && ctx.details ? static_cast<size_t>(heads_) : 0, Matrix(keep.count(), Tk));
        out.attention_first_row = static_cast<int>(keep.first);
        out.attention_rows_total = static_cast<int>(Tq);
        std::optional<SummaryBuilder> summary = summary_builder(ctx, keep, heads_, Tq, Tk);
        const Eigen::Index block = attention_block_rows(ctx, Tk);
        std::vector<kernels::NarrowScores> narrow_keys;
        if (!record && !causal_ && !ctx.intervenes() && head_dim_ <= kernels::NarrowScores::kMaxDepth &&
            values.front().narrow())
            for (int h = 0; h < heads_; ++h)
                narrow_keys.emplace_back(Matrix(k.middleCols(static_cast<Eigen::Index>(h) * head_dim_, head_dim_)));
        const bool fused = !narrow_keys.empty() && narrow_keys.front().usable();
        // Heads are independent and each writes only its own matrices and
        // its own columns of `joined`, so they may run on several threads.
        std::vector<std::function<void()>> tasks;
        tasks.reserve(static_cast<size_t>(heads_));
        for (int h = 0; h < heads_; ++h)
            tasks.emplace_back([&, h] {
                ctx.check_cancel();
                const Eigen::Index at = static_cast<Eigen::Index>(h) * head_dim_;
                if (record && keep.complete && block >= Tq) {
                    // One block, every row recorded: straight into the trace.
                    Matrix& a = out.attention[static_cast<size_t>(h)];
                    source->scores(h, 0, static_cast<int>(Tq), a);
                    if (ctx.details) out.scores[static_cast<size_t>(h)] = a;
                    softmax_rows(a);
                    ctx.intervene(h, 0, causal_, a);
                    Matrix weighted;
                    values[static_cast<size_t>(h)].multiply(a, weighted);
                    joined.middleCols(at, head_dim_) = weighted;
                    return;
                }
                if (fused) {
                    run_fused_head(narrow_keys[static_cast<size_t>(h)], source->queries(h),
                                   *values[static_cast<size_t>(h)].narrow(), summary, h, block, joined, at);
                    return;
                }
                Matrix s, weighted;
                for (Eigen::Index r0 = 0; r0 < Tq; r0 += block) {
                    const Eigen::Index n = std::min(block, Tq - r0);
                    source->scores(h, static_cast<int>(r0), static_cast<int>(n), s);
                    if (record && ctx.details) record_block(s, r0, keep, out.scores[static_cast<size_t>(h)]);
                    weights_of_block(ctx, summary, h, s, r0, causal_);
                    values[static_cast<size_t>(h)].multiply(s, weighted);
                    joined.block(r0, at, n, head_dim_) = weighted;
                    if (record) record_block(s, r0, keep, out.attention[static_cast<size_t>(h)]);
                }
            });
        const double work = static_cast<double>(Tq) * Tk * head_dim_ * heads_;
        run_parallel(tasks, work >= kThreadWork ? ctx.threads : 1);
        out.value = out_.apply(joined, ctx.threads);
        if (!keep.complete) {
            out.attention_source = source;
            if (summary) out.attention_summary = summary->finish();
        }
    }

private:
    int query_, key_, value_;
    int heads_, head_dim_;
    bool causal_;
    Projection q_, k_, v_, out_;
};

Projection read_projection(BuildContext& ctx, const std::string& prefix, int64_t width, int64_t in) {
    Projection p;
    p.weight = kernels::PackedGemm(ctx.matrix(prefix + ".weight", width, in).transpose());
    p.bias = ctx.optional_vector(prefix + ".bias", width).value_or(RowVector());
    return p;
}

// head_dim as given (`given` > 0) or as the projection width / h.
int resolve_head_dim(BuildContext& ctx, int heads, int given, int64_t width, const std::string& source) {
    if (given > 0) {
        if (static_cast<int64_t>(heads) * given != width)
            ctx.fail_field("head_dim", "num_heads x head_dim = " + std::to_string(heads) + " x " +
                                           std::to_string(given) + " but " + source + " projects to width " +
                                           std::to_string(width));
        return given;
    }
    if (width % heads != 0)
        ctx.fail_field("num_heads", std::to_string(heads) + " heads do not divide the projection width " +
                                        std::to_string(width) + " of " + source + "; give head_dim");
    return static_cast<int>(width / heads);
}

}  // namespace

BuiltOp build_multihead_attention(BuildContext& ctx) {
    const int heads = ctx.positive_integer("num_heads");
    // 0: not given, follows from the projection width.
    const int given_head_dim = ctx.has("head_dim") ? ctx.positive_integer("head_dim") : ctx.integer("head_dim", 0);
    const bool causal = ctx.boolean("causal", false);
    const AttentionInputs in = read_attention_inputs(ctx, causal);
    const int dq = in.query.shape.cols, dk = in.key.shape.cols, dv = in.value.shape.cols;
    const std::string name = ctx.name();

    const bool packed = ctx.has_weight("in_proj_weight");
    const bool separate =
        ctx.has_weight("q_proj.weight") || ctx.has_weight("k_proj.weight") || ctx.has_weight("v_proj.weight");
    if (packed && separate)
        ctx.fail_tensor("in_proj_weight", "given together with separate q_proj/k_proj/v_proj weights; give one or "
                                          "the other");
    if (!packed && !separate)
        ctx.fail_tensor("in_proj_weight", "missing weight; give either it (packed, as torch.nn.MultiheadAttention) "
                                          "or '" + name + ".q_proj.weight', '" + name + ".k_proj.weight' and '" +
                                          name + ".v_proj.weight'");

    Projection q, k, v;
    int head_dim = 0;
    if (packed) {
        // Packed weights project E -> E for each of q, k, v, so all three
        // inputs must be E wide (torch's _qkv_same_embed_dim).
        const int64_t e = dq;
        if (dk != e)
            ctx.fail_field("key", "'" + in.key.name + "' has width " + std::to_string(dk) +
                                      "; the packed in_proj_weight needs key width = query width " + std::to_string(e));
        if (dv != e)
            ctx.fail_field("value", "'" + in.value.name + "' has width " + std::to_string(dv) +
                                        "; the packed in_proj_weight needs value width = query width " +
                                        std::to_string(e));
        const Matrix w = ctx.matrix("in_proj_weight", 3 * e, e);
        const RowVector b = ctx.optional_vector("in_proj_bias", 3 * e).value_or(RowVector());
        Projection* parts[3] = {&q, &k, &v};
        for (int p = 0; p < 3; ++p) {
            parts[p]->weight = kernels::PackedGemm(w.middleRows(p * e, e).transpose());
            if (b.size()) parts[p]->bias = b.segment(p * e, e);
        }
        head_dim = resolve_head_dim(ctx, heads, given_head_dim, e, "'" + name + ".in_proj_weight'");
    } else {
        const auto shape = ctx.weight_shape("q_proj.weight");
        if (shape.size() != 2 || shape[0] <= 0)
            ctx.fail_tensor("q_proj.weight", "must be a 2-D [h * hd, d_q] matrix");
        head_dim = resolve_head_dim(ctx, heads, given_head_dim, shape[0], "'" + name + ".q_proj.weight'");
        const int64_t projected = static_cast<int64_t>(heads) * head_dim;
        q = read_projection(ctx, "q_proj", projected, dq);
        k = read_projection(ctx, "k_proj", projected, dk);
        v = read_projection(ctx, "v_proj", projected, dv);
    }

    const int64_t width = static_cast<int64_t>(heads) * head_dim;
    const auto out_shape = ctx.weight_shape("out_proj.weight");
    if (out_shape.size() != 2 || out_shape[0] <= 0)
        ctx.fail_tensor("out_proj.weight", "must be a 2-D [d_out, h * hd] matrix");
    Projection out = read_projection(ctx, "out_proj", out_shape[0], width);
    const Shape output{in.query.shape.rows, static_cast<int>(out_shape[0]), in.query.shape.count};
    return {std::make_unique<MultiheadAttentionOp>(in, heads, head_dim, causal, std::move(q), std::move(k),
                                                   std::move(v), std::move(out)),
            output};
}

}  // namespace lstmscope::ops
