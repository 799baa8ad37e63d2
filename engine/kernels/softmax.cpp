#include "engine/kernels/softmax.h"

#include <cmath>
#include <limits>

#include "engine/kernels/cpu_features.h"

namespace lstmscope::kernels {
namespace {

// Below this exp(x) is no longer a normal float; those weights are 0 in
// both paths (the plain path: std::exp gives at most 1.2e-38 there, which
// the vectorised path cannot reproduce bit for bit; 0 is within 1e-38).
constexpr float kExpLow = -87.33654f;
constexpr float kExpHigh = 88.37626f;

float exp_plain(float x) { return x < kExpLow ? 0.0f : std::exp(x); }

#ifdef LSTMSCOPE_X86_DISPATCH
// exp(x) = 2^n * exp(r), n = round(x / ln 2), r = x - n ln 2 in [-ln2/2,
// ln2/2], ln 2 split in two so n ln 2 is exact (Cody and Waite); exp(r) by
// the degree-7 minimax polynomial of Cephes' expf (about 1 ulp).
__attribute__((target("avx2,fma"))) inline __m256 exp8(__m256 x) {
    const __m256 low = _mm256_set1_ps(kExpLow);
    // min(high, x) keeps a NaN x (the second operand is returned for NaN).
    const __m256 xc = _mm256_min_ps(_mm256_set1_ps(kExpHigh), x);
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(xc, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), xc);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    // 2^n by building the exponent field; n is in [-126, 128) here for
    // every lane that is kept.
    const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    const __m256 y = _mm256_mul_ps(p, _mm256_castsi256_ps(e));
    // x < low (and -inf) -> 0; NaN compares false and stays NaN.
    return _mm256_andnot_ps(_mm256_cmp_ps(x, low, _CMP_LT_OQ), y);
}

__attribute__((target("avx2,fma"))) void exp_avx2(float* x, int n) {
    int j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(x + j, exp8(_mm256_loadu_ps(x + j)));
    for (; j < n; ++j) x[j] = exp_plain(x[j]);
}

__attribute__((target("avx2,fma"))) float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) float hmax(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) void softmax_avx2(float* x, int n) {
    const float minus_inf = -std::numeric_limits<float>::infinity();
    __m256 vmax = _mm256_set1_ps(minus_inf);
    int j = 0;
    for (; j + 8 <= n; j += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(x + j));
    float top = hmax(vmax);
    for (; j < n; ++j) top = x[j] > top ? x[j] : top;
    if (!std::isfinite(top)) {
        for (j = 0; j < n; ++j) x[j] = 0.0f;
        return;
    }
    // x - top is -inf exactly for masked entries, which exp8 sends to 0.
    const __m256 vtop = _mm256_set1_ps(top);
    __m256 vsum = _mm256_setzero_ps();
    for (j = 0; j + 8 <= n; j += 8) {
        const __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + j), vtop));
        _mm256_storeu_ps(x + j, e);
        vsum = _mm256_add_ps(vsum, e);
    }
    float sum = hsum(vsum);
    for (; j < n; ++j) {
        x[j] = exp_plain(x[j] - top);
        sum += x[j];
    }
    const __m256 vs = _mm256_set1_ps(sum);
    for (j = 0; j + 8 <= n; j += 8) _mm256_storeu_ps(x + j, _mm256_div_ps(_mm256_loadu_ps(x + j), vs));
    for (; j < n; ++j) x[j] /= sum;
}
#endif

}  // namespace

void softmax_row_plain(float* x, int n) {
    float top = -std::numeric_limits<float>::infinity();
    for (int j = 0; j < n; ++j) top = x[j] > top ? x[j] : top;
    if (!std::isfinite(top)) {
        for (int j = 0; j < n; ++j) x[j] = 0.0f;
        return;
    }
    // A double sum: one float accumulator over thousands of keys loses
    // ~1e-6 (the vectorised path's eight lanes keep it near 1e-7).
    double sum = 0.0;
    for (int j = 0; j < n; ++j) {
        x[j] = exp_plain(x[j] - top);
        sum += x[j];
    }
    const float total = static_cast<float>(sum);
    for (int j = 0; j < n; ++j) x[j] /= total;
}

void softmax_row(float* x, int n) {
#ifdef LSTMSCOPE_X86_DISPATCH
    if (has_avx2_fma()) return softmax_avx2(x, n);
#endif
    softmax_row_plain(x, n);
}

void exp_in_place(float* x, int n) {
#ifdef LSTMSCOPE_X86_DISPATCH
    if (has_avx2_fma()) return exp_avx2(x, n);
#endif
    for (int j = 0; j < n; ++j) x[j] = exp_plain(x[j]);
}

}  // namespace lstmscope::kernels
