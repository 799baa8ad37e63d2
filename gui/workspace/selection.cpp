#include "gui/workspace/selection.h"

namespace {

void normalise(int& first, int& last) {
    if (first < 0 || last < first) first = last = -1;
}

}  // namespace

void Selection::setTokenRange(int first, int last) {
    normalise(first, last);
    if (first == token_ && last == tokenLast_) return;
    token_ = first;
    tokenLast_ = last;
    emit tokenChanged(token_);
}

void Selection::setHoverRange(int first, int last) {
    normalise(first, last);
    if (first == hover_ && last == hoverLast_) return;
    hover_ = first;
    hoverLast_ = last;
    emit hoverTokenChanged(hover_);
}

void Selection::setUnit(int unit) {
    if (unit == unit_) return;
    unit_ = unit;
    emit unitChanged(unit_);
}

void Selection::setLstm(const QString& node, int layer, lstmscope::Direction direction) {
    if (node == lstmNode_ && layer == layer_ && direction == direction_) return;
    lstmNode_ = node;
    layer_ = layer;
    direction_ = direction;
    emit lstmChanged();
}

void Selection::setAttention(const QString& node, int head) {
    if (node == attentionNode_ && head == head_) return;
    attentionNode_ = node;
    head_ = head;
    emit attentionChanged();
}

void Selection::setStep(int step) {
    step = step < 0 ? -1 : step;
    if (step == step_) return;
    step_ = step;
    emit stepChanged();
}

void Selection::setCellPhases(bool on) {
    if (on == cellPhases_) return;
    cellPhases_ = on;
    emit stepChanged();
}

void Selection::clear() {
    setStep(-1);
    setToken(-1);
    setHoverToken(-1);
    setUnit(-1);
    setLstm(QString(), 0, lstmscope::Direction::Forward);
    setAttention(QString(), 0);
}
