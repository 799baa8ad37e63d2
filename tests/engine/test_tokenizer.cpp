// The tokenizer (every mode, spans, lowercase, unknowns, padding) and the
// UTF-8 layer under it, including every rejection of the manifest object.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/error.h"
#include "engine/tokenizer.h"
#include "engine/utf8.h"
#include "tokenized_parts.h"

namespace lstmscope {
namespace {

using nlohmann::json;
using testing::ids;
using testing::Spans;
using testing::spans;
using testing::Strings;
using testing::texts;

const std::string kFile = "model.json";

TokenizerConfig config(const json& object) { return parse_tokenizer(object, kFile); }

// A config whose vocabulary holds `words` after "<pad>" and "<unk>".
TokenizerConfig with_vocab(const std::string& type, const Strings& words, json extra = json::object()) {
    Strings vocab = {"<pad>", "<unk>"};
    vocab.insert(vocab.end(), words.begin(), words.end());
    json object = {{"type", type}, {"vocab", vocab}, {"unk", "<unk>"}};
    object.update(extra);
    return config(object);
}


// --- word -----------------------------------------------------------------------

TEST(TokenizerWord, EnglishWordsAndPunctuation) {
    const auto c = with_vocab("word", {"the", "movie", "wasn't", "great", ",", "!", "my_var2"});
    const Tokenized t = tokenize(c, "The movie, wasn't  GREAT!\nmy_var2");
    EXPECT_EQ(texts(t), (Strings{"the", "movie", ",", "wasn't", "great", "!", "my_var2"}));
    EXPECT_EQ(ids(t), (std::vector<int32_t>{2, 3, 6, 4, 5, 7, 8}));
    EXPECT_EQ(spans(t), (Spans{{0, 3}, {4, 9}, {9, 10}, {11, 17}, {19, 24}, {24, 25}, {26, 33}}));
    EXPECT_TRUE(t.dropped.empty());
    for (const Token& token : t.tokens) EXPECT_FALSE(token.pad);
}

TEST(TokenizerWord, ChineseCharactersAreSingleTokensEvenNextToAscii) {
    const auto c = with_vocab("word", {"我", "爱", "nlp", "模", "型", "2024", "！"});
    const Tokenized t = tokenize(c, "我爱NLP模型2024！");
    EXPECT_EQ(texts(t), (Strings{"我", "爱", "nlp", "模", "型", "2024", "！"}));
    EXPECT_EQ(spans(t), (Spans{{0, 1}, {1, 2}, {2, 5}, {5, 6}, {6, 7}, {7, 11}, {11, 12}}));
    EXPECT_EQ(ids(t), (std::vector<int32_t>{2, 3, 4, 5, 6, 7, 8}));
}

TEST(TokenizerWord, KanaHangulAndCjkPunctuation) {
    const auto c = with_vocab("word", {});
    const Tokenized t = tokenize(c, "カナ한국어。Hello，世界「test」");
    EXPECT_EQ(texts(t), (Strings{"カ", "ナ", "한", "국", "어", "。", "hello", "，", "世", "界", "「", "test", "」"}));
    EXPECT_EQ(spans(t).at(6), (std::pair<int, int>{6, 11}));
    EXPECT_EQ(spans(t).back(), (std::pair<int, int>{19, 20}));
}

TEST(TokenizerWord, OtherScriptsFormWordsAndSymbolsDoNot) {
    const auto c = with_vocab("word", {});
    const Tokenized t = tokenize(c, "naïve café—Привет, мир! «ok» 5€ 😀x");
    EXPECT_EQ(texts(t), (Strings{"naïve", "café", "—", "привет", ",", "мир", "!", "«", "ok", "»", "5", "€", "😀",
                                 "x"}));
    EXPECT_EQ(spans(t).at(2), (std::pair<int, int>{10, 11}));
    EXPECT_EQ(spans(t).at(3), (std::pair<int, int>{11, 17}));
    EXPECT_EQ(spans(t).at(12), (std::pair<int, int>{32, 33}));
}

TEST(TokenizerWord, LowercasesNonAsciiAndCanBeTurnedOff) {
    const auto c = with_vocab("word", {"école", "été", "straße", "αβγ", "привет"});
    const Tokenized t = tokenize(c, "École ÉTÉ Straße ΑΒΓ ПРИВЕТ");
    EXPECT_EQ(texts(t), (Strings{"école", "été", "straße", "αβγ", "привет"}));
    EXPECT_EQ(ids(t), (std::vector<int32_t>{2, 3, 4, 5, 6}));
    EXPECT_EQ(spans(t), (Spans{{0, 5}, {6, 9}, {10, 16}, {17, 20}, {21, 27}}));

    const auto cased = with_vocab("word", {"École"}, {{"lowercase", false}});
    const Tokenized u = tokenize(cased, "École école");
    EXPECT_EQ(texts(u), (Strings{"École", "école"}));
    EXPECT_EQ(ids(u), (std::vector<int32_t>{2, 1}));
}

// --- char and whitespace ------------------------------------------------------------

TEST(TokenizerChar, EveryNonSpaceCodePoint) {
    const auto c = with_vocab("char", {"中", "文", "a", "B"});
    EXPECT_FALSE(c.lowercase);
    const Tokenized t = tokenize(c, "中文 aB\u3000!");
    EXPECT_EQ(texts(t), (Strings{"中", "文", "a", "B", "!"}));
    EXPECT_EQ(ids(t), (std::vector<int32_t>{2, 3, 4, 5, 1}));
    EXPECT_EQ(spans(t), (Spans{{0, 1}, {1, 2}, {3, 4}, {4, 5}, {6, 7}}));
}

TEST(TokenizerWhitespace, SplitsOnUnicodeWhiteSpaceOnly) {
    const auto c = with_vocab("whitespace", {"Hello,", "world"});
    EXPECT_FALSE(c.lowercase);
    // U+3000 ideographic space, U+00A0 no-break space, U+2003 em space, tab, newline
    const Tokenized t = tokenize(c, " Hello,\u3000world\u00a0中文\u2003x\ty\n");
    EXPECT_EQ(texts(t), (Strings{"Hello,", "world", "中文", "x", "y"}));
    EXPECT_EQ(ids(t), (std::vector<int32_t>{2, 3, 1, 1, 1}));
    EXPECT_EQ(spans(t), (Spans{{1, 7}, {8, 13}, {14, 16}, {17, 18}, {19, 20}}));
}

// --- keras ----------------------------------------------------------------------

TEST(TokenizerKeras, FiltersBecomeSpaces) {
    const auto c = with_vocab("keras", {"hello", "world", "don't"});
    EXPECT_TRUE(c.lowercase);
    const Tokenized t = tokenize(c, "Hello, World!\tdon't");
    EXPECT_EQ(texts(t), (Strings{"hello", "world", "don't"}));
    EXPECT_EQ(ids(t), (std::vector<int32_t>{2, 3, 4}));
    EXPECT_EQ(spans(t), (Spans{{0, 5}, {7, 12}, {14, 19}}));
}

TEST(TokenizerKeras, MatchesTextToWordSequence) {
    const auto c = with_vocab("keras", {});
    // '_' and '-' are filters; '\r' and U+00A0 are not, and Keras splits on ' ' alone.
    EXPECT_EQ(texts(tokenize(c, "snake_case x-ray a\r\nb Über\u00a0Cool (ok)")),
              (Strings{"snake", "case", "x", "ray", "a\r", "b", "über\u00a0cool", "ok"}));
    EXPECT_EQ(texts(tokenize(c, "中文，好")), (Strings{"中文，好"}));  // fullwidth comma is not a filter
    EXPECT_TRUE(tokenize(c, "!!! ... \t\n").tokens.empty());
}

TEST(TokenizerKeras, LowercasesLikePythonStrLower) {
    const auto c = with_vocab("keras", {});
    // Final sigma depends on the neighbours in the whole text; İ lowercases to
    // two code points, while the span stays on the one the user typed.
    const Tokenized t = tokenize(c, "ΟΔΟΣ ΣΑΣ. ΑΣ.Β İstanbul");
    EXPECT_EQ(texts(t), (Strings{"οδος", "σας", "ασ", "β", "i\u0307stanbul"}));
    EXPECT_EQ(spans(t), (Spans{{0, 4}, {5, 8}, {10, 12}, {13, 14}, {15, 23}}));
}

// --- unknowns -------------------------------------------------------------------

TEST(TokenizerUnknown, UnkKeepsTheTextAndTheSpan) {
    const auto c = with_vocab("word", {"good"});
    const Tokenized t = tokenize(c, "good zzz");
    EXPECT_EQ(ids(t), (std::vector<int32_t>{2, 1}));
    EXPECT_EQ(texts(t), (Strings{"good", "zzz"}));
    EXPECT_EQ(spans(t), (Spans{{0, 4}, {5, 8}}));
    EXPECT_TRUE(t.dropped.empty());
}

TEST(TokenizerUnknown, WithoutUnkTheTokenIsDroppedAndReported) {
    const json absent = {{"type", "word"}, {"vocab", {"<pad>", "good", "movie"}}};
    json null_unk = absent;
    null_unk["unk"] = nullptr;
    for (const json& object : {absent, null_unk}) {
        const auto c = config(object);
        EXPECT_FALSE(c.unk_id.has_value());
        const Tokenized t = tokenize(c, "Good ZZZ movie 好");
        EXPECT_EQ(texts(t), (Strings{"good", "movie"}));
        EXPECT_EQ(spans(t), (Spans{{0, 4}, {9, 14}}));
        ASSERT_EQ(t.dropped.size(), 2u);
        EXPECT_EQ(t.dropped[0].text, "zzz");
        EXPECT_EQ(t.dropped[0].start, 5);
        EXPECT_EQ(t.dropped[0].end, 8);
        EXPECT_EQ(t.dropped[1].text, "好");
        EXPECT_EQ(t.dropped[1].start, 15);
        EXPECT_EQ(t.dropped[1].end, 16);
    }
}

// --- padding and truncation ---------------------------------------------------------

TEST(TokenizerPadding, PostPadsAtTheEnd) {
    const auto c = with_vocab("word", {"a", "b"}, {{"pad_to", 4}});
    const Tokenized t = tokenize(c, "a b");
    EXPECT_EQ(ids(t), (std::vector<int32_t>{2, 3, 0, 0}));
    EXPECT_EQ(texts(t), (Strings{"a", "b", "<pad>", "<pad>"}));
    EXPECT_EQ(spans(t), (Spans{{0, 1}, {2, 3}, {-1, -1}, {-1, -1}}));
    EXPECT_FALSE(t.tokens[1].pad);
    EXPECT_TRUE(t.tokens[2].pad);
    EXPECT_TRUE(t.truncated.empty());
}

TEST(TokenizerPadding, PrePadsAtTheStartWithTheNamedPad) {
    const auto c = with_vocab("word", {"a", "b", "[PAD]"}, {{"pad_to", 3}, {"padding", "pre"}, {"pad", "[PAD]"}});
    EXPECT_EQ(c.pad_id, 4);
    const Tokenized t = tokenize(c, "b");
    EXPECT_EQ(ids(t), (std::vector<int32_t>{4, 4, 3}));
    EXPECT_EQ(texts(t), (Strings{"[PAD]", "[PAD]", "b"}));
    EXPECT_TRUE(t.tokens[0].pad);
    EXPECT_FALSE(t.tokens[2].pad);
    EXPECT_EQ(spans(t).back(), (std::pair<int, int>{0, 1}));
}

TEST(TokenizerPadding, PostTruncatesTheEnd) {
    const auto c = with_vocab("word", {"a", "b", "c", "d"}, {{"pad_to", 2}});
    const Tokenized t = tokenize(c, "a b c d");
    EXPECT_EQ(texts(t), (Strings{"a", "b"}));
    ASSERT_EQ(t.truncated.size(), 2u);
    EXPECT_EQ(t.truncated[0].text, "c");
    EXPECT_EQ(t.truncated[0].start, 4);
    EXPECT_EQ(t.truncated[1].text, "d");
    EXPECT_EQ(t.truncated[1].end, 7);
}

TEST(TokenizerPadding, PreTruncatesTheStart) {
    const auto c = with_vocab("word", {"a", "b", "c", "d"}, {{"pad_to", 2}, {"padding", "pre"}});
    const Tokenized t = tokenize(c, "a b c d");
    EXPECT_EQ(texts(t), (Strings{"c", "d"}));
    EXPECT_EQ(spans(t), (Spans{{4, 5}, {6, 7}}));
    ASSERT_EQ(t.truncated.size(), 2u);
    EXPECT_EQ(t.truncated[0].text, "a");
    EXPECT_EQ(t.truncated[1].text, "b");
}

TEST(TokenizerPadding, ExactLengthAndDroppedTokensDoNotCount) {
    const auto c = config({{"type", "word"}, {"vocab", {"<pad>", "a"}}, {"pad_to", 2}});
    const Tokenized t = tokenize(c, "a x a");
    EXPECT_EQ(ids(t), (std::vector<int32_t>{1, 1}));
    EXPECT_TRUE(t.truncated.empty());
    EXPECT_EQ(t.dropped.size(), 1u);
}

// --- edge cases -----------------------------------------------------------------

TEST(TokenizerEdges, EmptyAndBlankText) {
    for (const char* type : {"word", "char", "whitespace", "keras"}) {
        const auto c = with_vocab(type, {});
        EXPECT_TRUE(tokenize(c, "").tokens.empty()) << type;
        // Keras splits on ' ' and its filters only, so U+3000 is a token there.
        EXPECT_EQ(tokenize(c, " \t\n\u3000").tokens.size(), std::string(type) == "keras" ? 1u : 0u) << type;
        const auto padded = with_vocab(type, {}, {{"pad_to", 3}});
        const Tokenized t = tokenize(padded, "");
        EXPECT_EQ(ids(t), (std::vector<int32_t>{0, 0, 0})) << type;
    }
}

TEST(TokenizerEdges, InvalidUtf8BecomesReplacementCharactersWithSpans) {
    const std::string fffd = "\xEF\xBF\xBD";
    const auto chars = with_vocab("char", {});
    // a b <FF> c <E4 B8: a truncated 3-byte sequence> -> one U+FFFD per bad byte
    const Tokenized t = tokenize(chars, "ab\xFF" "c\xE4\xB8");
    EXPECT_EQ(texts(t), (Strings{"a", "b", fffd, "c", fffd, fffd}));
    EXPECT_EQ(spans(t), (Spans{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}}));

