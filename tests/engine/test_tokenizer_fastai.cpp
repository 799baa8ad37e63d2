// The char type's keep_spaces and the fastai type: fastai v2's default rules
// (with their thresholds and quirks), the spaCy-like split, the spans of
// tokens that come from no text, and the fields only some types accept.
// tests/engine/tokenizer_agreement.py checks the Python twin against these.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/error.h"
#include "engine/tokenizer.h"
#include "engine/tokenizer_fastai.h"
#include "engine/utf8.h"
#include "tokenized_parts.h"
#include "error_of.h"

namespace lstmscope {
namespace {

using nlohmann::json;
using testing::Spans;
using testing::spans;
using testing::Strings;
using testing::texts;

const std::string kFile = "model.json";

// Every token is its own vocabulary entry: unk keeps the text, so the tests
// see what the splitter made of it.
TokenizerConfig char_config(json extra = json::object()) {
    json object = {{"type", "char"}, {"vocab", {"<pad>", "<unk>"}}, {"unk", "<unk>"}};
    object.update(extra);
    return parse_tokenizer(object, kFile);
}
const json kFastaiVocab = {"xxunk", "xxpad", "xxbos", "xxeos", "xxfld", "xxrep", "xxwrep", "xxup", "xxmaj"};
TokenizerConfig fastai_config(json extra = json::object()) {
    json object = {{"type", "fastai"}, {"vocab", kFastaiVocab}};
    object.update(extra);
    return parse_tokenizer(object, kFile);
}

Strings fastai(const std::string& text) { return texts(tokenize(fastai_config(), text)); }

// --- char keep_spaces ---------------------------------------------------------------

TEST(TokenizerCharKeepSpaces, EveryCodePointIncludingWhiteSpaceIsAToken) {
    const std::string text = "中 文\n好\t!";
    const auto kept = tokenize(char_config({{"keep_spaces", true}}), text);
    EXPECT_EQ(texts(kept), (Strings{"中", " ", "文", "\n", "好", "\t", "!"}));
    EXPECT_EQ(spans(kept), (Spans{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}}));
    // The default skips white space; the spans still count it.
    const auto skipped = tokenize(char_config(), text);
    EXPECT_EQ(texts(skipped), (Strings{"中", "文", "好", "!"}));
    EXPECT_EQ(spans(skipped), (Spans{{0, 1}, {2, 3}, {4, 5}, {6, 7}}));
}

TEST(TokenizerCharKeepSpaces, LowercaseStaysOffUnlessAskedAndKerasCharIsTheLowercaseVariant) {
    const auto plain = char_config({{"keep_spaces", true}});
    EXPECT_TRUE(plain.keep_spaces);
    EXPECT_FALSE(plain.lowercase);
    EXPECT_EQ(texts(tokenize(plain, "A b")), (Strings{"A", " ", "b"}));
    EXPECT_EQ(texts(tokenize(char_config({{"keep_spaces", true}, {"lowercase", true}}), "A b")),
              (Strings{"a", " ", "b"}));
    const auto keras = parse_tokenizer({{"type", "keras_char"}, {"vocab", {"<pad>", "<unk>"}}, {"unk", "<unk>"}}, kFile);
    EXPECT_TRUE(keras.keep_spaces);
    EXPECT_TRUE(keras.lowercase);
    EXPECT_EQ(texts(tokenize(keras, "A b")), (Strings{"a", " ", "b"}));
    EXPECT_FALSE(char_config().keep_spaces);
}

// --- fields only some types accept ------------------------------------------------------

std::string rejection(const json& object) {
    return testing::error_of([&] { parse_tokenizer(object, kFile); });
}

TEST(TokenizerTypeFields, KeepSpacesOnlyForChar) {
    for (const char* type : {"word", "whitespace", "keras", "keras_char", "fastai"}) {
        json object = {{"type", type}, {"vocab", kFastaiVocab}, {"keep_spaces", true}};
        EXPECT_EQ(rejection(object), "model.json: field 'tokenizer.keep_spaces': only the char type has this field "
                                     "(keras_char always keeps white space)")
            << type;
    }
    EXPECT_EQ(rejection({{"type", "char"}, {"vocab", {"a"}}, {"keep_spaces", "yes"}}),
              "model.json: field 'tokenizer.keep_spaces': must be true or false");
    EXPECT_NE(rejection({{"type", "char"}, {"vocab", {"a"}}, {"keep_space", true}}).find(
                  "unknown field 'keep_space' (known: type, lowercase, keep_spaces,"),
              std::string::npos);
}

TEST(TokenizerTypeFields, FastaiNeedsItsSpecialTokensAndLowercase) {
    EXPECT_EQ(rejection({{"type", "fastai"}, {"vocab", kFastaiVocab}, {"lowercase", false}}),
              "model.json: field 'tokenizer.lowercase': must be true for the fastai type (its rules xxup, xxmaj "
              "and lowercase always lowercase)");
    json vocab = kFastaiVocab;
    vocab.erase(8);  // xxmaj
    EXPECT_NE(rejection({{"type", "fastai"}, {"vocab", vocab}}).find(
                  "field 'tokenizer.vocab': has no 'xxmaj', which the fastai type's rules emit"),
              std::string::npos);
    // unk and pad default to xxunk and xxpad, which must then be there.
    const auto config = fastai_config();
    EXPECT_EQ(config.unk_id, 0);
    EXPECT_EQ(config.pad_id, 1);
    EXPECT_EQ(rejection({{"type", "fastai"}, {"vocab", {"xxbos", "xxrep", "xxwrep", "xxup", "xxmaj", "xxpad"}}}),
              "model.json: field 'tokenizer.unk': 'xxunk' is not in the vocabulary");
    // Explicit values win: unk null drops unknown words.
    EXPECT_FALSE(fastai_config({{"unk", nullptr}}).unk_id.has_value());
    EXPECT_EQ(fastai_config({{"pad", "xxeos"}}).pad_id, 3);
}

// --- fastai rules ---------------------------------------------------------------

TEST(TokenizerFastai, BosAndCaseMarkersAreEmptyAtTheWordTheyMark) {
    const auto t = tokenize(fastai_config(), "Hello WORLD, I A McDonald");
    EXPECT_EQ(texts(t), (Strings{"xxbos", "xxmaj", "hello", "xxup", "world", ",", "i", "a", "mcdonald"}));
    EXPECT_EQ(spans(t), (Spans{{0, 0}, {0, 0}, {0, 5}, {6, 6}, {6, 11}, {11, 12}, {13, 14}, {15, 16}, {17, 25}}));
    // The case rules look at white-space-delimited chunks, as fastai's regexes
    // do: "(Hi)" starts with '(' and gets no xxmaj; "ABC." is all caps.
    EXPECT_EQ(fastai("(Hi) ABC."), (Strings{"xxbos", "(", "hi", ")", "xxup", "abc", "."}));
}

TEST(TokenizerFastai, CharacterRepetitionsFromThreeOn) {
    EXPECT_EQ(fastai("aa"), (Strings{"xxbos", "aa"}));
    EXPECT_EQ(fastai("aaa"), (Strings{"xxbos", "xxrep", "3", "a"}));
    const auto t = tokenize(fastai_config(), "wow!!!!");
    EXPECT_EQ(texts(t), (Strings{"xxbos", "wow", "xxrep", "4", "!"}));
    EXPECT_EQ(spans(t), (Spans{{0, 0}, {0, 3}, {3, 3}, {3, 3}, {3, 7}}));  // the '!' spans the run
    // fastai splits the word and counts digits too.
    EXPECT_EQ(fastai("hmmmm 1000"), (Strings{"xxbos", "h", "xxrep", "4", "m", "1", "xxrep", "3", "0"}));
}

TEST(TokenizerFastai, WordRepetitionsFromThreeOnWithFastaisQuirks) {
    const auto t = tokenize(fastai_config(), "no no no no way");
    EXPECT_EQ(texts(t), (Strings{"xxbos", "xxwrep", "4", "no", "way"}));
    EXPECT_EQ(spans(t), (Spans{{0, 0}, {0, 0}, {0, 0}, {0, 11}, {12, 15}}));  // "no" spans the repeats
    EXPECT_EQ(fastai("no no way"), (Strings{"xxbos", "no", "no", "way"}));
    EXPECT_EQ(fastai("the the theory"), (Strings{"xxbos", "the", "the", "theory"}));
    EXPECT_EQ(fastai("go go go!"), (Strings{"xxbos", "xxwrep", "3", "go", "!"}));
    // The first match swallows the space after it, so the second run has no
    // leading white space left and stays (fastai does the same).
    EXPECT_EQ(fastai("a a a b b b"), (Strings{"xxbos", "xxwrep", "3", "a", "b", "b", "b"}));
}

TEST(TokenizerFastai, ContractionsAndPunctuationSplitLikeSpacy) {
    // "I've" is a capitalised chunk to fastai's replace_maj: xxmaj, as there.
    EXPECT_EQ(fastai("don't can't won't it's they're we'll I've he'd I'm"),
              (Strings{"xxbos", "do", "n't", "ca", "n't", "wo", "n't", "it", "'s", "they", "'re", "we", "'ll",
                       "xxmaj", "i", "'ve", "he", "'d", "xxmaj", "i", "'m"}));
    EXPECT_EQ(fastai("(he's) dogs' well-known 1-2 3,000 a,b x=y 10:30"),
              (Strings{"xxbos", "(", "he", "'s", ")", "dogs", "'", "well", "-", "known", "1", "-", "2", "3", ",",
                       "xxrep", "3", "0", "a", ",", "b", "x", "=", "y", "10:30"}));
    EXPECT_EQ(fastai("end. e.g. $5 100%"), (Strings{"xxbos", "end", ".", "e.g", ".", "$", "5", "100", "%"}));
}

TEST(TokenizerFastai, SlashHashAndBackslashAreSpacedOut) {
    EXPECT_EQ(fastai("a/b #tag c\\d"), (Strings{"xxbos", "a", "/", "b", "#", "tag", "c", "\\", "d"}));
}

TEST(TokenizerFastai, HtmlFixesKeepTheSpanOfWhatTheyReplace) {
    const auto t = tokenize(fastai_config(), "a<br />b &lt;i&gt; &#8217; x...");
    EXPECT_EQ(texts(t), (Strings{"xxbos", "a", "\n", "b", "<", "i", ">", "\xE2\x80\x99", "x", "\xE2\x80\xA6"}));
    EXPECT_EQ(spans(t), (Spans{{0, 0}, {0, 1}, {1, 7}, {7, 8}, {9, 13}, {13, 14}, {14, 18}, {19, 26}, {27, 28}, {28, 31}}));
    // fastai replaces "amp;" before unescaping: "&amp;" becomes "&&".
    EXPECT_EQ(fastai("&amp; &quot;"), (Strings{"xxbos", "&", "&", "&", "'"}));
    // Only the listed named references are decoded; numeric ones follow
    // html.unescape (windows-1252 for 0x80-0x9F, controls dropped).
    EXPECT_EQ(fastai("&bogus; &#150; &#1;x"), (Strings{"xxbos", "&", "bogus", ";", "\xE2\x80\x93", "x"}));
    EXPECT_EQ(fastai("<unk>"), (Strings{"xxbos", "xxunk"}));
}

// "<unk>" becomes "xxunk", whose x's join the x's before it into a
// repetition while "unk" starts the next word: both tokens covered <unk>
// (4-11 and 6-12) until the later one was made to start where the earlier
// ends. Found by fuzz_tokenizers (reproducer unk_after_repeated_x).
TEST(TokenizerFastai, AReplacementSplitBetweenTwoTokensIsNotCoveredTwice) {
    const auto t = tokenize(fastai_config(), "qxx<unk>u");
    EXPECT_EQ(texts(t), (Strings{"xxbos", "q", "xxrep", "4", "x", "unku"}));
    EXPECT_EQ(spans(t), (Spans{{0, 0}, {0, 1}, {1, 1}, {1, 1}, {1, 8}, {8, 9}}));
}

TEST(TokenizerFastai, WhiteSpaceOtherThanOneSpaceIsAToken) {
    EXPECT_EQ(fastai("a\nb"), (Strings{"xxbos", "a", "\n", "b"}));
    EXPECT_EQ(fastai("a \n b"), (Strings{"xxbos", "a", "\n\xE2\x96\x81", "b"}));  // "\n" then U+2581
    EXPECT_EQ(fastai("a   b"), (Strings{"xxbos", "a", "b"}));                     // rm_useless_spaces
    EXPECT_EQ(fastai("  padded  \n"), (Strings{"xxbos", "padded"}));              // strip
    EXPECT_EQ(fastai(""), (Strings{"xxbos"}));
}

TEST(TokenizerFastai, ChineseAndEmojiStayWhole) {
    EXPECT_EQ(fastai("中文 字 😀hi😀"), (Strings{"xxbos", "中文", "字", "😀", "hi", "😀"}));
}

TEST(TokenizerFastai, PaddingUsesXxpadWithoutSpans) {
    const auto t = tokenize(fastai_config({{"pad_to", 4}, {"padding", "pre"}}), "Hi");
    EXPECT_EQ(texts(t), (Strings{"xxpad", "xxbos", "xxmaj", "hi"}));
    EXPECT_EQ(spans(t), (Spans{{-1, -1}, {0, 0}, {0, 0}, {0, 2}}));
    EXPECT_TRUE(t.tokens[0].pad);
    EXPECT_EQ(t.tokens[0].id, 1);
}

TEST(TokenizerFastai, UnknownWordsBecomeXxunkOrAreDropped) {
    const auto t = tokenize(fastai_config(), "Hi");
    EXPECT_EQ(t.tokens.back().id, 0);  // xxunk
    EXPECT_EQ(t.tokens.back().text, "hi");
    const auto dropped = tokenize(fastai_config({{"unk", nullptr}}), "Hi");
    EXPECT_EQ(texts(dropped), (Strings{"xxbos", "xxmaj"}));
    ASSERT_EQ(dropped.dropped.size(), 1u);
    EXPECT_EQ(dropped.dropped[0].text, "hi");
}

// Views link tokens to characters by span and bisect on them
// (engine/analysis/token_links.cpp), and the text fuzz target checks it:
// spans stay inside the text, in order, never overlapping, whatever the
// rules inserted.
TEST(TokenizerFastai, SpansStayInTheTextInOrderAndApart) {
    std::mt19937 random(7);
    const std::string alphabet[] = {"a", "A", "b", "B", " ", "  ", "\n", "!", ".", "'", "n't", "&", "amp;", "#39;",
                                    "<br />", "/", "#", "\\", "-", ",", "中", "😀", "...", "&#", "x;", "Σ", "\t"};
    for (int round = 0; round < 2000; ++round) {
        std::string text;
        const int n = static_cast<int>(random() % 24);
        for (int k = 0; k < n; ++k) text += alphabet[random() % std::size(alphabet)];
        const int length = static_cast<int>(decode_utf8(text).size());
        const auto t = tokenize(fastai_config(), text);
        int last_end = 0;
        for (const Token& token : t.tokens) {
            ASSERT_LE(0, token.start) << text;
            ASSERT_LE(token.start, token.end) << text;
            ASSERT_LE(token.end, length) << text;
            ASSERT_LE(last_end, token.start) << text;
            last_end = token.end;
        }
    }
}

TEST(TokenizerFastai, RandomBytesNeverCrash) {
    std::mt19937 random(11);
    for (int round = 0; round < 500; ++round) {
        std::string bytes(static_cast<size_t>(random() % 64), '\0');
        for (char& c : bytes) c = static_cast<char>(random() % 256);
        const auto t = tokenize(fastai_config(), bytes);
        ASSERT_FALSE(t.tokens.empty());
        EXPECT_EQ(t.tokens[0].text, "xxbos");
    }
}

}  // namespace
}  // namespace lstmscope
