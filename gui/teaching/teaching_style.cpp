#include "gui/teaching/teaching_style.h"

#include <cmath>

namespace teaching {
namespace {

Palette current = Palette::Standard;

}  // namespace

void setPalette(Palette p) { current = p; }
Palette palette() { return current; }

QColor gateColor(int gate) {
    // i bluish green, f vermillion, g sky blue, o reddish purple.
    static const QColor standard[] = {QColor(0x00, 0x9E, 0x73), QColor(0xD5, 0x5E, 0x00), QColor(0x56, 0xB4, 0xE9),
                                      QColor(0xCC, 0x79, 0xA7)};
    static const QColor strong[] = {QColor(0x00, 0x6B, 0x4E), QColor(0xB0, 0x3A, 0x00), QColor(0x1F, 0x6F, 0xA8),
                                    QColor(0x9A, 0x2E, 0x72)};
    const int k = gate < 0 || gate > 3 ? 0 : gate;
    return current == Palette::HighContrast ? strong[k] : standard[k];
}

QColor gruGateColor(int gate) {
    static const int lstmCounterpart[] = {3, 1, 2};  // r -> o, z -> f, n -> g
    return gateColor(lstmCounterpart[gate < 0 || gate > 2 ? 0 : gate]);
}

QColor cellStateColor() { return current == Palette::HighContrast ? QColor(0, 0, 0) : QColor(0x33, 0x33, 0x33); }
QColor hiddenStateColor() { return current == Palette::HighContrast ? QColor(0x20, 0x20, 0x20) : QColor(0x55, 0x55, 0x55); }
QColor inactiveColor() { return current == Palette::HighContrast ? QColor(0xB8, 0xB8, 0xB8) : QColor(0xCF, 0xCF, 0xCF); }
QColor textColor() { return current == Palette::HighContrast ? QColor(0, 0, 0) : QColor(0x22, 0x22, 0x22); }

QString number(double value, bool bracketNegative) {
    // Two decimals read aloud well; a value that would show as 0.00 gets
    // three significant digits instead, so no number claims to be zero.
    QString s;
    if (value != 0 && std::fabs(value) < 0.005)
        s = QString::number(value, 'g', 3);
    else
        s = QString::number(value, 'f', 2);
    if (s.startsWith('-')) {
        s.replace(0, 1, QChar(0x2212));
        if (bracketNegative) s = '(' + s + ')';
    }
    return s;
}

QString subscript(int value) {
    const QString digits = QString::number(value);
    QString out;
    for (QChar c : digits) out += c == '-' ? QChar(0x208B) : QChar(0x2080 + (c.unicode() - '0'));
    return out;
}

}  // namespace teaching
