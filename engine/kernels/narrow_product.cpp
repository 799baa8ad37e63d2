#include "engine/kernels/narrow_product.h"

#include <algorithm>
#include <cstring>

namespace lstmscope::kernels {
namespace {

constexpr int kLanes = 16;  // keys per chunk: key k sums into lane k % 16
constexpr int kGroup = 8;   // columns per group of V^T

int round_up(int n, int to) { return (n + to - 1) / to * to; }

#ifdef LSTMSCOPE_X86_DISPATCH

// Lanes l and l + 8 already added (the first fold); the rest of the folds,
// shared by both widths (the order of kernels/softmax.cpp's sums).
__attribute__((target("avx2,fma"))) inline float fold8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

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

// c[0..width) = a[0..K) . four columns of V (width <= 4 of them kept):
// chunk j / 16's sixteen keys of the first at vt + j * kGroup, of the next
// sixteen floats later, and so on.
// Unaligned loads throughout: a portable build's allocator aligns to 16
// bytes only. Named accumulators, not an array (see kernels/packed_gemm.cpp).
__attribute__((target("avx2,fma"))) void row4_avx2(const float* a, int K, const float* vt, float* c, int width) {
    __m256 l0 = _mm256_setzero_ps(), h0 = l0, l1 = l0, h1 = l0, l2 = l0, h2 = l0, l3 = l0, h3 = l0;
    const int full = K - K % kLanes;
    for (int j = 0; j < full; j += kLanes) chunk4_avx2(a + j, vt + j * kGroup, l0, h0, l1, h1, l2, h2, l3, h3);
    if (full < K) {
        // The last keys padded with zeros (V^T is zero there too).
        alignas(32) float tail[kLanes] = {};
        std::memcpy(tail, a + full, sizeof(float) * static_cast<size_t>(K - full));
        chunk4_avx2(tail, vt + full * kGroup, l0, h0, l1, h1, l2, h2, l3, h3);
    }
    const float out[4] = {fold8(_mm256_add_ps(l0, h0)), fold8(_mm256_add_ps(l1, h1)), fold8(_mm256_add_ps(l2, h2)),
                          fold8(_mm256_add_ps(l3, h3))};
    std::copy(out, out + width, c);
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

// One column's step for both rows.
#define LSTMSCOPE_NARROW_COLUMN(n)                             \
    {                                                          \
        const __m512 v = _mm512_loadu_ps(v0 + (n) * kLanes);     \
        x##n = _mm512_fmadd_ps(w0, v, x##n);                   \
        y##n = _mm512_fmadd_ps(w1, v, y##n);                   \
    }

// c0[0..width) = a0 . columns, c1[0..width) = a1 . columns (width <= 8) of
// a group of eight: chunk j / 16's keys of column n at vt + j * 8 + n * 16.
LSTMSCOPE_AVX512 void rows2_avx512(const float* a0, const float* a1, int K, const float* vt, float* c0, float* c1,
                                   int width) {
    const __m512 z = _mm512_setzero_ps();
    __m512 x0 = z, x1 = z, x2 = z, x3 = z, x4 = z, x5 = z, x6 = z, x7 = z;
    __m512 y0 = z, y1 = z, y2 = z, y3 = z, y4 = z, y5 = z, y6 = z, y7 = z;
    for (int j = 0; j < K; j += kLanes) {
        // The last chunk reads zeros past K (V^T is zero there too).
        const int left = K - j;
        const __mmask16 m = left >= kLanes ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1u);
        const __m512 w0 = _mm512_maskz_loadu_ps(m, a0 + j), w1 = _mm512_maskz_loadu_ps(m, a1 + j);
        const float* v0 = vt + static_cast<ptrdiff_t>(j) * kGroup;
        LSTMSCOPE_NARROW_COLUMN(0)
        LSTMSCOPE_NARROW_COLUMN(1)
        LSTMSCOPE_NARROW_COLUMN(2)
        LSTMSCOPE_NARROW_COLUMN(3)
        LSTMSCOPE_NARROW_COLUMN(4)
        LSTMSCOPE_NARROW_COLUMN(5)
        LSTMSCOPE_NARROW_COLUMN(6)
        LSTMSCOPE_NARROW_COLUMN(7)
    }
    const float r0[kGroup] = {fold16(x0), fold16(x1), fold16(x2), fold16(x3),
                              fold16(x4), fold16(x5), fold16(x6), fold16(x7)};
    const float r1[kGroup] = {fold16(y0), fold16(y1), fold16(y2), fold16(y3),
                              fold16(y4), fold16(y5), fold16(y6), fold16(y7)};
    std::copy(r0, r0 + width, c0);
    std::copy(r1, r1 + width, c1);
}
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
    if (isa_ == Isa::Avx512) {
        float spare[kGroup];
        for (int g = 0; g * kGroup < N; ++g) {
            const float* vt = vt_.data() + static_cast<size_t>(g) * kGroup * stride_;
            const int width = std::min(kGroup, N - g * kGroup);
            for (int i = 0; i < M; i += 2) {
                // An odd last row goes as both rows of the pair; its second
                // copy is dropped.
                const bool pair = i + 1 < M;
                rows2_avx512(row(i), row(pair ? i + 1 : i), K, vt, out(i) + g * kGroup,
                             pair ? out(i + 1) + g * kGroup : spare, width);
            }
        }
        return;
    }
    for (int i = 0; i < M; ++i)
        for (int c0 = 0; c0 < N; c0 += 4)
            row4_avx2(row(i), K,
                      vt_.data() + static_cast<size_t>(c0 / kGroup) * kGroup * stride_ + (c0 % kGroup) * kLanes,
                      out(i) + c0, std::min(4, N - c0));
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
