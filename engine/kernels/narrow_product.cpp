#include "engine/kernels/narrow_product.h"

#include <algorithm>
#include <cstring>

#include "engine/kernels/lane_folds.h"

namespace lstmscope::kernels {
namespace {

constexpr int kLanes = 16;  // keys per chunk: key k sums into lane k % 16
constexpr int kGroup = 8;   // columns per group of V^T

int round_up(int n, int to) { return (n + to - 1) / to * to; }

#ifdef LSTMSCOPE_X86_DISPATCH

// --- AVX2 + FMA: one row, four columns; each output's sixteen lanes are two
// registers (lanes 0-7 and 8-15), so 8 accumulators and the row's two loads
// fit the sixteen ymm registers.
__attribute__((target("avx2,fma"))) inline void chunk4_avx2(const float* w, const float* v0, __m256& l0,
                                                           __m256& h0, __m256& l1, __m256& h1, __m256& l2, __m256& h2,
                                                           __m256& l3, __m256& h3) {
    const __m256 wl = _mm256_loadu_ps(w), wh = _mm256_loadu_ps(w + 8);
    const float *v1 = v0 + kLanes, *v2 = v1 + kLanes, *v3 = v2 + kLanes;
    l0 = _mm256_fmadd_ps(wl, _mm256_loadu_ps(v0), l0);
    h0 = _mm256_fmadd_ps(wh, _mm256_loadu_ps(v0 + 8), h0);
    l1 = _mm256_fmadd_ps(wl, _mm256_loadu_ps(v1), l1);
    h1 = _mm256_fmadd_ps(wh, _mm256_loadu_ps(v1 + 8), h1);
    l2 = _mm256_fmadd_ps(wl, _mm256_loadu_ps(v2), l2);
    h2 = _mm256_fmadd_ps(wh, _mm256_loadu_ps(v2 + 8), h2);
    l3 = _mm256_fmadd_ps(wl, _mm256_loadu_ps(v3), l3);
    h3 = _mm256_fmadd_ps(wh, _mm256_loadu_ps(v3 + 8), h3);
}

// Keys [j0, j1) of row a against four columns of V (chunk j / 16's keys of
// the first at vt + j * 8, of the next sixteen floats later, and so on),
// added into the eight half-lane sums at `sums` (lanes 0-7 and 8-15 of
// each column in turn). j0 is a multiple of 16; the chunk past K reads
// zeros (V^T is zero there too). Unaligned loads throughout: a portable
// build's allocator aligns to 16 bytes only. Named accumulators, not an
// array (see kernels/packed_gemm.cpp).
__attribute__((target("avx2,fma"))) void row4_avx2(const float* a, int j0, int j1, const float* vt, float* sums) {
    __m256 l0 = _mm256_loadu_ps(sums), h0 = _mm256_loadu_ps(sums + 8), l1 = _mm256_loadu_ps(sums + 16),
           h1 = _mm256_loadu_ps(sums + 24), l2 = _mm256_loadu_ps(sums + 32), h2 = _mm256_loadu_ps(sums + 40),
           l3 = _mm256_loadu_ps(sums + 48), h3 = _mm256_loadu_ps(sums + 56);
    const int full = j1 - (j1 - j0) % kLanes;
    for (int j = j0; j < full; j += kLanes) chunk4_avx2(a + j, vt + j * kGroup, l0, h0, l1, h1, l2, h2, l3, h3);
    if (full < j1) {
        alignas(32) float tail[kLanes] = {};
        std::memcpy(tail, a + full, sizeof(float) * static_cast<size_t>(j1 - full));
        chunk4_avx2(tail, vt + full * kGroup, l0, h0, l1, h1, l2, h2, l3, h3);
    }
    const __m256 all[8] = {l0, h0, l1, h1, l2, h2, l3, h3};
    for (int n = 0; n < 8; ++n) _mm256_storeu_ps(sums + n * 8, all[n]);
}

// One output from its half-lane sums (lanes 0-7 at s, 8-15 at s + 8).
__attribute__((target("avx2,fma"))) inline float fold8_pair(const float* s) {
    return fold8(_mm256_add_ps(_mm256_loadu_ps(s), _mm256_loadu_ps(s + 8)));
}

// --- AVX-512: two rows, eight columns; sixteen zmm accumulators, and the
// eight columns' loads shared by the two rows.
#define LSTMSCOPE_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))

// GCC 12's own _mm512_extractf64x4_pd passes an _mm512_undefined_pd() that
// -Wuninitialized reports inside the header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

LSTMSCOPE_AVX512 inline float fold16(__m512 v) {
    return fold8(_mm256_add_ps(_mm512_castps512_ps256(v),
                               _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))));
}

