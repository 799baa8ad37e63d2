// Whether this test binary runs under AddressSanitizer: GCC says so with
// __SANITIZE_ADDRESS__, clang with __has_feature. Tests that need the
// glibc allocator or an address-space limit skip themselves then.
#pragma once

namespace lstmscope::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace lstmscope::testing
