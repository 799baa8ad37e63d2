// fastai v2's default text rules (fastai/text/core.py) on units that keep
// their spans. Each rule reproduces fastai's regular expression exactly (as
// Python's re runs it: \s is str.isspace, \w is str.isalnum or '_'), except
// html.unescape's named references (a short list, see kNamedEntities).
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/tokenizer_fastai_units.h"

namespace lstmscope::fastai_detail {

namespace {

// Python's str.replace(pattern, replacement): left to right, no overlaps.
Units replace_literal(const Units& in, std::u32string_view pattern, std::u32string_view replacement) {
    Units out;
    out.reserve(in.size());
    size_t i = 0;
    while (i < in.size()) {
        if (matches_at(in, i, pattern)) {
            push_replacement(out, replacement, cover(in, i, i + pattern.size()));
            i += pattern.size();
        } else {
            out.push_back(in[i++]);
        }
    }
    return out;
}

// ---- fix_html ---------------------------------------------------------------

// Named references decoded by the html.unescape step (with their ';'). Python
// knows all 2,231 HTML5 names; these are the ones seen in scraped reviews.
struct NamedEntity {
    std::u32string_view name;
    char32_t value;
};
constexpr NamedEntity kNamedEntities[] = {
    {U"amp;", U'&'},       {U"lt;", U'<'},       {U"gt;", U'>'},        {U"quot;", U'"'},
    {U"apos;", U'\''},     {U"nbsp;", 0xA0},     {U"copy;", 0xA9},      {U"reg;", 0xAE},
    {U"trade;", 0x2122},   {U"hellip;", 0x2026}, {U"mdash;", 0x2014},   {U"ndash;", 0x2013},
    {U"lsquo;", 0x2018},   {U"rsquo;", 0x2019},  {U"ldquo;", 0x201C},   {U"rdquo;", 0x201D},
    {U"laquo;", 0xAB},     {U"raquo;", 0xBB},    {U"euro;", 0x20AC},    {U"pound;", 0xA3},
    {U"yen;", 0xA5},       {U"cent;", 0xA2},     {U"deg;", 0xB0},       {U"times;", 0xD7},
    {U"eacute;", 0xE9},    {U"egrave;", 0xE8},   {U"agrave;", 0xE0},    {U"ccedil;", 0xE7},
};

// html.unescape's replacements for numeric references in 0x80..0x9F
// (windows-1252) and for 0 and 13.
char32_t invalid_charref(uint32_t n) {
    static constexpr char32_t kCp1252[32] = {
        0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
    if (n == 0) return kReplacementChar;
    if (n == 0x0D) return U'\r';
    if (n >= 0x80 && n <= 0x9F) return kCp1252[n - 0x80];
    return 0;
}

// What html.unescape drops: C0/C1 controls other than tab, newline, form
// feed and carriage return, noncharacters.
bool dropped_codepoint(uint32_t n) {
    return (n >= 0x1 && n <= 0x8) || n == 0xB || (n >= 0xE && n <= 0x1F) || (n >= 0x7F && n <= 0x9F) ||
           (n >= 0xFDD0 && n <= 0xFDEF) || (n & 0xFFFE) == 0xFFFE;
}

int hex_value(char32_t cp) {
    if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
    if (cp >= 'a' && cp <= 'f') return static_cast<int>(cp - 'a' + 10);
    if (cp >= 'A' && cp <= 'F') return static_cast<int>(cp - 'A' + 10);
    return -1;
}

// A character reference at units[i] == '&', as html.unescape's pattern
// &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?) finds it: its
// length (0: none) and what it becomes (`keep`: left as it is).
struct Reference {
    size_t length = 0;
    std::u32string value;
    bool keep = false;
};

Reference numeric_reference(const Units& in, size_t i) {
    Reference ref;
    size_t j = i + 2;
    const bool hex = j < in.size() && (in[j].cp == 'x' || in[j].cp == 'X');
    if (hex) ++j;
    const size_t digits = j;
    uint32_t n = 0;
    for (; j < in.size(); ++j) {
        const int d = hex ? hex_value(in[j].cp) : (is_digit(in[j].cp) ? static_cast<int>(in[j].cp - '0') : -1);
        if (d < 0) break;
        n = std::min<uint32_t>(n * (hex ? 16 : 10) + static_cast<uint32_t>(d), 0x110000);  // saturates
    }
    if (j == digits) return ref;  // "&#" or "&#x" without digits: not a reference
    if (j < in.size() && in[j].cp == ';') ++j;
    ref.length = j - i;
    if (const char32_t c = invalid_charref(n)) ref.value = std::u32string(1, c);
    else if ((n >= 0xD800 && n <= 0xDFFF) || n > 0x10FFFF) ref.value = std::u32string(1, kReplacementChar);
    else if (!dropped_codepoint(n)) ref.value = std::u32string(1, static_cast<char32_t>(n));
    return ref;
}

Reference named_reference(const Units& in, size_t i) {
    Reference ref;
    static constexpr std::u32string_view kStop = U"\t\n\f <&#;";
    size_t j = i + 1;
    while (j < in.size() && j - (i + 1) < 32 && kStop.find(in[j].cp) == std::u32string_view::npos) ++j;
    if (j == i + 1) return ref;
    if (j < in.size() && in[j].cp == ';') ++j;
    ref.length = j - i;
    ref.keep = true;
    for (const NamedEntity& e : kNamedEntities) {
        if (e.name.size() == j - (i + 1) && matches_at(in, i + 1, e.name)) {
            ref.value = std::u32string(1, e.value);
            ref.keep = false;
        }
    }
    return ref;
}

Units unescape_html(const Units& in) {
    Units out;
    out.reserve(in.size());
    size_t i = 0;
    while (i < in.size()) {
        Reference ref;
        if (in[i].cp == '&' && i + 1 < in.size())
            ref = in[i + 1].cp == '#' ? numeric_reference(in, i) : named_reference(in, i);
        if (ref.length == 0 || ref.keep) {
            const size_t n = std::max<size_t>(ref.length, 1);
            out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(i), in.begin() + static_cast<std::ptrdiff_t>(i + n));
            i += n;
            continue;
        }
        push_text(out, ref.value, cover(in, i, i + ref.length));
        i += ref.length;
    }
    return out;
}

Units fix_html(Units units) {
    static constexpr std::u32string_view kReplacements[][2] = {
        {U"#39;", U"'"},   {U"amp;", U"&"},      {U"#146;", U"'"},     {U"nbsp;", U" "},   {U"#36;", U"$"},
        {U"\\n", U"\n"},   {U"quot;", U"'"},     {U"<br />", U"\n"},   {U"\\\"", U"\""},   {U"<unk>", U"xxunk"},
        {U" @.@ ", U"."},  {U" @-@ ", U"-"},     {U"...", U" \u2026"},
    };
    for (const auto& [pattern, replacement] : kReplacements) units = replace_literal(units, pattern, replacement);
    return unescape_html(units);
}

// ---- repetitions --------------------------------------------------------------

std::u32string decimal(size_t n) {
    const std::string s = std::to_string(n);
    return std::u32string(s.begin(), s.end());
}

// " xxrep N " or " xxwrep N " in front of what repeats (`span`): the marker
// and the count are empty at its start, so that tokens never overlap (views
// bisect on spans; tests/fuzz/fuzz_text.cpp checks the order).
void push_repeat_marker(Units& out, std::u32string_view marker, size_t count, Span span) {
    const auto space = [&] { push(out, U' ', span.start, span.start); };
    push_text(out, marker, span, Origin::Marker);
    space();
    push_text(out, decimal(count), span, Origin::Marker);
    space();
}

// replace_rep: (\S)(\1{2,}) -> " xxrep N c ": a run of three or more of the
// same non-space character.
Units replace_rep(const Units& in) {
    Units out;
    out.reserve(in.size());
    size_t i = 0;
    while (i < in.size()) {
        size_t j = i + 1;
        if (!py_space(in[i].cp))
            while (j < in.size() && in[j].cp == in[i].cp) ++j;
        if (j - i < 3) {
            out.push_back(in[i++]);
            continue;
        }
        const Span run = cover(in, i, j);
        push(out, U' ', run.start, run.start);
        push_repeat_marker(out, U"xxrep", j - i, run);
        push(out, in[i].cp, run.start, run.end);
        push(out, U' ', run.end, run.end);
        i = j;
    }
    return out;
}

bool same_word(const Units& in, size_t at, size_t word, size_t length) {
    if (at + length > in.size()) return false;
    for (size_t k = 0; k < length; ++k)
        if (in[at + k].cp != in[word + k].cp) return false;
    return true;
}

// replace_wrep's (?:\s|^)(\w+)\s+((?:\1\s+)+)\1(\s|\W|$) tried at `i`: the
// same word three or more times, separated by white space, the last one
// followed by a non-word character (consumed) or the end. Backtracking can
// only shorten the repeats (the word itself is always a whole \w run).
struct WordRepeat {
    bool found = false;
    size_t word = 0, length = 0;  // the first word
    size_t last_end = 0;          // after the last repeat
    size_t count = 0;
    size_t end = 0;               // after the consumed following character
};

WordRepeat match_wrep(const Units& in, size_t i) {
    WordRepeat m;
    size_t j = i;
    if (j < in.size() && py_space(in[j].cp)) ++j;
    else if (i != 0) return m;
    const size_t word = j;
    while (j < in.size() && py_word(in[j].cp)) ++j;
    const size_t length = j - word;
    if (length == 0 || j >= in.size() || !py_space(in[j].cp)) return m;
    while (j < in.size() && py_space(in[j].cp)) ++j;
    std::vector<size_t> repeat_ends;  // where the word after each repeat would start
    while (same_word(in, j, word, length) && j + length < in.size() && py_space(in[j + length].cp)) {
        j += length;
        while (j < in.size() && py_space(in[j].cp)) ++j;
        repeat_ends.push_back(j);
    }
    for (size_t r = repeat_ends.size(); r >= 1; --r) {
        const size_t at = repeat_ends[r - 1];
        if (!same_word(in, at, word, length)) continue;
        const size_t after = at + length;
        if (after < in.size() && !py_space(in[after].cp) && py_word(in[after].cp)) continue;
        m.found = true;
        m.word = word;
        m.length = length;
        m.last_end = after;
        m.count = r + 2;
        m.end = std::min(after + 1, in.size());
        return m;
    }
    return m;
}

Units replace_wrep(const Units& in) {
    Units out;
    out.reserve(in.size());
    size_t i = 0;
    while (i < in.size()) {
        const WordRepeat m = match_wrep(in, i);
        if (!m.found) {
            out.push_back(in[i++]);
            continue;
        }
        const Span words = cover(in, m.word, m.last_end);
        if (m.word > i) push(out, U' ', in[i].start, in[i].end);  // the consumed leading white space
        else push(out, U' ', words.start, words.start);
        push_repeat_marker(out, U"xxwrep", m.count, words);
        for (size_t k = 0; k < m.length; ++k) push(out, in[m.word + k].cp, words.start, words.end);
        push(out, U' ', words.end, words.end);
        if (m.end > m.last_end) out.push_back(in[m.last_end]);  // the following character, as it was
        i = m.end;
    }
    return out;
}

// ---- spaces -------------------------------------------------------------------

// spec_add_spaces: a space on each side of / # and backslash.
Units spec_add_spaces(const Units& in) {
    Units out;
    out.reserve(in.size());
    for (const Unit& u : in) {
        if (u.cp == '/' || u.cp == '#' || u.cp == '\\') {
            push(out, U' ', u.start, u.start);
            out.push_back(u);
            push(out, U' ', u.end, u.end);
        } else {
            out.push_back(u);
        }
    }
    return out;
}

// rm_useless_spaces: ' {2,}' -> ' ' (ASCII spaces only).
Units rm_useless_spaces(const Units& in) {
    Units out;
    out.reserve(in.size());
    size_t i = 0;
    while (i < in.size()) {
        size_t j = i;
        while (j < in.size() && in[j].cp == U' ') ++j;
        if (j - i >= 2) {
            const Span s = cover(in, i, j);
            push(out, U' ', s.start, s.end);
            i = j;
        } else {
            out.push_back(in[i++]);
        }
    }
    return out;
}

// ---- case ---------------------------------------------------------------------

// The white-space-delimited chunks the case rules' (\s|^)...(?=(\s|$)) see.
template <class Rule>
Units for_each_chunk(const Units& in, Rule rule) {
    Units out;
    out.reserve(in.size() + in.size() / 4);
    size_t i = 0;
    while (i < in.size()) {
        if (py_space(in[i].cp)) {
            out.push_back(in[i++]);
            continue;
        }
        size_t j = i;
        while (j < in.size() && !py_space(in[j].cp)) ++j;
        Units chunk(in.begin() + static_cast<std::ptrdiff_t>(i), in.begin() + static_cast<std::ptrdiff_t>(j));
        rule(out, chunk);
        i = j;
    }
    return out;
}

void mark_and_lower(Units& out, Units& chunk, std::u32string_view marker) {
    if (chunk.size() > 1) {
        push_text(out, marker, Span{chunk[0].start, chunk[0].start}, Origin::Marker);
        push(out, U' ', chunk[0].start, chunk[0].start);
    }
    for (Unit& u : chunk) {
        u.lowered = true;
        out.push_back(u);
    }
}

// replace_all_caps: ([A-Z]+[^a-z\s]*) -> "xxup " + lower when longer than one.
Units replace_all_caps(const Units& in) {
    return for_each_chunk(in, [](Units& out, Units& chunk) {
        const bool caps = is_ascii_upper(chunk[0]) &&
                          std::none_of(chunk.begin(), chunk.end(), [](const Unit& u) { return u.cp >= 'a' && u.cp <= 'z'; });
        if (caps) mark_and_lower(out, chunk, U"xxup");
        else out.insert(out.end(), chunk.begin(), chunk.end());
    });
}

// replace_maj: ([A-Z][^A-Z\s]*) -> "xxmaj " + lower when longer than one.
Units replace_maj(const Units& in) {
    return for_each_chunk(in, [](Units& out, Units& chunk) {
        const bool maj = is_ascii_upper(chunk[0]) && std::none_of(chunk.begin() + 1, chunk.end(), is_ascii_upper);
        if (maj) mark_and_lower(out, chunk, U"xxmaj");
        else out.insert(out.end(), chunk.begin(), chunk.end());
    });
}

// lowercase: "xxbos " + t.lower().strip(). Python lowers the whole text (a
// final sigma depends on its neighbours; U+0130 becomes two code points).
Units lowercase_with_bos(const Units& in) {
    std::u32string cps;
    cps.reserve(in.size());
    for (const Unit& u : in) cps.push_back(u.cp);
    Units out;
    out.reserve(in.size() + 6);
    push_text(out, U"xxbos", Span{0, 0}, Origin::Bos);
    push(out, U' ', 0, 0, Origin::Bos);
    size_t first = 0, last = in.size();
    while (first < last && py_space(in[first].cp)) ++first;
    while (last > first && py_space(in[last - 1].cp)) --last;
    std::string lowered;
    for (size_t k = first; k < last; ++k) {
        lowered.clear();
        append_lowercase(lowered, cps, k);
        for (char32_t cp : decode_utf8(lowered)) {
            Unit u = in[k];
            u.cp = cp;
            out.push_back(u);
        }
    }
    return out;
}

}  // namespace

Units fastai_rewrite(const std::u32string& original) {
    Units units;
    units.reserve(original.size());
    for (size_t k = 0; k < original.size(); ++k)
        push(units, original[k], static_cast<int>(k), static_cast<int>(k + 1));
    units = fix_html(std::move(units));
    units = replace_rep(units);
    units = replace_wrep(units);
    units = spec_add_spaces(units);
    units = rm_useless_spaces(units);
    units = replace_all_caps(units);
    units = replace_maj(units);
    return lowercase_with_bos(units);
}

}  // namespace lstmscope::fastai_detail
