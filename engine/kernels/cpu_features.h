// Which instruction sets the hot kernels may use, decided at run time: one
// binary built for the baseline x86-64 (what a package ships) still takes
// the AVX2 + FMA or AVX-512 paths on a CPU that has them. Each kernel file
// compiles its vector functions with __attribute__((target(...))) under
// LSTMSCOPE_X86_DISPATCH and calls them only when best_isa() allows.
//
// The environment variable LSTMSCOPE_ISA (plain, avx2 or avx512) caps the
// choice, to compare the paths on one machine; it never raises it past what
// the CPU has. Every path sums each output in the same order, so AVX2 and
// AVX-512 give the same bits (tests hold them to it); the plain loop has no
// FMA, so its last bit may differ.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define LSTMSCOPE_X86_DISPATCH 1
#endif

namespace lstmscope::kernels {

enum class Isa { Plain = 0, Avx2 = 1, Avx512 = 2 };

// The best path this CPU has (AVX-512 means F + VL here), capped by
// LSTMSCOPE_ISA. Answered once per process.
Isa best_isa();

// What this CPU has, whatever LSTMSCOPE_ISA says (for tests that run every
// path the machine can).
Isa machine_isa();

// The name used by LSTMSCOPE_ISA and in benchmark reports.
const char* isa_name(Isa isa);

}  // namespace lstmscope::kernels
