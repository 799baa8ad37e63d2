#include "engine/kernels/softmax.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/kernels/cpu_features.h"
#include "engine/kernels/lane_folds.h"

namespace lstmscope::kernels {
namespace {

// Below this exp(x) is no longer a normal float; those weights are 0 in
// both paths (the plain path: std::exp gives at most 1.2e-38 there, which
// the vectorised path cannot reproduce bit for bit; 0 is within 1e-38).
constexpr float kExpLow = -87.33654f;
constexpr float kExpHigh = 88.37626f;

float exp_plain(float x) { return x < kExpLow ? 0.0f : std::exp(x); }

// softmax_row's `sum_into`, one entry at a time: the same float adds, in the
// same order, as the vector paths' (and as Eigen's `acc += row`).
void sum_tail(float* acc, const float* v, int count, bool first) {
    for (int i = 0; i < count; ++i) acc[i] = first ? v[i] : acc[i] + v[i];
}

void sum_zeros(float* acc, int n, bool first) {
    for (int i = 0; i < n; ++i) acc[i] = first ? 0.0f : acc[i] + 0.0f;
}

#ifdef LSTMSCOPE_X86_DISPATCH
// exp(x) = 2^n * exp(r), n = round(x / ln 2), r = x - n ln 2 in [-ln2/2,
// ln2/2], ln 2 split in two so n ln 2 is exact (Cody and Waite); exp(r) by
// a degree-6 polynomial (about 1 ulp; below). The
// AVX-512 version below does the same operations in the same order, so the
// two give the same bits lane for lane.
//
// n is rounded by adding and taking away 1.5 * 2^23 (the FMA x log2(e) +
// 1.5 * 2^23 lands on a float whose spacing is 1, rounded to nearest even),
// an FMA and a subtraction instead of a multiply and a round instruction:
// on the AMD EPYC of the README the softmax took ~8% less time (perf's
// share against the attention's matrix product, two runs each). n can
// differ from round(float(x log2 e)) by one where that product is within
// rounding of a half; r is then just outside [-ln2/2, ln2/2], where the
// polynomial is as good.
constexpr float kLog2e = 1.44269504088896341f, kLn2Hi = 0.693359375f, kLn2Lo = -2.12194440e-4f;
constexpr float kRoundMagic = 12582912.0f;  // 1.5 * 2^23
// exp(r) = 1 + r + r^2 (c2 + c3 r + c4 r^2 + c5 r^3 + c6 r^4): a degree-6
// polynomial fitted for relative error on [-ln2/2, ln2/2] (3.5e-9 in
// exact arithmetic, ~1.05 ulp evaluated in float, against ~1.03 for
// Cephes' degree 7), one FMA fewer per sixteen weights than Cephes' expf.
constexpr float kC6 = 1.3811662793159485e-3f, kC5 = 8.370134979486465e-3f, kC4 = 4.166852682828903e-2f,
                kC3 = 1.6666509211063385e-1f, kC2 = 4.999999403953552e-1f;

__attribute__((target("avx2,fma"))) inline __m256 exp8(__m256 x) {
    // min(high, x) keeps a NaN x (the second operand is returned for NaN).
    const __m256 xc = _mm256_min_ps(_mm256_set1_ps(kExpHigh), x);
    const __m256 magic = _mm256_set1_ps(kRoundMagic);
    const __m256 n = _mm256_sub_ps(_mm256_fmadd_ps(xc, _mm256_set1_ps(kLog2e), magic), magic);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Hi), xc);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Lo), r);
    __m256 p = _mm256_set1_ps(kC6);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kC5));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kC4));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kC3));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kC2));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    // 2^n by building the exponent field; n is in [-126, 128) here for
    // every lane that is kept.
    const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    const __m256 y = _mm256_mul_ps(p, _mm256_castsi256_ps(e));
    // x < low (and -inf) -> 0; NaN compares false and stays NaN.
    return _mm256_andnot_ps(_mm256_cmp_ps(x, _mm256_set1_ps(kExpLow), _CMP_LT_OQ), y);
}

#define LSTMSCOPE_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))

// GCC 12's own _mm512_max_ps and _mm512_extractf64x4_pd pass an
// _mm512_undefined_ps() that -Wuninitialized reports inside the header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

