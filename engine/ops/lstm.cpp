// `lstm` (models/FORMAT.md): stacked, optionally bidirectional LSTM that
// records every gate and state of every layer and direction.
//
// Numerics follow torch.nn.LSTM (PyTorch 1.13/2.x, CPU float32): the two
// biases are added before the activations, h and c start at zero.
//
// Speed: this op is most of a model's run time. Following frugally-deep's
// lstm_impl, the input part of all four gates is one matrix product over the
// whole sequence per layer and direction; the time loop only adds
// h_{t-1} * W_hh^T into a preallocated row and writes the activated gates
// straight into the recorded matrices, with no heap allocation. The two
// directions of a layer are independent, so for long enough inputs and a run
// allowed two threads the backward one runs on a second thread.
#include <cmath>
#include <string>
#include <functional>

#include "engine/kernels/packed_gemm.h"
#include "engine/kernels/packed_gemv.h"
#include "engine/ops/ops.h"
#include "engine/ops/recurrent_common.h"
#include "engine/parallel.h"

namespace lstmscope::ops {
namespace {

using Eigen::Index;

// Weights of one direction of one layer, arranged once at load.
//
// Gate order everywhere in this file is PyTorch's i, f, g, o: columns
// [0,H) input gate, [H,2H) forget gate, [2H,3H) cell candidate, [3H,4H)
// output gate. Keras (i, f, c, o) is the same order.
struct DirectionWeights {
    kernels::PackedGemm wih;     // [in, 4H] packed: x * W_ih^T, the input part of all gates
    kernels::PackedGemv whh;     // [H, 4H] packed: h_{t-1} * W_hh^T, the recurrent part
    RowVector bias;              // [4H]: bias_ih + bias_hh, added once
};

struct Layer {
    DirectionWeights dir[2];  // forward, backward
};

// Runs one direction over the whole sequence. `x` is the layer input
// (T x in); `xw` and `z` are scratch owned by the caller so that nothing is
// allocated here after the first product. Row t of every matrix in `g`
// belongs to token t, for the backward direction too.
//
// With `details` the pre-activations are also recorded in their three parts
// (GateTrace::pre_*); the recurrent product then goes through the recorded
// row, so the gates are computed from exactly the recorded numbers.
void run_direction(const RunContext& ctx, const Matrix& x, const DirectionWeights& w, bool backward,
                   GateActivation act, Matrix& xw, RowVector& z, RowVector& rec, GateTrace& g, int gemm_threads) {
    const bool details = ctx.details;
    const Index T = x.rows();
    const Index H = w.whh.rows();
    w.wih.multiply(x, xw, gemm_threads);
    if (details) {
        g.pre_input = xw;
        g.pre_recurrent.setZero(T, 4 * H);
        g.bias = w.bias;
    }
    xw.rowwise() += w.bias;
    for (Matrix* m : {&g.i, &g.f, &g.g, &g.o, &g.c, &g.h}) m->resize(T, H);

    for (Index step = 0; step < T; ++step) {
        // A long text's run stops within a few steps of being cancelled.
        if ((step & 31) == 0) ctx.check_cancel();
        const Index t = backward ? T - 1 - step : step;
        const Index prev = backward ? t + 1 : t - 1;  // only read when step > 0
        z = xw.row(t);
        if (step > 0) {
            // The recurrent part is summed on its own and then added, with
            // or without details, so both runs compute the same numbers.
            float* r = details ? g.pre_recurrent.row(t).data() : rec.data();
            if (!details) rec.setZero();
            // Odd steps walk W_hh's panels backwards: when W_hh is larger
            // than the L2 cache, what one step read last is then still
            // there for the next (PackedGemv::accumulate). Same numbers.
            w.whh.accumulate(g.h.row(prev).data(), r, step & 1);
            if (details)
                z += g.pre_recurrent.row(t);
            else
                z += rec;
        }

        gate(act, z.segment(0, H), g.i.row(t));
        gate(act, z.segment(H, H), g.f.row(t));
        g.g.row(t).array() = z.segment(2 * H, H).array().tanh();
        gate(act, z.segment(3 * H, H), g.o.row(t));
        if (step > 0)
            g.c.row(t).array() = g.f.row(t).array() * g.c.row(prev).array() + g.i.row(t).array() * g.g.row(t).array();
        else
            g.c.row(t).array() = g.i.row(t).array() * g.g.row(t).array();
        g.h.row(t).array() = g.o.row(t).array() * g.c.row(t).array().tanh();
    }
}

// Scratch of one direction; allocated per run, outside the time loop.
struct Scratch {
    Matrix xw;
    RowVector z, rec;
};

class LstmOp final : public Op {
public:
    LstmOp(int input, RecurrentConfig config, std::vector<Layer> layers)
        : input_(input), config_(config), hidden_(config.hidden), bidirectional_(config.bidirectional),
          act_(config.act), layers_(std::move(layers)) {}

    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix* x = &ctx.value(input_);
        const Index T = x->rows();
        const int dirs = bidirectional_ ? 2 : 1;
        out.gates.clear();
        // Reserved so that references into it stay valid while layers are added.
        out.gates.reserve(layers_.size() * static_cast<size_t>(dirs));
        Scratch scratch[2];
        for (auto& s : scratch) {
            s.z.resize(4 * hidden_);
            s.rec.resize(4 * hidden_);
        }
        const bool threaded = bidirectional_ && ctx.threads >= 2 &&
                              static_cast<double>(T) * hidden_ * hidden_ >= kRecurrentThreadWork;

