// `gru` (models/FORMAT.md): stacked, optionally bidirectional GRU that
// records r, z, n and h of every layer and direction, with PyTorch's
// nn.GRU numerics (reset_after: true, the default, also Keras 2.x/3's) or
// Keras' reset_after=False variant, where the reset gate multiplies h
// before the recurrent product.
//
// Built like `lstm` (engine/ops/lstm.cpp): the input part of all three
// gates is one matrix product per layer and direction, the time loop only
// adds the recurrent product into preallocated rows, and the backward
// direction of a long enough text runs on a second thread.
#include <functional>
#include <string>

#include "engine/kernels/packed_gemm.h"
#include "engine/kernels/packed_gemv.h"
#include "engine/ops/ops.h"
#include "engine/ops/recurrent_common.h"
#include "engine/parallel.h"

namespace lstmscope::ops {
namespace {

using Eigen::Index;

// One direction of one layer. Gate order r, z, n (nn.GRU): columns [0,H)
// reset, [H,2H) update, [2H,3H) candidate.
struct GruWeights {
    kernels::PackedGemm wih;  // [in, 3H]: x * W_ih^T
    // reset_after: h_{t-1} * W_hh^T for all three gates. Otherwise only r
    // and z ([H, 2H]); the candidate's W_hn goes in `whn`.
    kernels::PackedGemv whh;
    kernels::PackedGemv whn;  // reset_after = false: [H, H], applied to r * h_{t-1}
    // Added to the input part once: b_ih, plus b_hh of r and z (and of n
    // when reset_after is false, where b_hn stays outside the reset gate).
    RowVector input_bias;
    RowVector bias_hn;  // reset_after: b_hn, which the reset gate multiplies
};

struct GruLayer {
    GruWeights dir[2];
};

struct GruScratch {
    Matrix xw;
    RowVector rec, rh;
};

void run_gru_direction(const RunContext& ctx, const Matrix& x, const GruWeights& w, bool backward, bool reset_after,
                       GateActivation act, GruScratch& s, GateTrace& g, int gemm_threads) {
    const Index T = x.rows();
    const Index H = w.bias_hn.size();
    w.wih.multiply(x, s.xw, gemm_threads);
    s.xw.rowwise() += w.input_bias;
    for (Matrix* m : {&g.r, &g.z, &g.n, &g.h}) m->resize(T, H);
    s.rec.resize(reset_after ? 3 * H : 2 * H);
    s.rh.resize(H);
    for (Index step = 0; step < T; ++step) {
        if ((step & 31) == 0) ctx.check_cancel();
        const Index t = backward ? T - 1 - step : step;
        const Index prev = backward ? t + 1 : t - 1;  // only read when step > 0
        // h_0 = 0: the recurrent products are zero at the first step.
        s.rec.setZero();
        // Odd steps walk W_hh's panels backwards (PackedGemv::accumulate).
        if (step > 0) w.whh.accumulate(g.h.row(prev).data(), s.rec.data(), step & 1);
        gate(act, s.xw.row(t).segment(0, H) + s.rec.segment(0, H), g.r.row(t));
        gate(act, s.xw.row(t).segment(H, H) + s.rec.segment(H, H), g.z.row(t));
        if (reset_after) {
            g.n.row(t).array() =
                (s.xw.row(t).segment(2 * H, H).array() +
                 g.r.row(t).array() * (s.rec.segment(2 * H, H).array() + w.bias_hn.array()))
                    .tanh();
        } else {
            s.rh.setZero();
            if (step > 0) {
                RowVector reset_h = g.r.row(t).cwiseProduct(g.h.row(prev));
                w.whn.accumulate(reset_h.data(), s.rh.data(), step & 1);
            }
            g.n.row(t).array() = (s.xw.row(t).segment(2 * H, H) + s.rh).array().tanh();
        }
        if (step > 0)
            g.h.row(t).array() =
                (1.0f - g.z.row(t).array()) * g.n.row(t).array() + g.z.row(t).array() * g.h.row(prev).array();
        else
            g.h.row(t).array() = (1.0f - g.z.row(t).array()) * g.n.row(t).array();
    }
}

class GruOp final : public Op {
public:
    GruOp(int input, RecurrentConfig config, bool reset_after, std::vector<GruLayer> layers)
        : input_(input), config_(config), reset_after_(reset_after), layers_(std::move(layers)) {}

    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix* x = &ctx.value(input_);
        const Index T = x->rows();
        const int H = config_.hidden;
        out.gates.clear();
        out.gates.reserve(layers_.size() * (config_.bidirectional ? 2u : 1u));
        GruScratch scratch[2];
        const bool threaded = config_.bidirectional && ctx.threads >= 2 &&
                              static_cast<double>(T) * H * H >= kRecurrentThreadWork;
        Matrix merged;
        for (size_t k = 0; k < layers_.size(); ++k) {
            GateTrace& fwd = out.gates.emplace_back();
            fwd.layer = static_cast<int>(k);
            if (!config_.bidirectional) {
                run_gru_direction(ctx, *x, layers_[k].dir[0], false, reset_after_, config_.act, scratch[0], fwd,
                                  ctx.threads);
                x = &fwd.h;
                continue;
            }
            GateTrace& bwd = out.gates.emplace_back();
            bwd.layer = static_cast<int>(k);
            bwd.direction = Direction::Backward;
            const int gemm_threads = threaded ? 1 : ctx.threads;
            const std::function<void()> directions[2] = {
                [&] {
                    run_gru_direction(ctx, *x, layers_[k].dir[0], false, reset_after_, config_.act, scratch[0], fwd,
                                      gemm_threads);
                },
                [&] {
                    run_gru_direction(ctx, *x, layers_[k].dir[1], true, reset_after_, config_.act, scratch[1], bwd,
                                      gemm_threads);
                }};
            run_parallel(directions, threaded ? 2 : 1);
            merge_directions(config_.merge, H, fwd.h, bwd.h, merged);
            x = &merged;
        }
        recurrent_value(config_, *x, out.gates, out.value);
    }

private:
    int input_;
    RecurrentConfig config_;
    bool reset_after_;
    std::vector<GruLayer> layers_;
};

GruWeights read_gru_direction(BuildContext& ctx, int k, bool backward, int in, int hidden, bool reset_after) {
    const std::string suffix = "_l" + std::to_string(k) + (backward ? "_reverse" : "");
    const int gates = 3 * hidden;
    GruWeights w;
    w.wih = kernels::PackedGemm(ctx.matrix("weight_ih" + suffix, gates, in).transpose());
    const Matrix whh_t = ctx.matrix("weight_hh" + suffix, gates, hidden).transpose();  // [H, 3H]
    const RowVector b_ih = ctx.optional_vector("bias_ih" + suffix, gates).value_or(RowVector::Zero(gates));
    const RowVector b_hh = ctx.optional_vector("bias_hh" + suffix, gates).value_or(RowVector::Zero(gates));
    w.input_bias = b_ih;
    w.input_bias.head(2 * hidden) += b_hh.head(2 * hidden);
    if (reset_after) {
        w.whh = kernels::PackedGemv(whh_t);
        w.bias_hn = b_hh.tail(hidden);
    } else {
        w.whh = kernels::PackedGemv(whh_t.leftCols(2 * hidden));
        w.whn = kernels::PackedGemv(whh_t.rightCols(hidden));
        w.input_bias.tail(hidden) += b_hh.tail(hidden);
        w.bias_hn = RowVector::Zero(hidden);
    }
    return w;
}

}  // namespace

BuiltOp build_gru(BuildContext& ctx) {
    const InputRef in = ctx.input();
    const RecurrentConfig config = read_recurrent_config(ctx, in, "gru");
    const bool reset_after = ctx.boolean("reset_after", true);
    // Layers are added one by one, as in build_lstm: num_layers is not
    // trusted to size anything before the weights are found.
    std::vector<GruLayer> layers;
    int width = in.shape.cols;
    for (int k = 0; k < config.layers; ++k) {
        GruLayer& layer = layers.emplace_back();
        layer.dir[0] = read_gru_direction(ctx, k, false, width, config.hidden, reset_after);
        if (config.bidirectional) layer.dir[1] = read_gru_direction(ctx, k, true, width, config.hidden, reset_after);
        width = config.merged_width();
    }
    auto op = std::make_unique<GruOp>(in.index, config, reset_after, std::move(layers));
    return {std::move(op), Shape{config.ret == Return::Sequence ? Rows::Tokens : Rows::One, config.merged_width()}};
}

}  // namespace lstmscope::ops
