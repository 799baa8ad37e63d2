// Internals of the fastai tokenizer type shared by its rules
// (tokenizer_fastai_rules.cpp) and its word split (tokenizer_fastai.cpp):
// the text as the rules rewrite it, one unit per code point, each with the
// span of the original text it stands for.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/utf8.h"

namespace lstmscope::fastai_detail {

// Where a code point of the rewritten text came from. Markers (xxmaj, xxup)
// get their span once the token they mark is known; xxbos marks no text.
enum class Origin : uint8_t { Text, Marker, Bos };

// A code point of the text as the rules rewrite it, with the span of the
// original text it stands for. Inserted separators have an empty span.
struct Unit {
    char32_t cp = 0;
    int start = 0;
    int end = 0;
    bool lowered = false;  // lowercased by replace_all_caps / replace_maj
    Origin origin = Origin::Text;
};
using Units = std::vector<Unit>;

// fastai's regexes run on Python str, where \s is str.isspace() (Unicode
// White_Space plus U+001C..U+001F) and \w is str.isalnum() or '_'.
inline bool py_space(char32_t cp) { return is_whitespace(cp) || (cp >= 0x1C && cp <= 0x1F); }
inline bool py_word(char32_t cp) {
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
    return is_word_char(cp) || is_cjk_single(cp);
}
inline bool is_digit(char32_t cp) { return cp >= '0' && cp <= '9'; }
inline bool is_letter(char32_t cp) { return py_word(cp) && !is_digit(cp) && cp != '_'; }
inline bool is_ascii_upper(const Unit& u) { return !u.lowered && u.cp >= 'A' && u.cp <= 'Z'; }

struct Span {
    int start;
    int end;
};

// The original text that units [a, b) stand for.
inline Span cover(const Units& units, size_t a, size_t b) {
    Span s{units[a].start, units[a].end};
    for (size_t k = a + 1; k < b; ++k) {
        s.start = std::min(s.start, units[k].start);
        s.end = std::max(s.end, units[k].end);
    }
    return s;
}

inline void push(Units& out, char32_t cp, int start, int end, Origin origin = Origin::Text) {
    out.push_back(Unit{cp, start, end, false, origin});
}

inline void push_text(Units& out, std::u32string_view text, Span span, Origin origin = Origin::Text) {
    for (char32_t cp : text) push(out, cp, span.start, span.end, origin);
}

// `replacement` standing for `span`: its leading and trailing spaces only
// separate, so they get an empty span at the edge; the rest gets all of it.
inline void push_replacement(Units& out, std::u32string_view replacement, Span span) {
    size_t first = 0, last = replacement.size();
    while (first < last && replacement[first] == U' ') ++first;
    while (last > first && replacement[last - 1] == U' ') --last;
    for (size_t k = 0; k < replacement.size(); ++k) {
        if (k < first) push(out, U' ', span.start, span.start);
        else if (k >= last) push(out, U' ', span.end, span.end);
        else push(out, replacement[k], span.start, span.end);
    }
}

inline bool matches_at(const Units& units, size_t i, std::u32string_view pattern) {
    if (i + pattern.size() > units.size()) return false;
    for (size_t k = 0; k < pattern.size(); ++k)
        if (units[i + k].cp != pattern[k]) return false;
    return true;
}

// fastai's rules, in its order: fix_html, replace_rep, replace_wrep,
// spec_add_spaces, rm_useless_spaces, replace_all_caps, replace_maj,
// lowercase (with "xxbos " in front).
Units fastai_rewrite(const std::u32string& original);

}  // namespace lstmscope::fastai_detail
