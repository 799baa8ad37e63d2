#include "engine/kernels/packed_gemm.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

#include "engine/kernels/cpu_features.h"
#include "engine/parallel.h"

namespace lstmscope::kernels {
namespace {

constexpr int kKc = 256;  // depth per pass: a panel's slice (16-48 KB) stays in L1/L2
constexpr int kMc = 240;  // rows per pass (a multiple of every kernel's rows): A's slice stays in L2
constexpr int kMaxMr = 8, kMaxNr = 48;

// c[mr x nr] (row stride ldc) = a[mr rows, kc] (row stride lda) * b[kc x nr]
// on the first pass over k (`first`), += on the later ones. Storing the
// first pass instead of adding it to a zeroed C spares the zeroing and a
// read of C; the bits are the same (the sum starts from +0 either way and
// is never -0).
using Kernel = void (*)(const float* a, int lda, const float* b, int kc, float* c, int ldc, bool first);

// The block each path computes per kernel call: rows of C x columns of a
// panel, and the kernel that does it.
struct Geometry {
    int mr, nr;
    Kernel kernel = nullptr;
};

#ifdef LSTMSCOPE_X86_DISPATCH

// --- AVX2 + FMA: 6 x 16, twelve ymm accumulators ----------------------------

// c[i][0..16) = lo, hi on the first pass over k, += on later ones.
__attribute__((target("avx2,fma"))) inline void add_to_row(float* ci, __m256 lo, __m256 hi, bool first) {
    if (!first) {
        lo = _mm256_add_ps(_mm256_loadu_ps(ci), lo);
        hi = _mm256_add_ps(_mm256_loadu_ps(ci + 8), hi);
    }
    _mm256_storeu_ps(ci, lo);
    _mm256_storeu_ps(ci + 8, hi);
}

// One row of the 6 x 16 block: lo, hi += a_ik * b_k[0..16).
__attribute__((target("avx2,fma"))) inline void fma_row(float aik, __m256 b0, __m256 b1, __m256& lo, __m256& hi) {
    const __m256 x = _mm256_set1_ps(aik);
    lo = _mm256_fmadd_ps(x, b0, lo);
    hi = _mm256_fmadd_ps(x, b1, hi);
}

// Unaligned loads throughout: a portable build's allocator aligns to 16
// bytes only, and an aligned 32-byte load from there faults.
// Twelve named accumulators, not an array: without -march=native (a
// portable build, where only this function has AVX2) GCC 12 kept an
// `__m256 acc[6][2]` in registers but also stored all twelve to the stack on
// every k, which made the kernel store-bound: 25 against 58 GFLOP/s on an
// AMD EPYC, 256 x 512 times 512 x 1024.
__attribute__((target("avx2,fma"))) void kernel_6x16(const float* a, int lda, const float* b, int kc, float* c,
                                                     int ldc, bool first) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    const float *a0 = a, *a1 = a + lda, *a2 = a1 + lda, *a3 = a2 + lda, *a4 = a3 + lda, *a5 = a4 + lda;
    for (int k = 0; k < kc; ++k, b += 16) {
        const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        fma_row(a0[k], b0, b1, c00, c01);
        fma_row(a1[k], b0, b1, c10, c11);
        fma_row(a2[k], b0, b1, c20, c21);
        fma_row(a3[k], b0, b1, c30, c31);
        fma_row(a4[k], b0, b1, c40, c41);
        fma_row(a5[k], b0, b1, c50, c51);
    }
    const ptrdiff_t s = ldc;
    add_to_row(c, c00, c01, first);
    add_to_row(c + s, c10, c11, first);
    add_to_row(c + 2 * s, c20, c21, first);
    add_to_row(c + 3 * s, c30, c31, first);
    add_to_row(c + 4 * s, c40, c41, first);
    add_to_row(c + 5 * s, c50, c51, first);
}

// --- AVX-512: 8 x 48, twenty-four zmm accumulators ---------------------------
// Three panel loads and eight broadcasts feed 24 FMAs per k, so the two
// 512-bit FMA units, not the loads, set the pace. Measured on the build
// machine (Xeon, Emerald Rapids, one core), 240 x 512 times 512 x 1024:
// 6 x 16 AVX2 3.9 ms (65 GFLOP/s), 12 x 32 AVX-512 2.4 ms, 8 x 48 2.2 ms
// (114 GFLOP/s). Each output is summed over k in the same order as the
// AVX2 kernel, with FMA, so the two give the same bits.
#define LSTMSCOPE_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))

LSTMSCOPE_AVX512 inline void fma_row3(float aik, __m512 b0, __m512 b1, __m512 b2, __m512& x0, __m512& x1,
                                      __m512& x2) {
    const __m512 x = _mm512_set1_ps(aik);
    x0 = _mm512_fmadd_ps(x, b0, x0);
    x1 = _mm512_fmadd_ps(x, b1, x1);
    x2 = _mm512_fmadd_ps(x, b2, x2);
}

LSTMSCOPE_AVX512 inline void add_to_row3(float* ci, __m512 x0, __m512 x1, __m512 x2, bool first) {
    if (!first) {
        x0 = _mm512_add_ps(_mm512_loadu_ps(ci), x0);
        x1 = _mm512_add_ps(_mm512_loadu_ps(ci + 16), x1);
        x2 = _mm512_add_ps(_mm512_loadu_ps(ci + 32), x2);
    }
    _mm512_storeu_ps(ci, x0);
    _mm512_storeu_ps(ci + 16, x1);
    _mm512_storeu_ps(ci + 32, x2);
}

// The three cache lines of a 48-wide panel row. A weight matrix is read
// once per run, so the first row block of each panel finds it in L3 or
// memory; asking sixteen rows (3 KB) ahead hides that wait, while the
// kernel has load slots to spare (11 loads to 24 FMAs a row). Measured on
// the build machine, one core, the medium shape of the README's speed
// section, 10 interleaved pairs: 0.965x the time without (32.7 -> 31.4
// ms); 32 rows ahead was slower again.
LSTMSCOPE_AVX512 inline void prefetch_panel_row(const float* row) {
    const char* p = reinterpret_cast<const char*>(row);
    _mm_prefetch(p, _MM_HINT_T0);
    _mm_prefetch(p + 64, _MM_HINT_T0);
    _mm_prefetch(p + 128, _MM_HINT_T0);
}

// Named accumulators for the reason given at kernel_6x16.
LSTMSCOPE_AVX512 void kernel_8x48(const float* a, int lda, const float* b, int kc, float* c, int ldc, bool first) {
    const __m512 z = _mm512_setzero_ps();
    __m512 c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z, c22 = z, c30 = z, c31 = z, c32 = z;
    __m512 c40 = z, c41 = z, c42 = z, c50 = z, c51 = z, c52 = z, c60 = z, c61 = z, c62 = z, c70 = z, c71 = z, c72 = z;
    const float *a0 = a, *a1 = a + lda, *a2 = a1 + lda, *a3 = a2 + lda, *a4 = a3 + lda, *a5 = a4 + lda,
                *a6 = a5 + lda, *a7 = a6 + lda;
    for (int k = 0; k < kc; ++k, b += 48) {
        const __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16), b2 = _mm512_loadu_ps(b + 32);
        prefetch_panel_row(b + 48 * 16);
        fma_row3(a0[k], b0, b1, b2, c00, c01, c02);
        fma_row3(a1[k], b0, b1, b2, c10, c11, c12);
        fma_row3(a2[k], b0, b1, b2, c20, c21, c22);
        fma_row3(a3[k], b0, b1, b2, c30, c31, c32);
        fma_row3(a4[k], b0, b1, b2, c40, c41, c42);
        fma_row3(a5[k], b0, b1, b2, c50, c51, c52);
        fma_row3(a6[k], b0, b1, b2, c60, c61, c62);
        fma_row3(a7[k], b0, b1, b2, c70, c71, c72);
    }
    const ptrdiff_t s = ldc;
    add_to_row3(c, c00, c01, c02, first);
    add_to_row3(c + s, c10, c11, c12, first);
    add_to_row3(c + 2 * s, c20, c21, c22, first);
    add_to_row3(c + 3 * s, c30, c31, c32, first);
    add_to_row3(c + 4 * s, c40, c41, c42, first);
    add_to_row3(c + 5 * s, c50, c51, c52, first);
    add_to_row3(c + 6 * s, c60, c61, c62, first);
    add_to_row3(c + 7 * s, c70, c71, c72, first);
}

