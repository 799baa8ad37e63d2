// Spans, the word diff of two texts, and two token distributions brought
// onto common groups, with tokens made by the real tokenizer.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/analysis/distribution_metrics.h"
#include "engine/analysis/text_alignment.h"
#include "engine/analysis/word_diff.h"
#include "engine/error.h"

namespace lstmscope::analysis {
namespace {

using nlohmann::json;
using Strings = std::vector<std::string>;
using Vec = std::vector<double>;

// A tokenizer of `type` that keeps every piece (all map to "<unk>" except
// `words`, so that texts and spans are the tokenizer's own).
std::vector<Token> tokens_of(const std::string& type, const std::string& text, json extra = json::object()) {
    json object = {{"type", type}, {"vocab", Strings{"<pad>", "<unk>"}}, {"unk", "<unk>"}};
    object.update(extra);
    return tokenize(parse_tokenizer(object, "test.json"), text).tokens;
}

Strings texts_of(const std::vector<Token>& tokens, const std::vector<int>& indices) {
    Strings out;
    for (int k : indices) out.push_back(tokens[static_cast<size_t>(k)].text);
    return out;
}

// "a|b", "-" for a missing side. Appended piece by piece: GCC 12 warns
// falsely (-Wrestrict) on a chain of operator+ here.
std::string side_by_side(bool has_a, const std::string& a, bool has_b, const std::string& b) {
    std::string out = has_a ? a : "-";
    out += '|';
    out += has_b ? b : "-";
    return out;
}

// One "text_a|text_b" per aligned word.
Strings word_pairs(const TextAlignment& pair) {
    Strings out;
    for (const AlignedWord& w : pair.words()) out.push_back(side_by_side(bool(w.a), w.text_a, bool(w.b), w.text_b));
    return out;
}

// One "text_a|text_b" per group.
Strings group_texts(const AlignedDistributions& d) {
    Strings out;
    for (const AlignedGroup& g : d.groups)
        out.push_back(side_by_side(g.first_a >= 0, g.text_a, g.first_b >= 0, g.text_b));
    return out;
}

Vec ramp(size_t n) {
    Vec w(n);
    for (size_t k = 0; k < n; ++k) w[k] = static_cast<double>(k + 1);
    return w;
}

// The metrics must be the library's metrics on the groups' masses.
void expect_metrics_of_masses(const AlignedDistributions& d) {
    Vec a, b;
    double sum_a = 0, sum_b = 0;
    for (const AlignedGroup& g : d.groups) {
        a.push_back(g.mass_a);
        b.push_back(g.mass_b);
        sum_a += g.mass_a;
        sum_b += g.mass_b;
    }
    EXPECT_NEAR(sum_a, 1.0, 1e-12);
    EXPECT_NEAR(sum_b, 1.0, 1e-12);
    EXPECT_DOUBLE_EQ(d.js_divergence, jensen_shannon_divergence(a, b));
    const double tau = kendall_tau_b(a, b);
    if (std::isnan(tau)) EXPECT_TRUE(std::isnan(d.kendall_tau));
    else EXPECT_DOUBLE_EQ(d.kendall_tau, tau);
    EXPECT_DOUBLE_EQ(d.top3_overlap, top_k_overlap(a, b, 3));
}

// --- spans -------------------------------------------------------------------

TEST(TokenSpans, WordTokenCoversItsCharacterTokens) {
    const std::string text = "good food but awful service";
    const auto words = tokens_of("word", text);
    const auto chars = tokens_of("char", text);
    ASSERT_EQ(words.size(), 5u);
    ASSERT_EQ(words[4].text, "service");
    const CharSpan service{words[4].start, words[4].end};
    EXPECT_EQ(service, (CharSpan{20, 27}));
    const std::vector<int> hit = tokens_overlapping(chars, service);
    EXPECT_EQ(texts_of(chars, hit), (Strings{"s", "e", "r", "v", "i", "c", "e"}));
    EXPECT_EQ(span_of_tokens(chars, hit.front(), hit.back()), service);
    // and back: the character 'v' lies in the word "service" only
    EXPECT_EQ(tokens_overlapping(words, {23, 24}), (std::vector<int>{4}));
    EXPECT_TRUE(tokens_overlapping(words, {4, 5}).empty());  // the space after "good"
    EXPECT_TRUE(tokens_overlapping(words, {3, 3}).empty());  // an empty span
}

TEST(TokenSpans, PaddingNeverOverlaps) {
    const auto t = tokens_of("word", "good food", {{"pad_to", 5}, {"padding", "pre"}, {"pad", "<pad>"}});
    ASSERT_EQ(t.size(), 5u);
    ASSERT_TRUE(t[0].pad);
    EXPECT_EQ(tokens_overlapping(t, {-5, 100}), (std::vector<int>{3, 4}));
    EXPECT_EQ(tokens_overlapping(t, {-1, 0}), (std::vector<int>{}));
    EXPECT_EQ(span_of_tokens(t, 0, 2), std::nullopt);
    EXPECT_EQ(span_of_tokens(t, 0, 3), (CharSpan{0, 4}));
    EXPECT_EQ(span_of_tokens(t, 2, 4), (CharSpan{0, 9}));
    EXPECT_EQ(span_of_tokens(t, 4, 4), (CharSpan{5, 9}));
    EXPECT_EQ(span_of_tokens(t, -1, 3), std::nullopt);
    EXPECT_EQ(span_of_tokens(t, 3, 5), std::nullopt);
    EXPECT_EQ(span_of_tokens(t, 4, 3), std::nullopt);
    EXPECT_EQ(span_of_tokens(t, 0, -1), std::nullopt);
}

// --- the word diff -------------------------------------------------------------

TEST(TextAlignment, InsertionIsAGap) {
    const auto pair = TextAlignment::align("The food was good.", "The food was not good.");
    EXPECT_FALSE(pair.identity());
    EXPECT_EQ(word_pairs(pair), (Strings{"The|The", "food|food", "was|was", "-|not", "good|good", ".|."}));
    EXPECT_EQ(pair.a_to_b({13, 17}), (CharSpan{17, 21}));  // good -> good
    EXPECT_EQ(pair.b_to_a({17, 21}), (CharSpan{13, 17}));
    EXPECT_EQ(pair.b_to_a({13, 16}), std::nullopt);        // not -> nothing
    EXPECT_EQ(pair.a_to_b({4, 12}), (CharSpan{4, 12}));    // "food was"
    EXPECT_EQ(pair.a_to_b({14, 16}), (CharSpan{18, 20}));  // "oo" inside the word
    EXPECT_EQ(pair.a_to_b({12, 13}), std::nullopt);        // white space
    EXPECT_EQ(pair.a_to_b({5, 5}), std::nullopt);          // an empty span
}

TEST(TextAlignment, DeletionIsAGap) {
    const auto pair = TextAlignment::align("I really like it", "I like it");
    EXPECT_EQ(word_pairs(pair), (Strings{"I|I", "really|-", "like|like", "it|it"}));
    EXPECT_EQ(pair.a_to_b({2, 8}), std::nullopt);
    EXPECT_EQ(pair.a_to_b({9, 13}), (CharSpan{2, 6}));
}

TEST(TextAlignment, ReplacementIsDeletionThenInsertion) {
    const auto pair = TextAlignment::align("the food was good today", "the food was awful today");
    EXPECT_EQ(word_pairs(pair), (Strings{"the|the", "food|food", "was|was", "good|-", "-|awful", "today|today"}));
}

TEST(TextAlignment, IdenticalTextsAreTheIdentity) {
    const std::string text = "Same words,  same   spaces.";
    const auto pair = TextAlignment::align(text, text);
    EXPECT_TRUE(pair.identity());
    EXPECT_EQ(pair.words().size(), 6u);  // Same words , same spaces .
    for (const AlignedWord& w : pair.words()) EXPECT_EQ(w.a, w.b);
    EXPECT_EQ(pair.a_to_b({10, 13}), (CharSpan{10, 13}));  // white space maps too
    EXPECT_TRUE(TextAlignment().identity());
    EXPECT_EQ(TextAlignment().b_to_a({3, 7}), (CharSpan{3, 7}));
}

TEST(TextAlignment, CaseIsIgnoredAndSpansStayOnTheOriginal) {
    const auto pair = TextAlignment::align("GOOD Food", "  good food!");
    EXPECT_FALSE(pair.identity());
    EXPECT_EQ(word_pairs(pair), (Strings{"GOOD|good", "Food|food", "-|!"}));
    EXPECT_EQ(pair.a_to_b({1, 2}), (CharSpan{3, 4}));  // the 'O' of GOOD -> the 'o' of good
}

TEST(TextAlignment, ChineseCharactersAreWords) {
    const auto pair = TextAlignment::align("房间很干净，但是服务太差了。", "房间很干净，服务太差了。");
    EXPECT_EQ(word_pairs(pair), (Strings{"房|房", "间|间", "很|很", "干|干", "净|净", "，|，", "但|-", "是|-", "服|服",
                                         "务|务", "太|太", "差|差", "了|了", "。|。"}));
    EXPECT_EQ(pair.a_to_b({8, 10}), (CharSpan{6, 8}));  // 服务
}

TEST(TextAlignment, EmptyTexts) {
    const auto both = TextAlignment::align("", "");
    EXPECT_TRUE(both.identity());
    EXPECT_TRUE(both.words().empty());
    const auto one = TextAlignment::align("", "  hi ");
    EXPECT_FALSE(one.identity());
    EXPECT_EQ(word_pairs(one), (Strings{"-|hi"}));
    EXPECT_EQ(one.b_to_a({2, 4}), std::nullopt);
    EXPECT_EQ(word_pairs(TextAlignment::align("hi", "   ")), (Strings{"hi|-"}));
}

TEST(TextAlignment, InvalidUtf8IsReplacementCharacter) {
    // A lone 0xC3 byte decodes to one U+FFFD, as in the tokenizer, and then
    // equals a real U+FFFD in the other text; spans count it as one code point.
    const std::string bad = "caf\xC3 ok", good = "caf\xEF\xBF\xBD ok";
    const auto pair = TextAlignment::align(bad, good);
    EXPECT_FALSE(pair.identity());
    EXPECT_EQ(word_pairs(pair), (Strings{"caf|caf", "\xEF\xBF\xBD|\xEF\xBF\xBD", "ok|ok"}));
    EXPECT_EQ(pair.words()[2].a, (CharSpan{5, 7}));
    const auto chars = tokens_of("char", bad);
    ASSERT_EQ(chars.size(), 6u);
    EXPECT_EQ(chars[3].start, 3);
    EXPECT_EQ(pair.a_to_b({chars[3].start, chars[3].end}), (CharSpan{3, 4}));
    // Bytes that are not text at all still align without a crash.
    EXPECT_EQ(TextAlignment::align("\xFF\xFE", "\xFF").words().size(), 2u);
}

TEST(TextAlignment, LongTextsDifferingInThreeWordsAreFast) {
    std::mt19937 rng(11);
    const Strings vocabulary{"the", "food", "was", "good", "service", "slow", "but", "we", "liked", "it"};
    Strings a(20000);
    for (auto& w : a) w = vocabulary[rng() % vocabulary.size()];
    Strings b = a;
    b[100] = "excellent";                  // a replacement
    b.erase(b.begin() + 9000);             // a deletion
    b.insert(b.begin() + 15000, "never");  // an insertion
    std::string text_a, text_b;
    for (const auto& w : a) text_a += w + ' ';
    for (const auto& w : b) text_b += w + ' ';

    const auto start = std::chrono::steady_clock::now();
    const auto pair = TextAlignment::align(text_a, text_b);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 1.0);
    int only_a = 0, only_b = 0, both = 0;
    for (const AlignedWord& w : pair.words()) {
        only_a += w.a && !w.b;
        only_b += !w.a && w.b;
        both += w.a && w.b;
    }
    // The shortest edit script: the replaced word, the deleted one, the inserted one.
    EXPECT_EQ(only_a, 2);
    EXPECT_EQ(only_b, 2);
    EXPECT_EQ(both, 19998);
    const AlignedWord& replaced = pair.words()[100];
    EXPECT_EQ(replaced.text_a, a[100]);
    EXPECT_FALSE(replaced.b);
    EXPECT_EQ(pair.words()[101].text_b, "excellent");
}

// An LCS length by dynamic programming, for small inputs.
size_t lcs_length(const std::vector<int>& a, const std::vector<int>& b) {
    std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j)
            t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    return t[a.size()][b.size()];
}