        Matrix merged;  // the input of the next layer, when bidirectional
        for (size_t k = 0; k < layers_.size(); ++k) {
            const Layer& layer = layers_[k];
            GateTrace& fwd = out.gates.emplace_back();
            fwd.layer = static_cast<int>(k);
            fwd.direction = Direction::Forward;
            if (!bidirectional_) {
                run_direction(ctx, *x, layer.dir[0], false, act_, scratch[0].xw, scratch[0].z, scratch[0].rec, fwd,
                              ctx.threads);
                x = &fwd.h;
                continue;
            }
            GateTrace& bwd = out.gates.emplace_back();
            bwd.layer = static_cast<int>(k);
            bwd.direction = Direction::Backward;
            run_pair(ctx, *x, layer, threaded, scratch, fwd, bwd);
            merge_directions(config_.merge, hidden_, fwd.h, bwd.h, merged);
            x = &merged;
        }

        recurrent_value(config_, *x, out.gates, out.value);
    }

private:
    void run_pair(const RunContext& ctx, const Matrix& x, const Layer& layer, bool threaded, Scratch* s,
                  GateTrace& fwd, GateTrace& bwd) const {
        // run_parallel joins before it returns, also when a direction throws
        // (std::bad_alloc under a memory limit), and reports the error.
        // Directions on their own threads take the cores already; otherwise
        // each input projection may use them all.
        const int gemm_threads = threaded ? 1 : ctx.threads;
        const std::function<void()> directions[2] = {
            [&] { run_direction(ctx, x, layer.dir[0], false, act_, s[0].xw, s[0].z, s[0].rec, fwd, gemm_threads); },
            [&] { run_direction(ctx, x, layer.dir[1], true, act_, s[1].xw, s[1].z, s[1].rec, bwd, gemm_threads); }};
        run_parallel(directions, threaded ? 2 : 1);
    }

    int input_;
    RecurrentConfig config_;
    int hidden_;
    bool bidirectional_;
    GateActivation act_;
    std::vector<Layer> layers_;
};

DirectionWeights read_direction(BuildContext& ctx, int k, bool backward, int in, int hidden) {
    const std::string suffix = "_l" + std::to_string(k) + (backward ? "_reverse" : "");
    const int gates = 4 * hidden;
    DirectionWeights w;
    w.wih = kernels::PackedGemm(ctx.matrix("weight_ih" + suffix, gates, in).transpose());
    w.whh = kernels::PackedGemv(ctx.matrix("weight_hh" + suffix, gates, hidden).transpose());
    w.bias = RowVector::Zero(gates);
    if (auto b = ctx.optional_vector("bias_ih" + suffix, gates)) w.bias += *b;
    if (auto b = ctx.optional_vector("bias_hh" + suffix, gates)) w.bias += *b;
    return w;
}

}  // namespace

BuiltOp build_lstm(BuildContext& ctx) {
    const InputRef in = ctx.input();
    const RecurrentConfig config = read_recurrent_config(ctx, in, "lstm");
    // A layer is added once its weights were read: num_layers comes from the
    // file, and sizing the vector from it first let a 1 KB manifest
    // (num_layers: 16777216) take 2 GiB before the missing weight was found.
    std::vector<Layer> layers;
    int width = in.shape.cols;
    for (int k = 0; k < config.layers; ++k) {
        Layer& layer = layers.emplace_back();
        layer.dir[0] = read_direction(ctx, k, false, width, config.hidden);
        if (config.bidirectional) layer.dir[1] = read_direction(ctx, k, true, width, config.hidden);
        width = config.merged_width();
    }
    auto op = std::make_unique<LstmOp>(in.index, config, std::move(layers));
    return {std::move(op), Shape{config.ret == Return::Sequence ? Rows::Tokens : Rows::One, config.merged_width()}};
}

}  // namespace lstmscope::ops