// --- AVX-512: 8 x 32, sixteen zmm accumulators ------------------------------
// For outputs a few panels wide: a head's 64 values in a 48-wide panel
// layout are two panels, one a third empty; at 32 wide they are two full
// ones. Per multiply-add this kernel is a little slower than 8 x 48 (two
// panel loads and eight broadcasts feed 16 FMAs, not 24), so geometry()
// takes it only when it saves more than that. Measured on the build
// machine, one core: 256 x 256 times 256 x 64 0.117 -> 0.081 ms, 2000 x
// 2000 times 2000 x 64 8.5 -> 4.3 ms, 256 x 64 times 64 x 256 0.084 ->
// 0.079 ms; but 256 x 512 times 512 x 1024 2.73 -> 2.89 ms. Summed over k
// in the same order, with FMA: the same bits as the other kernels.
LSTMSCOPE_AVX512 inline void fma_row2(float aik, __m512 b0, __m512 b1, __m512& x0, __m512& x1) {
    const __m512 x = _mm512_set1_ps(aik);
    x0 = _mm512_fmadd_ps(x, b0, x0);
    x1 = _mm512_fmadd_ps(x, b1, x1);
}

LSTMSCOPE_AVX512 inline void add_to_row2(float* ci, __m512 x0, __m512 x1, bool first) {
    if (!first) {
        x0 = _mm512_add_ps(_mm512_loadu_ps(ci), x0);
        x1 = _mm512_add_ps(_mm512_loadu_ps(ci + 16), x1);
    }
    _mm512_storeu_ps(ci, x0);
    _mm512_storeu_ps(ci + 16, x1);
}

