// Small read-only helpers every view uses to describe a trace: token labels
// for axes and chips, and which nodes carry attention or LSTM gates.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

#include "engine/trace.h"

namespace lstmscope {
struct Model;
}

// A token as shown on an axis or chip: its text, "⟨pad⟩" for padding,
// visible marks for white space (␣ space, ↵ newline, ⇥ tab; see
// gui/plots/whitespace_marks.h).
QString tokenLabel(const lstmscope::Token& token);
QStringList tokenLabels(const lstmscope::Trace& trace);
// What a white-space token really is ("space", "newline", "space ×2, tab");
// empty for any other token.
QString whitespaceTokenNote(const lstmscope::Token& token);
// Tooltip labels for a token axis (HeatmapPlot / PoolBarChart
// setTooltipLabels): "'␣' (3) · space" for white-space tokens, empty entries
// for the others (the plot's own "'label' (k)"); an empty list when the trace
// has no white-space token.
QStringList tokenTooltipLabels(const lstmscope::Trace& trace);

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

// Whether the rows of an attention node's weights are the text's tokens (its
// query is a sequence). Read from the model's shapes when it has the node,
// so that a learned query of k rows is not taken for the tokens of a text
// of k tokens; false for attention_pool (rows: hops) and feature_attention
// (rows: features).
bool attentionRowsAreTokens(const lstmscope::Model* model, const lstmscope::NodeTrace& node, int tokenCount);

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
