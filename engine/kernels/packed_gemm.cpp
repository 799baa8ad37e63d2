#include "engine/kernels/packed_gemm.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

#include "engine/kernels/cpu_features.h"
#include "engine/parallel.h"

namespace lstmscope::kernels {
namespace {

constexpr int kNr = 16;   // columns of a panel: two AVX registers
constexpr int kMr = 6;    // rows of C per kernel call: 6 x 2 = 12 accumulators
constexpr int kKc = 256;  // depth per pass: a panel's slice (16 KB) stays in L1
constexpr int kMc = 240;  // rows per pass: A's slice (240 KB) stays in L2

#ifdef LSTMSCOPE_X86_DISPATCH

// c[i][0..16) += lo, hi.
__attribute__((target("avx2,fma"))) inline void add_to_row(float* ci, __m256 lo, __m256 hi) {
    _mm256_storeu_ps(ci, _mm256_add_ps(_mm256_loadu_ps(ci), lo));
    _mm256_storeu_ps(ci + 8, _mm256_add_ps(_mm256_loadu_ps(ci + 8), hi));
}

// One row of the 6 x 16 block: lo, hi += a_ik * b_k[0..16).
__attribute__((target("avx2,fma"))) inline void fma_row(float aik, __m256 b0, __m256 b1, __m256& lo, __m256& hi) {
    const __m256 x = _mm256_set1_ps(aik);
    lo = _mm256_fmadd_ps(x, b0, lo);
    hi = _mm256_fmadd_ps(x, b1, hi);
}

// c[6 x 16] (row stride ldc) += a[6 rows, kc] (row stride lda) * b[kc x 16].
// Unaligned loads throughout: a portable build's allocator aligns to 16
// bytes only, and an aligned 32-byte load from there faults.
// Twelve named accumulators, not an array: without -march=native (a
// portable build, where only this function has AVX2) GCC 12 kept an
// `__m256 acc[6][2]` in registers but also stored all twelve to the stack on
// every k, which made the kernel store-bound: 25 against 58 GFLOP/s on the
// build machine, 256 x 512 times 512 x 1024.
__attribute__((target("avx2,fma"))) void kernel_6x16(const float* a, int lda, const float* b, int kc, float* c,
                                                     int ldc) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    const float *a0 = a, *a1 = a + lda, *a2 = a1 + lda, *a3 = a2 + lda, *a4 = a3 + lda, *a5 = a4 + lda;
    for (int k = 0; k < kc; ++k, b += kNr) {
        const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        fma_row(a0[k], b0, b1, c00, c01);
        fma_row(a1[k], b0, b1, c10, c11);
        fma_row(a2[k], b0, b1, c20, c21);
        fma_row(a3[k], b0, b1, c30, c31);
        fma_row(a4[k], b0, b1, c40, c41);
        fma_row(a5[k], b0, b1, c50, c51);
    }
    add_to_row(c, c00, c01);
    add_to_row(c + ldc, c10, c11);
    add_to_row(c + 2 * static_cast<ptrdiff_t>(ldc), c20, c21);
    add_to_row(c + 3 * static_cast<ptrdiff_t>(ldc), c30, c31);
    add_to_row(c + 4 * static_cast<ptrdiff_t>(ldc), c40, c41);
    add_to_row(c + 5 * static_cast<ptrdiff_t>(ldc), c50, c51);
}

// Rows [r0, r1) of the product, those rows of C zeroed first. Row blocks
// shorter than 6 rows and the last panel when N is not a multiple of 16 go
// through small buffers, so the kernel never reads or writes past the
// matrices.
__attribute__((target("avx2,fma"))) void gemm_rows_avx2(const float* a, const float* panels, int K, int N, float* c,
                                                        int r0, int r1) {
    const int panelCount = (N + kNr - 1) / kNr;
    std::memset(c + static_cast<size_t>(r0) * N, 0, sizeof(float) * static_cast<size_t>(r1 - r0) * N);
    alignas(32) float aTail[kMr * kKc];
    alignas(32) float cTail[kMr * kNr];
    for (int k0 = 0; k0 < K; k0 += kKc) {
        const int kc = std::min(kKc, K - k0);
        for (int i0 = r0; i0 < r1; i0 += kMc) {
            const int i1 = std::min(r1, i0 + kMc);
            for (int p = 0; p < panelCount; ++p) {
                const float* b = panels + (static_cast<size_t>(p) * K + k0) * kNr;
                const bool fullPanel = (p + 1) * kNr <= N;
                const int width = fullPanel ? kNr : N - p * kNr;
                for (int i = i0; i < i1; i += kMr) {
                    const int mr = std::min(kMr, i1 - i);
                    const float* aBlock = a + static_cast<size_t>(i) * K + k0;
                    int lda = K;
                    if (mr < kMr) {
                        std::memset(aTail, 0, sizeof aTail);
                        for (int r = 0; r < mr; ++r)
                            std::memcpy(aTail + r * kc, aBlock + static_cast<size_t>(r) * K, sizeof(float) * kc);
                        aBlock = aTail;
                        lda = kc;
                    }
                    float* cBlock = c + static_cast<size_t>(i) * N + p * kNr;
                    if (fullPanel && mr == kMr) {
                        kernel_6x16(aBlock, lda, b, kc, cBlock, N);
                        continue;
                    }
                    std::memset(cTail, 0, sizeof cTail);
                    kernel_6x16(aBlock, lda, b, kc, cTail, kNr);
                    for (int r = 0; r < mr; ++r)
                        for (int j = 0; j < width; ++j) cBlock[static_cast<size_t>(r) * N + j] += cTail[r * kNr + j];
                }
            }
        }
    }
}
#endif

}  // namespace

