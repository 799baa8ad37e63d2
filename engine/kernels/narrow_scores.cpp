#include "engine/kernels/narrow_scores.h"

#include <algorithm>
#include <limits>

#include "engine/kernels/lane_folds.h"

namespace lstmscope::kernels {
namespace {

constexpr int kRows = 8;    // query rows per pass over the keys
constexpr int kPanel = 32;  // keys per panel of K^T

#ifdef LSTMSCOPE_X86_DISPATCH

// Eight rows' pointers, and how many of them are real (the rest repeat the
// last real row and are neither stored nor counted).
struct RowSet {
    const float* q[kRows];
    float* s[kRows];
    float* top;
    int count;
};

#define LSTMSCOPE_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))

LSTMSCOPE_AVX512 inline __mmask16 keys_left(int left) {
    return left >= 16 ? static_cast<__mmask16>(0xFFFF)
                      : left <= 0 ? static_cast<__mmask16>(0) : static_cast<__mmask16>((1u << left) - 1u);
}

// Row i's scores of sixteen keys from j stored and counted in its maximum,
// the lanes past the last key (`m` clear) left out of both.
LSTMSCOPE_AVX512 inline void keep16(const RowSet& r, int i, int j, __mmask16 m, __m512 a, __m512& top) {
    if (i >= r.count) return;
    _mm512_mask_storeu_ps(r.s[i] + j, m, a);
    top = _mm512_mask_max_ps(top, m, top, a);
}

// One dimension's step for row i: both halves of the panel.
#define LSTMSCOPE_SCORE_ROW(i)                   \
    {                                            \
        const __m512 x = _mm512_set1_ps(q##i[d]); \
        a##i = _mm512_fmadd_ps(x, ka, a##i);     \
        b##i = _mm512_fmadd_ps(x, kb, b##i);     \
    }

// A panel (32 keys) a step for eight rows, sixteen accumulators: each
// score summed over d in order, with FMA, from zero (PackedGemm's order).
// Two loads of K^T feed sixteen FMAs, and the panel is one contiguous
// stream. Unaligned loads throughout (a portable build aligns to 16 bytes
// only).
LSTMSCOPE_AVX512 void rows8_avx512(const RowSet& r, int hd, const float* kt, int K) {
    const __m512 minus_inf = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
    __m512 m0 = minus_inf, m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0, m6 = m0, m7 = m0;
    const float *q0 = r.q[0], *q1 = r.q[1], *q2 = r.q[2], *q3 = r.q[3], *q4 = r.q[4], *q5 = r.q[5],
                *q6 = r.q[6], *q7 = r.q[7];
    for (int j = 0; j < K; j += kPanel) {
        const __m512 z = _mm512_setzero_ps();
        __m512 a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        __m512 b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
        const float* k = kt + static_cast<ptrdiff_t>(j) * hd;
        for (int d = 0; d < hd; ++d, k += kPanel) {
            const __m512 ka = _mm512_loadu_ps(k), kb = _mm512_loadu_ps(k + 16);
            LSTMSCOPE_SCORE_ROW(0)
            LSTMSCOPE_SCORE_ROW(1)
            LSTMSCOPE_SCORE_ROW(2)
            LSTMSCOPE_SCORE_ROW(3)
            LSTMSCOPE_SCORE_ROW(4)
            LSTMSCOPE_SCORE_ROW(5)
            LSTMSCOPE_SCORE_ROW(6)
            LSTMSCOPE_SCORE_ROW(7)
        }
        const __mmask16 ma = keys_left(K - j), mb = keys_left(K - j - 16);
        keep16(r, 0, j, ma, a0, m0), keep16(r, 1, j, ma, a1, m1), keep16(r, 2, j, ma, a2, m2);
        keep16(r, 3, j, ma, a3, m3), keep16(r, 4, j, ma, a4, m4), keep16(r, 5, j, ma, a5, m5);
        keep16(r, 6, j, ma, a6, m6), keep16(r, 7, j, ma, a7, m7);
        if (mb) {
            keep16(r, 0, j + 16, mb, b0, m0), keep16(r, 1, j + 16, mb, b1, m1), keep16(r, 2, j + 16, mb, b2, m2);
            keep16(r, 3, j + 16, mb, b3, m3), keep16(r, 4, j + 16, mb, b4, m4), keep16(r, 5, j + 16, mb, b5, m5);
            keep16(r, 6, j + 16, mb, b6, m6), keep16(r, 7, j + 16, mb, b7, m7);
        }
    }
    const __m512 tops[kRows] = {m0, m1, m2, m3, m4, m5, m6, m7};
    for (int i = 0; i < r.count; ++i) r.top[i] = _mm512_reduce_max_ps(tops[i]);
}
#undef LSTMSCOPE_SCORE_ROW
#undef LSTMSCOPE_AVX512

// Row i's eight scores from j stored and counted, lanes past the last key
// left out (`keep`: all ones in the lanes to keep).
__attribute__((target("avx2,fma"))) inline void keep8(const RowSet& r, int i, int j, __m256 a, int left,
                                                     __m256& top) {
    if (i >= r.count || left <= 0) return;
    if (left >= 8) {
        _mm256_storeu_ps(r.s[i] + j, a);
        top = _mm256_max_ps(top, a);
        return;
    }
    const __m256i keep = _mm256_cmpgt_epi32(_mm256_set1_epi32(left), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    _mm256_maskstore_ps(r.s[i] + j, keep, a);
    top = _mm256_max_ps(top, _mm256_blendv_ps(_mm256_set1_ps(-std::numeric_limits<float>::infinity()), a,
                                              _mm256_castsi256_ps(keep)));
}

// Four rows at a time (the AVX2 registers hold eight accumulators and the
// broadcasts), sixteen keys a step: the same sums as rows8_avx512.
__attribute__((target("avx2,fma"))) void rows4_avx2(const RowSet& r, int first, int hd, const float* kt, int K) {
    const __m256 minus_inf = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    __m256 m0 = minus_inf, m1 = m0, m2 = m0, m3 = m0;
    const float *q0 = r.q[first], *q1 = r.q[first + 1], *q2 = r.q[first + 2], *q3 = r.q[first + 3];
    for (int j = 0; j < K; j += 16) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        const float* k = kt + static_cast<ptrdiff_t>(j / kPanel * kPanel) * hd + j % kPanel;
        for (int d = 0; d < hd; ++d, k += kPanel) {
            const __m256 ka = _mm256_loadu_ps(k), kb = _mm256_loadu_ps(k + 8);
            const __m256 x0 = _mm256_set1_ps(q0[d]), x1 = _mm256_set1_ps(q1[d]), x2 = _mm256_set1_ps(q2[d]),
                         x3 = _mm256_set1_ps(q3[d]);
            a0 = _mm256_fmadd_ps(x0, ka, a0);
            a1 = _mm256_fmadd_ps(x1, ka, a1);
            a2 = _mm256_fmadd_ps(x2, ka, a2);
            a3 = _mm256_fmadd_ps(x3, ka, a3);
            b0 = _mm256_fmadd_ps(x0, kb, b0);
            b1 = _mm256_fmadd_ps(x1, kb, b1);
            b2 = _mm256_fmadd_ps(x2, kb, b2);
            b3 = _mm256_fmadd_ps(x3, kb, b3);
        }
        keep8(r, first, j, a0, K - j, m0), keep8(r, first + 1, j, a1, K - j, m1);
        keep8(r, first + 2, j, a2, K - j, m2), keep8(r, first + 3, j, a3, K - j, m3);
        keep8(r, first, j + 8, b0, K - j - 8, m0), keep8(r, first + 1, j + 8, b1, K - j - 8, m1);
        keep8(r, first + 2, j + 8, b2, K - j - 8, m2), keep8(r, first + 3, j + 8, b3, K - j - 8, m3);
    }
    const __m256 tops[4] = {m0, m1, m2, m3};
    for (int i = 0; i < 4 && first + i < r.count; ++i) r.top[first + i] = max8(tops[i]);
}

#endif

}  // namespace

NarrowScores::NarrowScores(const Matrix& keys, Isa isa)
    : keys_(static_cast<int>(keys.rows())), depth_(static_cast<int>(keys.cols())),
      isa_(std::min(isa, machine_isa())) {
    if (depth_ > kMaxDepth) isa_ = Isa::Plain;
    if (isa_ == Isa::Plain) return;
    const int panels = std::max(1, (keys_ + kPanel - 1) / kPanel);
    kt_.assign(static_cast<size_t>(panels) * kPanel * std::max(depth_, 1), 0.0f);
    for (int k = 0; k < keys_; ++k)
        for (int d = 0; d < depth_; ++d)
            kt_[(static_cast<size_t>(k / kPanel) * depth_ + d) * kPanel + k % kPanel] = keys(k, d);
}

void NarrowScores::scores(const float* q, int ldq, int rows, float* s, int lds, float* top) const {
#ifdef LSTMSCOPE_X86_DISPATCH
    if (isa_ == Isa::Plain) return;
    for (int i0 = 0; i0 < rows; i0 += kRows) {
        RowSet r{};
        r.count = std::min(kRows, rows - i0);
        r.top = top + i0;
        for (int i = 0; i < kRows; ++i) {
            const int row = i0 + std::min(i, r.count - 1);
            r.q[i] = q + static_cast<ptrdiff_t>(row) * ldq;
            r.s[i] = s + static_cast<ptrdiff_t>(row) * lds;
        }
        if (keys_ == 0) {
            std::fill(r.top, r.top + r.count, -std::numeric_limits<float>::infinity());
            continue;
        }
        if (isa_ == Isa::Avx512) {
            rows8_avx512(r, depth_, kt_.data(), keys_);
            continue;
        }
        for (int first = 0; first < r.count; first += 4) rows4_avx2(r, first, depth_, kt_.data(), keys_);
    }
#else
    (void)q, (void)ldq, (void)rows, (void)s, (void)lds, (void)top;
#endif
}

}  // namespace lstmscope::kernels