TEST(WordDiff, FindsALongestCommonSubsequence) {
    std::mt19937 rng(5);
    for (int trial = 0; trial < 300; ++trial) {
        std::vector<int> a(rng() % 30), b(rng() % 30);
        for (int& x : a) x = static_cast<int>(rng() % 4);
        for (int& x : b) x = static_cast<int>(rng() % 4);
        const auto matches = common_subsequence(a, b);
        ASSERT_EQ(matches.size(), lcs_length(a, b)) << "trial " << trial;
        for (size_t k = 0; k < matches.size(); ++k) {
            EXPECT_EQ(a[static_cast<size_t>(matches[k].first)], b[static_cast<size_t>(matches[k].second)]);
            if (k > 0) {
                EXPECT_LT(matches[k - 1].first, matches[k].first);
                EXPECT_LT(matches[k - 1].second, matches[k].second);
            }
        }
    }
}

TEST(WordDiff, BeyondTheEditBoundKeepsPrefixAndSuffix) {
    const std::vector<int> a{1, 2, 3, 4, 5, 6, 9}, b{1, 2, 6, 5, 4, 3, 9};
    EXPECT_EQ(common_subsequence(a, b).size(), 4u);  // 1 2 ... 3|4|5|6 ... 9
    const auto bounded = common_subsequence(a, b, 1);
    EXPECT_EQ(bounded, (std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {6, 6}}));
}

