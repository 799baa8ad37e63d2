// The horizontal steps the vector kernels share: a sum or a maximum over
// the eight lanes of an AVX register, folded by halves (8 -> 4 -> 2 -> 1).
// The softmax's sums and the narrow product's dot products fold their
// sixteen lanes in this one order (lanes l and l + 8 first, then these),
// which is what lets their AVX2 and AVX-512 paths give the same bits.
#pragma once

#include "engine/kernels/cpu_features.h"

#ifdef LSTMSCOPE_X86_DISPATCH
namespace lstmscope::kernels {

__attribute__((target("avx2,fma"))) inline float fold8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) inline float max8(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

}  // namespace lstmscope::kernels
#endif
