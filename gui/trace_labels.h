// Small read-only helpers every view uses to describe a trace: token labels
// for axes and chips, and which nodes carry attention or LSTM gates.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

#include "engine/trace.h"

// A token as shown on an axis or chip: its text, "⟨pad⟩" for padding,
// visible marks for white space.
QString tokenLabel(const lstmscope::Token& token);
QStringList tokenLabels(const lstmscope::Trace& trace);

// Whether the token is the tokenizer's unknown-word entry.
bool isUnknownToken(const lstmscope::Token& token, int unkId);

struct AttentionNodeInfo {
    QString name;
    lstmscope::OpKind op;
    int heads = 1;  // > 1 only for multihead_attention
    int rows = 0, columns = 0;
    bool summarized = false;  // a long text's: weights not kept (AttentionNodeSummary)
};
// Every attention, attention_pool and multihead_attention node, graph order.
std::vector<AttentionNodeInfo> attentionNodes(const lstmscope::Trace& trace);

struct LstmNodeInfo {
    QString name;
    int layers = 1;
    bool bidirectional = false;
    int hidden = 0;
};
// Every lstm node, graph order.
std::vector<LstmNodeInfo> lstmNodes(const lstmscope::Trace& trace);

// The gates of one layer and direction of a node, or null.
const lstmscope::GateTrace* findGates(const lstmscope::Trace& trace, const QString& node, int layer,
                                      lstmscope::Direction direction);
const lstmscope::NodeTrace* findNode(const lstmscope::Trace& trace, const QString& node);
