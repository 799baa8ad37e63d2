// Rows of S = Q K^T for a head of few dimensions (8 in the 8-head demo
// model), each row with its maximum: what the softmax needs next, so its
// own pass looking for the maximum is left out (kernels/softmax.h,
// softmax_row_from_max).
//
// The multi-head attention of a long text computes a head a few rows at a
// time and takes each row through its softmax and weighted sum while the
// row is still in the core's cache (ops/multihead_attention.cpp): with the
// packed product, a block of 64 rows x 5,000 keys (1.28 MB) was written,
// then read back three times from beyond the 1 MB L2. Eight rows share each
// load of the keys here, read as one contiguous stream. Each score is summed over the dimensions in order,
// from zero, with FMA: the bits of PackedGemm's kernels, so the rows a view
// asks for later (engine/attention_source.h) are the same numbers. AVX-512
// and AVX2 + FMA only; elsewhere usable() is false and the caller takes the
// packed path.
#pragma once

#include <vector>

#include "engine/kernels/cpu_features.h"
#include "engine/matrix.h"

namespace lstmscope::kernels {

class NarrowScores {
public:
    // The deepest head this is for.
    static constexpr int kMaxDepth = 16;

    NarrowScores() = default;
    // Keeps the keys (T_k x hd, hd <= kMaxDepth) transposed for `isa`'s
    // kernel (never past what the CPU has).
    explicit NarrowScores(const Matrix& keys, Isa isa = best_isa());

    bool usable() const { return isa_ != Isa::Plain; }
    int keys() const { return keys_; }
    int depth() const { return depth_; }

    // For rows i < `rows` of Q (row i at q + i * ldq, depth() floats): row i
    // of S at s + i * lds (keys() floats) and its maximum in top[i].
    void scores(const float* q, int ldq, int rows, float* s, int lds, float* top) const;

private:
    int keys_ = 0, depth_ = 0;
    Isa isa_ = Isa::Plain;
    // K^T in panels of 32 keys: key k of dimension d at
    // kt_[((k / 32) * depth_ + d) * 32 + k % 32], zero past keys_.
    std::vector<float, Eigen::aligned_allocator<float>> kt_;
};

}  // namespace lstmscope::kernels
