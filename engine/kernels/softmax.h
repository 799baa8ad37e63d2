// The row softmax every attention runs, T x T times for a self-attention:
// at long texts it was half of a run, spent in scalar expf. This one
// computes exp sixteen lanes at a time (AVX-512, or AVX2 + FMA two
// registers at a time, chosen at run time; both give the same bits) and
// keeps the contract of ops::softmax_rows exactly.
#pragma once

#include "engine/kernels/cpu_features.h"

namespace lstmscope::kernels {

// Softmax of x[0..n) in place, subtracting the maximum first (as
// torch.softmax). Entries equal to -infinity (masked) get weight exactly 0;
// a row whose maximum is not finite (all masked) becomes all zeros. NaN
// entries propagate as NaN.
void softmax_row(float* x, int n);

// The same, and with the weights added up for an attention summary on the
// way (the scaled weights are in registers then: a separate pass over a
// 5,000-key block cost a tenth of the 8-head model's run): sum_into[j] =
// x[j] if `first`, else sum_into[j] + x[j], the float adds of
// `acc += row`, so the sums have the bits of adding the rows afterwards.
void softmax_row(float* x, int n, float* sum_into, bool first);

// The same on the path `isa` (capped at what the CPU has): tests compare
// the paths.
void softmax_row(float* x, int n, Isa isa, float* sum_into = nullptr, bool first = false);

// The same with the row's maximum already known (`top` must be the exact
// maximum of x[0..n), as a product that computed the row found it on the
// way): the pass that looks for it is left out, and the bits are those of
// softmax_row.
void softmax_row_from_max(float* x, int n, float top, float* sum_into, bool first, Isa isa = best_isa());

// The portable path (std::exp), always available: tests compare the two.
void softmax_row_plain(float* x, int n);

// exp of x[0..n) in place by the vectorised path when this CPU has one,
// else std::exp; for tests of the exp itself. Arguments below about -87.3
// (where float's exp leaves the normal range) give exactly 0.
void exp_in_place(float* x, int n);

}  // namespace lstmscope::kernels
