#include "engine/kernels/packed_gemv.h"

#include <algorithm>
#include <cstring>

#include "engine/kernels/cpu_features.h"

namespace lstmscope::kernels {
namespace {

constexpr int kPanel = 64;

// The portable path: the same panels, the same order of summation per output
// (without FMA, so the last bit may differ from the AVX2 path).
void panel_plain(const float* w, int K, const float* x, float* acc) {
    for (int k = 0; k < K; ++k, w += kPanel) {
        const float xk = x[k];
        for (int j = 0; j < kPanel; ++j) acc[j] += xk * w[j];
    }
}

#ifdef LSTMSCOPE_X86_DISPATCH
// 64 outputs in eight registers; two loads and two FMAs a cycle keep eight
// independent accumulators busy (FMA latency 4-5 cycles). Named, not an
// array: a portable build (AVX2 only in this function) otherwise stored all
// eight to the stack on every k (see packed_gemm.cpp).
__attribute__((target("avx2,fma"))) void panel_avx2(const float* w, int K, const float* x, float* acc) {
    __m256 a0 = _mm256_loadu_ps(acc), a1 = _mm256_loadu_ps(acc + 8), a2 = _mm256_loadu_ps(acc + 16),
           a3 = _mm256_loadu_ps(acc + 24), a4 = _mm256_loadu_ps(acc + 32), a5 = _mm256_loadu_ps(acc + 40),
           a6 = _mm256_loadu_ps(acc + 48), a7 = _mm256_loadu_ps(acc + 56);
    for (int k = 0; k < K; ++k, w += kPanel) {
        // W streams from L3 (it is larger than L2 at H >= 256); asking for
        // the row four ahead (1 KB) keeps more of it in flight than the
        // hardware prefetcher alone: 16.5 -> 15.4 us a step at H=256 and
        // 64.9 -> 61.7 us at H=512 (best of 40 runs of 256 steps each,
        // one core of the build machine; 8 rows ahead is the same, 16 and
        // 32 gain less). Past the end of W the hint is harmless: a
        // prefetch never faults.
        const char* ahead = reinterpret_cast<const char*>(w + 4 * kPanel);
        _mm_prefetch(ahead, _MM_HINT_T0);
        _mm_prefetch(ahead + 64, _MM_HINT_T0);
        _mm_prefetch(ahead + 128, _MM_HINT_T0);
        _mm_prefetch(ahead + 192, _MM_HINT_T0);
        const __m256 xk = _mm256_broadcast_ss(x + k);
        a0 = _mm256_fmadd_ps(xk, _mm256_loadu_ps(w), a0);
        a1 = _mm256_fmadd_ps(xk, _mm256_loadu_ps(w + 8), a1);
        a2 = _mm256_fmadd_ps(xk, _mm256_loadu_ps(w + 16), a2);
        a3 = _mm256_fmadd_ps(xk, _mm256_loadu_ps(w + 24), a3);
        a4 = _mm256_fmadd_ps(xk, _mm256_loadu_ps(w + 32), a4);
        a5 = _mm256_fmadd_ps(xk, _mm256_loadu_ps(w + 40), a5);
        a6 = _mm256_fmadd_ps(xk, _mm256_loadu_ps(w + 48), a6);
        a7 = _mm256_fmadd_ps(xk, _mm256_loadu_ps(w + 56), a7);
    }
    _mm256_storeu_ps(acc, a0);
    _mm256_storeu_ps(acc + 8, a1);
    _mm256_storeu_ps(acc + 16, a2);
    _mm256_storeu_ps(acc + 24, a3);
    _mm256_storeu_ps(acc + 32, a4);
    _mm256_storeu_ps(acc + 40, a5);
    _mm256_storeu_ps(acc + 48, a6);
    _mm256_storeu_ps(acc + 56, a7);
}

#endif

}  // namespace

PackedGemv::PackedGemv(const Matrix& w) : rows_(static_cast<int>(w.rows())), cols_(static_cast<int>(w.cols())) {
    const int panels = (cols_ + kPanel - 1) / kPanel;
    panels_.assign(static_cast<size_t>(panels) * rows_ * kPanel, 0.0f);
    for (int p = 0; p < panels; ++p)
        for (int k = 0; k < rows_; ++k) {
            float* dst = panels_.data() + (static_cast<size_t>(p) * rows_ + k) * kPanel;
            const int width = std::min(kPanel, cols_ - p * kPanel);
            for (int j = 0; j < width; ++j) dst[j] = w(k, p * kPanel + j);
        }
}

bool PackedGemv::vectorized() { return has_avx2_fma(); }

void PackedGemv::accumulate(const float* x, float* y) const { run(x, y, vectorized()); }
void PackedGemv::accumulate_plain(const float* x, float* y) const { run(x, y, false); }

void PackedGemv::run(const float* x, float* y, [[maybe_unused]] bool avx2) const {
    const int panels = (cols_ + kPanel - 1) / kPanel;
    for (int p = 0; p < panels; ++p) {
        const float* w = panels_.data() + static_cast<size_t>(p) * rows_ * kPanel;
        const int width = std::min(kPanel, cols_ - p * kPanel);
        // The last panel may be narrower than 64: accumulate it in a buffer.
        alignas(32) float tail[kPanel] = {};
        float* acc = width == kPanel ? y + p * kPanel : tail;
        if (width < kPanel) std::memcpy(tail, y + p * kPanel, sizeof(float) * static_cast<size_t>(width));
#ifdef LSTMSCOPE_X86_DISPATCH
        if (avx2)
            panel_avx2(w, rows_, x, acc);
        else
#endif
            panel_plain(w, rows_, x, acc);
        if (width < kPanel) std::memcpy(y + p * kPanel, tail, sizeof(float) * static_cast<size_t>(width));
    }
}

}  // namespace lstmscope::kernels
