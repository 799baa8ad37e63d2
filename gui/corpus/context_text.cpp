#include "gui/corpus/context_text.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QPainter>
#include <QTextDocument>
#include <algorithm>

#include "engine/tokenizer.h"

namespace {

// The code points of the text, and the code point span of tokens [first, end).
struct Span {
    QList<uint> points;
    int start = -1, end = -1;
};

Span spanOf(const lstmscope::Model& model, const std::string& text, int first, int end) {
    Span s;
    const QString q = QString::fromStdString(text);
    for (char32_t c : q.toUcs4()) s.points << static_cast<uint>(c);
    const auto tokens = lstmscope::tokenize(model.tokenizer, text).tokens;
    for (int t = std::max(0, first); t < end && t < static_cast<int>(tokens.size()); ++t) {
        const auto& token = tokens[static_cast<size_t>(t)];
        if (token.pad || token.start < 0) continue;
        if (s.start < 0 || token.start < s.start) s.start = token.start;
        s.end = std::max(s.end, token.end);
    }
    if (s.start < 0 || s.end > s.points.size()) s.start = s.end = -1;
    return s;
}

QString slice(const QList<uint>& points, int from, int to) {
    QString out;
    for (int k = std::max(0, from); k < to && k < points.size(); ++k) {
        const char32_t c = points[k];
        if (c == U'\n' || c == U'\r' || c == U'\t') out += QLatin1Char(' ');
        else out += QString::fromUcs4(&c, 1);
    }
    return out;
}

}  // namespace

QString highlightedContext(const lstmscope::Model& model, const std::string& text, int first, int end, int context) {
    const Span s = spanOf(model, text, first, end);
    if (s.start < 0) return slice(s.points, 0, static_cast<int>(s.points.size())).toHtmlEscaped();
    const int from = std::max(0, s.start - context);
    const int to = std::min(static_cast<int>(s.points.size()), s.end + context);
    QString html;
    if (from > 0) html += QStringLiteral("…");
    html += slice(s.points, from, s.start).toHtmlEscaped();
    html += QStringLiteral("<b style=\"background-color:#ffd966; color:#000000\">") +
            slice(s.points, s.start, s.end).toHtmlEscaped() + QStringLiteral("</b>");
    html += slice(s.points, s.end, to).toHtmlEscaped();
    if (to < s.points.size()) html += QStringLiteral("…");
    return html;
}

QString tokenSpanText(const lstmscope::Model& model, const std::string& text, int first, int end) {
    const Span s = spanOf(model, text, first, end);
    return s.start < 0 ? QString() : slice(s.points, s.start, s.end);
}

void RichTextDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString html = opt.text;
    opt.text.clear();
    QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    QTextDocument doc;
    doc.setDefaultFont(opt.font);
    doc.setDocumentMargin(2);
    doc.setHtml(html);
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget);
    painter->save();
    painter->translate(textRect.topLeft() + QPoint(0, std::max(0, (textRect.height() - static_cast<int>(doc.size().height())) / 2)));
    painter->setClipRect(QRect(QPoint(0, 0), textRect.size()));
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = opt.palette;
    context.palette.setColor(QPalette::Text, opt.state & QStyle::State_Selected
                                                 ? opt.palette.color(QPalette::HighlightedText)
                                                 : opt.palette.color(QPalette::Text));
    doc.documentLayout()->draw(painter, context);
    painter->restore();
}

QSize RichTextDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    QTextDocument doc;
    doc.setDefaultFont(opt.font);
    doc.setDocumentMargin(2);
    doc.setHtml(opt.text);
    return QSize(static_cast<int>(doc.idealWidth()) + 8, static_cast<int>(doc.size().height()) + 4);
}
