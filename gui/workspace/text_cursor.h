// The text position every pane agrees on: the selected and the hovered
// character span, in the code points of pane A's text. Token numbers mean
// nothing across models (a word model's token 3 is a character model's
// tokens 10-16), characters do; the Workspace maps this span into each
// pane's tokens, through the word alignment when pane B reads another text.
#pragma once

#include <QObject>
#include <optional>

#include "engine/analysis/text_alignment.h"

class TextCursor : public QObject {
    Q_OBJECT
public:
    using Span = std::optional<lstmscope::analysis::CharSpan>;

    explicit TextCursor(QObject* parent = nullptr) : QObject(parent) {}

    Span selected() const { return selected_; }
    Span hovered() const { return hovered_; }

    // Emit only on a change, so that mapping back and forth settles.
    void setSelected(const Span& span) {
        if (span == selected_) return;
        selected_ = span;
        emit selectedChanged();
    }
    void setHovered(const Span& span) {
        if (span == hovered_) return;
        hovered_ = span;
        emit hoveredChanged();
    }

signals:
    void selectedChanged();
    void hoveredChanged();

private:
    Span selected_;
    Span hovered_;
};
