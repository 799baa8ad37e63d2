// The fastai type's word split: an approximation of spaCy's English
// tokenizer (models/FORMAT.md, "The fastai type", says what it does and does
// not reproduce), run on the text fastai's rules rewrote.
#include "engine/tokenizer_fastai.h"

#include <algorithm>

#include <string>
#include <utility>

#include "engine/tokenizer_fastai_units.h"
#include "engine/utf8.h"

namespace lstmscope {

namespace {

using namespace fastai_detail;

// ---- the spaCy approximation ---------------------------------------------------------

using Range = std::pair<size_t, size_t>;

bool is_special(const Units& u, size_t a, size_t b) {
    for (std::string_view s : kFastaiSpecials) {
        if (s.size() != b - a) continue;
        bool same = true;
        for (size_t k = 0; k < s.size() && same; ++k) same = u[a + k].cp == static_cast<char32_t>(s[k]);
        if (same) return true;
    }
    return false;
}

// A character spaCy splits off the front of a chunk: punctuation, quotes,
// brackets, currency and symbols; not '-', '@' or '.', which start words
// such as "-5", "@user", ".net".
bool is_prefix(char32_t cp) { return !py_word(cp) && cp != '-' && cp != '@' && cp != '.'; }

// The length of a suffix at the end of [a, b): one punctuation character (a
// '.' only right after a word character), else an English contraction.
size_t suffix_length(const Units& u, size_t a, size_t b) {
    const char32_t last = u[b - 1].cp;
    if (!py_word(last)) {
        if (last == '-' || last == '@') return 0;
        if (last == '.') return b - a >= 2 && py_word(u[b - 2].cp) ? 1 : 0;
        return 1;
    }
    static constexpr std::u32string_view kContractions[] = {
        U"n't", U"'s", U"'re", U"'ll", U"'ve", U"'d", U"'m",
        U"n\u2019t", U"\u2019s", U"\u2019re", U"\u2019ll", U"\u2019ve", U"\u2019d", U"\u2019m"};
    for (std::u32string_view c : kContractions)
        if (b - a > c.size() && matches_at(u, b - c.size(), c)) return c.size();
    return 0;
}

bool is_hyphen(char32_t cp) { return cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == '~'; }

// spaCy's infixes inside what is left: hyphens between word characters, a
// comma between letters, : < > = before a letter, + * ^ between digits, and
// every ellipsis character.
void split_infixes(const Units& u, size_t a, size_t b, std::vector<Range>& out) {
    size_t start = a, i = a;
    auto cut = [&](size_t from, size_t to) {
        if (start < from) out.emplace_back(start, from);
        out.emplace_back(from, to);
        start = i = to;
    };
    while (i < b) {
        const char32_t cp = u[i].cp;
        const bool after_word = i > a && py_word(u[i - 1].cp);
        if (is_hyphen(cp)) {
            size_t j = i;
            while (j < b && is_hyphen(u[j].cp)) ++j;
            if (after_word && j < b && py_word(u[j].cp)) {
                cut(i, j);
                continue;
            }
            i = j;
            continue;
        }
        const bool before_letter = i + 1 < b && is_letter(u[i + 1].cp);
        const bool split = cp == 0x2026 ||
                           (cp == ',' && i > a && is_letter(u[i - 1].cp) && before_letter) ||
                           ((cp == ':' || cp == '<' || cp == '>' || cp == '=') && after_word && before_letter) ||
                           ((cp == '+' || cp == '*' || cp == '^') && i > a && is_digit(u[i - 1].cp) && i + 1 < b &&
                            is_digit(u[i + 1].cp));
        if (split) cut(i, i + 1);
        else ++i;
    }
    if (start < b) out.emplace_back(start, b);
}

void split_chunk(const Units& u, size_t a, size_t b, std::vector<Range>& out) {
    std::vector<Range> suffixes;
    while (a < b && !is_special(u, a, b)) {
        bool changed = false;
        if (is_prefix(u[a].cp)) {
            out.emplace_back(a, a + 1);
            ++a;
            changed = true;
            if (a < b && is_special(u, a, b)) break;
        }
        if (a < b) {
            if (const size_t n = suffix_length(u, a, b)) {
                suffixes.emplace_back(b - n, b);
                b -= n;
                changed = true;
            }
        }
        if (!changed) break;
    }
    if (a < b) {
        if (is_special(u, a, b)) out.emplace_back(a, b);
        else split_infixes(u, a, b, out);
    }
    out.insert(out.end(), suffixes.rbegin(), suffixes.rend());
}

// spaCy's outer loop: runs of white space and of the rest; a single ' '
// after a token only separates, any other white space is a token.
std::vector<Range> split_like_spacy(const Units& u) {
    std::vector<Range> out;
    size_t i = 0;
    while (i < u.size()) {
        size_t j = i;
        const bool space = py_space(u[i].cp);
        while (j < u.size() && py_space(u[j].cp) == space) ++j;
        if (!space) {
            split_chunk(u, i, j, out);
        } else {
            const size_t from = (u[i].cp == U' ' && i > 0) ? i + 1 : i;
            if (from < j) out.emplace_back(from, j);
        }
        i = j;
    }
    return out;
}

}  // namespace

std::vector<TextPiece> fastai_pieces(const std::u32string& original) {
    const Units units = fastai_rewrite(original);

    const std::vector<Range> ranges = split_like_spacy(units);
    std::vector<TextPiece> pieces;
    pieces.reserve(ranges.size());
    std::vector<Origin> origins;
    for (const auto& [a, b] : ranges) {
        TextPiece piece;
        for (size_t k = a; k < b; ++k) append_utf8(piece.text, units[k].cp == U' ' ? char32_t{0x2581} : units[k].cp);
        const Span span = cover(units, a, b);
        piece.start = span.start;
        piece.end = span.end;
        origins.push_back(units[a].origin);
        pieces.push_back(std::move(piece));
    }
    // Markers (xxmaj, xxup, xxrep and xxwrep with their counts) come from no
    // text: each is empty at the start of the token it marks, which keeps the
    // spans in order and apart as views expect.
    for (size_t k = pieces.size(); k-- > 0;) {
        if (origins[k] != Origin::Marker) continue;
        const int at = k + 1 < pieces.size() ? pieces[k + 1].start : pieces[k].start;
        pieces[k].start = pieces[k].end = at;
    }
    // A replaced piece of text can end up split between two tokens: in
    // "xx<unk>", <unk> becomes xxunk, whose x's join the repetition before
    // it ("xxrep 4 x") while "unk" starts a word; both would cover <unk>.
    // The later token starts where the earlier one ends, so spans stay in
    // order and apart (found by fuzz_tokenizers).
    int last = 0;
    for (TextPiece& piece : pieces) {
        piece.start = std::max(piece.start, last);
        piece.end = std::max(piece.end, piece.start);
        last = piece.end;
    }
    return pieces;
}

}  // namespace lstmscope
