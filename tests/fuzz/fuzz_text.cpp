// Target 4: arbitrary bytes as the text (invalid UTF-8 included) through the
// tokenizer and a run of fixed models: the bundled word-level English
// BiGRU and character-level Chinese BiLSTM with self-attention, and the
// golden models of the other tokenizers (Keras, whitespace) and of padding.
// A tokenization must keep its promises: spans inside the text, in order.
#include <cstdlib>
#include <string_view>
#include <vector>

#include "engine/model.h"
#include "engine/runner.h"
#include "engine/tokenizer.h"
#include "engine/utf8.h"
#include "fuzz_support.h"

using namespace lstmscope;

namespace {

const std::vector<Model>& models() {
    static const std::vector<Model> all = [] {
        std::vector<Model> m;
        for (const char* path : {"models/sentiment_en_bigru_attn.json", "models/sentiment_zh_char_bilstm_selfattn.json",
                                 "tests/data/golden/tok_keras.json", "tests/data/golden/tok_whitespace.json",
                                 "tests/data/golden/pad_pre.json", "tests/data/golden/unk_drop.json"})
            m.push_back(Model::load(fuzz::source_path(path)));
        return m;
    }();
    return all;
}

void check_spans(const Tokenized& t, std::string_view text) {
    const int length = static_cast<int>(decode_utf8(text).size());
    int last_end = 0;
    for (const Token& token : t.tokens) {
        if (token.pad) continue;
        if (token.start < 0 || token.start > token.end || token.end > length) std::abort();
        if (token.start < last_end) std::abort();
        last_end = token.end;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const Model& model : models()) {
        fuzz::tolerate([&] { check_spans(tokenize(model.tokenizer, text), text); });
        fuzz::tolerate([&] { run(model, text, fuzz::short_run()); });
    }
    return 0;
}
