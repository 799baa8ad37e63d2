// Token spans and the word diff of two texts. The grouping of two token
// distributions that builds on them is in aligned_distributions.cpp.
#include "engine/analysis/text_alignment.h"

#include <algorithm>
#include <unordered_map>

#include "engine/analysis/word_diff.h"
#include "engine/utf8.h"

namespace lstmscope::analysis {

namespace {

struct Word {
    CharSpan span;
    int id = 0;  // equal ids <=> equal lowercased text
};

// The words of a text exactly as the tokenizer's `word` mode splits it (so
// an alignment and a word model agree on what a word is): a tokenizer with
// an empty vocabulary that maps everything to "unknown" keeps every piece,
// with its span and its lowercase text.
std::vector<Word> split_words(std::string_view text, std::unordered_map<std::string, int>& ids) {
    TokenizerConfig config;
    config.type = TokenizerType::Word;
    config.lowercase = true;
    config.unk_id = 0;
    const Tokenized pieces = tokenize(config, text);
    std::vector<Word> words;
    words.reserve(pieces.tokens.size());
    for (const Token& t : pieces.tokens) {
        const auto [it, inserted] = ids.emplace(t.text, static_cast<int>(ids.size()));
        words.push_back(Word{CharSpan{t.start, t.end}, it->second});
    }
    return words;
}

std::string substring(const std::u32string& cps, CharSpan span) {
    return encode_utf8(std::u32string_view(cps).substr(static_cast<size_t>(span.start),
                                                       static_cast<size_t>(span.end - span.start)));
}

bool overlaps(CharSpan a, CharSpan b) { return a.start < b.end && b.start < a.end; }

}  // namespace

std::vector<int> tokens_overlapping(std::span<const Token> tokens, CharSpan span) {
    std::vector<int> out;
    if (span.start >= span.end) return out;
    for (size_t k = 0; k < tokens.size(); ++k) {
        const Token& t = tokens[k];
        if (t.pad || t.start < 0) continue;
        if (overlaps(CharSpan{t.start, t.end}, span)) out.push_back(static_cast<int>(k));
    }
    return out;
}

std::optional<CharSpan> span_of_tokens(std::span<const Token> tokens, int first, int last) {
    if (first < 0 || last < first || static_cast<size_t>(last) >= tokens.size()) return std::nullopt;
    std::optional<CharSpan> out;
    for (int k = first; k <= last; ++k) {
        const Token& t = tokens[static_cast<size_t>(k)];
        if (t.pad || t.start < 0) continue;
        if (!out) out = CharSpan{t.start, t.end};
        out->start = std::min(out->start, t.start);
        out->end = std::max(out->end, t.end);
    }
    return out;
}

TextAlignment TextAlignment::align(std::string_view text_a, std::string_view text_b) {
    TextAlignment out;
    // Byte-equal texts map every span to itself, white space included; the
    // words are listed all the same, for views that show them.
    out.identity_ = text_a == text_b;
    std::unordered_map<std::string, int> ids;
    const std::vector<Word> words_a = split_words(text_a, ids);
    const std::vector<Word> words_b = split_words(text_b, ids);
    const std::u32string cps_a = decode_utf8(text_a), cps_b = decode_utf8(text_b);

    std::vector<int> seq_a, seq_b;
    seq_a.reserve(words_a.size());
    seq_b.reserve(words_b.size());
    for (const Word& w : words_a) seq_a.push_back(w.id);
    for (const Word& w : words_b) seq_b.push_back(w.id);
    const std::vector<std::pair<int, int>> matches = common_subsequence(seq_a, seq_b);

    const auto only_a = [&](size_t i) {
        out.words_.push_back(AlignedWord{words_a[i].span, std::nullopt, substring(cps_a, words_a[i].span), {}});
    };
    const auto only_b = [&](size_t j) {
        out.words_.push_back(AlignedWord{std::nullopt, words_b[j].span, {}, substring(cps_b, words_b[j].span)});
    };
    out.words_.reserve(std::max(words_a.size(), words_b.size()) + 1);
    size_t i = 0, j = 0;
    for (const auto& [mi, mj] : matches) {
        // Between two matches: the deletions, then the insertions.
        for (; i < static_cast<size_t>(mi); ++i) only_a(i);
        for (; j < static_cast<size_t>(mj); ++j) only_b(j);
        out.matched_.push_back(static_cast<int>(out.words_.size()));
        out.words_.push_back(AlignedWord{words_a[i].span, words_b[j].span, substring(cps_a, words_a[i].span),
                                         substring(cps_b, words_b[j].span)});
        ++i;
        ++j;
    }
    for (; i < words_a.size(); ++i) only_a(i);
    for (; j < words_b.size(); ++j) only_b(j);
    return out;
}

// Matched words in order have increasing spans on both sides, so the ones
// overlapping a span are a run found by binary search. Inside a word, code
// points map one to one when both forms have the same length (they are equal
// up to case, so the same letters), else the span widens to the whole word.
std::optional<CharSpan> TextAlignment::map_span(CharSpan span, bool a_to_b) const {
    if (identity_) return span;
    if (span.start >= span.end) return std::nullopt;
    const auto from = [&](int m) { return a_to_b ? *words_[static_cast<size_t>(m)].a : *words_[static_cast<size_t>(m)].b; };
    const auto to = [&](int m) { return a_to_b ? *words_[static_cast<size_t>(m)].b : *words_[static_cast<size_t>(m)].a; };
    auto it = std::partition_point(matched_.begin(), matched_.end(), [&](int m) { return from(m).end <= span.start; });
    std::optional<CharSpan> out;
    for (; it != matched_.end() && from(*it).start < span.end; ++it) {
        const CharSpan f = from(*it), t = to(*it);
        CharSpan part = t;
        if (f.end - f.start == t.end - t.start) {
            part.start = t.start + (std::max(f.start, span.start) - f.start);
            part.end = t.start + (std::min(f.end, span.end) - f.start);
        }
        if (!out) out = part;
        out->start = std::min(out->start, part.start);
        out->end = std::max(out->end, part.end);
    }
    return out;
}

std::optional<CharSpan> TextAlignment::a_to_b(CharSpan span_a) const { return map_span(span_a, true); }
std::optional<CharSpan> TextAlignment::b_to_a(CharSpan span_b) const { return map_span(span_b, false); }

}  // namespace lstmscope::analysis
