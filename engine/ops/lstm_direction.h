// One direction of one LSTM layer: its weights, arranged once at load, and
// its run over the whole sequence (engine/ops/lstm.cpp stacks layers and
// pairs directions).
//
// Gate order everywhere is PyTorch's i, f, g, o: columns [0,H) input gate,
// [H,2H) forget gate, [2H,3H) cell candidate, [3H,4H) output gate. Keras
// (i, f, c, o) is the same order.
#pragma once

#include <vector>

#include "engine/kernels/packed_gemm.h"
#include "engine/kernels/packed_gemv.h"
#include "engine/ops/recurrent_common.h"

namespace lstmscope::ops {

// The recurrent weights of units [u0, u1): the columns of W_hh^T that make
// those units' four gates (i, f, g, o of u0..u1-1, in that order), packed.
// A step computes a slice's gates, cell and hidden state from h_{t-1} alone,
// so two slices can run on two cores that meet once per step.
struct UnitSlice {
    int u0 = 0, u1 = 0;
    kernels::PackedGemv whh;  // [H, 4 (u1 - u0)]
};

struct DirectionWeights {
    kernels::PackedGemm wih;        // [in, 4H] packed: x * W_ih^T, the input part of all gates
    std::vector<UnitSlice> slices;  // the units in one slice, or two halves (see read_lstm_direction)
    RowVector bias;                 // [4H]: bias_ih + bias_hh, added once
};

// Reads weight_ih_l{k}[_reverse], weight_hh_..., bias_ih_..., bias_hh_...
// The recurrent weights are cut into two halves of the units when H is a
// multiple of 32 and at least kLockstepMinHidden, so that a run with two
// threads can give each core one half (run_lstm_direction).
DirectionWeights read_lstm_direction(BuildContext& ctx, int layer, bool backward, int in, int hidden);

// Two halves pay for their per-step meeting from this hidden size on (the
// step's recurrent product is then H x 4H = 256 KB of weights or more).
constexpr int kLockstepMinHidden = 128;

// Runs one direction over the whole sequence `x` (T x in) into `g`. Row t
// of every matrix in `g` belongs to token t, for the backward direction too.
// `gemm_threads` bounds the input projection. With `lockstep` and two unit
// slices, a second thread takes the second half of the units and the two
// meet after every step (each core then reads only its half of W_hh, which
// stays in its own L2); the numbers are the same either way.
//
// With `ctx.details` the pre-activations are also recorded in their three
// parts (GateTrace::pre_*); the gates are computed from exactly the
// recorded numbers.
void run_lstm_direction(const RunContext& ctx, const Matrix& x, const DirectionWeights& w, bool backward,
                        GateActivation act, GateTrace& g, int gemm_threads, bool lockstep);

}  // namespace lstmscope::ops