bool PackedGemm::vectorized() { return has_avx2_fma(); }

PackedGemm::PackedGemm(const Matrix& w) : rows_(static_cast<int>(w.rows())), cols_(static_cast<int>(w.cols())) {
    if (!vectorized()) {
        plain_ = w;
        return;
    }
    const int panelCount = (cols_ + kNr - 1) / kNr;
    panels_.assign(static_cast<size_t>(panelCount) * rows_ * kNr, 0.0f);
    for (int p = 0; p < panelCount; ++p)
        for (int k = 0; k < rows_; ++k) {
            float* dst = panels_.data() + (static_cast<size_t>(p) * rows_ + k) * kNr;
            const int width = std::min(kNr, cols_ - p * kNr);
            for (int j = 0; j < width; ++j) dst[j] = w(k, p * kNr + j);
        }
}

void PackedGemm::multiply(const Matrix& a, Matrix& c, int threads) const {
#ifdef LSTMSCOPE_X86_DISPATCH
    if (plain_.size() == 0 && rows_ > 0 && cols_ > 0) {
        const int M = static_cast<int>(a.rows());
        c.resize(M, cols_);
        if (M == 0) return;
        const double work = static_cast<double>(M) * rows_ * cols_;
        // Bands of whole 6-row blocks, so a band boundary never splits one.
        const int bands = work >= kParallelWork ? std::clamp(threads, 1, (M + kMr - 1) / kMr) : 1;
        if (bands == 1) {
            gemm_rows_avx2(a.data(), panels_.data(), rows_, cols_, c.data(), 0, M);
            return;
        }
        const int blocks = (M + kMr - 1) / kMr;
        std::vector<std::function<void()>> tasks;
        for (int b = 0; b < bands; ++b) {
            const int r0 = std::min(M, blocks * b / bands * kMr), r1 = std::min(M, blocks * (b + 1) / bands * kMr);
            tasks.emplace_back([&, r0, r1] { gemm_rows_avx2(a.data(), panels_.data(), rows_, cols_, c.data(), r0, r1); });
        }
        run_parallel(tasks, bands);
        return;
    }
#endif
    if (rows_ == 0 || cols_ == 0) {
        c.setZero(a.rows(), cols_);
        return;
    }
    c.noalias() = a * plain_;
}

}  // namespace lstmscope::kernels