// One column's step for both rows. The empty asm keeps v in a register:
// GCC otherwise folds the load into both FMAs, and eighteen loads to
// sixteen FMAs made the loads, not the FMAs, set the pace (a fifth of the
// kernel's time on the AMD EPYC of the README).
#define LSTMSCOPE_NARROW_COLUMN(n)                         \
    {                                                      \
        __m512 v = _mm512_loadu_ps(v0 + (n) * kLanes);     \
        __asm__("" : "+v"(v));                             \
        x##n = _mm512_fmadd_ps(w0, v, x##n);               \
        y##n = _mm512_fmadd_ps(w1, v, y##n);               \
    }

#define LSTMSCOPE_NARROW_COLUMNS \
    LSTMSCOPE_NARROW_COLUMN(0)       \
    LSTMSCOPE_NARROW_COLUMN(1)       \
    LSTMSCOPE_NARROW_COLUMN(2)       \
    LSTMSCOPE_NARROW_COLUMN(3)       \
    LSTMSCOPE_NARROW_COLUMN(4)       \
    LSTMSCOPE_NARROW_COLUMN(5)       \
    LSTMSCOPE_NARROW_COLUMN(6)       \
    LSTMSCOPE_NARROW_COLUMN(7)

// Keys [j0, j1) of rows a0 and a1 against a group of eight columns (chunk
// j / 16's keys of column n at vt + j * 8 + n * 16), added into the
// sixteen lane sums kept at `sums` (row a0's eight columns, then a1's). j0
// is a multiple of 16; the chunk past K (j1 == K) reads zeros there (V^T
// is zero there too). Storing and reloading the sums between segments is
// exact, so the bits do not depend on the segments.
LSTMSCOPE_AVX512 void rows2_avx512(const float* a0, const float* a1, int j0, int j1, const float* vt, float* sums) {
    __m512 x0 = _mm512_loadu_ps(sums), x1 = _mm512_loadu_ps(sums + 16), x2 = _mm512_loadu_ps(sums + 32),
           x3 = _mm512_loadu_ps(sums + 48), x4 = _mm512_loadu_ps(sums + 64), x5 = _mm512_loadu_ps(sums + 80),
           x6 = _mm512_loadu_ps(sums + 96), x7 = _mm512_loadu_ps(sums + 112);
    __m512 y0 = _mm512_loadu_ps(sums + 128), y1 = _mm512_loadu_ps(sums + 144), y2 = _mm512_loadu_ps(sums + 160),
           y3 = _mm512_loadu_ps(sums + 176), y4 = _mm512_loadu_ps(sums + 192), y5 = _mm512_loadu_ps(sums + 208),
           y6 = _mm512_loadu_ps(sums + 224), y7 = _mm512_loadu_ps(sums + 240);
    const int full = j1 - (j1 - j0) % kLanes;
    for (int j = j0; j < full; j += kLanes) {
        const __m512 w0 = _mm512_loadu_ps(a0 + j), w1 = _mm512_loadu_ps(a1 + j);
        const float* v0 = vt + static_cast<ptrdiff_t>(j) * kGroup;
        LSTMSCOPE_NARROW_COLUMNS
    }
    if (full < j1) {
        const int j = full;
        const __mmask16 m = static_cast<__mmask16>((1u << (j1 - j)) - 1u);
        const __m512 w0 = _mm512_maskz_loadu_ps(m, a0 + j), w1 = _mm512_maskz_loadu_ps(m, a1 + j);
        const float* v0 = vt + static_cast<ptrdiff_t>(j) * kGroup;
        LSTMSCOPE_NARROW_COLUMNS
    }
    const __m512 all[2 * kGroup] = {x0, x1, x2, x3, x4, x5, x6, x7, y0, y1, y2, y3, y4, y5, y6, y7};
    for (int n = 0; n < 2 * kGroup; ++n) _mm512_storeu_ps(sums + n * kLanes, all[n]);
}

// The lane sums of `sums` folded into a row's outputs.
LSTMSCOPE_AVX512 void fold_row(const float* sums, float* c, int width) {
    for (int n = 0; n < width; ++n) c[n] = fold16(_mm512_loadu_ps(sums + n * kLanes));
}
#undef LSTMSCOPE_NARROW_COLUMNS
#undef LSTMSCOPE_NARROW_COLUMN
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#undef LSTMSCOPE_AVX512

#endif

}  // namespace

