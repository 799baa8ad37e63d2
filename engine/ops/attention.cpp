// `attention` (models/FORMAT.md): one softmax attention over query, key
// and value with a dot, scaled dot, general (Luong) or additive (Bahdanau)
// score. Records the T_q x T_k weight matrix, or over
// RunOptions::attention_record_limit a source and a summary of it.
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "engine/kernels/packed_gemm.h"
#include "engine/ops/activations.h"
#include "engine/ops/attention_common.h"
#include "engine/ops/ops.h"
#include "engine/parallel.h"

namespace lstmscope::ops {
namespace {

enum class Score { Dot, ScaledDot, General, Additive };

// Weights of the `general` and `additive` scores, arranged once at load.
struct ScoreWeights {
    Matrix general;      // general: W [d_q, d_k], S = (Q W) K^T
    Matrix query_proj_t; // additive: W_q^T [d_q, A]
    Matrix key_proj_t;   // additive: W_k^T [d_k, A]
    RowVector key_bias;  // additive: b [A], empty if absent
    RowVector v;         // additive: v [A]
};

// The scores of one attention: the query side (Q, Q W for general, or the
// query projection for additive), the keys (or their projection) and what
// turns them into scores. Used by the run block by block, and kept by a long
// text's trace to recompute any rows later (engine/attention_source.h).
class Scores final : public AttentionSource {
public:
    Scores(Score score, Matrix qs, Matrix k, RowVector v, std::optional<float> scale, bool causal)
        : score_(score), qs_(std::move(qs)), columns_(static_cast<int>(k.rows())), depth_(k.cols()), v_(std::move(v)),
          scale_(scale), causal_(causal) {
        // Dot-like scores multiply by K^T, packed once for the engine's
        // matrix kernel (Eigen packed the keys again for every block);
        // additive scores keep the projected keys as they are.
        if (score_ == Score::Additive)
            k_ = std::move(k);
        else
            kt_ = kernels::PackedGemm(k.transpose());
    }
    int heads() const override { return 1; }
    int rows() const override { return static_cast<int>(qs_.rows()); }
    int columns() const override { return columns_; }
    // Multiply-adds per score (for the choice of threads).
    Eigen::Index depth() const { return depth_; }

    void scores(int, int first, int count, Matrix& s) const override {
        switch (score_) {
        case Score::Dot:
        case Score::General:
            kt_.multiply_rows(qs_.row(first).data(), count, s);
            break;
        case Score::ScaledDot:
            kt_.multiply_rows(qs_.row(first).data(), count, s);
            s *= 1.0f / std::sqrt(static_cast<float>(depth_));
            break;
        case Score::Additive: {
            // S_ij = v . tanh(W_q q_i + W_k k_j + b), as Bahdanau et al. 2015
            // (and the usual PyTorch tutorial module): one T_k x A tanh block
            // per query row. k_ holds the projected keys W_k k_j + b here.
            s.resize(count, k_.rows());
            Matrix t(k_.rows(), k_.cols());
            for (int i = 0; i < count; ++i) {
                t.array() = (k_.rowwise() + qs_.row(first + i)).array().tanh();
                s.row(i).noalias() = v_ * t.transpose();
            }
            break;
        }
        }
        // Scale before the mask: a negative learned scale must not turn a
        // masked -inf into +inf.
        if (scale_) s *= *scale_;
        if (causal_) mask_causal(s, first);
    }

private:
    Score score_;
    Matrix qs_;
    int columns_;
    Eigen::Index depth_;
    kernels::PackedGemm kt_;  // dot, scaled dot, general: K^T, d x T_k
    Matrix k_;                // additive: the projected keys, T_k x A
    RowVector v_;
    std::optional<float> scale_;
    bool causal_;
};

class AttentionOp final : public Op {
public:
    AttentionOp(AttentionInputs in, Score score, bool causal, std::optional<float> scale, ScoreWeights w)
        : query_(in.query.index), key_(in.key.index), value_(in.value.index), score_(score), causal_(causal),
          scale_(scale), w_(std::move(w)) {}

    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix& v = ctx.value(value_);
        // The values packed once for every block's weighted sum: the packed
        // kernels' narrow panels fit a value of 64 columns (an LSTM of 32
        // units each way) better than Eigen's product, which took twice as
        // long at 5,000 tokens.
        const kernels::PackedGemm values(v);
        const auto source = make_scores(ctx.value(query_), ctx.value(key_));
        const Eigen::Index Tq = source->rows(), Tk = source->columns();
        const RecordedRows keep = recorded_rows(ctx, 1, Tq, Tk);
        const bool record = keep.count() > 0;
        out.attention.assign(record ? 1 : 0, Matrix(keep.count(), Tk));
        out.scores.assign(record && ctx.details ? 1 : 0, Matrix(keep.count(), Tk));
        out.attention_first_row = static_cast<int>(keep.first);
        out.attention_rows_total = static_cast<int>(Tq);
        std::optional<SummaryBuilder> summary = summary_builder(ctx, keep, 1, Tq, Tk);
        out.value.resize(Tq, v.cols());
        const Eigen::Index block = attention_block_rows(ctx, Tk);
        const bool whole = record && keep.complete && block >= Tq;
        // One task per block of rows, each with its own scratch: every block
        // writes only its own rows, so blocks may run on several threads,
        // and each is computed the same way on any number. Threads take the
        // next block as they finish one (run_parallel), so a thread the
        // window or another program holds up a while does fewer blocks
        // instead of leaving the others waiting at the end, as halves did.
        auto one_block = [&](Eigen::Index b) {
            ctx.check_cancel();
            Matrix s, weighted;
            const Eigen::Index r0 = b * block, n = std::min(block, Tq - r0);
            // One block, every row recorded: computed straight into the trace.
            Matrix& m = whole ? out.attention[0] : s;
            source->scores(0, static_cast<int>(r0), static_cast<int>(n), m);
            if (record && ctx.details) record_block(m, r0, keep, out.scores[0]);
            weights_of_block(ctx, summary, 0, m, r0, causal_);
            values.multiply(m, weighted);
            out.value.middleRows(r0, n) = weighted;
            if (record && !whole) record_block(m, r0, keep, out.attention[0]);
        };
        const Eigen::Index count = (Tq + block - 1) / block;
        const double work = static_cast<double>(Tq) * Tk * (source->depth() + v.cols());
        std::vector<std::function<void()>> tasks;
        for (Eigen::Index b = 0; b < count; ++b) tasks.emplace_back([&, b] { one_block(b); });
        run_parallel(tasks, work >= kThreadWork ? ctx.threads : 1);
        if (!keep.complete) {
            out.attention_source = source;
            if (summary) out.attention_summary = summary->finish();
        }
    }

private:
    // What every block of rows needs, computed once: the query side of the
    // score and the keys, or for additive both projections.
    std::shared_ptr<const Scores> make_scores(const Matrix& q, const Matrix& k) const {
        switch (score_) {
        case Score::Dot:
        case Score::ScaledDot:
            return std::make_shared<const Scores>(score_, q, k, RowVector(), scale_, causal_);
        case Score::General:
            return std::make_shared<const Scores>(score_, q * w_.general, k, RowVector(), scale_, causal_);
        case Score::Additive: {
            Matrix pk = k * w_.key_proj_t;
            if (w_.key_bias.size()) pk.rowwise() += w_.key_bias;
            return std::make_shared<const Scores>(score_, q * w_.query_proj_t, std::move(pk), w_.v, scale_, causal_);
        }
        }
        return nullptr;
    }

