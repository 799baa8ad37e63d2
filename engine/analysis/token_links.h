// Token-to-token links between two traces, through character spans (and the
// word alignment when the texts differ): what lets the compare view draw
// pane B's values under pane A's tokens.
#pragma once

#include <span>
#include <vector>

#include "engine/analysis/text_alignment.h"
#include "engine/tokenizer.h"

namespace lstmscope::analysis {

// For each token of A, the first token of B whose span overlaps its span
// (mapped through `pair`), or -1 (padding, or a word B does not have).
std::vector<int> counterpart_tokens(std::span<const Token> a, std::span<const Token> b,
                                    const TextAlignment& pair = TextAlignment());

// Whether both tokenise alike: the same number of tokens with the same
// texts and spans (then matrices over tokens can be subtracted cell by cell).
bool same_tokens(std::span<const Token> a, std::span<const Token> b);

}  // namespace lstmscope::analysis
