// `lstm` (models/FORMAT.md): stacked, optionally bidirectional LSTM that
// records every gate and state of every layer and direction.
//
// Numerics follow torch.nn.LSTM (PyTorch 1.13/2.x, CPU float32): the two
// biases are added before the activations, h and c start at zero.
//
// The time loop of one direction is in lstm_direction.cpp. The two
// directions of a layer are independent, so for long enough inputs and a
// run allowed two threads they run side by side; from H = 384 on (W_hh of
// 2.25 MB and more, past a core's L2) the directions run one after the
// other instead, each on both cores with half of the units per core
// (lockstep), so that each core's half of W_hh stays in its L2.
#include <functional>
#include <string>

#include "engine/ops/lstm_direction.h"
#include "engine/ops/ops.h"
#include "engine/ops/recurrent_common.h"
#include "engine/parallel.h"

namespace lstmscope::ops {
namespace {

using Eigen::Index;

// From this hidden size a BiLSTM layer on two threads runs its directions
// one after the other in lockstep rather than side by side. Measured on the
// build machine (Xeon, 2 MB L2 per core), 2-layer BiLSTM at T=1024:
// see README, "Threads, kernels and long texts".
constexpr int kLockstepBidirectionalHidden = 384;

struct Layer {
    DirectionWeights dir[2];  // forward, backward
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
        // Worth a second thread: side by side directions, or lockstep halves.
        const bool threaded = ctx.threads >= 2 && static_cast<double>(T) * hidden_ * hidden_ >= kRecurrentThreadWork;

        Matrix merged;  // the input of the next layer, when bidirectional
        for (size_t k = 0; k < layers_.size(); ++k) {
            const Layer& layer = layers_[k];
            GateTrace& fwd = out.gates.emplace_back();
            fwd.layer = static_cast<int>(k);
            fwd.direction = Direction::Forward;
            if (!bidirectional_) {
                run_lstm_direction(ctx, *x, layer.dir[0], false, act_, fwd, ctx.threads, threaded);
                x = &fwd.h;
                continue;
            }
            GateTrace& bwd = out.gates.emplace_back();
            bwd.layer = static_cast<int>(k);
            bwd.direction = Direction::Backward;
            run_pair(ctx, *x, layer, threaded, fwd, bwd);
            merge_directions(config_.merge, hidden_, fwd.h, bwd.h, merged);
            x = &merged;
        }

        recurrent_value(config_, *x, out.gates, out.value);
    }

private:
    void run_pair(const RunContext& ctx, const Matrix& x, const Layer& layer, bool threaded, GateTrace& fwd,
                  GateTrace& bwd) const {
        if (threaded && hidden_ >= kLockstepBidirectionalHidden && layer.dir[0].slices.size() == 2) {
            run_lstm_direction(ctx, x, layer.dir[0], false, act_, fwd, ctx.threads, true);
            run_lstm_direction(ctx, x, layer.dir[1], true, act_, bwd, ctx.threads, true);
            return;
        }
        // run_parallel joins before it returns, also when a direction throws
        // (std::bad_alloc under a memory limit), and reports the error.
        // Directions on their own threads take the cores already; otherwise
        // each input projection may use them all.
        const int gemm_threads = threaded ? 1 : ctx.threads;
        const std::function<void()> directions[2] = {
            [&] { run_lstm_direction(ctx, x, layer.dir[0], false, act_, fwd, gemm_threads, false); },
            [&] { run_lstm_direction(ctx, x, layer.dir[1], true, act_, bwd, gemm_threads, false); }};
        run_parallel(directions, threaded ? 2 : 1);
    }

    int input_;
    RecurrentConfig config_;
    int hidden_;
    bool bidirectional_;
    GateActivation act_;
    std::vector<Layer> layers_;
};

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
        layer.dir[0] = read_lstm_direction(ctx, k, false, width, config.hidden);
        if (config.bidirectional) layer.dir[1] = read_lstm_direction(ctx, k, true, width, config.hidden);
        width = config.merged_width();
    }
    auto op = std::make_unique<LstmOp>(in.index, config, std::move(layers));
    return {std::move(op), Shape{config.ret == Return::Sequence ? Rows::Tokens : Rows::One, config.merged_width()}};
}

}  // namespace lstmscope::ops
