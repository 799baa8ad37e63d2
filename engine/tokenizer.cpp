#include "engine/tokenizer.h"

#include <algorithm>
#include <climits>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/error.h"
#include "engine/json_excerpt.h"
#include "engine/tokenizer_fastai.h"
#include "engine/utf8.h"

namespace lstmscope {

namespace {

using nlohmann::json;

// A pad_to beyond this is a typo, not a model; refusing it keeps a bad
// manifest from making every run allocate gigabytes of padding.
constexpr int kMaxPadTo = 1 << 20;
// Every pad token holds its own copy of the pad entry, so padding one text
// costs pad_to x the entry's length: a 2,000-byte entry padded to 2^20 took
// 2 GiB per run. This bounds it (a "<pad>" entry at the largest pad_to takes 5 MiB).
constexpr uint64_t kMaxPaddingBytes = uint64_t{16} << 20;

// A vocabulary entry or user value as it appears in a message: valid UTF-8,
// and short, since the value may be a whole paragraph.
std::string in_quotes(std::string_view text) { return quoted_excerpt(text); }

class TokenizerParser {
public:
    TokenizerParser(const json& object, const std::string& file) : object_(object), file_(file) {}

    TokenizerConfig parse() {
        if (!object_.is_object()) fail("must be a JSON object");
        for (const auto& item : object_.items()) {
            if (std::find(std::begin(kFields), std::end(kFields), item.key()) == std::end(kFields))
                fail("unknown field " + in_quotes(item.key()) +
                     " (known: type, lowercase, keep_spaces, vocab, unk, pad_to, padding, pad)");
        }
        TokenizerConfig config;
        config.type = parse_type();
        config.lowercase = parse_lowercase(config.type);
        config.keep_spaces = parse_keep_spaces(config.type);
        parse_vocab(config);
        if (config.type == TokenizerType::Fastai) check_fastai_vocab(config);
        config.unk_id = parse_unk(config);
        config.pad_to = parse_pad_to();
        config.padding = parse_padding();
        config.pad_id = parse_pad(config);
        check_padding_bytes(config);
        return config;
    }

private:
    static constexpr std::string_view kFields[] = {"type",   "lowercase", "keep_spaces", "vocab", "unk",
                                                   "pad_to", "padding",   "pad"};
    static constexpr const char* kTypes = "one of word, char, whitespace, keras, keras_char, fastai";