// The same steps as exp8, but 2^n applied by vscalefps, which also zeroes
// the lanes below kExpLow under the comparison's mask: four instructions
// fewer than building the exponent field, multiplying and masking. p * 2^n
// is exact or correctly rounded either way, so the bits are exp8's.
// Softmax only ever passes x <= 0 (or NaN), for which the clamp to kExpHigh
// changes nothing; `clamp` = false leaves it out there.
template <bool clamp>
LSTMSCOPE_AVX512 inline __m512 exp16(__m512 x) {
    const __m512 xc = clamp ? _mm512_min_ps(_mm512_set1_ps(kExpHigh), x) : x;
    const __m512 magic = _mm512_set1_ps(kRoundMagic);
    const __m512 n = _mm512_sub_ps(_mm512_fmadd_ps(xc, _mm512_set1_ps(kLog2e), magic), magic);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Hi), xc);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Lo), r);
    __m512 p = _mm512_set1_ps(kC6);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kC5));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kC4));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kC3));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kC2));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    // x < low (and -inf) -> 0; NaN compares false and stays NaN.
    const __mmask16 under = _mm512_cmp_ps_mask(x, _mm512_set1_ps(kExpLow), _CMP_LT_OQ);
    return _mm512_maskz_scalef_ps(static_cast<__mmask16>(~under), p, n);
}

// The vectorised softmax, in both widths, is defined over sixteen lanes so
// that AVX2 (two registers a chunk) and AVX-512 (one) sum in the same order:
// key j adds into lane j mod 16, the last partial chunk is padded with -inf
// (exp 0, which leaves a lane's sum as it was), and the sixteen lane sums
// are folded 16 -> 8 -> 4 -> 2 -> 1 by halves. The weights are then scaled
// by 1 / sum, as torch's vectorised softmax does.
constexpr int kLanes = 16;

// The maximum of x[0..n): four accumulators, so the loop is not one long
// chain of dependent max instructions (the max is exact in any order).
__attribute__((target("avx2,fma"))) float max_avx2(const float* x, int n) {
    const float minus_inf = -std::numeric_limits<float>::infinity();
    __m256 m0 = _mm256_set1_ps(minus_inf), m1 = m0, m2 = m0, m3 = m0;
    int j = 0;
    for (; j + 32 <= n; j += 32) {
        m0 = _mm256_max_ps(m0, _mm256_loadu_ps(x + j));
        m1 = _mm256_max_ps(m1, _mm256_loadu_ps(x + j + 8));
        m2 = _mm256_max_ps(m2, _mm256_loadu_ps(x + j + 16));
        m3 = _mm256_max_ps(m3, _mm256_loadu_ps(x + j + 24));
    }
    for (; j + 8 <= n; j += 8) m0 = _mm256_max_ps(m0, _mm256_loadu_ps(x + j));
    float top = max8(_mm256_max_ps(_mm256_max_ps(m0, m1), _mm256_max_ps(m2, m3)));
    for (; j < n; ++j) top = x[j] > top ? x[j] : top;
    return top;
}

// The last n % 16 entries, padded to a chunk with -inf.
struct Tail {
    alignas(64) float v[kLanes];
    int at, count;
    Tail(const float* x, int n) : at(n - n % kLanes), count(n % kLanes) {
        std::fill(v, v + kLanes, -std::numeric_limits<float>::infinity());
        std::memcpy(v, x + at, sizeof(float) * static_cast<size_t>(count));
    }
    void put_back(float* x) const { std::memcpy(x + at, v, sizeof(float) * static_cast<size_t>(count)); }
};

// One chunk of sixteen in place: exp(c - top), added to the lane sums.
// (Functions, not lambdas: a lambda does not take its enclosing function's
// target attribute, and a portable build then cannot inline the intrinsics.)
__attribute__((target("avx2,fma"))) inline void exp_chunk_avx2(float* c, __m256 vtop, __m256& lo, __m256& hi) {
    const __m256 a = exp8(_mm256_sub_ps(_mm256_loadu_ps(c), vtop));
    const __m256 b = exp8(_mm256_sub_ps(_mm256_loadu_ps(c + 8), vtop));
    _mm256_storeu_ps(c, a);
    _mm256_storeu_ps(c + 8, b);
    lo = _mm256_add_ps(lo, a);
    hi = _mm256_add_ps(hi, b);
}

