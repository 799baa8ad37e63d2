// `attention_pool` (models/FORMAT.md): scores every position of a
// sequence, softmaxes the scores over the positions and returns the weighted
// sum of the rows. Records the 1 x T weights.
#include "engine/ops/activations.h"
#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

enum class PoolScore { TanhProj, Tanh, Linear, TanhLinear };

class AttentionPoolOp final : public Op {
public:
    AttentionPoolOp(int input, PoolScore score, Matrix proj_t, RowVector proj_bias, Matrix context,
                    float context_bias)
        : input_(input), score_(score), proj_t_(std::move(proj_t)), proj_bias_(std::move(proj_bias)),
          context_(std::move(context)), context_bias_(context_bias) {}

    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix& x = ctx.value(input_);
        Matrix a(1, x.rows());  // the scores s_t as one row, softmaxed in place
        switch (score_) {
        case PoolScore::TanhProj: {
            // Yang et al. 2016 (HAN): u_t = tanh(W h_t + b), s_t = w . u_t.
            Matrix u = x * proj_t_;
            if (proj_bias_.size()) u.rowwise() += proj_bias_;
            u.array() = u.array().tanh();
            a.noalias() = context_ * u.transpose();
            break;
        }
        case PoolScore::Tanh: {
            // Zhou et al. 2016 (Att-BLSTM): s_t = w . tanh(h_t).
            const Matrix m = x.array().tanh().matrix();
            a.noalias() = context_ * m.transpose();
            break;
        }
        case PoolScore::Linear:
            a.noalias() = context_ * x.transpose();
            a.array() += context_bias_;
            break;
        case PoolScore::TanhLinear:
            a.noalias() = context_ * x.transpose();
            a.array() = (a.array() + context_bias_).tanh();
            break;
        }
        // One row: recorded unless the run asked for no attention at all.
        const bool record = ctx.attention_first < ctx.attention_end;
        out.scores.clear();
        if (ctx.details && record) out.scores.push_back(a);
        softmax_rows(a);
        ctx.intervene(0, 0, false, a);
        out.value.noalias() = a * x;
        out.attention.clear();
        out.attention_first_row = 0;
        out.attention_rows_total = 1;
        if (record) out.attention.push_back(std::move(a));
    }

private:
    int input_;
    PoolScore score_;
    Matrix proj_t_;        // tanh_proj: W^T [D, A]
    RowVector proj_bias_;  // tanh_proj: b [A], empty if absent
    Matrix context_;       // w: [1, A] for tanh_proj, [1, D] otherwise
    float context_bias_;   // linear, tanh_linear: b (0 if absent)
};

}  // namespace

BuiltOp build_attention_pool(BuildContext& ctx) {
    const InputRef in = ctx.input();
    const PoolScore score = ctx.choice<PoolScore>("score",
                                                  {{"tanh_proj", PoolScore::TanhProj},
                                                   {"tanh", PoolScore::Tanh},
                                                   {"linear", PoolScore::Linear},
                                                   {"tanh_linear", PoolScore::TanhLinear}},
                                                  PoolScore::TanhProj);
    if (in.shape.rows != Rows::Tokens)
        ctx.fail_field("input", "'" + in.name + "' is " + in.shape.to_string() +
                                    "; attention_pool needs a sequence (T rows)");
    const int d = in.shape.cols;
    Matrix proj_t;
    RowVector proj_bias;
    Matrix context;
    float context_bias = 0.0f;
    if (score == PoolScore::TanhProj) {
        const auto shape = ctx.weight_shape("proj.weight");
        if (shape.size() != 2 || shape[0] <= 0) ctx.fail_tensor("proj.weight", "must be a 2-D [A, D] matrix");
        const int64_t a = shape[0];
        proj_t = ctx.matrix("proj.weight", a, d).transpose();
        proj_bias = ctx.optional_vector("proj.bias", a).value_or(RowVector());
        context = ctx.matrix("context.weight", 1, a);
    } else {
        context = ctx.matrix("context.weight", 1, d);
        // Only the linear scores have a bias; under `tanh` a stray
        // context.bias stays unused and the loader warns about it.
        if (score != PoolScore::Tanh)
            if (auto b = ctx.optional_vector("context.bias", 1)) context_bias = (*b)(0);
    }
    return {std::make_unique<AttentionPoolOp>(in.index, score, std::move(proj_t), std::move(proj_bias),
                                              std::move(context), context_bias),
            Shape{Rows::One, d}};
}

}  // namespace lstmscope::ops
