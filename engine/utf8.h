// UTF-8 and the few Unicode character classes the tokenizer needs. Text from
// users may be anything, so decoding never fails: a byte that does not start a
// valid sequence becomes one U+FFFD. The character classes are small tables
// (documented in utf8.cpp), not full ICU: enough for the scripts the bundled
// models see, and stable so that spans never depend on the system's locale.
#pragma once

#include <string>
#include <string_view>

namespace lstmscope {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Code points of `text`. Every byte that does not begin a complete,
// shortest-form encoding of a Unicode scalar value (stray continuation bytes,
// overlong forms, surrogates, values above U+10FFFF, sequences cut short)
// yields one U+FFFD and decoding resumes at the next byte.
std::u32string decode_utf8(std::string_view text);

// Appends the UTF-8 form of `cp`; a surrogate or a value above U+10FFFF is
// written as U+FFFD so that the output is always valid UTF-8.
void append_utf8(std::string& out, char32_t cp);
std::string encode_utf8(std::u32string_view cps);

// Valid UTF-8 holding exactly the code points decode_utf8 returns, so code
// point offsets computed on the original text index the sanitized one.
std::string sanitize_utf8(std::string_view text);

// Simple one-to-one lowercase mapping (never changes the code point count).
// Covers ASCII, Latin-1, Latin Extended-A/B and Additional, Greek, Cyrillic,
// Armenian, fullwidth Latin and a few letter-like blocks; anything else is
// returned unchanged.
char32_t to_lower(char32_t cp);

// Appends the lowercase of text[i] exactly as Python's str.lower() writes it
// when lowering the whole of `text` (as Keras and most training scripts do):
// to_lower, except that U+0130 becomes "i" + U+0307 and a capital sigma at
// the end of a word becomes the final sigma U+03C2 (Unicode's Final_Sigma).
// Only the token text uses this; spans stay on the original code points.
void append_lowercase(std::string& out, std::u32string_view text, size_t i);

// The Unicode White_Space property.
bool is_whitespace(char32_t cp);

// Characters that are a token on their own in `word` mode even inside a run
// of letters: CJK ideographs (URO, extensions A-H, compatibility), radicals,
// Bopomofo, Hiragana, Katakana (incl. halfwidth) and Hangul syllables and jamo.
bool is_cjk_single(char32_t cp);

// Characters that extend a word in `word` mode: ASCII letters and digits, the
// apostrophe and the underscore, and any code point >= U+0080 that is not
// white space, not a control, not a listed punctuation or symbol block and
// not a CJK single (that is, letters, marks and digits of other scripts).
bool is_word_char(char32_t cp);

}  // namespace lstmscope
