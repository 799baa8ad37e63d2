#include "gui/trace_labels.h"

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

std::vector<AttentionNodeInfo> attentionNodes(const lstmscope::Trace& trace) {
    std::vector<AttentionNodeInfo> out;
    for (const auto& n : trace.nodes) {
        if (n.attention.empty()) continue;
        AttentionNodeInfo info{QString::fromStdString(n.name), n.op,
                               n.op == lstmscope::OpKind::MultiheadAttention ? static_cast<int>(n.attention.size()) : 1,
                               static_cast<int>(n.attention[0].rows()), static_cast<int>(n.attention[0].cols())};
        out.push_back(info);
    }
    return out;
}

std::vector<LstmNodeInfo> lstmNodes(const lstmscope::Trace& trace) {
    std::vector<LstmNodeInfo> out;
    for (const auto& n : trace.nodes) {
        if (n.op != lstmscope::OpKind::Lstm || n.gates.empty()) continue;
        LstmNodeInfo info;
        info.name = QString::fromStdString(n.name);
        info.hidden = static_cast<int>(n.gates[0].h.cols());
        for (const auto& g : n.gates) {
            info.layers = std::max(info.layers, g.layer + 1);
            if (g.direction == lstmscope::Direction::Backward) info.bidirectional = true;
        }
        out.push_back(info);
    }
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