// --- distributions on common groups -----------------------------------------------

TEST(AlignDistributions, SameTokensGiveOneGroupPerToken) {
    const auto t = tokens_of("word", "good food but awful service");
    const Vec wa{0.1, 0.2, 0.3, 0.2, 0.2}, wb{0.2, 0.2, 0.2, 0.2, 0.2};
    const auto d = align_distributions(t, wa, t, wb);
    ASSERT_EQ(d.groups.size(), 5u);
    for (int k = 0; k < 5; ++k) {
        EXPECT_EQ(d.groups[static_cast<size_t>(k)].first_a, k);
        EXPECT_EQ(d.groups[static_cast<size_t>(k)].last_b, k);
        EXPECT_NEAR(d.groups[static_cast<size_t>(k)].mass_a, wa[static_cast<size_t>(k)], 1e-15);
    }
    EXPECT_DOUBLE_EQ(d.js_divergence, jensen_shannon_divergence(wa, wb));
    EXPECT_TRUE(std::isnan(d.kendall_tau));  // B is uniform: tau undefined
    expect_metrics_of_masses(d);
    EXPECT_DOUBLE_EQ(align_distributions(t, wa, t, wa).js_divergence, 0.0);
}

TEST(AlignDistributions, WordAgainstCharacters) {
    const std::string text = "good food but awful service";
    const auto words = tokens_of("word", text);
    const auto chars = tokens_of("char", text);
    const Vec wa{1, 1, 1, 1, 6};            // unnormalised: divided by 10
    const Vec wb = ramp(chars.size());      // 1, 2, ..., 23
    const auto d = align_distributions(words, wa, chars, wb);
    EXPECT_EQ(group_texts(d), (Strings{"good|good", "food|food", "but|but", "awful|awful", "service|service"}));
    const AlignedGroup& service = d.groups[4];
    EXPECT_EQ(service.first_b, 16);
    EXPECT_EQ(service.last_b, 22);
    EXPECT_NEAR(service.mass_a, 0.6, 1e-15);
    const double total_b = 23.0 * 24.0 / 2.0, service_b = 17 + 18 + 19 + 20 + 21 + 22 + 23;
    EXPECT_NEAR(service.mass_b, service_b / total_b, 1e-15);
    EXPECT_EQ(d.padding_mass_a, 0);
    expect_metrics_of_masses(d);
}

