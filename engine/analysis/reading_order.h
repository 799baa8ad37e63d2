// A trace's text in reading order, as the token strip draws it: the tokens,
// runs of padding (collapsed into one item unless asked otherwise), and the
// text the model never saw (dropped as unknown, cut by pad_to) where it was
// typed, so that the strip always reads like the original text. Qt-free so
// that it has its own tests; the strip only turns items into chips.
#pragma once

#include <string>
#include <vector>

#include "engine/trace.h"

namespace lstmscope::analysis {

struct ReadingItem {
    enum class Kind { Token, PadGroup, Dropped, Truncated };
    Kind kind = Kind::Token;
    int token = -1;            // first token index (Token, PadGroup); -1 for text the model never saw
    int count = 1;             // tokens in a PadGroup
    std::string text;          // a token's text, or the unseen text; empty for padding
    int start = -1, end = -1;  // code points; -1 for padding
    bool unknown = false;      // the tokenizer's unknown-word id
};

struct ReadingOrder {
    std::vector<ReadingItem> items;
    std::vector<int> item_of_token;  // token index -> item index
};

// `unk_id` < 0: the model has no unknown-word entry. `expand_padding`: one
// item per padding token instead of one per run.
ReadingOrder reading_order(const Trace& trace, int unk_id, bool expand_padding);

}  // namespace lstmscope::analysis
