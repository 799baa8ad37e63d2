// What the tokenizer tests compare of a tokenizer's answer: the token texts,
// their code point spans and their ids, as plain vectors.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/tokenizer.h"

namespace lstmscope::testing {

using Strings = std::vector<std::string>;
using Spans = std::vector<std::pair<int, int>>;

inline Strings texts(const Tokenized& t) {
    Strings out;
    for (const Token& token : t.tokens) out.push_back(token.text);
    return out;
}

inline Spans spans(const Tokenized& t) {
    Spans out;
    for (const Token& token : t.tokens) out.emplace_back(token.start, token.end);
    return out;
}

inline std::vector<int32_t> ids(const Tokenized& t) {
    std::vector<int32_t> out;
    for (const Token& token : t.tokens) out.push_back(token.id);
    return out;
}

}  // namespace lstmscope::testing