// The summary's running sum (see softmax_row's `sum_into`): acc = x on a
// bin's first row, acc += x on the others, entry by entry as the scaled
// weights are stored, which spares the summary a pass over the block.
__attribute__((target("avx2,fma"))) inline void sum_into8(float* acc, __m256 v, bool first) {
    _mm256_storeu_ps(acc, first ? v : _mm256_add_ps(_mm256_loadu_ps(acc), v));
}

__attribute__((target("avx2,fma"))) void softmax_avx2_from(float* x, int n, float top, float* acc, bool first) {
    if (!std::isfinite(top)) {
        std::fill(x, x + n, 0.0f);
        if (acc) sum_zeros(acc, n, first);
        return;
    }
    // x - top is -inf exactly for masked entries, which exp8 sends to 0.
    const __m256 vtop = _mm256_set1_ps(top);
    __m256 lo = _mm256_setzero_ps(), hi = lo;
    Tail tail(x, n);
    for (int j = 0; j < tail.at; j += kLanes) exp_chunk_avx2(x + j, vtop, lo, hi);
    if (tail.count) exp_chunk_avx2(tail.v, vtop, lo, hi);
    const __m256 scale = _mm256_set1_ps(1.0f / fold8(_mm256_add_ps(lo, hi)));
    int j = 0;
    if (acc) {
        for (; j + 8 <= tail.at; j += 8) {
            const __m256 v = _mm256_mul_ps(_mm256_loadu_ps(x + j), scale);
            _mm256_storeu_ps(x + j, v);
            sum_into8(acc + j, v, first);
        }
    } else {
        for (; j + 8 <= tail.at; j += 8) _mm256_storeu_ps(x + j, _mm256_mul_ps(_mm256_loadu_ps(x + j), scale));
    }
    if (tail.count) {
        _mm256_store_ps(tail.v, _mm256_mul_ps(_mm256_load_ps(tail.v), scale));
        _mm256_store_ps(tail.v + 8, _mm256_mul_ps(_mm256_load_ps(tail.v + 8), scale));
        tail.put_back(x);
        if (acc) sum_tail(acc + tail.at, tail.v, tail.count, first);
    }
}

LSTMSCOPE_AVX512 inline void exp_chunk_avx512(float* c, __m512 vtop, __m512& sum) {
    const __m512 e = exp16<false>(_mm512_sub_ps(_mm512_loadu_ps(c), vtop));
    _mm512_storeu_ps(c, e);
    sum = _mm512_add_ps(sum, e);
}

LSTMSCOPE_AVX512 float max_avx512(const float* x, int n) {
    const float minus_inf = -std::numeric_limits<float>::infinity();
    __m512 m0 = _mm512_set1_ps(minus_inf), m1 = m0;
    int j = 0;
    for (; j + 32 <= n; j += 32) {
        m0 = _mm512_max_ps(m0, _mm512_loadu_ps(x + j));
        m1 = _mm512_max_ps(m1, _mm512_loadu_ps(x + j + 16));
    }
    for (; j + 16 <= n; j += 16) m0 = _mm512_max_ps(m0, _mm512_loadu_ps(x + j));
    float top = _mm512_reduce_max_ps(_mm512_max_ps(m0, m1));
    for (; j < n; ++j) top = x[j] > top ? x[j] : top;
    return top;
}

LSTMSCOPE_AVX512 void softmax_avx512_from(float* x, int n, float top, float* acc, bool first) {
    int j = 0;
    if (!std::isfinite(top)) {
        std::fill(x, x + n, 0.0f);
        if (acc) sum_zeros(acc, n, first);
        return;
    }
    const __m512 vtop = _mm512_set1_ps(top);
    __m512 sum = _mm512_setzero_ps();
    Tail tail(x, n);
    for (j = 0; j < tail.at; j += kLanes) exp_chunk_avx512(x + j, vtop, sum);
    if (tail.count) exp_chunk_avx512(tail.v, vtop, sum);
    const __m256 halves = _mm256_add_ps(_mm512_castps512_ps256(sum),
                                        _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(sum), 1)));
    const __m512 scale = _mm512_set1_ps(1.0f / fold8(halves));
    if (acc) {
        for (j = 0; j < tail.at; j += kLanes) {
            const __m512 v = _mm512_mul_ps(_mm512_loadu_ps(x + j), scale);
            _mm512_storeu_ps(x + j, v);
            _mm512_storeu_ps(acc + j, first ? v : _mm512_add_ps(_mm512_loadu_ps(acc + j), v));
        }
    } else {
        for (j = 0; j < tail.at; j += kLanes) _mm512_storeu_ps(x + j, _mm512_mul_ps(_mm512_loadu_ps(x + j), scale));
    }
    if (tail.count) {
        _mm512_store_ps(tail.v, _mm512_mul_ps(_mm512_load_ps(tail.v), scale));
        tail.put_back(x);
        if (acc) sum_tail(acc + tail.at, tail.v, tail.count, first);
    }
}

