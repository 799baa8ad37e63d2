// What `lstm` and `gru` share (models/FORMAT.md): the fields (hidden_size,
// num_layers, bidirectional, merge, return, gate_activation), the gate
// activations, the Keras Bidirectional merge modes, and how the node's value
// is made from the last layer (the sequence, or the final states).
#pragma once

#include <string>

#include "engine/op.h"

namespace lstmscope::ops {

enum class Merge { Concat, Sum, Mul, Ave };
enum class Return { Sequence, Last };
// HardSigmoid: Keras 2's clip(0.2x + 0.5, 0, 1); HardSigmoid6: Keras 3's
// relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1), also torch.nn.Hardsigmoid.
enum class GateActivation { Sigmoid, HardSigmoid, HardSigmoid6 };

// The backward direction gets its own thread only when a direction's
// recurrent work (T * H * H multiply-adds) is at least this much: starting
// and joining a thread costs ~20 us. Measured on the 2-core build machine
// (2026-11-30, `lstmscope-cli bench`, interleaved, medians): the sentiment
// BiLSTM (H=100) at T=256 (2.6e6) 1.4-2.0 ms threaded against 3.7-4.8 ms on
// one thread (less CPU time too: each direction keeps its weights in its
// own core's L2); the H=256 2-layer model at T=32 (2.1e6) 5.1-5.3 ms against
// 6.6-8.7 ms; at T=32 with H=100 (3.2e5) and H=64 (1.3e5) a thread gained
// nothing or lost ~0.07 ms.
constexpr double kRecurrentThreadWork = 1.0e6;

struct RecurrentConfig {
    int hidden = 0;
    int layers = 1;
    bool bidirectional = false;
    Merge merge = Merge::Concat;
    Return ret = Return::Sequence;
    GateActivation act = GateActivation::Sigmoid;
    // The width of a layer's output (and of the next layer's input).
    int merged_width() const { return bidirectional && merge == Merge::Concat ? 2 * hidden : hidden; }
};

// Reads and checks the shared fields; `op` names the op in messages.
RecurrentConfig read_recurrent_config(BuildContext& ctx, const InputRef& in, const std::string& op);

// Gate activation on one row segment. Eigen's float logistic is a rational
// approximation within a couple of ulps of 1 / (1 + exp(-x)) (torch.sigmoid).
template <class Src, class Dst>
inline void gate(GateActivation act, const Src& z, Dst&& out) {
    if (act == GateActivation::Sigmoid)
        out.array() = z.array().logistic();
    else if (act == GateActivation::HardSigmoid)  // Keras 2 hard_sigmoid.
        out.array() = (z.array() * 0.2f + 0.5f).cwiseMax(0.0f).cwiseMin(1.0f);
    else  // Keras 3 hard_sigmoid: relu6(x + 3) / 6, computed as Keras does.
        out.array() = (z.array() + 3.0f).cwiseMax(0.0f).cwiseMin(6.0f) / 6.0f;
}

// Keras Bidirectional merge modes; `ave` is (forward + backward) / 2.
template <class A, class B>
void merge_directions(Merge merge, int hidden, const A& f, const B& b, Matrix& out) {
    switch (merge) {
    case Merge::Concat:
        out.resize(f.rows(), 2 * hidden);
        out.leftCols(hidden) = f;
        out.rightCols(hidden) = b;
        return;
    case Merge::Sum: out = f + b; return;
    case Merge::Mul: out = f.cwiseProduct(b); return;
    case Merge::Ave: out = 0.5f * (f + b); return;
    }
}

// The node's value: the last layer's (merged) sequence, or with return:
// last the forward state after the last token and, bidirectional, the
// backward state after the first one (the end of its run), merged, as
// torch.nn.LSTM's and nn.GRU's h_n. `sequence` is the last layer's output;
// `gates` holds every layer's traces, the last layer's at the end.
void recurrent_value(const RecurrentConfig& config, const Matrix& sequence, const std::vector<GateTrace>& gates,
                     Matrix& value);

}  // namespace lstmscope::ops
