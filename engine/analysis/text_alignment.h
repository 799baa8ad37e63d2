// Lining up two texts, or two tokenisations of one text, by characters.
//
// Two models on one text are linked through character spans: a click on the
// word token "service" selects, in a character model, every token whose span
// overlaps it (s, e, r, v, i, c, e). Two different texts (a pinned minimal
// pair, "The food was good." / "The food was not good.") are first aligned
// word by word with a diff, so that equal words are linked and inserted or
// deleted words show as gaps on the other side.
//
// Spans are in Unicode code points, [start, end), like lstmscope::Token.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tokenizer.h"

namespace lstmscope::analysis {

struct CharSpan {
    int start = 0;
    int end = 0;  // exclusive
    bool operator==(const CharSpan&) const = default;
};

// Indices of the tokens whose span overlaps [span.start, span.end), in
// order; padding (start < 0) never overlaps. Empty for an empty span.
std::vector<int> tokens_overlapping(std::span<const Token> tokens, CharSpan span);

// The smallest span covering tokens [first, last] (inclusive), ignoring
// padding; nullopt when they are all padding or the range is empty/invalid.
std::optional<CharSpan> span_of_tokens(std::span<const Token> tokens, int first, int last);

// One word of a word-level diff of text A against text B. A word present in
// both has both spans; a word only in A (deleted in B) has b == nullopt, a
// word only in B (inserted) has a == nullopt. Words are listed in reading
// order of both texts (a deletion before the insertion at the same place).
struct AlignedWord {
    std::optional<CharSpan> a;
    std::optional<CharSpan> b;
    std::string text_a, text_b;  // as written (not lowercased); empty on a missing side
};

// The word-level alignment of two UTF-8 texts. Words: runs of letters and
// digits (a Han, Hiragana, Katakana or Hangul character is a word on its
// own, since Chinese has no spaces), and every other non-space character
// alone (punctuation): exactly the tokenizer's `word` mode, so "wasn't" is
// one word. Equal words (compared exactly, after Unicode
// lowercasing) are matched by a longest-common-subsequence diff (Myers), so
// the cost stays near-linear for texts that differ in a few words; invalid
// UTF-8 counts as U+FFFD as in the tokenizer.
class TextAlignment {
public:
    TextAlignment() = default;  // identity: A and B are the same text
    // Byte-equal texts give the identity (every span, white space included,
    // maps to itself), with the words listed all the same. Texts that differ
    // in more than kMaxDiffEdits words (engine/analysis/word_diff.h) keep
    // their common first and last words matched and the rest as gaps.
    static TextAlignment align(std::string_view text_a, std::string_view text_b);

    bool identity() const { return identity_; }
    const std::vector<AlignedWord>& words() const { return words_; }

    // The span of B that `span_a` of A corresponds to: the union, over the
    // matched words that overlap it, of the part of the B word it covers
    // (the same code points when both forms of the word have the same
    // length, as they do unless lowercasing changed a length, else the
    // whole B word); nullopt when it overlaps no matched word (a deleted
    // word, white space) or is empty. So "s" of "Service" maps to "s" of
    // "service", and a span over "food was" to "food was". The identity
    // alignment returns the span unchanged. O(log W + words overlapped).
    std::optional<CharSpan> a_to_b(CharSpan span_a) const;
    std::optional<CharSpan> b_to_a(CharSpan span_b) const;

private:
    std::optional<CharSpan> map_span(CharSpan span, bool a_to_b) const;

    bool identity_ = true;
    std::vector<AlignedWord> words_;
    std::vector<int> matched_;  // indices into words_ of the words in both texts, in order
};

// Two distributions over the tokens of two tokenisations (or two texts),
// brought onto one set of groups so that they can be compared. A group is
// the smallest set of A tokens and B tokens whose spans overlap each other
// transitively (through the alignment when the texts differ): one token each
// when both tokenise alike, a word and its characters for a word model
// against a character model, a gap (tokens on one side only) for inserted or
// deleted words. Padding tokens belong to no group.
struct AlignedGroup {
    int first_a = -1, last_a = -1;  // inclusive token range in A; -1: none (gap)
    int first_b = -1, last_b = -1;
    std::string text_a, text_b;     // the tokens' texts joined with no separator
    double mass_a = 0, mass_b = 0;  // summed weights, renormalised over groups
};

struct AlignedDistributions {
    std::vector<AlignedGroup> groups;  // reading order
    // Over the groups' masses (a gap carries 0 on its empty side):
    double js_divergence = 0;  // bits
    double kendall_tau = 0;    // tau-b; NaN when undefined
    double top3_overlap = 0;
    // The weight left out because it sat on padding, per side (before
    // renormalising), so a view can say so.
    double padding_mass_a = 0, padding_mass_b = 0;
};

// `weights_a` has one entry per token of `tokens_a` (likewise B; throws
// lstmscope::Error otherwise). `pair` is the word alignment of the two
// texts, or the identity when A and B read the same text. Tokens are
// expected in reading order with disjoint spans, as lstmscope::tokenize
// gives them. The tokens of one inserted or deleted word form one gap
// group; any other token that overlaps nothing on the other side (a word
// only one tokenizer keeps) is a group of its own. Near-linear in the number
// of tokens.
AlignedDistributions align_distributions(std::span<const Token> tokens_a, std::span<const double> weights_a,
                                         std::span<const Token> tokens_b, std::span<const double> weights_b,
                                         const TextAlignment& pair = TextAlignment());

}  // namespace lstmscope::analysis