LSTMSCOPE_AVX512 void kernel_8x32(const float* a, int lda, const float* b, int kc, float* c, int ldc, bool first) {
    const __m512 z = _mm512_setzero_ps();
    __m512 c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    __m512 c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
    const float *a0 = a, *a1 = a + lda, *a2 = a1 + lda, *a3 = a2 + lda, *a4 = a3 + lda, *a5 = a4 + lda,
                *a6 = a5 + lda, *a7 = a6 + lda;
    for (int k = 0; k < kc; ++k, b += 32) {
        const __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
        fma_row2(a0[k], b0, b1, c00, c01);
        fma_row2(a1[k], b0, b1, c10, c11);
        fma_row2(a2[k], b0, b1, c20, c21);
        fma_row2(a3[k], b0, b1, c30, c31);
        fma_row2(a4[k], b0, b1, c40, c41);
        fma_row2(a5[k], b0, b1, c50, c51);
        fma_row2(a6[k], b0, b1, c60, c61);
        fma_row2(a7[k], b0, b1, c70, c71);
    }
    const ptrdiff_t s = ldc;
    add_to_row2(c, c00, c01, first);
    add_to_row2(c + s, c10, c11, first);
    add_to_row2(c + 2 * s, c20, c21, first);
    add_to_row2(c + 3 * s, c30, c31, first);
    add_to_row2(c + 4 * s, c40, c41, first);
    add_to_row2(c + 5 * s, c50, c51, first);
    add_to_row2(c + 6 * s, c60, c61, first);
    add_to_row2(c + 7 * s, c70, c71, first);
}

