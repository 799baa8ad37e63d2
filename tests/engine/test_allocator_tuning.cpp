// keep_freed_memory_for_reuse: a freed trace's memory serves the next run
// without new page faults (what made a 5,000-token run spend ~30% of its
// time in the kernel).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <memory>

#include "engine/allocator_tuning.h"
#include "sanitizer_build.h"

namespace {

long minorFaults() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

// Allocates a 30 MB block (below the tuned threshold, above glibc's
// starting one), writes every page, frees it. In a fresh process (ctest
// runs each test in its own), untuned glibc maps the first one, then grows
// its heap for the next: thousands of new pages.
float touchBlock() {
    constexpr size_t kFloats = size_t{30} << 18;  // 30 MB
    auto block = std::make_unique<float[]>(kFloats);
    for (size_t k = 0; k < kFloats; k += 1024) block[k] = static_cast<float>(k);
    return block[kFloats / 2];
}

}  // namespace

#if defined(__GLIBC__) && !defined(__SANITIZE_THREAD__)
TEST(AllocatorTuning, AFreedBlockIsReusedWithoutFaultingItsPagesInAgain) {
    // Sanitizers bring their own allocator (clang's ASan included, which
    // __SANITIZE_ADDRESS__ alone missed).
    if (lstmscope::testing::kSanitized) GTEST_SKIP() << "ASan replaces the glibc allocator";
    ASSERT_TRUE(lstmscope::keep_freed_memory_for_reuse());
    touchBlock();  // the first time, its pages are new
    const long before = minorFaults();
    for (int round = 0; round < 3; ++round) touchBlock();
    EXPECT_LT(minorFaults() - before, 1000);
}
#endif
