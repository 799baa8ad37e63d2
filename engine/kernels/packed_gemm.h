// C = A * W for a constant weight matrix W: the input projections of the
// LSTM (all timesteps at once), the projections of multi-head attention and
// dense layers.
//
// W is packed once, at load, in panels of 16 columns stored row after row;
// a 6 x 16 block of C then lives in twelve AVX registers while the panel
// streams through, the classic register-blocked kernel of BLIS and MLAS.
// Measured on an AMD EPYC (AVX2, one core), 256 x 512 times 512 x 1024 (the
// second BiLSTM layer's input projection at T = 256): Eigen 4.7-6.5 ms,
// packed 3.2-4.7 ms in the same runs.
//
// The kernel is chosen at run time (a portable build gets it too where the
// machine has the units): AVX-512 (8 x 48 blocks, panels of 48 columns) or
// AVX2 + FMA (6 x 16 blocks, panels of 16), which give the same bits;
// elsewhere Eigen multiplies the matrix as it came, kept for that case only.
#pragma once

#include <vector>

#include "engine/kernels/cpu_features.h"
#include "engine/matrix.h"

namespace lstmscope::kernels {

class PackedGemm {
public:
    PackedGemm() = default;
    // Packs W (K x N) for `isa`'s kernel (never past what the CPU has).
    explicit PackedGemm(const Matrix& w, Isa isa = best_isa());

    int rows() const { return rows_; }
    int cols() const { return cols_; }
    // c = a * W; a is M x K, c becomes M x N. With threads > 1 and enough
    // work (kParallelWork multiply-adds), the rows of c are split into one
    // band per thread (engine/parallel.h); each row is summed in the same
    // order either way, so the answer does not depend on the thread count.
    void multiply(const Matrix& a, Matrix& c, int threads = 1) const;
    // The same for `rows` rows of K floats each, one after the other at `a`
    // (a block of whole rows of a row-major matrix).
    void multiply_rows(const float* a, int rows, Matrix& c, int threads = 1) const;
    Matrix operator()(const Matrix& a, int threads = 1) const {
        Matrix c;
        multiply(a, c, threads);
        return c;
    }
    // A second thread pays off from about this many multiply-adds (a thread
    // costs ~20 us to start and join; 2e6 multiply-adds take ~60 us).
    static constexpr double kParallelWork = 2.0e6;

    // The path this matrix was packed for.
    Isa isa() const { return isa_; }

private:
    int rows_ = 0, cols_ = 0;
    Isa isa_ = Isa::Plain;
    // Panel p: columns [nr p, nr p + nr) of every row k at
    // panels_[(p * K + k) * nr + j], zero beyond the last column; nr is the
    // kernel's width (8, 16, 32 or 48).
    std::vector<float, Eigen::aligned_allocator<float>> panels_;
    Matrix plain_;  // W itself, only where the vector kernel cannot run
};

}  // namespace lstmscope::kernels
