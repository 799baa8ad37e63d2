// The one selection every view reads and writes (see DESIGN.md): the token
// (timestep), the LSTM unit, the LSTM node/layer/direction shown in the gates
// view, and the attention node/head shown in the attention view. Views never
// talk to each other; they only listen to these signals and call the setters.
// Setters do nothing when the value is unchanged, so a view that writes back
// what it was just told cannot start a signal loop.
#pragma once

#include <QObject>
#include <QString>

#include "engine/trace.h"

class Selection : public QObject {
    Q_OBJECT
public:
    explicit Selection(QObject* parent = nullptr) : QObject(parent) {}

    int token() const { return token_; }          // -1: none
    int hoverToken() const { return hover_; }     // -1: none; the token under the mouse anywhere
    int unit() const { return unit_; }            // -1: none
    QString lstmNode() const { return lstmNode_; }
    int layer() const { return layer_; }
    lstmscope::Direction direction() const { return direction_; }
    QString attentionNode() const { return attentionNode_; }
    int head() const { return head_; }            // -1: the average over heads

public slots:
    void setToken(int token);
    void setHoverToken(int token);
    void setUnit(int unit);
    void setLstm(const QString& node, int layer, lstmscope::Direction direction);
    void setAttention(const QString& node, int head);
    // Forget everything (a new model was loaded).
    void clear();

signals:
    void tokenChanged(int token);
    void hoverTokenChanged(int token);
    void unitChanged(int unit);
    void lstmChanged();
    void attentionChanged();

private:
    int token_ = -1;
    int hover_ = -1;
    int unit_ = -1;
    QString lstmNode_;
    int layer_ = 0;
    lstmscope::Direction direction_ = lstmscope::Direction::Forward;
    QString attentionNode_;
    int head_ = 0;
};