    const auto words = with_vocab("word", {});
    const Tokenized w = tokenize(words, "ab\xFF" "cd \xC0\xAF x\xED\xA0\x80y 中");
    EXPECT_EQ(texts(w), (Strings{"ab", fffd, "cd", fffd, fffd, "x", fffd, fffd, fffd, "y", "中"}));
    EXPECT_EQ(spans(w).back(), (std::pair<int, int>{15, 16}));
    EXPECT_EQ(spans(w).at(9), (std::pair<int, int>{13, 14}));

    const auto ws = with_vocab("whitespace", {});
    const Tokenized s = tokenize(ws, "a\x80z b");
    EXPECT_EQ(texts(s), (Strings{"a" + fffd + "z", "b"}));
    EXPECT_EQ(spans(s), (Spans{{0, 3}, {4, 5}}));
}

TEST(TokenizerEdges, RandomBytesNeverCrashAndSpansStayInRange) {
    std::mt19937 rng(7);
    for (const char* type : {"word", "char", "whitespace", "keras"}) {
        const auto c = with_vocab(type, {"a", "中"});
        for (int round = 0; round < 200; ++round) {
            std::string text(rng() % 64, '\0');
            for (char& ch : text) ch = static_cast<char>(rng());
            const Tokenized t = tokenize(c, text);
            const int length = static_cast<int>(decode_utf8(text).size());
            int previous = 0;
            for (const Token& token : t.tokens) {
                EXPECT_LE(previous, token.start);
                EXPECT_LT(token.start, token.end);
                EXPECT_LE(token.end, length);
                previous = token.end;
            }
        }
    }
    // A long text of one word and of many tokens.
    const auto c = with_vocab("word", {});
    EXPECT_EQ(tokenize(c, std::string(1 << 20, 'a')).tokens.size(), 1u);
    EXPECT_EQ(tokenize(c, std::string(1 << 18, '!')).tokens.size(), size_t{1} << 18);
}

// --- parse_tokenizer ----------------------------------------------------------------

TEST(TokenizerConfig, DefaultsPerType) {
    const json vocab = {"<pad>", "x"};
    const auto word = config({{"type", "word"}, {"vocab", vocab}});
    EXPECT_EQ(word.type, TokenizerType::Word);
    EXPECT_TRUE(word.lowercase);
    EXPECT_FALSE(word.unk_id.has_value());
    EXPECT_FALSE(word.pad_to.has_value());
    EXPECT_EQ(word.padding, PaddingSide::Post);
    EXPECT_EQ(word.pad_id, 0);
    EXPECT_EQ(word.vocab, (Strings{"<pad>", "x"}));
    EXPECT_EQ(word.index.at("x"), 1);
    EXPECT_TRUE(config({{"type", "keras"}, {"vocab", vocab}}).lowercase);
    EXPECT_FALSE(config({{"type", "char"}, {"vocab", vocab}}).lowercase);
    EXPECT_FALSE(config({{"type", "whitespace"}, {"vocab", vocab}}).lowercase);
    EXPECT_TRUE(config({{"type", "char"}, {"vocab", vocab}, {"lowercase", true}}).lowercase);
    const auto full = config({{"type", "keras"}, {"vocab", vocab}, {"lowercase", false}, {"unk", "x"},
                              {"pad_to", 7}, {"padding", "pre"}, {"pad", "x"}});
    EXPECT_FALSE(full.lowercase);
    EXPECT_EQ(full.unk_id, 1);
    EXPECT_EQ(full.pad_to, 7);
    EXPECT_EQ(full.padding, PaddingSide::Pre);
    EXPECT_EQ(full.pad_id, 1);
    EXPECT_FALSE(config({{"type", "word"}, {"vocab", vocab}, {"pad_to", nullptr}}).pad_to.has_value());
}

std::string error_of(const json& object) {
    try {
        parse_tokenizer(object, kFile);
    } catch (const Error& e) {
        // The parts say what the message says: this file, its tokenizer.
        EXPECT_EQ(e.parts().file, kFile);
        EXPECT_EQ(e.parts().field.rfind("tokenizer", 0), 0u) << e.parts().field;
        EXPECT_EQ(e.kind(), ErrorKind::model);
        return e.what();
    }
    return "";
}

#define EXPECT_CONFIG_REJECTED(object, expected)                                             \
    do {                                                                                     \
        const std::string message = error_of(object);                                        \
        ASSERT_FALSE(message.empty()) << "accepted: " << (object).dump();                    \
        EXPECT_EQ(message.rfind(kFile + ": field 'tokenizer", 0), 0u) << message;                \
        EXPECT_NE(message.find(expected), std::string::npos) << "'" << (expected) << "' not in: " << message; \
    } while (0)

TEST(TokenizerConfig, Rejections) {
    const json base = {{"type", "word"}, {"vocab", {"<pad>", "<unk>", "the"}}};
    const auto with = [&](const std::string& key, const json& value) {
        json object = base;
        object[key] = value;
        return object;
    };
    const auto without = [&](const std::string& key) {
        json object = base;
        object.erase(key);
        return object;
    };
    EXPECT_CONFIG_REJECTED(json::array(), "must be a JSON object");
    EXPECT_CONFIG_REJECTED(json("word"), "must be a JSON object");
    EXPECT_CONFIG_REJECTED(with("lowercas", true), "unknown field 'lowercas'");
    EXPECT_CONFIG_REJECTED(without("type"), "field 'tokenizer.type': missing");
    EXPECT_CONFIG_REJECTED(with("type", "bpe"), "field 'tokenizer.type': 'bpe' is not one of word, char, whitespace, keras");
    EXPECT_CONFIG_REJECTED(with("type", 3), "field 'tokenizer.type': must be a string");
    EXPECT_CONFIG_REJECTED(with("lowercase", "yes"), "field 'tokenizer.lowercase': must be true or false");
    EXPECT_CONFIG_REJECTED(with("lowercase", nullptr), "field 'tokenizer.lowercase': must be true or false");
    EXPECT_CONFIG_REJECTED(without("vocab"), "field 'tokenizer.vocab': missing");
    EXPECT_CONFIG_REJECTED(with("vocab", "the"), "field 'tokenizer.vocab': must be a list of strings");
    EXPECT_CONFIG_REJECTED(with("vocab", json::array()), "field 'tokenizer.vocab': is empty");
    EXPECT_CONFIG_REJECTED(with("vocab", json({"a", 2})), "field 'tokenizer.vocab': entry 1 is not a string");
    EXPECT_CONFIG_REJECTED(with("vocab", json({"<pad>", "a", "the", "b", "the"})),
                           "field 'tokenizer.vocab': entry 'the' appears twice, at index 2 and at index 4");
    EXPECT_CONFIG_REJECTED(with("unk", "[UNK]"), "field 'tokenizer.unk': '[UNK]' is not in the vocabulary");
    EXPECT_CONFIG_REJECTED(with("unk", 1), "field 'tokenizer.unk': must be a string");
    EXPECT_CONFIG_REJECTED(with("pad_to", 0), "field 'tokenizer.pad_to': must be a positive integer or null, not 0");
    EXPECT_CONFIG_REJECTED(with("pad_to", -5), "field 'tokenizer.pad_to': must be a positive integer or null, not -5");
    EXPECT_CONFIG_REJECTED(with("pad_to", 2.5), "field 'tokenizer.pad_to': must be a positive integer or null");
    EXPECT_CONFIG_REJECTED(with("pad_to", "10"), "field 'tokenizer.pad_to': must be a positive integer or null");
    EXPECT_CONFIG_REJECTED(with("pad_to", 4000000000u), "field 'tokenizer.pad_to': 4000000000 is larger than the limit");
    EXPECT_CONFIG_REJECTED(with("padding", "left"), "field 'tokenizer.padding': 'left' is not \"pre\" or \"post\"");
    EXPECT_CONFIG_REJECTED(with("padding", nullptr), "field 'tokenizer.padding': must be \"pre\" or \"post\"");
    EXPECT_CONFIG_REJECTED(with("pad", "[PAD]"), "field 'tokenizer.pad': '[PAD]' is not in the vocabulary");
    EXPECT_CONFIG_REJECTED(with("pad", nullptr), "field 'tokenizer.pad': must be a string from the vocabulary");
}

TEST(TokenizerConfig, LongValuesAreShortenedInMessages) {
    json object = {{"type", "word"}, {"vocab", {"a"}}, {"unk", std::string(5000, 'z')}};
    const std::string message = error_of(object);
    EXPECT_LT(message.size(), 200u) << message;
    EXPECT_NE(message.find("...' is not in the vocabulary"), std::string::npos) << message;
}

// --- utf8 -----------------------------------------------------------------------

TEST(Utf8, DecodeEncodeRoundTripOfValidText) {
    const std::u32string cps = decode_utf8(std::string("a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80", 10));
    EXPECT_EQ(cps, (std::u32string{U'a', 0xE9, 0x4E2D, 0x1F600}));
    EXPECT_EQ(encode_utf8(cps), std::string("a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80"));
    EXPECT_EQ(decode_utf8(std::string("\0x", 2)), (std::u32string{0, U'x'}));
    EXPECT_EQ(encode_utf8(std::u32string{0x10FFFF}), "\xF4\x8F\xBF\xBF");
    EXPECT_EQ(encode_utf8(std::u32string{0xD800, 0x110000}), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8, EveryBadByteIsOneReplacementCharacter) {
    const char32_t R = kReplacementChar;
    EXPECT_EQ(decode_utf8("\x80"), std::u32string{R});                         // stray continuation
    EXPECT_EQ(decode_utf8("\xC0\xAF"), (std::u32string{R, R}));                // overlong '/'
    EXPECT_EQ(decode_utf8("\xE0\x80\xAF"), (std::u32string{R, R, R}));         // overlong
    EXPECT_EQ(decode_utf8("\xF0\x80\x80\xAF"), (std::u32string{R, R, R, R}));  // overlong
    EXPECT_EQ(decode_utf8("\xED\xA0\x80"), (std::u32string{R, R, R}));         // surrogate U+D800
    EXPECT_EQ(decode_utf8("\xF4\x90\x80\x80"), (std::u32string{R, R, R, R}));  // above U+10FFFF
    EXPECT_EQ(decode_utf8("\xF5\xFF"), (std::u32string{R, R}));
    EXPECT_EQ(decode_utf8("\xE4\xB8" "a"), (std::u32string{R, R, U'a'}));        // cut short
    EXPECT_EQ(decode_utf8("\xF0\x9F\x98"), (std::u32string{R, R, R}));          // cut at the end
    EXPECT_EQ(decode_utf8("\xC3\xA9\xC3"), (std::u32string{0xE9, R}));
}

TEST(Utf8, SanitizeKeepsTheCodePointCount) {
    std::mt19937 rng(99);
    for (int round = 0; round < 500; ++round) {
        std::string text(rng() % 40, '\0');
        for (char& ch : text) ch = static_cast<char>(rng() % 3 == 0 ? rng() % 128 : rng());
        const std::string clean = sanitize_utf8(text);
        const std::u32string cps = decode_utf8(text);
        EXPECT_EQ(decode_utf8(clean), cps);
        EXPECT_EQ(encode_utf8(cps), clean);
        EXPECT_EQ(sanitize_utf8(clean), clean);
    }
    EXPECT_EQ(sanitize_utf8("ok\xFFok"), "ok\xEF\xBF\xBDok");
}

TEST(Utf8, Lowercase) {
    EXPECT_EQ(to_lower(U'A'), U'a');
    EXPECT_EQ(to_lower(U'z'), U'z');
    EXPECT_EQ(to_lower(U'['), U'[');
    EXPECT_EQ(to_lower(0xC9), 0xE9u);      // É
    EXPECT_EQ(to_lower(0xD7), 0xD7u);      // × is not a letter
    EXPECT_EQ(to_lower(0xDF), 0xDFu);      // ß has no single-letter lowercase change
    EXPECT_EQ(to_lower(0x178), 0xFFu);     // Ÿ
    EXPECT_EQ(to_lower(0x141), 0x142u);    // Ł
    EXPECT_EQ(to_lower(0x130), U'i');      // İ
    EXPECT_EQ(to_lower(0x1C5), 0x1C6u);    // ǅ
    EXPECT_EQ(to_lower(0x218), 0x219u);    // Ș
    EXPECT_EQ(to_lower(0x3A3), 0x3C3u);    // Σ
    EXPECT_EQ(to_lower(0x386), 0x3ACu);    // Ά
    EXPECT_EQ(to_lower(0x401), 0x451u);    // Ё
    EXPECT_EQ(to_lower(0x42F), 0x44Fu);    // Я
    EXPECT_EQ(to_lower(0x490), 0x491u);    // Ґ
    EXPECT_EQ(to_lower(0x1EA0), 0x1EA1u);  // Ạ
    EXPECT_EQ(to_lower(0xFF21), 0xFF41u);  // fullwidth A
    EXPECT_EQ(to_lower(0x4E2D), 0x4E2Du);  // 中
    EXPECT_EQ(to_lower(0x10FFFF), 0x10FFFFu);
}

TEST(Utf8, FullLowercaseOfAText) {
    const auto lowered = [](const std::u32string& text) {
        std::string out;
        for (size_t i = 0; i < text.size(); ++i) append_lowercase(out, text, i);
        return out;
    };
    EXPECT_EQ(lowered(U"ÉCOLE"), "école");
    EXPECT_EQ(lowered(U"ΟΔΟΣ"), "οδος");
    EXPECT_EQ(lowered(U"Σ"), "σ");               // no cased letter before
    EXPECT_EQ(lowered(U"ΑΣΑ"), "ασα");           // cased letter after
    EXPECT_EQ(lowered(U"ΑΣ\u0301 Β"), "ας\u0301 β");  // combining marks are skipped
    EXPECT_EQ(lowered(U"ΑΣ'Β"), "ασ'β");         // so is the apostrophe
    EXPECT_EQ(lowered(U"İ"), "i\u0307");
}

TEST(Utf8, CharacterClasses) {
    for (char32_t cp : {0x09, 0x0A, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x202F, 0x3000})
        EXPECT_TRUE(is_whitespace(cp)) << std::hex << static_cast<uint32_t>(cp);
    for (char32_t cp : {0x41, 0x200B, 0xFEFF, 0x1C, 0xFFFD}) EXPECT_FALSE(is_whitespace(cp));

    for (char32_t cp : {0x4E2D, 0x3400, 0x20000, 0x2A6DF, 0xF900, 0x3042, 0x30AB, 0xFF76, 0xD55C, 0x1100, 0x3131})
        EXPECT_TRUE(is_cjk_single(cp)) << std::hex << static_cast<uint32_t>(cp);
    for (char32_t cp : {0x41, 0x3002, 0xFF0C, 0xE9}) EXPECT_FALSE(is_cjk_single(cp));

    for (char32_t cp : std::u32string{U'a', U'Z', U'0', U'\'', U'_', 0xE9, 0x3B1, 0x43F, 0x5D0, 0x627, 0x915, 0x301, 0xFF21, 0xFF10,
                        0xB2, 0xAA})
        EXPECT_TRUE(is_word_char(cp)) << std::hex << static_cast<uint32_t>(cp);
    for (char32_t cp : std::u32string{U' ', U'-', U'!', U'.', U'\0', 0x7F, 0x85, 0xA0, 0xAB, 0xBB, 0xBF, 0xA1, 0xB7, 0xD7, 0xF7,
                        0x2014, 0x201C, 0x20AC, 0x2192, 0x2500, 0x3001, 0x300C, 0xFF0C, 0xFF01, 0xFF1F, 0x1F600,
                        0x1F44D, 0xFFFD, 0x4E2D, 0x3042, 0x60C, 0x964})
        EXPECT_FALSE(is_word_char(cp)) << std::hex << static_cast<uint32_t>(cp);
}

}  // namespace
}  // namespace lstmscope