TEST(AlignDistributions, InsertedWordIsAGapWithZeroOnTheOtherSide) {
    const std::string ta = "The food was good.", tb = "The food was not good.";
    const auto pair = TextAlignment::align(ta, tb);
    const auto a = tokens_of("word", ta), b = tokens_of("word", tb);
    const auto d = align_distributions(a, Vec{0.1, 0.1, 0.1, 0.6, 0.1}, b, Vec{0.1, 0.1, 0.1, 0.4, 0.2, 0.1}, pair);
    EXPECT_EQ(group_texts(d), (Strings{"the|the", "food|food", "was|was", "-|not", "good|good", ".|."}));
    const AlignedGroup& gap = d.groups[3];
    EXPECT_EQ(gap.first_a, -1);
    EXPECT_EQ(gap.first_b, 3);
    EXPECT_EQ(gap.mass_a, 0);
    EXPECT_NEAR(gap.mass_b, 0.4, 1e-15);
    EXPECT_EQ(d.groups[4].first_a, 3);  // 'good' maps to 'good'
    EXPECT_EQ(d.groups[4].first_b, 4);
    expect_metrics_of_masses(d);

    // A character model on B: the three characters of "not" are one gap.
    const auto chars = tokens_of("char", tb);
    const auto dc = align_distributions(a, Vec(a.size(), 1.0), chars, ramp(chars.size()), pair);
    EXPECT_EQ(group_texts(dc), (Strings{"the|The", "food|food", "was|was", "-|not", "good|good", ".|."}));
    expect_metrics_of_masses(dc);
}

