// A corpus text shown around some of its tokens, the tokens highlighted:
// a unit's top activating context, a pattern search match. The tokens'
// characters come from the model's own tokenizer (run again on that one
// text, which is cheap), so a character model highlights characters and a
// word model words. And the delegate that draws such rich text in a list.
#pragma once

#include <QString>
#include <QStyledItemDelegate>
#include <string>

#include "engine/model.h"

// HTML: the text (newlines as spaces) from `context` characters before
// token `first` to `context` after token `end - 1`, "…" where it is cut,
// tokens [first, end) in bold on a highlight. Plain text if the tokens are
// not in the text.
QString highlightedContext(const lstmscope::Model& model, const std::string& text, int first, int end,
                           int context = 50);

// The tokens [first, end) as they read in the text ("the food was").
QString tokenSpanText(const lstmscope::Model& model, const std::string& text, int first, int end);

// Draws an item's DisplayRole as rich text (HTML), on one line.
class RichTextDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};
