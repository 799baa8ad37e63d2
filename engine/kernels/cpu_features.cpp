#include "engine/kernels/cpu_features.h"

#include <cstdlib>
#include <cstring>

namespace lstmscope::kernels {

Isa machine_isa() {
#ifdef LSTMSCOPE_X86_DISPATCH
    static const Isa isa = [] {
        if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return Isa::Plain;
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) return Isa::Avx512;
        return Isa::Avx2;
    }();
    return isa;
#else
    return Isa::Plain;
#endif
}

Isa best_isa() {
    static const Isa isa = [] {
        Isa cap = Isa::Avx512;
        if (const char* env = std::getenv("LSTMSCOPE_ISA")) {
            if (std::strcmp(env, "plain") == 0) cap = Isa::Plain;
            else if (std::strcmp(env, "avx2") == 0) cap = Isa::Avx2;
        }
        return machine_isa() < cap ? machine_isa() : cap;
    }();
    return isa;
}

const char* isa_name(Isa isa) {
    switch (isa) {
    case Isa::Avx512: return "avx512";
    case Isa::Avx2: return "avx2";
    case Isa::Plain: break;
    }
    return "plain";
}

}  // namespace lstmscope::kernels
