// One pane's selection (its view state; gui/workspace/workspace.h says how
// the two panes of compare mode share the text and link their tokens): the selected and hovered tokens, the LSTM unit, the LSTM
// node/layer/direction shown in the gates view, and the attention node/head
// shown in the attention view. Every view of a pane reads and writes it;
// views never talk to each other. In compare mode each pane has its own, so
// one model's node names never reach the other model's views; the panes are
// linked only through character spans (Workspace, TextCursor).
//
// The token selection is a range: a click selects one token, but a word
// selected in a word-level model selects, in a character-level model, every
// character token it covers.
//
// Setters do nothing when the value is unchanged, so a view that writes back
// what it was just told cannot start a signal loop. An empty node name or -1
// means "nothing chosen": views then show the fallback that
// engine/analysis/view_choice.h resolves, without writing it here.
#pragma once

#include <QObject>
#include <QString>

#include "engine/trace.h"

class Selection : public QObject {
    Q_OBJECT
public:
    explicit Selection(QObject* parent = nullptr) : QObject(parent) {}

    int token() const { return token_; }          // first selected token; -1: none
    int tokenLast() const { return tokenLast_; }  // last selected token (== token() for one)
    bool tokenSelected(int t) const { return t >= 0 && t >= token_ && t <= tokenLast_; }
    int hoverToken() const { return hover_; }     // -1: none; the token under the mouse anywhere
    int hoverTokenLast() const { return hoverLast_; }
    bool tokenHovered(int t) const { return t >= 0 && t >= hover_ && t <= hoverLast_; }
    int unit() const { return unit_; }            // -1: none
    QString lstmNode() const { return lstmNode_; }
    int layer() const { return layer_; }
    lstmscope::Direction direction() const { return direction_; }
    QString attentionNode() const { return attentionNode_; }
    int head() const { return head_; }            // -1: the average over heads
    // Step-through (engine/analysis/computation_steps.h): the index of the
    // current step in the walk of the selected LSTM, or -1 when not stepping
    // (every view shows everything). cellPhases(): each timestep is walked in
    // its four stages (forget, input, update, output).
    int step() const { return step_; }
    bool stepping() const { return step_ >= 0; }
    bool cellPhases() const { return cellPhases_; }

public slots:
    void setToken(int token) { setTokenRange(token, token); }
    // [first, last]; -1 (or last < first) for none.
    void setTokenRange(int first, int last);
    void setHoverToken(int token) { setHoverRange(token, token); }
    void setHoverRange(int first, int last);
    void setUnit(int unit);
    void setLstm(const QString& node, int layer, lstmscope::Direction direction);
    void setAttention(const QString& node, int head);
    void setStep(int step);  // < 0: stop stepping
    void setCellPhases(bool on);
    // Forget everything (a new model was loaded).
    void clear();

signals:
    void tokenChanged(int token);
    void hoverTokenChanged(int token);
    void unitChanged(int unit);
    void lstmChanged();
    void attentionChanged();
    void stepChanged();  // the step or the cell-phase setting

private:
    int token_ = -1, tokenLast_ = -1;
    int hover_ = -1, hoverLast_ = -1;
    int unit_ = -1;
    QString lstmNode_;
    int layer_ = 0;
    lstmscope::Direction direction_ = lstmscope::Direction::Forward;
    QString attentionNode_;
    int head_ = 0;
    int step_ = -1;
    bool cellPhases_ = false;
};
