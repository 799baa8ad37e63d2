// How engine messages quote what a file holds (a manifest value, a field or
// node name, a vocabulary entry): short, cut with "...", always valid UTF-8,
// and rendered without unbounded recursion. Files can be hostile: a value
// nested 100,000 levels deep must not overflow the stack the way
// nlohmann::json::dump() does, a megabyte string must not become a megabyte
// message, and invalid UTF-8 (possible in a json built in code) must not
// make the message itself throw.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace lstmscope {

// A JSON value in JSON syntax ("abc", 3, [1, [...]], {"a": ...}): at most
// three levels of arrays and objects are shown (deeper ones as [...] and
// {...}) and at most about 80 bytes, the rest cut as "...".
std::string json_excerpt(const nlohmann::json& value);

// The first `max_code_points` code points of `text`, "..." after them when
// cut, with invalid UTF-8 shown as U+FFFD (one per bad byte).
std::string text_excerpt(std::string_view text, size_t max_code_points = 60);

// The same in single quotes: "'abc'", "'abc...'".
std::string quoted_excerpt(std::string_view text, size_t max_code_points = 60);

// For names from a file (nodes, fields): long enough for any real name.
inline constexpr size_t kMaxNameCodePoints = 200;

}  // namespace lstmscope