TEST(AlignDistributions, DeletedAndReplacedWords) {
    const std::string ta = "I really like the food", tb = "I like the soup";
    const auto pair = TextAlignment::align(ta, tb);
    const auto a = tokens_of("word", ta), b = tokens_of("char", tb);
    const auto d = align_distributions(a, ramp(a.size()), b, ramp(b.size()), pair);
    EXPECT_EQ(group_texts(d), (Strings{"i|I", "really|-", "like|like", "the|the", "food|-", "-|soup"}));
    EXPECT_EQ(d.groups[1].mass_b, 0);
    EXPECT_EQ(d.groups[5].mass_a, 0);
    expect_metrics_of_masses(d);
}

TEST(AlignDistributions, ChineseWordModelAgainstCharacterModel) {
    // A whitespace tokenizer keeps "服务太差" as one token; the char model splits it.
    const std::string text = "房间 很干净 服务太差";
    const auto ws = tokens_of("whitespace", text);
    const auto chars = tokens_of("char", text);
    ASSERT_EQ(ws.size(), 3u);
    const auto d = align_distributions(ws, Vec{1, 1, 2}, chars, ramp(chars.size()));
    EXPECT_EQ(group_texts(d), (Strings{"房间|房间", "很干净|很干净", "服务太差|服务太差"}));
    expect_metrics_of_masses(d);
}

