// The `fastai` tokenizer type: fastai v2's default text rules (fastai/text/
// core.py: fix_html, replace_rep, replace_wrep, spec_add_spaces,
// rm_useless_spaces, replace_all_caps, replace_maj, lowercase with xxbos)
// followed by an approximation of spaCy's English tokenizer, which the engine
// cannot embed. models/FORMAT.md ("The fastai type") lists what is reproduced
// exactly and what is not; tools/lstmscope_format/tokenizer.py is the twin
// that must agree with this file token for token.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lstmscope {

// fastai's special tokens (defaults.text_spec_tok). The rules produce xxbos,
// xxmaj, xxup, xxrep and xxwrep (and fix_html turns "<unk>" into xxunk).
inline constexpr std::string_view kFastaiUnk = "xxunk";
inline constexpr std::string_view kFastaiPad = "xxpad";
inline constexpr std::string_view kFastaiSpecials[] = {"xxunk", "xxpad", "xxbos", "xxeos", "xxfld",
                                                      "xxrep", "xxwrep", "xxup", "xxmaj"};
// The ones a fastai vocabulary must hold because the rules emit them.
inline constexpr std::string_view kFastaiEmitted[] = {"xxbos", "xxmaj", "xxup", "xxrep", "xxwrep"};

// One token before the vocabulary lookup: its text (lowercased, spaces inside
// a white space token written as U+2581 like fastai's replace_space) and its
// span in code points of the original text. Tokens that come from no text
// have an empty span: xxbos at 0; xxmaj, xxup, xxrep, xxwrep and the counts
// at the start of the token they mark. The repeated character or word spans
// the whole repetition. Spans never overlap and come in order.
struct TextPiece {
    std::string text;
    int start = 0;
    int end = 0;
};

std::vector<TextPiece> fastai_pieces(const std::u32string& original);

}  // namespace lstmscope
