#include "gui/trace_labels.h"

#include "engine/analysis/view_choice.h"

QString tokenLabel(const lstmscope::Token& token) {
    if (token.pad) return QStringLiteral("⟨pad⟩");
    QString text = QString::fromStdString(token.text);
    if (text.trimmed().isEmpty()) return QStringLiteral("␣");
    return text;
}

QStringList tokenLabels(const lstmscope::Trace& trace) {
    QStringList labels;
    labels.reserve(static_cast<qsizetype>(trace.tokens.size()));
    for (const auto& t : trace.tokens) labels << tokenLabel(t);
    return labels;
}

bool isUnknownToken(const lstmscope::Token& token, int unkId) { return !token.pad && unkId >= 0 && token.id == unkId; }

// The Qt-side names of engine/analysis/view_choice.h's lists: one
// definition of which nodes count, with QString names for the widgets.
std::vector<AttentionNodeInfo> attentionNodes(const lstmscope::Trace& trace) {
    std::vector<AttentionNodeInfo> out;
    for (const auto& n : lstmscope::analysis::attention_nodes(trace))
        out.push_back({QString::fromStdString(n.name), n.op, n.heads, n.rows, n.columns, n.summarized});
    return out;
}

std::vector<LstmNodeInfo> lstmNodes(const lstmscope::Trace& trace) {
    std::vector<LstmNodeInfo> out;
    for (const auto& n : lstmscope::analysis::lstm_nodes(trace))
        out.push_back({QString::fromStdString(n.name), n.layers, n.bidirectional, n.hidden});
    return out;
}

const lstmscope::NodeTrace* findNode(const lstmscope::Trace& trace, const QString& node) {
    return trace.find(node.toStdString());
}

const lstmscope::GateTrace* findGates(const lstmscope::Trace& trace, const QString& node, int layer,
                                      lstmscope::Direction direction) {
    const auto* n = findNode(trace, node);
    if (!n) return nullptr;
    for (const auto& g : n->gates)
        if (g.layer == layer && g.direction == direction) return &g;
    return nullptr;
}
