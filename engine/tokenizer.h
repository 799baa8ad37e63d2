// Text to token ids, exactly as the manifest's `tokenizer` object describes
// (models/FORMAT.md, "Tokenizer"). Spans are in Unicode code points of
// the original text so that views can point back at what the user typed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace lstmscope {

// KerasChar: Keras' Tokenizer(char_level=True): every code point, white
// space included, is a token (Char with keep_spaces, lowercase by default).
// Fastai: fastai v2's default rules and an approximation of spaCy's English
// tokenizer (engine/tokenizer_fastai.h).
enum class TokenizerType { Word, Char, Whitespace, Keras, KerasChar, Fastai };
enum class PaddingSide { Pre, Post };

struct TokenizerConfig {
    TokenizerType type = TokenizerType::Word;
    bool lowercase = true;
    bool keep_spaces = false;                        // char only: white space is a token too
    std::vector<std::string> vocab;
    std::unordered_map<std::string, int32_t> index;  // vocab entry -> id
    std::optional<int32_t> unk_id;                   // nullopt: unknown text is dropped
    std::optional<int> pad_to;                       // nullopt: no padding/truncation
    PaddingSide padding = PaddingSide::Post;
    int32_t pad_id = 0;
};

// Parses and validates the manifest's "tokenizer" object. `file` is used in
// error messages ("model.json: tokenizer: field 'type': ..."). Throws Error.
TokenizerConfig parse_tokenizer(const nlohmann::json& object, const std::string& file);

struct Token {
    std::string text;   // the vocabulary entry's surface text as found in the input (after lowercasing)
    int32_t id = 0;
    int start = -1;     // code point offsets into the original text; -1 for padding
    int end = -1;
    bool pad = false;
};

struct DroppedSpan {
    std::string text;
    int start = 0;
    int end = 0;
};

struct Tokenized {
    std::vector<Token> tokens;
    std::vector<DroppedSpan> dropped;    // no id (unk is null)
    std::vector<DroppedSpan> truncated;  // cut off by pad_to
};

// Invalid UTF-8 in `text` is decoded as U+FFFD (one per bad byte), never a crash.
Tokenized tokenize(const TokenizerConfig& config, std::string_view text);

}  // namespace lstmscope
