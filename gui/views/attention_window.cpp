#include "gui/views/attention_window.h"

#include <QLocale>
#include <algorithm>

#include "engine/attention_source.h"

using lstmscope::AttentionSummary;
using lstmscope::Matrix;
using lstmscope::analysis::AttentionChoice;

int CellAxis::firstPosition(int cell) const {
    if (cell < 0 || cell >= count) return -1;
    return binned ? AttentionSummary::bin_first(cell, total, count) : first + cell;
}

int CellAxis::lastPosition(int cell) const {
    if (cell < 0 || cell >= count) return -1;
    return binned ? AttentionSummary::bin_first(cell + 1, total, count) - 1 : first + cell;
}

int CellAxis::cellOf(int position) const {
    if (position < 0 || position >= total) return -1;
    if (binned) return AttentionSummary::bin_of(position, total, count);
    return position >= first && position < first + count ? position - first : -1;
}

namespace {

// "1–79": 1-based positions, as every other label of the app.
QStringList binLabels(const CellAxis& axis) {
    const QLocale locale;
    QStringList out;
    for (int b = 0; b < axis.count; ++b) {
        const int a = axis.firstPosition(b) + 1, z = axis.lastPosition(b) + 1;
        out << (a == z ? locale.toString(a) : QStringLiteral("%1–%2").arg(locale.toString(a), locale.toString(z)));
    }
    return out;
}

QStringList windowLabels(const CellAxis& axis, const QStringList& tokens, const QString& prefix) {
    QStringList out;
    for (int c = 0; c < axis.count; ++c) {
        const int p = axis.first + c;
        out << (axis.total == tokens.size() ? tokens[p] : QStringLiteral("%1%2").arg(prefix).arg(p + 1));
    }
    return out;
}

}  // namespace

AttentionPicture summaryPicture(const AttentionChoice& choice, bool allHeads) {
    AttentionPicture p;
    if (!choice.node || choice.node->attention_summary.empty()) return p;
    const AttentionSummary& s = choice.node->attention_summary;
    if (allHeads) p.heads = s.heads;
    else p.heads.push_back(lstmscope::analysis::attention_summary(choice));
    p.rows = {0, s.row_bins(), s.rows, true};
    p.columns = {0, s.column_bins(), s.columns, true};
    p.rowLabels = binLabels(p.rows);
    p.columnLabels = binLabels(p.columns);
    return p;
}

AttentionPicture windowPicture(const AttentionChoice& choice, bool allHeads, const QStringList& tokens, int rowFirst,
                               int columnFirst) {
    AttentionPicture p;
    if (!choice.node || !choice.node->attention_source) return p;
    const lstmscope::AttentionSource& src = *choice.node->attention_source;
    const int rows = src.rows(), columns = src.columns();
    const int n = std::min(kAttentionWindow, rows), m = std::min(kAttentionWindow, columns);
    rowFirst = std::clamp(rowFirst, 0, rows - n);
    columnFirst = std::clamp(columnFirst, 0, columns - m);
    p.rows = {rowFirst, n, rows, false};
    p.columns = {columnFirst, m, columns, false};
    if (allHeads) {
        for (int h = 0; h < src.heads(); ++h) p.heads.push_back(src.weights(h, rowFirst, n).middleCols(columnFirst, m));
    } else {
        p.heads.push_back(lstmscope::analysis::attention_rows(choice, rowFirst, n).middleCols(columnFirst, m));
    }
    p.rowLabels = windowLabels(p.rows, tokens, QStringLiteral("q"));
    p.columnLabels = windowLabels(p.columns, tokens, QStringLiteral("k"));
    return p;
}

int windowStartAround(int position, int total) {
    const int n = std::min(kAttentionWindow, total);
    return std::clamp(position - n / 2, 0, std::max(0, total - n));
}
