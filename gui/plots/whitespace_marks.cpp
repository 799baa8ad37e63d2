#include "gui/plots/whitespace_marks.h"

#include <QCoreApplication>
#include <QStringList>

namespace whitespace_marks {

namespace {

const QChar kSpaceMark(0x2423);    // ␣
const QChar kNewlineMark(0x21B5);  // ↵
const QChar kReturnMark(0x240D);   // ␍
const QChar kTabMark(0x21E5);      // ⇥

// The characters of `text` as runs of one kind: "\r\n" counts as one newline.
struct Run {
    QChar kind;  // '\n', '\r', '\t', ' ' or the other space character itself
    int count = 0;
};

QList<Run> runs(const QString& text) {
    QList<Run> out;
    for (qsizetype k = 0; k < text.size(); ++k) {
        QChar c = text[k];
        if (c == u'\r' && k + 1 < text.size() && text[k + 1] == u'\n') {
            c = u'\n';
            ++k;
        }
        if (!out.isEmpty() && out.back().kind == c) ++out.back().count;
        else out.append({c, 1});
    }
    return out;
}

QChar markOf(QChar kind) {
    if (kind == u'\n') return kNewlineMark;
    if (kind == u'\r') return kReturnMark;
    if (kind == u'\t') return kTabMark;
    return kSpaceMark;
}

QString nameOf(QChar kind) {
    if (kind == u'\n') return QCoreApplication::translate("WhitespaceMarks", "newline");
    if (kind == u'\r') return QCoreApplication::translate("WhitespaceMarks", "carriage return");
    if (kind == u'\t') return QCoreApplication::translate("WhitespaceMarks", "tab");
    if (kind == u' ') return QCoreApplication::translate("WhitespaceMarks", "space");
    return QStringLiteral("U+%1").arg(kind.unicode(), 4, 16, QLatin1Char('0')).toUpper();
}

}  // namespace

bool isWhitespace(const QString& text) {
    if (text.isEmpty()) return false;
    for (QChar c : text)
        if (!c.isSpace()) return false;
    return true;
}

QString marks(const QString& text) {
    if (!isWhitespace(text)) return text;
    QString out;
    for (const Run& r : runs(text)) out += QString(r.count, markOf(r.kind));
    return out;
}

bool isMarksOnly(const QString& label) {
    if (label.isEmpty()) return false;
    for (QChar c : label)
        if (c != kSpaceMark && c != kNewlineMark && c != kReturnMark && c != kTabMark && c != QChar(0x2026))
            return false;
    return label != QString(QChar(0x2026));  // an ellipsis alone is an elided label, not a mark
}

QString describe(const QString& text) {
    if (!isWhitespace(text)) return {};
    QStringList parts;
    for (const Run& r : runs(text))
        parts << (r.count == 1 ? nameOf(r.kind) : QStringLiteral("%1 ×%2").arg(nameOf(r.kind)).arg(r.count));
    return parts.join(QStringLiteral(", "));
}

}  // namespace whitespace_marks
