// C = A * V for a V of few columns: a multi-head attention head's weighted
// sum of its values (T_q x T_k weights times T_k x hd values, hd = 8 in the
// 8-head demo model).
//
// PackedGemm's kernels broadcast one weight at a time against a row of V:
// with 8 columns that is a broadcast and a half-width FMA for every weight,
// which at 5,000 tokens was a fifth of the 8-head model's run. This product
// reads V transposed instead (hd rows of T_k values) and takes sixteen
// weights of a row per instruction: each output is a dot product of a row
// of A with a column of V, summed in sixteen lanes (key k into lane k mod
// 16, with FMA) and the lanes folded 16 -> 8 -> 4 -> 2 -> 1 by halves, the
// order of the softmax's sums. AVX-512 (two rows at a time) and AVX2 + FMA
// (one row, four columns at a time) give the same bits; without either,
// Eigen multiplies V as it came.
#pragma once

#include <vector>

#include "engine/kernels/cpu_features.h"
#include "engine/matrix.h"

namespace lstmscope::kernels {

class NarrowProduct {
public:
    // The widest V this product is for; wider ones go to PackedGemm.
    static constexpr int kMaxColumns = 16;

    NarrowProduct() = default;
    // Keeps V (K x N, N <= kMaxColumns) for `isa`'s kernel (never past what
    // the CPU has).
    explicit NarrowProduct(const Matrix& v, Isa isa = best_isa());

    int rows() const { return rows_; }
    int cols() const { return cols_; }
    Isa isa() const { return isa_; }

    // c = a * V; a is M x K, c becomes M x N. Each row is computed alone,
    // so how a matrix is cut into blocks changes no bit.
    void multiply(const Matrix& a, Matrix& c) const;
    // The same for `rows` rows of K floats (row i at a + i * lda), row i of
    // the product written to c + i * ldc (N floats); vector paths only
    // (vector_path()).
    void multiply_rows(const float* a, int lda, int rows, float* c, int ldc) const;
    bool vector_path() const { return isa_ != Isa::Plain; }

private:
    int rows_ = 0, cols_ = 0;
    Isa isa_ = Isa::Plain;
    // V^T in groups of eight columns, each group in chunks of sixteen keys
    // with the chunk's eight columns one after the other (one contiguous
    // stream for the kernel): key k of column c at
    // vt_[(c / 8) * 8 * stride_ + (k / 16) * 128 + (c % 8) * 16 + k % 16],
    // zero past K and past the last column; stride_ = K rounded up to 16,
    // so a tail chunk reads zeros.
    int stride_ = 0;
    std::vector<float, Eigen::aligned_allocator<float>> vt_;
    Matrix plain_;  // V itself, only where the vector kernels cannot run
};

}  // namespace lstmscope::kernels