TEST(AlignDistributions, TokenOnlyOneTokenizerKeepsIsItsOwnGroup) {
    // The word model knows "good" and "food" only and drops "zzz"; the
    // character model keeps z, z, z.
    const std::string text = "good zzz food";
    json vocab_words = {{"type", "word"}, {"vocab", Strings{"<pad>", "good", "food"}}};
    const auto words = tokenize(parse_tokenizer(vocab_words, "w.json"), text).tokens;
    ASSERT_EQ(words.size(), 2u);
    const auto chars = tokens_of("char", text);
    const auto d = align_distributions(words, Vec{1, 1}, chars, Vec(chars.size(), 1.0));
    EXPECT_EQ(group_texts(d), (Strings{"good|good", "-|z", "-|z", "-|z", "food|food"}));
    expect_metrics_of_masses(d);
}

TEST(AlignDistributions, PaddingIsLeftOutAndReported) {
    const auto a = tokens_of("word", "good food", {{"pad_to", 4}, {"padding", "post"}, {"pad", "<pad>"}});
    const auto b = tokens_of("word", "good food", {{"pad_to", 3}, {"padding", "pre"}, {"pad", "<pad>"}});
    ASSERT_EQ(a.size(), 4u);
    ASSERT_EQ(b.size(), 3u);
    const auto d = align_distributions(a, Vec{0.3, 0.5, 0.1, 0.1}, b, Vec{0.5, 0.25, 0.25}, TextAlignment());
    EXPECT_EQ(group_texts(d), (Strings{"good|good", "food|food"}));
    EXPECT_NEAR(d.padding_mass_a, 0.2, 1e-15);
    EXPECT_NEAR(d.padding_mass_b, 0.5, 1e-15);
    EXPECT_NEAR(d.groups[0].mass_a, 0.375, 1e-15);
    EXPECT_NEAR(d.groups[1].mass_b, 0.5, 1e-15);
    EXPECT_EQ(d.groups[1].first_b, 2);
    expect_metrics_of_masses(d);
}

TEST(AlignDistributions, EmptyAndWeightlessInputs) {
    const auto none = align_distributions({}, {}, {}, {});
    EXPECT_TRUE(none.groups.empty());
    EXPECT_TRUE(std::isnan(none.js_divergence));
    EXPECT_TRUE(std::isnan(none.kendall_tau));
    EXPECT_TRUE(std::isnan(none.top3_overlap));
    const auto t = tokens_of("word", "a b");
    const auto zero = align_distributions(t, Vec{0, 0}, t, Vec{0.5, 0.5});
    EXPECT_EQ(zero.groups.size(), 2u);
    EXPECT_EQ(zero.groups[0].mass_a, 0);
    EXPECT_TRUE(std::isnan(zero.js_divergence));
}

TEST(AlignDistributions, WrongNumberOfWeightsIsAnError) {
    const auto t = tokens_of("word", "a b");
    EXPECT_THROW(align_distributions(t, Vec{1}, t, Vec{1, 1}), Error);
    EXPECT_THROW(align_distributions(t, Vec{1, 1}, t, Vec{1, 1, 1}), Error);
}

TEST(AlignDistributions, LongTextsAreFast) {
    std::string ta, tb;
    for (int k = 0; k < 20000; ++k) {
        ta += 'w';
        ta += std::to_string(k % 97);
        ta += ' ';
    }
    tb = "extra " + ta;
    const auto start = std::chrono::steady_clock::now();
    const auto pair = TextAlignment::align(ta, tb);
    const auto a = tokens_of("word", ta), b = tokens_of("char", tb);
    const auto d = align_distributions(a, ramp(a.size()), b, ramp(b.size()), pair);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(d.groups.size(), 20001u);
    EXPECT_EQ(d.groups[0].text_b, "extra");
    EXPECT_LT(seconds, 2.0);
}

}  // namespace
}  // namespace lstmscope::analysis