NarrowProduct::NarrowProduct(const Matrix& v, Isa isa)
    : rows_(static_cast<int>(v.rows())), cols_(static_cast<int>(v.cols())), isa_(std::min(isa, machine_isa())) {
    if (isa_ == Isa::Plain || cols_ > kMaxColumns) {
        isa_ = Isa::Plain;
        plain_ = v;
        return;
    }
    stride_ = round_up(std::max(rows_, 1), kLanes);
    vt_.assign(static_cast<size_t>(round_up(std::max(cols_, 1), kGroup)) * stride_, 0.0f);
    for (int c = 0; c < cols_; ++c)
        for (int k = 0; k < rows_; ++k)
            vt_[static_cast<size_t>(c / kGroup) * kGroup * stride_ + static_cast<size_t>(k / kLanes) * kGroup * kLanes +
                static_cast<size_t>(c % kGroup) * kLanes + k % kLanes] = v(k, c);
}

void NarrowProduct::multiply_rows(const float* a, int lda, int M, float* c, int ldc) const {
#ifdef LSTMSCOPE_X86_DISPATCH
    if (isa_ == Isa::Plain || M <= 0) return;
    const int K = rows_, N = cols_;
    auto row = [&](int i) { return a + static_cast<ptrdiff_t>(i) * lda; };
    auto out = [&](int i) { return c + static_cast<ptrdiff_t>(i) * ldc; };
    // Rows kBlockRows at a time, the keys kSegment at a time: each segment
    // of V^T (16 KB) is read by every row of the block while it is in L1.
    // Streamed from L2 once per row (or pair), V^T had set the pace.
    constexpr int kBlockRows = 8, kSegment = 512;
    if (isa_ == Isa::Avx512) {
        alignas(64) float sums[kBlockRows / 2][2 * kGroup * kLanes];
        for (int g = 0; g * kGroup < N; ++g) {
            const float* vt = vt_.data() + static_cast<size_t>(g) * kGroup * stride_;
            const int width = std::min(kGroup, N - g * kGroup);
            for (int i0 = 0; i0 < M; i0 += kBlockRows) {
                const int rows = std::min(kBlockRows, M - i0), pairs = (rows + 1) / 2;
                std::fill(&sums[0][0], &sums[0][0] + sizeof sums / sizeof(float), 0.0f);
                for (int j0 = 0; j0 < K; j0 += kSegment)
                    for (int p = 0; p < pairs; ++p) {
                        // An odd last row goes as both rows of its pair.
                        const int i = i0 + 2 * p;
                        rows2_avx512(row(i), row(std::min(i + 1, M - 1)), j0, std::min(K, j0 + kSegment), vt,
                                     sums[p]);
                    }
                for (int r = 0; r < rows; ++r)
                    fold_row(sums[r / 2] + (r % 2) * kGroup * kLanes, out(i0 + r) + g * kGroup, width);
            }
        }
        return;
    }
    // The same blocking on AVX2, four columns at a time.
    alignas(32) float sums[kBlockRows][8 * 8];
    for (int c0 = 0; c0 < N; c0 += 4) {
        const float* vt = vt_.data() + static_cast<size_t>(c0 / kGroup) * kGroup * stride_ + (c0 % kGroup) * kLanes;
        const int width = std::min(4, N - c0);
        for (int i0 = 0; i0 < M; i0 += kBlockRows) {
            const int rows = std::min(kBlockRows, M - i0);
            std::fill(&sums[0][0], &sums[0][0] + sizeof sums / sizeof(float), 0.0f);
            for (int j0 = 0; j0 < K; j0 += kSegment)
                for (int r = 0; r < rows; ++r) row4_avx2(row(i0 + r), j0, std::min(K, j0 + kSegment), vt, sums[r]);
            for (int r = 0; r < rows; ++r)
                for (int n = 0; n < width; ++n) out(i0 + r)[c0 + n] = fold8_pair(sums[r] + n * 16);
        }
    }
#else
    (void)a, (void)lda, (void)M, (void)c, (void)ldc;
#endif
}

void NarrowProduct::multiply(const Matrix& a, Matrix& c) const {
    const int M = static_cast<int>(a.rows());
    if (isa_ != Isa::Plain && rows_ > 0 && cols_ > 0) {
        c.resize(M, cols_);
        multiply_rows(a.data(), rows_, M, c.data(), cols_);
        return;
    }
    if (rows_ == 0 || cols_ == 0) {
        c.setZero(M, cols_);
        return;
    }
    c.noalias() = a * plain_;
}

}  // namespace lstmscope::kernels
