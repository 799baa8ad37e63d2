// y += x * W for a constant weight matrix W, the product at the heart of an
// LSTM's time loop (h_{t-1} * W_hh^T, once per step).
//
// Why not Eigen: the product is a matrix-vector one, so it streams the whole
// of W once per step and is limited by how fast W arrives from cache. Eigen
// walks the row-major W as a column-major transpose and keeps y in memory;
// here W is packed once, at load, in panels of 64 output columns stored row
// after row, so each step reads W strictly in order and keeps 64 outputs in
// eight AVX registers for the whole panel. Measured on the build machine
// (AMD EPYC, AVX2, one core) with a stand-alone loop of 256 steps: 6.4 ms
// with Eigen against 4.7 ms packed for H=256 (W is 1 MB, twice the L2), and
// 27 ms against 20 ms for H=512.
//
// The kernel is chosen at run time (AVX-512, four panels at a time, or
// AVX2 + FMA, one), so a portable build (no -march=native) gets it too on
// any machine that has those units; elsewhere a plain loop over the same
// panels runs. Within one output, the sum runs over k in order 0..K-1 on
// every path, and the two vector paths give the same bits.
#pragma once

#include <vector>

#include "engine/kernels/cpu_features.h"
#include "engine/matrix.h"

namespace lstmscope::kernels {

class PackedGemv {
public:
    PackedGemv() = default;
    // Packs W (K x N). Cheap enough for load time, not for a time loop.
    explicit PackedGemv(const Matrix& w, Isa isa = best_isa());

    int rows() const { return rows_; }
    int cols() const { return cols_; }
    // y[0..N) += x[0..K) * W. `x` and `y` must not overlap.
    //
    // `reverse` walks the panels from the last to the first, with the same
    // result. A time loop alternates it from step to step: W is read in
    // full every step, and when it is larger than the L2 cache, reading it
    // in one order evicts each part just before it is needed again, while
    // turning round finds the part read last still in cache (at H=512,
    // W = 4 MB against a 2 MB L2: 190 -> 150 us a step on the build machine).
    void accumulate(const float* x, float* y, bool reverse = false) const;
    // The path accumulate() takes (tests pack for each path and hold them to
    // the same answers).
    Isa isa() const { return isa_; }

private:
    static constexpr int kPanel = 64;
    int rows_ = 0, cols_ = 0;
    Isa isa_ = Isa::Plain;
    // Panel p holds columns [64p, 64p + 64) of every row k at
    // panels_[(p * K + k) * 64 + j], zero beyond the last column.
    std::vector<float, Eigen::aligned_allocator<float>> panels_;
};

}  // namespace lstmscope::kernels
