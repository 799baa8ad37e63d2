// Tokens made only of white space (keras_char keeps spaces and newlines, and
// some tokenizers keep spaces, newlines and tabs as tokens of their own) would
// draw as an empty chip or an empty axis label. They are drawn as marks
// instead: ␣ for a space, ↵ for a newline, ⇥ for a tab (dimmer than text, so
// they read as marks, not as characters of the text), and tooltips name what
// the marks stand for. Pure string functions; the plots and the token strip
// decide the colour.
#pragma once

#include <QString>

namespace whitespace_marks {

// Whether `text` is non-empty and made of white space only.
bool isWhitespace(const QString& text);

// One mark per character: ␣ space (and any other space, such as U+00A0 or
// U+3000), ↵ newline (a "\r\n" pair is one newline), ␍ a lone carriage
// return, ⇥ tab. The text itself when it is not white space.
QString marks(const QString& text);

// Whether a label shown on an axis or a chip is made of marks only (drawn
// dimmer). True also for a token that really is "␣" in the text: harmless.
bool isMarksOnly(const QString& label);

// What the marks stand for, for tooltips: "space", "space ×4",
// "space ×2, newline"; other spaces by code point ("U+00A0"). Empty when
// `text` is not white space.
QString describe(const QString& text);

}  // namespace whitespace_marks
