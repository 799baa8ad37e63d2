// `attention_pool` (models/FORMAT.md): scores every position of a
// sequence, softmaxes the scores over the positions and returns the weighted
// sum of the rows. With `hops` r > 1 (Lin et al. 2017, "A structured
// self-attentive sentence embedding": A = softmax(W_s2 tanh(W_s1 H^T))) there
// are r score rows, each softmaxed on its own, and the output has one row per
// hop. Records the r x T weights (1 x T for one hop).
#include "engine/kernels/packed_gemm.h"
#include "engine/ops/activations.h"
#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

enum class PoolScore { TanhProj, Tanh, Linear, TanhLinear };

// More hops than this is no published model, only a way to ask for memory.
constexpr int kMaxHops = 1024;

class AttentionPoolOp final : public Op {
public:
    AttentionPoolOp(int input, PoolScore score, Matrix proj_t, RowVector proj_bias, Matrix context,
                    Matrix context_bias)
        : input_(input), score_(score), proj_(proj_t), proj_bias_(std::move(proj_bias)),
          context_(std::move(context)), context_bias_(std::move(context_bias)) {}

    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix& x = ctx.value(input_);
        Matrix a(context_.rows(), x.rows());  // the scores s_kt, one row per hop, softmaxed in place
        switch (score_) {
        case PoolScore::TanhProj: {
            // Yang et al. 2016 (HAN): u_t = tanh(W h_t + b), s_t = w . u_t;
            // Lin et al. 2017: the same with r rows w_k (W_s2) and no b.
            Matrix u = proj_(x, ctx.threads);
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
            add_context_bias(a);
            break;
        case PoolScore::TanhLinear:
            a.noalias() = context_ * x.transpose();
            add_context_bias(a);
            a.array() = a.array().tanh();
            break;
        }
        // Every hop is recorded unless the run asked for no attention at
        // all: r x T is small next to a T x T attention.
        const bool record = ctx.attention_first < ctx.attention_end;
        if (record) ctx.reserve_recording(a.size() * static_cast<Eigen::Index>(sizeof(float)) * (ctx.details ? 2 : 1));
        out.scores.clear();
        if (ctx.details && record) out.scores.push_back(a);
        softmax_rows(a);
        // Each hop is a query row of its own to an intervention.
        ctx.intervene(0, 0, false, a);
        out.value.noalias() = a * x;
        out.attention.clear();
        out.attention_first_row = 0;
        out.attention_rows_total = static_cast<int>(a.rows());
        if (record) out.attention.push_back(std::move(a));
    }

private:
    // b_k added to hop k's scores; one hop adds its one number to the row
    // (the operation, and so the result, of the single-hop pooling).
    void add_context_bias(Matrix& a) const {
        if (context_bias_.rows() == 1)
            a.array() += context_bias_(0, 0);
        else
            a.colwise() += context_bias_.col(0);
    }

    int input_;
    PoolScore score_;
    kernels::PackedGemm proj_;  // tanh_proj: W^T [D, A], packed (engine/kernels: Eigen's product was
                                // the pool's time in a portable build)
    RowVector proj_bias_;  // tanh_proj: b [A], empty if absent
    Matrix context_;       // w: [r, A] for tanh_proj, [r, D] otherwise
    Matrix context_bias_;  // linear, tanh_linear: [r, 1], b_k per hop (0 if absent)
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
    const int hops = ctx.positive_integer("hops", 1);
    if (hops > kMaxHops)
        ctx.fail_field("hops", "must be at most " + std::to_string(kMaxHops) + ", got " + std::to_string(hops));
    if (in.shape.rows != Rows::Tokens)
        ctx.fail_field("input", "'" + in.name + "' is " + in.shape.to_string() +
                                    "; attention_pool needs a sequence (T rows)");
    const int d = in.shape.cols;
    Matrix proj_t;
    RowVector proj_bias;
    Matrix context;
    Matrix context_bias = Matrix::Zero(hops, 1);
    if (score == PoolScore::TanhProj) {
        const auto shape = ctx.weight_shape("proj.weight");
        if (shape.size() != 2 || shape[0] <= 0) ctx.fail_tensor("proj.weight", "must be a 2-D [A, D] matrix");
        const int64_t a = shape[0];
        proj_t = ctx.matrix("proj.weight", a, d).transpose();
        proj_bias = ctx.optional_vector("proj.bias", a).value_or(RowVector());
        context = ctx.matrix("context.weight", hops, a);
    } else {
        context = ctx.matrix("context.weight", hops, d);
        // Only the linear scores have a bias; under `tanh` a stray
        // context.bias stays unused and the loader warns about it.
        if (score != PoolScore::Tanh)
            if (auto b = ctx.optional_vector("context.bias", hops)) context_bias = b->transpose();
    }
    return {std::make_unique<AttentionPoolOp>(in.index, score, std::move(proj_t), std::move(proj_bias),
                                              std::move(context), std::move(context_bias)),
            fixed_shape(hops, d)};
}

}  // namespace lstmscope::ops
