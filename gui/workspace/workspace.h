// Everything the window shows, without widgets: pane A, in compare mode
// pane B, the shared TextCursor, and the links between them (the README,
// "Comparing two models, or two texts").
//
//   Single     pane A only.
//   TwoModels  pane B holds a second model and follows pane A's text.
//   TwoTexts   pane B holds pane A's model on a pinned text of its own (a
//              minimal pair); the two texts are aligned word by word, and
//              the panes share their node, layer, unit and head choices,
//              since the names mean the same in one model.
//
// Token selections link by characters: a selection in one pane becomes a
// span on the cursor, and every other pane selects the tokens that overlap
// that span (mapped through the word alignment for two texts). What belongs
// to one model (node, layer, direction, unit, head) never crosses models.
#pragma once

#include <QList>
#include <QObject>
#include <QString>

#include "engine/analysis/text_alignment.h"

class Pane;
class TextCursor;

class Workspace : public QObject {
    Q_OBJECT
public:
    enum class Mode { Single, TwoModels, TwoTexts };

    explicit Workspace(QObject* parent = nullptr);

    Pane* paneA() const { return a_; }
    Pane* paneB() const { return mode_ == Mode::Single ? nullptr : b_; }
    // Both panes, whatever the mode: pane B exists (empty) in single mode
    // too, so that listeners can be connected once.
    QList<Pane*> allPanes() const { return {a_, b_}; }
    Mode mode() const { return mode_; }
    bool comparing() const { return mode_ != Mode::Single; }
    TextCursor* cursor() const { return cursor_; }
    // Text A against text B; the identity unless two texts are compared.
    const lstmscope::analysis::TextAlignment& alignment() const { return alignment_; }

    // Pane A's model. On failure returns false with the engine's message.
    bool openModel(const QString& path, QString* error);
    // The editor's text: pane A's, and pane B's when it follows A.
    void setText(const QString& text);
    // Compare pane A's model with another on the same text.
    bool openCompareModel(const QString& path, QString* error);
    // Freeze pane A's current text as pane B's (same model). `text` empty:
    // the current text of pane A. Fails without a model.
    bool pinText(const QString& text, QString* error);
    // Pane B's own text (TwoTexts only).
    void setTextB(const QString& text);
    // Back to one model.
    void closeB();

    // The selected and hovered span in pane A's text (the cursor's frame)
    // mapped into `pane`'s text; nullopt when it has no counterpart there.
    std::optional<lstmscope::analysis::CharSpan> spanIn(const Pane* pane,
                                                        std::optional<lstmscope::analysis::CharSpan> spanA) const;

signals:
    void modeChanged();
    void alignmentChanged();

private:
    void linkSelection(Pane* from, bool hover);
    void applyCursor(bool hover);
    void shareChoices(Pane* from, Pane* to);
    void realign();
    void setMode(Mode mode);

    Pane* a_;
    Pane* b_;
    TextCursor* cursor_;
    Mode mode_ = Mode::Single;
    lstmscope::analysis::TextAlignment alignment_;
    bool linking_ = false;  // a selection is being mapped into the other pane
};
