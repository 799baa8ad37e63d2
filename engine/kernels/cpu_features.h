// Which instruction sets the hot kernels may use, decided at run time: one
// binary built for the baseline x86-64 (what a package ships) still takes
// the AVX2 + FMA paths on a CPU that has them. Each kernel file compiles its
// AVX2 functions with __attribute__((target("avx2,fma"))) under
// LSTMSCOPE_X86_DISPATCH and calls them only when has_avx2_fma() is true.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define LSTMSCOPE_X86_DISPATCH 1
#endif

namespace lstmscope::kernels {

// True when this CPU has AVX2 and FMA (always false off x86-64 or with a
// compiler without target attributes). Answered once per process.
inline bool has_avx2_fma() {
#ifdef LSTMSCOPE_X86_DISPATCH
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
#else
    return false;
#endif
}

}  // namespace lstmscope::kernels
