#include "gui/workspace/workspace.h"

#include <algorithm>

#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/text_cursor.h"

namespace analysis = lstmscope::analysis;

Workspace::Workspace(QObject* parent)
    : QObject(parent), a_(new Pane(Pane::Side::A, this)), b_(new Pane(Pane::Side::B, this)),
      cursor_(new TextCursor(this)) {
    for (Pane* pane : {a_, b_}) {
        Selection* selection = pane->selection();
        connect(selection, &Selection::tokenChanged, this, [this, pane] { linkSelection(pane, false); });
        connect(selection, &Selection::hoverTokenChanged, this, [this, pane] { linkSelection(pane, true); });
        connect(pane->document(), &Document::traceChanged, this, [this, pane] {
            if (!comparing()) return;
            realign();
            // Pane A's selection is the reference: re-map it onto the other
            // pane's new tokens; a new trace in B takes the cursor as it is.
            if (pane == a_) {
                linkSelection(a_, false);
                linkSelection(a_, true);
            } else {
                applyCursor(false);
                applyCursor(true);
            }
        });
        Pane* other = pane == a_ ? b_ : a_;
        // One model's names mean something in the other pane only when both
        // hold the same model (two texts). Setters ignore unchanged values,
        // so copying back and forth settles after one round.
        auto share = [this, pane, other] {
            if (mode_ == Mode::TwoTexts) shareChoices(pane, other);
        };
        connect(selection, &Selection::lstmChanged, this, share);
        connect(selection, &Selection::attentionChanged, this, share);
        connect(selection, &Selection::unitChanged, this, share);
    }
}

bool Workspace::openModel(const QString& path, QString* error) { return a_->document()->loadModel(path, error); }

void Workspace::setText(const QString& text) {
    a_->document()->setText(text);
    if (mode_ == Mode::TwoModels) b_->document()->setText(text);
}

bool Workspace::openCompareModel(const QString& path, QString* error) {
    // The text first: loading then runs it, on a worker when it is long, so
    // opening a second model on a 5,000-word text does not freeze the window.
    b_->document()->setText(a_->document()->text());
    if (!b_->document()->loadModel(path, error)) return false;
    setMode(Mode::TwoModels);
    return true;
}

bool Workspace::pinText(const QString& text, QString* error) {
    const QString path = a_->document()->modelPath();
    if (path.isEmpty()) {
        if (error) *error = tr("Open a model first: a pinned text is compared on the same model.");
        return false;
    }
    b_->document()->setText(text.isEmpty() ? a_->document()->text() : text);
    if (!b_->document()->loadModel(path, error)) return false;
    // The same model: the panes show the same node, layer, unit and head.
    shareChoices(a_, b_);
    setMode(Mode::TwoTexts);
    return true;
}

void Workspace::setTextB(const QString& text) {
    if (mode_ == Mode::TwoTexts) b_->document()->setText(text);
}

void Workspace::closeB() {
    if (mode_ == Mode::Single) return;
    // Single mode first: clearing B must not reach A through the links (it
    // wiped A's selected token and, for a pinned pair, A's unit).
    setMode(Mode::Single);
    b_->selection()->clear();
}

void Workspace::setMode(Mode mode) {
    if (mode == mode_) {
        realign();
        return;
    }
    mode_ = mode;
    realign();
    emit modeChanged();
    if (comparing()) {
        linkSelection(a_, false);
        linkSelection(a_, true);
    }
}

void Workspace::realign() {
    analysis::TextAlignment next;
    if (mode_ == Mode::TwoTexts) {
        const auto* ta = a_->document()->trace();
        const auto* tb = b_->document()->trace();
        // The traces' own texts: the token spans refer to them, not to an
        // editor that may already hold a newer text.
        const std::string textA = ta ? ta->text : a_->document()->text().toStdString();
        const std::string textB = tb ? tb->text : b_->document()->text().toStdString();
        next = analysis::TextAlignment::align(textA, textB);
    }
    alignment_ = std::move(next);
    emit alignmentChanged();
}

std::optional<analysis::CharSpan> Workspace::spanIn(const Pane* pane, std::optional<analysis::CharSpan> spanA) const {
    if (!spanA) return std::nullopt;
    if (pane == a_ || mode_ != Mode::TwoTexts) return spanA;
    return alignment_.a_to_b(*spanA);
}

void Workspace::linkSelection(Pane* from, bool hover) {
    if (linking_) return;
    if (!comparing() && from != a_) return;
    const Selection* s = from->selection();
    const int first = hover ? s->hoverToken() : s->token();
    const int last = hover ? s->hoverTokenLast() : s->tokenLast();
    const auto* trace = from->document()->trace();
    std::optional<analysis::CharSpan> span;
    if (trace && first >= 0) span = analysis::span_of_tokens(trace->tokens, first, last);
    if (span && from != a_ && mode_ == Mode::TwoTexts) span = alignment_.b_to_a(*span);
    linking_ = true;
    if (hover) cursor_->setHovered(span);
    else cursor_->setSelected(span);
    linking_ = false;
    if (comparing()) {
        // Only the other pane follows: the one the user touched keeps
        // exactly what was clicked.
        Pane* other = from == a_ ? b_ : a_;
        linking_ = true;
        const auto target = other == a_ ? span : spanIn(other, span);
        const auto* otherTrace = other->document()->trace();
        int f = -1, l = -1;
        if (target && otherTrace) {
            const auto tokens = analysis::tokens_overlapping(otherTrace->tokens, *target);
            if (!tokens.empty()) f = tokens.front(), l = tokens.back();
        }
        if (hover) other->selection()->setHoverRange(f, l);
        else other->selection()->setTokenRange(f, l);
        linking_ = false;
    }
}

void Workspace::applyCursor(bool hover) {
    if (!comparing() || linking_) return;
    const auto span = hover ? cursor_->hovered() : cursor_->selected();
    const auto target = spanIn(b_, span);
    const auto* trace = b_->document()->trace();
    int f = -1, l = -1;
    if (target && trace) {
        const auto tokens = analysis::tokens_overlapping(trace->tokens, *target);
        if (!tokens.empty()) f = tokens.front(), l = tokens.back();
    }
    linking_ = true;
    if (hover) b_->selection()->setHoverRange(f, l);
    else b_->selection()->setTokenRange(f, l);
    linking_ = false;
}

void Workspace::shareChoices(Pane* from, Pane* to) {
    const Selection* s = from->selection();
    Selection* t = to->selection();
    t->setLstm(s->lstmNode(), s->layer(), s->direction());
    t->setAttention(s->attentionNode(), s->head());
    t->setUnit(s->unit());
}