__attribute__((target("avx2,fma"))) void exp_avx2(float* x, int n) {
    int j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(x + j, exp8(_mm256_loadu_ps(x + j)));
    if (j < n) {
        alignas(32) float v[8];
        std::fill(v, v + 8, 0.0f);
        std::memcpy(v, x + j, sizeof(float) * static_cast<size_t>(n - j));
        _mm256_store_ps(v, exp8(_mm256_load_ps(v)));
        std::memcpy(x + j, v, sizeof(float) * static_cast<size_t>(n - j));
    }
}

LSTMSCOPE_AVX512 void exp_avx512(float* x, int n) {
    int j = 0;
    for (; j + 16 <= n; j += 16) _mm512_storeu_ps(x + j, exp16<true>(_mm512_loadu_ps(x + j)));
    if (j < n) {
        const __mmask16 m = static_cast<__mmask16>((1u << (n - j)) - 1u);
        _mm512_mask_storeu_ps(x + j, m, exp16<true>(_mm512_maskz_loadu_ps(m, x + j)));
    }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif

}  // namespace

namespace {

float max_plain(const float* x, int n) {
    float top = -std::numeric_limits<float>::infinity();
    for (int j = 0; j < n; ++j) top = x[j] > top ? x[j] : top;
    return top;
}

void softmax_plain_from(float* x, int n, float top, float* acc, bool first) {
    if (!std::isfinite(top)) {
        for (int j = 0; j < n; ++j) x[j] = 0.0f;
        if (acc) sum_zeros(acc, n, first);
        return;
    }
    // A double sum: one float accumulator over thousands of keys loses
    // ~1e-6 (the vectorised path's sixteen lanes keep it near 1e-7).
    double sum = 0.0;
    for (int j = 0; j < n; ++j) {
        x[j] = exp_plain(x[j] - top);
        sum += x[j];
    }
    const float total = static_cast<float>(sum);
    for (int j = 0; j < n; ++j) x[j] /= total;
    if (acc) sum_tail(acc, x, n, first);
}

}  // namespace

void softmax_row_plain(float* x, int n) { softmax_plain_from(x, n, max_plain(x, n), nullptr, false); }

void softmax_row(float* x, int n) { softmax_row(x, n, best_isa()); }

void softmax_row(float* x, int n, float* sum_into, bool first) { softmax_row(x, n, best_isa(), sum_into, first); }

void softmax_row(float* x, int n, Isa isa, float* sum_into, bool first) {
#ifdef LSTMSCOPE_X86_DISPATCH
    isa = std::min(isa, machine_isa());
    if (isa == Isa::Avx512) return softmax_avx512_from(x, n, max_avx512(x, n), sum_into, first);
    if (isa == Isa::Avx2) return softmax_avx2_from(x, n, max_avx2(x, n), sum_into, first);
#else
    (void)isa;
#endif
    softmax_plain_from(x, n, max_plain(x, n), sum_into, first);
}

void softmax_row_from_max(float* x, int n, float top, float* sum_into, bool first, Isa isa) {
#ifdef LSTMSCOPE_X86_DISPATCH
    isa = std::min(isa, machine_isa());
    if (isa == Isa::Avx512) return softmax_avx512_from(x, n, top, sum_into, first);
    if (isa == Isa::Avx2) return softmax_avx2_from(x, n, top, sum_into, first);
#else
    (void)isa;
#endif
    softmax_plain_from(x, n, top, sum_into, first);
}

void exp_in_place(float* x, int n) {
#ifdef LSTMSCOPE_X86_DISPATCH
    if (best_isa() == Isa::Avx512) return exp_avx512(x, n);
    if (best_isa() == Isa::Avx2) return exp_avx2(x, n);
#endif
    for (int j = 0; j < n; ++j) x[j] = exp_plain(x[j]);
}

}  // namespace lstmscope::kernels
