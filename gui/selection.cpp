#include "gui/selection.h"

void Selection::setToken(int token) {
    if (token == token_) return;
    token_ = token;
    emit tokenChanged(token_);
}

void Selection::setHoverToken(int token) {
    if (token == hover_) return;
    hover_ = token;
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

void Selection::clear() {
    setToken(-1);
    setHoverToken(-1);
    setUnit(-1);
    setLstm(QString(), 0, lstmscope::Direction::Forward);
    setAttention(QString(), 0);
}
