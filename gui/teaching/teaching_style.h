// The colours and number formats every teaching view shares, so a colour
// means the same thing in the cell diagram, its equations, the attention
// equation and the lessons: one colour per gate, fixed, from the Okabe-Ito
// palette (told apart with every common colour-vision deficiency), and none
// of them the A/B badge colours of compare mode (blue #0072B2, orange
// #E69F00). A high-contrast palette (presentation mode) swaps them for
// darker, fully saturated ones.
#pragma once

#include <QColor>
#include <QString>

namespace teaching {

enum class Palette { Standard, HighContrast };
void setPalette(Palette palette);
Palette palette();

// Gate colours, in PyTorch's order i, f, g, o.
QColor gateColor(int gate);
// A GRU's, in its order r, z, n: each its LSTM counterpart's colour (z, the
// share of the old state kept, f's; n, the candidate, g's; r o's).
QColor gruGateColor(int gate);
QColor cellStateColor();   // the c line
QColor hiddenStateColor(); // the h line
QColor inactiveColor();    // a path not being computed in the current stage
QColor textColor();

// "0.93", "−0.77" (a true minus sign), "(−0.77)" when `bracketNegative`,
// as a factor in a product.
QString number(double value, bool bracketNegative = false);
// Digits as Unicode subscripts: 17 -> "₁₇".
QString subscript(int value);

}  // namespace teaching
