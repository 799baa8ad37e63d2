// Target 7: arbitrary bytes through every tokenizer type alone, no model, so
// that it runs thousands of inputs a second (fuzz_text runs models and
// manages tens): word, char (with and without keep_spaces), whitespace,
// keras, keras_char and fastai, whose rules (repetitions, capitals, HTML
// entities, contractions) rewrite the text before splitting it, plus
// padding on both sides. A tokenization must keep its promises: spans
// inside the text, in order and apart; every id inside the vocabulary;
// pad tokens exactly where padding goes.
#include <cstdlib>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/tokenizer.h"
#include "engine/utf8.h"
#include "fuzz_support.h"

using namespace lstmscope;
using nlohmann::json;

namespace {

// A vocabulary with the markers of every type and a few words, so that
// known words and unknown ones both occur.
json vocabulary() {
    return json{"<pad>", "<unk>", "xxunk", "xxpad", "xxbos", "xxeos", "xxfld", "xxrep", "xxwrep", "xxup",
                "xxmaj", "the", ".", ",", "n't", "'s", "do", "ca", "3", "4", "!", " ", "\n", "\t", "好", "a"};
}

const std::vector<TokenizerConfig>& tokenizers() {
    static const std::vector<TokenizerConfig> all = [] {
        std::vector<TokenizerConfig> t;
        const json unk = {{"vocab", vocabulary()}, {"unk", "<unk>"}};
        auto with = [&](json extra) {
            json object = unk;
            object.update(extra);
            return parse_tokenizer(object, "fuzz_tokenizers");
        };
        t.push_back(with({{"type", "word"}}));
        t.push_back(with({{"type", "char"}}));
        t.push_back(with({{"type", "char"}, {"keep_spaces", true}, {"lowercase", true}}));
        t.push_back(with({{"type", "whitespace"}, {"unk", nullptr}}));  // unknown words dropped
        t.push_back(with({{"type", "keras"}}));
        t.push_back(with({{"type", "keras_char"}, {"pad_to", 40}, {"padding", "pre"}}));
        t.push_back(parse_tokenizer(json{{"type", "fastai"}, {"vocab", vocabulary()}}, "fuzz_tokenizers"));
        t.push_back(parse_tokenizer(json{{"type", "fastai"}, {"vocab", vocabulary()}, {"pad_to", 24}},
                                    "fuzz_tokenizers"));
        return t;
    }();
    return all;
}

void check(const TokenizerConfig& config, const Tokenized& t, std::string_view text) {
    const int length = static_cast<int>(decode_utf8(text).size());
    const int vocab = static_cast<int>(config.vocab.size());
    int last_end = 0;
    for (const Token& token : t.tokens) {
        if (token.id < 0 || token.id >= vocab) std::abort();
        if (token.pad) {
            if (token.start != -1 || token.end != -1) std::abort();
            continue;
        }
        if (token.start < 0 || token.start > token.end || token.end > length) std::abort();
        if (token.start < last_end) std::abort();
        last_end = token.end;
    }
    if (config.pad_to && !t.tokens.empty() && static_cast<int>(t.tokens.size()) != *config.pad_to) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const TokenizerConfig& config : tokenizers())
        fuzz::tolerate([&] { check(config, tokenize(config, text), text); });
    return 0;
}