// --- Narrow products: 8 x 16 (AVX-512) and 8 x 8 (AVX2, on both) -----------
// A product with a few columns (a 2-class output, a narrow projection)
// would compute 48 columns in a wide kernel to keep 8: five sixths of its
// time wasted. (A multi-head attention's weighted sums, the case that made
// these kernels, now have their own product: kernels/narrow_product.h.)
// These kernels keep one register per row:
// eight rows, so that eight independent FMA chains cover the FMA latency.
// Each output is still summed over k in order, with FMA, so every kernel
// gives the same bits.
LSTMSCOPE_AVX512 void kernel_8x16(const float* a, int lda, const float* b, int kc, float* c, int ldc, bool first) {
    __m512 c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
    const float *a0 = a, *a1 = a + lda, *a2 = a1 + lda, *a3 = a2 + lda, *a4 = a3 + lda, *a5 = a4 + lda,
                *a6 = a5 + lda, *a7 = a6 + lda;
    for (int k = 0; k < kc; ++k, b += 16) {
        const __m512 bk = _mm512_loadu_ps(b);
        c0 = _mm512_fmadd_ps(_mm512_set1_ps(a0[k]), bk, c0);
        c1 = _mm512_fmadd_ps(_mm512_set1_ps(a1[k]), bk, c1);
        c2 = _mm512_fmadd_ps(_mm512_set1_ps(a2[k]), bk, c2);
        c3 = _mm512_fmadd_ps(_mm512_set1_ps(a3[k]), bk, c3);
        c4 = _mm512_fmadd_ps(_mm512_set1_ps(a4[k]), bk, c4);
        c5 = _mm512_fmadd_ps(_mm512_set1_ps(a5[k]), bk, c5);
        c6 = _mm512_fmadd_ps(_mm512_set1_ps(a6[k]), bk, c6);
        c7 = _mm512_fmadd_ps(_mm512_set1_ps(a7[k]), bk, c7);
    }
    const __m512 rows[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
    for (int r = 0; r < 8; ++r) {
        float* cr = c + static_cast<ptrdiff_t>(r) * ldc;
        _mm512_storeu_ps(cr, first ? rows[r] : _mm512_add_ps(_mm512_loadu_ps(cr), rows[r]));
    }
}
#undef LSTMSCOPE_AVX512

__attribute__((target("avx2,fma"))) void kernel_8x8(const float* a, int lda, const float* b, int kc, float* c,
                                                    int ldc, bool first) {
    __m256 c0 = _mm256_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
    const float *a0 = a, *a1 = a + lda, *a2 = a1 + lda, *a3 = a2 + lda, *a4 = a3 + lda, *a5 = a4 + lda,
                *a6 = a5 + lda, *a7 = a6 + lda;
    for (int k = 0; k < kc; ++k, b += 8) {
        const __m256 bk = _mm256_loadu_ps(b);
        c0 = _mm256_fmadd_ps(_mm256_set1_ps(a0[k]), bk, c0);
        c1 = _mm256_fmadd_ps(_mm256_set1_ps(a1[k]), bk, c1);
        c2 = _mm256_fmadd_ps(_mm256_set1_ps(a2[k]), bk, c2);
        c3 = _mm256_fmadd_ps(_mm256_set1_ps(a3[k]), bk, c3);
        c4 = _mm256_fmadd_ps(_mm256_set1_ps(a4[k]), bk, c4);
        c5 = _mm256_fmadd_ps(_mm256_set1_ps(a5[k]), bk, c5);
        c6 = _mm256_fmadd_ps(_mm256_set1_ps(a6[k]), bk, c6);
        c7 = _mm256_fmadd_ps(_mm256_set1_ps(a7[k]), bk, c7);
    }
    const __m256 rows[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
    for (int r = 0; r < 8; ++r) {
        float* cr = c + static_cast<ptrdiff_t>(r) * ldc;
        _mm256_storeu_ps(cr, first ? rows[r] : _mm256_add_ps(_mm256_loadu_ps(cr), rows[r]));
    }
}

// The kernel for a W of `cols` columns on `isa` (never Plain): the
// narrowest panel that holds the columns, up to the widest kernel.
Geometry geometry(Isa isa, int cols) {
    if (cols <= 8) return {8, 8, kernel_8x8};
    if (isa == Isa::Avx512) {
        if (cols <= 16) return {8, 16, kernel_8x16};
        // 32 wide when the columns it pads are fewer by more than its 6%
        // slower multiply-add: 64 columns (96 against 64), 256 (288 against
        // 256); 48 wide at 1024 (1056 against 1024) and 1536 (no padding).
        const int padded48 = (cols + 47) / 48 * 48, padded32 = (cols + 31) / 32 * 32;
        return padded32 * 106 < padded48 * 100 ? Geometry{8, 32, kernel_8x32} : Geometry{8, 48, kernel_8x48};
    }
    return {6, 16, kernel_6x16};
}

// Rows [r0, r1) of the product. Row blocks
// shorter than the kernel's and the last panel when N is not a multiple of
// its width go through small buffers, so the kernel never reads or writes
// past the matrices. Every output is summed the same way whatever the
// blocking: in passes of kKc over k, each pass from zero and then added.
void gemm_rows(Geometry g, const float* a, const float* panels, int K, int N, float* c, int r0,
               int r1) {
    const int panelCount = (N + g.nr - 1) / g.nr;
    alignas(64) float aTail[kMaxMr * kKc];
    alignas(64) float cTail[kMaxMr * kMaxNr];
    for (int k0 = 0; k0 < K; k0 += kKc) {
        const int kc = std::min(kKc, K - k0);
        const bool first = k0 == 0;
        for (int i0 = r0; i0 < r1; i0 += kMc) {
            const int i1 = std::min(r1, i0 + kMc);
            for (int p = 0; p < panelCount; ++p) {
                const float* b = panels + (static_cast<size_t>(p) * K + k0) * g.nr;
                const bool fullPanel = (p + 1) * g.nr <= N;
                const int width = fullPanel ? g.nr : N - p * g.nr;
                for (int i = i0; i < i1; i += g.mr) {
                    const int mr = std::min(g.mr, i1 - i);
                    const float* aBlock = a + static_cast<size_t>(i) * K + k0;
                    int lda = K;
                    if (mr < g.mr) {
                        std::memset(aTail, 0, sizeof aTail);
                        for (int r = 0; r < mr; ++r)
                            std::memcpy(aTail + r * kc, aBlock + static_cast<size_t>(r) * K, sizeof(float) * kc);
                        aBlock = aTail;
                        lda = kc;
                    }
                    float* cBlock = c + static_cast<size_t>(i) * N + p * g.nr;
                    if (fullPanel && mr == g.mr) {
                        g.kernel(aBlock, lda, b, kc, cBlock, N, first);
                        continue;
                    }
                    g.kernel(aBlock, lda, b, kc, cTail, g.nr, true);
                    for (int r = 0; r < mr; ++r)
                        for (int j = 0; j < width; ++j) {
                            float& out = cBlock[static_cast<size_t>(r) * N + j];
                            out = first ? cTail[r * g.nr + j] : out + cTail[r * g.nr + j];
                        }
                }
            }
        }
    }
}

#endif

}  // namespace

PackedGemm::PackedGemm(const Matrix& w, Isa isa)
    : rows_(static_cast<int>(w.rows())), cols_(static_cast<int>(w.cols())),
      isa_(std::min(isa, machine_isa())) {
    if (isa_ == Isa::Plain) {
        plain_ = w;
        return;
    }
#ifdef LSTMSCOPE_X86_DISPATCH
    const int nr = geometry(isa_, cols_).nr;
#else
    const int nr = 16;  // unreachable: isa_ is Plain off x86
#endif
    const int panelCount = (cols_ + nr - 1) / nr;
    panels_.assign(static_cast<size_t>(panelCount) * rows_ * nr, 0.0f);
    for (int p = 0; p < panelCount; ++p)
        for (int k = 0; k < rows_; ++k) {
            float* dst = panels_.data() + (static_cast<size_t>(p) * rows_ + k) * nr;
            const int width = std::min(nr, cols_ - p * nr);
            for (int j = 0; j < width; ++j) dst[j] = w(k, p * nr + j);
        }
}

void PackedGemm::multiply(const Matrix& a, Matrix& c, int threads) const {
    multiply_rows(a.data(), static_cast<int>(a.rows()), c, threads);
}

void PackedGemm::multiply_rows(const float* a_data, int M, Matrix& c, int threads) const {
#ifdef LSTMSCOPE_X86_DISPATCH
    if (isa_ != Isa::Plain && rows_ > 0 && cols_ > 0) {
        c.resize(M, cols_);
        if (M == 0) return;
        const Geometry g = geometry(isa_, cols_);
        const double work = static_cast<double>(M) * rows_ * cols_;
        // Bands of whole row blocks, so that no band has a short block but
        // the last.
        const int blocks = (M + g.mr - 1) / g.mr;
        const int bands = work >= kParallelWork ? std::clamp(threads, 1, blocks) : 1;
        if (bands == 1) {
            gemm_rows(g, a_data, panels_.data(), rows_, cols_, c.data(), 0, M);
            return;
        }
        std::vector<std::function<void()>> tasks;
        for (int b = 0; b < bands; ++b) {
            const int r0 = std::min(M, blocks * b / bands * g.mr), r1 = std::min(M, blocks * (b + 1) / bands * g.mr);
            tasks.emplace_back(
                [&, r0, r1] { gemm_rows(g, a_data, panels_.data(), rows_, cols_, c.data(), r0, r1); });
        }
        run_parallel(tasks, bands);
        return;
    }
#endif
    if (rows_ == 0 || cols_ == 0) {
        c.setZero(M, cols_);
        return;
    }
    c.noalias() = Eigen::Map<const Matrix>(a_data, M, rows_) * plain_;
}

}  // namespace lstmscope::kernels
