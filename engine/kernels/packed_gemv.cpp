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


// --- AVX-512: the same panels, four at a time --------------------------------
// 64 outputs are four zmm registers; four panels side by side give sixteen
// accumulators and four streams of W in flight at once, which keeps more of
// W arriving from L2/L3 than one stream does. Measured on the build machine
// (Xeon, Emerald Rapids, one core; 256 steps): at H=512 (W = 4 MB, twice
// the L2) 190 us a step one panel at a time, 137 us four at a time when
// the panel order also alternates (see accumulate()). Each output is still
// summed over k in order 0..K-1 with FMA: the same bits as panel_avx2.
#define LSTMSCOPE_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))

// Unlike panel_avx2, no software prefetch: on the build machine the
// hardware prefetchers alone keep four streams arriving, and the sixteen
// prefetch instructions a row took load-port slots from the loads of W.
// Per step, best of 60 runs of 256 steps, one core: 256 x 1024 (H = 256)
// 11.2-11.5 -> 10.2-10.4 us, 128 x 512 2.4-3.3 -> 2.3-2.7 us, 512 x 2048
// (W twice the L2) 118-120 -> 115-120 us.
// acc[0..64) += xk * w[0..64) for one panel row, accumulators named (see
// panel_avx2).
LSTMSCOPE_AVX512 inline void fma_panel_row(__m512 xk, const float* w, __m512& a0, __m512& a1, __m512& a2,
                                           __m512& a3) {
    a0 = _mm512_fmadd_ps(xk, _mm512_loadu_ps(w), a0);
    a1 = _mm512_fmadd_ps(xk, _mm512_loadu_ps(w + 16), a1);
    a2 = _mm512_fmadd_ps(xk, _mm512_loadu_ps(w + 32), a2);
    a3 = _mm512_fmadd_ps(xk, _mm512_loadu_ps(w + 48), a3);
}

LSTMSCOPE_AVX512 inline void store_panel(float* acc, __m512 a0, __m512 a1, __m512 a2, __m512 a3) {
    _mm512_storeu_ps(acc, a0);
    _mm512_storeu_ps(acc + 16, a1);
    _mm512_storeu_ps(acc + 32, a2);
    _mm512_storeu_ps(acc + 48, a3);
}

LSTMSCOPE_AVX512 void panel_avx512(const float* w, int K, const float* x, float* acc) {
    __m512 a0 = _mm512_loadu_ps(acc), a1 = _mm512_loadu_ps(acc + 16), a2 = _mm512_loadu_ps(acc + 32),
           a3 = _mm512_loadu_ps(acc + 48);
    for (int k = 0; k < K; ++k, w += kPanel) {
        fma_panel_row(_mm512_set1_ps(x[k]), w, a0, a1, a2, a3);
    }
    store_panel(acc, a0, a1, a2, a3);
}

// Four consecutive panels (w: the first; each panel is K x 64) into
// acc[0..256).
LSTMSCOPE_AVX512 void four_panels_avx512(const float* w, int K, const float* x, float* acc) {
    const size_t stride = static_cast<size_t>(K) * kPanel;
    const float *w1 = w + stride, *w2 = w1 + stride, *w3 = w2 + stride;
    __m512 a0 = _mm512_loadu_ps(acc), a1 = _mm512_loadu_ps(acc + 16), a2 = _mm512_loadu_ps(acc + 32),
           a3 = _mm512_loadu_ps(acc + 48);
    __m512 b0 = _mm512_loadu_ps(acc + 64), b1 = _mm512_loadu_ps(acc + 80), b2 = _mm512_loadu_ps(acc + 96),
           b3 = _mm512_loadu_ps(acc + 112);
    __m512 c0 = _mm512_loadu_ps(acc + 128), c1 = _mm512_loadu_ps(acc + 144), c2 = _mm512_loadu_ps(acc + 160),
           c3 = _mm512_loadu_ps(acc + 176);
    __m512 d0 = _mm512_loadu_ps(acc + 192), d1 = _mm512_loadu_ps(acc + 208), d2 = _mm512_loadu_ps(acc + 224),
           d3 = _mm512_loadu_ps(acc + 240);
    for (int k = 0; k < K; ++k, w += kPanel, w1 += kPanel, w2 += kPanel, w3 += kPanel) {
        const __m512 xk = _mm512_set1_ps(x[k]);
        fma_panel_row(xk, w, a0, a1, a2, a3);
        fma_panel_row(xk, w1, b0, b1, b2, b3);
        fma_panel_row(xk, w2, c0, c1, c2, c3);
        fma_panel_row(xk, w3, d0, d1, d2, d3);
    }
    store_panel(acc, a0, a1, a2, a3);
    store_panel(acc + 64, b0, b1, b2, b3);
    store_panel(acc + 128, c0, c1, c2, c3);
    store_panel(acc + 192, d0, d1, d2, d3);
}
#undef LSTMSCOPE_AVX512

#endif

}  // namespace

PackedGemv::PackedGemv(const Matrix& w, Isa isa)
    : rows_(static_cast<int>(w.rows())), cols_(static_cast<int>(w.cols())), isa_(std::min(isa, machine_isa())) {
    const int panels = (cols_ + kPanel - 1) / kPanel;
    panels_.assign(static_cast<size_t>(panels) * rows_ * kPanel, 0.0f);
    for (int p = 0; p < panels; ++p)
        for (int k = 0; k < rows_; ++k) {
            float* dst = panels_.data() + (static_cast<size_t>(p) * rows_ + k) * kPanel;
            const int width = std::min(kPanel, cols_ - p * kPanel);
            for (int j = 0; j < width; ++j) dst[j] = w(k, p * kPanel + j);
        }
}

void PackedGemv::accumulate(const float* x, float* y, bool reverse) const {
    const int full = cols_ / kPanel;               // panels of 64 real columns
    const bool tail = full * kPanel < cols_;       // and a narrower last one
    // Groups of panels one kernel call handles, in order: four at a time on
    // the AVX-512 path while four remain, then one at a time.
    const int group = isa_ == Isa::Avx512 ? 4 : 1;
    const int grouped = full / group * group;
    const int calls = grouped / group + (full - grouped) + (tail ? 1 : 0);
    for (int n = 0; n < calls; ++n) {
        // Reverse order walks the same calls from the last: what the previous
        // call read last is still in cache for this one's first.
        const int call = reverse ? calls - 1 - n : n;
        const int p = call < grouped / group ? call * group : grouped + (call - grouped / group);
        const float* w = panels_.data() + static_cast<size_t>(p) * rows_ * kPanel;
        [[maybe_unused]] const bool four = p < grouped && group == 4;  // unused off x86
        const int width = std::min(kPanel, cols_ - p * kPanel);
        // The last panel may be narrower than 64: accumulate it in a buffer.
        alignas(64) float buffer[kPanel] = {};
        float* acc = width == kPanel ? y + p * kPanel : buffer;
        if (width < kPanel) std::memcpy(buffer, y + p * kPanel, sizeof(float) * static_cast<size_t>(width));
#ifdef LSTMSCOPE_X86_DISPATCH
        if (four)
            four_panels_avx512(w, rows_, x, acc);
        else if (isa_ == Isa::Avx512)
            panel_avx512(w, rows_, x, acc);
        else if (isa_ == Isa::Avx2)
            panel_avx2(w, rows_, x, acc);
        else
#endif
            panel_plain(w, rows_, x, acc);
        if (width < kPanel) std::memcpy(y + p * kPanel, buffer, sizeof(float) * static_cast<size_t>(width));
    }
}

}  // namespace lstmscope::kernels
