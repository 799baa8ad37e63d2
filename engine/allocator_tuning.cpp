#include "engine/allocator_tuning.h"

#include <cstdlib>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace lstmscope {

bool keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
    // Blocks below 32 MB (the most mallopt accepts; one 8-head attention
    // matrix at T = 1,024 is exactly that) come from the heap, and up to
    // 1 GB freed at the heap's top stays there for the next run. Setting
    // either also stops glibc's own adjustment of them.
    constexpr int kMmapThreshold = 32 << 20;
    constexpr int kTrimThreshold = 1 << 30;
    return mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
#else
    return false;
#endif
}

}  // namespace lstmscope