    // The manifest's field "tokenizer", or one of its own: "tokenizer.vocab".
    [[noreturn]] void fail(const std::string& message) const { fail_field({}, message); }
    [[noreturn]] void fail_field(std::string_view key, const std::string& message) const {
        ErrorParts parts;
        parts.file = file_;
        parts.field = key.empty() ? std::string("tokenizer") : "tokenizer." + std::string(key);
        throw Error(std::move(parts), message);
    }
    const json* field(const char* key) const {
        const auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

    TokenizerType parse_type() const {
        const json* value = field("type");
        if (!value) fail_field("type", std::string("missing (") + kTypes + ")");
        if (!value->is_string()) fail_field("type", std::string("must be a string (") + kTypes + ")");
        const auto& name = value->get_ref<const std::string&>();
        if (name == "word") return TokenizerType::Word;
        if (name == "char") return TokenizerType::Char;
        if (name == "whitespace") return TokenizerType::Whitespace;
        if (name == "keras") return TokenizerType::Keras;
        if (name == "keras_char") return TokenizerType::KerasChar;
        if (name == "fastai") return TokenizerType::Fastai;
        fail_field("type", in_quotes(name) + " is not " + kTypes);
    }

    bool parse_lowercase(TokenizerType type) const {
        const json* value = field("lowercase");
        if (!value)
            return type == TokenizerType::Word || type == TokenizerType::Keras || type == TokenizerType::KerasChar ||
                   type == TokenizerType::Fastai;
        if (!value->is_boolean()) fail_field("lowercase", "must be true or false");
        if (type == TokenizerType::Fastai && !value->get<bool>())
            fail_field("lowercase", "must be true for the fastai type (its rules xxup, xxmaj and lowercase always lowercase)");
        return value->get<bool>();
    }

    // Only `char` has the choice; keras_char always keeps white space.
    bool parse_keep_spaces(TokenizerType type) const {
        const json* value = field("keep_spaces");
        if (!value) return type == TokenizerType::KerasChar;
        if (type != TokenizerType::Char)
            fail_field("keep_spaces", "only the char type has this field (keras_char always keeps white space)");
        if (!value->is_boolean()) fail_field("keep_spaces", "must be true or false");
        return value->get<bool>();
    }

    // The special tokens fastai's rules emit must have ids.
    void check_fastai_vocab(const TokenizerConfig& config) const {
        for (std::string_view special : kFastaiEmitted)
            if (!config.index.contains(std::string(special)))
                fail_field("vocab", "has no " + in_quotes(special) +
                                        ", which the fastai type's rules emit (a fastai vocabulary holds xxunk, "
                                        "xxpad, xxbos, xxeos, xxfld, xxrep, xxwrep, xxup, xxmaj)");
    }

    // fastai's defaults when the field is absent: xxunk and xxpad.
    const json* field_or_fastai_default(const TokenizerConfig& config, const char* key, std::string_view fallback,
                                        json& storage) const {
        const json* value = field(key);
        if (value || config.type != TokenizerType::Fastai) return value;
        storage = std::string(fallback);
        return &storage;
    }

    void parse_vocab(TokenizerConfig& config) const {
        const json* value = field("vocab");
        if (!value) fail_field("vocab", "missing (a list of token strings; a token's id is its index)");
        if (!value->is_array()) fail_field("vocab", "must be a list of strings");
        if (value->empty()) fail_field("vocab", "is empty");
        if (value->size() > static_cast<size_t>(INT32_MAX))
            fail_field("vocab", "has more entries than a 32-bit id can hold");
        config.vocab.reserve(value->size());
        config.index.reserve(value->size());
        for (size_t i = 0; i < value->size(); ++i) {
            const json& entry = (*value)[i];
            if (!entry.is_string())
                fail_field("vocab", "entry " + std::to_string(i) + " is not a string");
            const auto& text = entry.get_ref<const std::string&>();
            const auto [it, inserted] = config.index.emplace(text, static_cast<int32_t>(i));
            if (!inserted)
                fail_field("vocab", "entry " + in_quotes(text) + " appears twice, at index " +
                                        std::to_string(it->second) + " and at index " + std::to_string(i));
            config.vocab.push_back(text);
        }
    }

    // The id of a field naming a vocabulary entry.
    int32_t vocab_id(const TokenizerConfig& config, std::string_view key, const json& value) const {
        if (!value.is_string()) fail_field(key, "must be a string from the vocabulary");
        const auto& text = value.get_ref<const std::string&>();
        const auto it = config.index.find(text);
        if (it == config.index.end()) fail_field(key, in_quotes(text) + " is not in the vocabulary");
        return it->second;
    }

    std::optional<int32_t> parse_unk(const TokenizerConfig& config) const {
        json fallback;
        const json* value = field_or_fastai_default(config, "unk", kFastaiUnk, fallback);
        if (!value || value->is_null()) return std::nullopt;
        return vocab_id(config, "unk", *value);
    }

    std::optional<int> parse_pad_to() const {
        const json* value = field("pad_to");
        if (!value || value->is_null()) return std::nullopt;
        if (!value->is_number_integer()) fail_field("pad_to", "must be a positive integer or null");
        if (value->is_number_unsigned()) {
            const auto n = value->get<uint64_t>();
            if (n == 0) fail_field("pad_to", "must be a positive integer or null, not 0");
            if (n > static_cast<uint64_t>(kMaxPadTo))
                fail_field("pad_to", std::to_string(n) + " is larger than the limit " + std::to_string(kMaxPadTo));
            return static_cast<int>(n);
        }
        const auto n = value->get<int64_t>();
        if (n <= 0) fail_field("pad_to", "must be a positive integer or null, not " + std::to_string(n));
        if (n > kMaxPadTo)
            fail_field("pad_to", std::to_string(n) + " is larger than the limit " + std::to_string(kMaxPadTo));
        return static_cast<int>(n);
    }

    PaddingSide parse_padding() const {
        const json* value = field("padding");
        if (!value) return PaddingSide::Post;
        if (!value->is_string()) fail_field("padding", "must be \"pre\" or \"post\"");
        const auto& side = value->get_ref<const std::string&>();
        if (side == "pre") return PaddingSide::Pre;
        if (side == "post") return PaddingSide::Post;
        fail_field("padding", in_quotes(side) + " is not \"pre\" or \"post\"");
    }

    int32_t parse_pad(const TokenizerConfig& config) const {
        json fallback;
        const json* value = field_or_fastai_default(config, "pad", kFastaiPad, fallback);
        if (!value) return 0;
        return vocab_id(config, "pad", *value);
    }

    void check_padding_bytes(const TokenizerConfig& config) const {
        if (!config.pad_to) return;
        const std::string& entry = config.vocab[static_cast<size_t>(config.pad_id)];
        const uint64_t bytes = static_cast<uint64_t>(entry.size()) * static_cast<uint64_t>(*config.pad_to);
        if (bytes > kMaxPaddingBytes)
            fail_field("pad", "the pad entry " + in_quotes(entry) + " (" + std::to_string(entry.size()) +
                                  " bytes) repeated pad_to = " + std::to_string(*config.pad_to) + " times is " +
                                  std::to_string(bytes) + " bytes, more than the 16 MiB padding may take per text");
    }

    const json& object_;
    const std::string& file_;
};

// Keras' default `filters` of Tokenizer / text_to_word_sequence.
bool is_keras_filter(char32_t cp) {
    static constexpr std::string_view kFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";
    return cp < 0x80 && kFilters.find(static_cast<char>(cp)) != std::string_view::npos;
}

// [begin, end) code point ranges of the raw tokens, before any lookup.
using Spans = std::vector<std::pair<size_t, size_t>>;

Spans split_word(const std::u32string& cps) {
    Spans spans;
    size_t i = 0;
    while (i < cps.size()) {
        const char32_t cp = cps[i];
        if (is_whitespace(cp)) {
            ++i;
        } else if (is_word_char(cp)) {
            size_t j = i + 1;
            while (j < cps.size() && is_word_char(cps[j])) ++j;
            spans.emplace_back(i, j);
            i = j;
        } else {
            // punctuation, symbols and CJK singles (is_word_char is false for those)
            spans.emplace_back(i, i + 1);
            ++i;
        }
    }
    return spans;
}

// `keep_spaces`: every code point is a token, spaces and newlines included,
// as Keras' Tokenizer(char_level=True) and Chinese character models with a
// space in their vocabulary expect.
Spans split_char(const std::u32string& cps, bool keep_spaces) {
    Spans spans;
    for (size_t i = 0; i < cps.size(); ++i)
        if (keep_spaces || !is_whitespace(cps[i])) spans.emplace_back(i, i + 1);
    return spans;
}

// Maximal runs of code points for which `separator` is false.
template <class Separator>
Spans split_runs(const std::u32string& cps, Separator separator) {
    Spans spans;
    size_t i = 0;
    while (i < cps.size()) {
        if (separator(cps[i])) {
            ++i;
            continue;
        }
        size_t j = i + 1;
        while (j < cps.size() && !separator(cps[j])) ++j;
        spans.emplace_back(i, j);
        i = j;
    }
    return spans;
}

}  // namespace

TokenizerConfig parse_tokenizer(const nlohmann::json& object, const std::string& file) {
    return TokenizerParser(object, file).parse();
}

Tokenized tokenize(const TokenizerConfig& config, std::string_view text) {
    const std::u32string original = decode_utf8(text);
    if (original.size() > static_cast<size_t>(INT_MAX))
    {
        ErrorParts parts;
        parts.kind = ErrorKind::text;
        parts.code = ErrorCode::too_long_text;
        parts.count = static_cast<int64_t>(original.size());
        parts.limit = INT_MAX;
        throw Error(std::move(parts), "the text has " + std::to_string(original.size()) +
                                          " code points, more than spans can index");
    }
    // Splitting runs on the simply lowercased text (one code point for one,
    // so its spans are spans of the original); Keras lowercases before
    // filtering, and so do we. Token text gets the full lowercase below.
    std::u32string cps = original;
    if (config.lowercase)
        for (char32_t& cp : cps) cp = to_lower(cp);

    Spans spans;
    switch (config.type) {
        case TokenizerType::Word: spans = split_word(cps); break;
        case TokenizerType::Char:
        case TokenizerType::KerasChar: spans = split_char(cps, config.keep_spaces); break;
        case TokenizerType::Fastai: break;  // below: its rules rewrite the text
        case TokenizerType::Whitespace:
            spans = split_runs(cps, [](char32_t cp) { return is_whitespace(cp); });
            break;
        case TokenizerType::Keras:
            // Keras translates every filter character to the split character
            // and then splits on that (an ASCII space) alone: other white
            // space such as '\r' or U+00A0 stays inside a word, exactly as there.
            spans = split_runs(cps, [](char32_t cp) { return cp == U' ' || is_keras_filter(cp); });
            break;
    }

    std::vector<TextPiece> pieces;
    if (config.type == TokenizerType::Fastai) {
        pieces = fastai_pieces(original);
    } else {
        pieces.reserve(spans.size());
        for (const auto& [begin, end] : spans) {
            TextPiece& p = pieces.emplace_back();
            for (size_t k = begin; k < end; ++k) {
                if (config.lowercase)
                    append_lowercase(p.text, original, k);
                else
                    append_utf8(p.text, original[k]);
            }
            p.start = static_cast<int>(begin);
            p.end = static_cast<int>(end);
        }
    }

    Tokenized out;
    out.tokens.reserve(pieces.size());
    for (auto& [piece, start, stop] : pieces) {
        const auto it = config.index.find(piece);
        if (it != config.index.end()) {
            out.tokens.push_back(Token{std::move(piece), it->second, start, stop, false});
        } else if (config.unk_id) {
            out.tokens.push_back(Token{std::move(piece), *config.unk_id, start, stop, false});
        } else {
            out.dropped.push_back(DroppedSpan{std::move(piece), start, stop});
        }
    }

    if (!config.pad_to) return out;
    const size_t length = static_cast<size_t>(std::max(0, *config.pad_to));
    auto& tokens = out.tokens;
    if (tokens.size() > length) {
        const size_t excess = tokens.size() - length;
        // Keras pad_sequences: "post" cuts the end, "pre" the beginning.
        const auto first = config.padding == PaddingSide::Post ? tokens.end() - static_cast<ptrdiff_t>(excess)
                                                               : tokens.begin();
        const auto last = first + static_cast<ptrdiff_t>(excess);
        for (auto t = first; t != last; ++t) out.truncated.push_back(DroppedSpan{t->text, t->start, t->end});
        tokens.erase(first, last);
    } else if (tokens.size() < length) {
        const bool valid_pad = config.pad_id >= 0 && static_cast<size_t>(config.pad_id) < config.vocab.size();
        const Token pad{valid_pad ? config.vocab[static_cast<size_t>(config.pad_id)] : std::string(),
                        config.pad_id, -1, -1, true};
        const auto where = config.padding == PaddingSide::Post ? tokens.end() : tokens.begin();
        tokens.insert(where, length - tokens.size(), pad);
    }
    return out;
}

}  // namespace lstmscope