    int query_, key_, value_;
    Score score_;
    bool causal_;
    std::optional<float> scale_;
    ScoreWeights w_;
};

ScoreWeights read_score_weights(BuildContext& ctx, Score score, int dq, int dk) {
    ScoreWeights w;
    if (score == Score::General) w.general = ctx.matrix("weight", dq, dk);
    if (score == Score::Additive) {
        const auto shape = ctx.weight_shape("query_proj.weight");
        if (shape.size() != 2 || shape[0] <= 0)
            ctx.fail_tensor("query_proj.weight", "must be a 2-D [A, d_q] matrix");
        const int64_t a = shape[0];
        w.query_proj_t = ctx.matrix("query_proj.weight", a, dq).transpose();
        w.key_proj_t = ctx.matrix("key_proj.weight", a, dk).transpose();
        w.key_bias = ctx.optional_vector("key_proj.bias", a).value_or(RowVector());
        w.v = ctx.matrix("v.weight", 1, a);
    }
    return w;
}

}  // namespace

BuiltOp build_attention(BuildContext& ctx) {
    // No default score: the spec gives none, and guessing between dot and
    // scaled_dot would silently change every weight.
    const Score score = ctx.choice<Score>("score", {{"dot", Score::Dot},
                                                   {"scaled_dot", Score::ScaledDot},
                                                   {"general", Score::General},
                                                   {"additive", Score::Additive}});
    const bool causal = ctx.boolean("causal", false);
    const AttentionInputs in = read_attention_inputs(ctx, causal);
    const int dq = in.query.shape.cols;
    const int dk = in.key.shape.cols;
    if ((score == Score::Dot || score == Score::ScaledDot) && dq != dk)
        ctx.fail_field("key", "'" + in.key.name + "' has width " + std::to_string(dk) + " but query '" +
                                  in.query.name + "' has width " + std::to_string(dq) +
                                  "; a dot score needs equal widths (use score 'general' or 'additive')");
    ScoreWeights w = read_score_weights(ctx, score, dq, dk);
    std::optional<float> scale;
    if (auto s = ctx.optional_vector("scale", 1)) scale = (*s)(0);
    const Shape output{in.query.shape.rows, in.value.shape.cols, in.query.shape.count};
    return {std::make_unique<AttentionOp>(in, score, causal, scale, std::move(w)), output};
}

}  // namespace lstmscope::ops
