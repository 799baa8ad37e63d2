#include "gui/trace_labels.h"

#include <QCoreApplication>
#include <QThread>

#include "engine/analysis/view_choice.h"
#include "engine/model.h"
#include "gui/plots/whitespace_marks.h"

QString tokenLabel(const lstmscope::Token& token) {
    if (token.pad) return QStringLiteral("⟨pad⟩");
    const QString text = QString::fromStdString(token.text);
    if (text.isEmpty()) return QStringLiteral("␣");
    return whitespace_marks::marks(text);
}

QString whitespaceTokenNote(const lstmscope::Token& token) {
    return token.pad ? QString() : whitespace_marks::describe(QString::fromStdString(token.text));
}

QStringList tokenTooltipLabels(const lstmscope::Trace& trace) {
    QStringList out;
    bool any = false;
    for (size_t k = 0; k < trace.tokens.size(); ++k) {
        const QString note = whitespaceTokenNote(trace.tokens[k]);
        any |= !note.isEmpty();
        out << (note.isEmpty() ? QString()
                               : QStringLiteral("'%1' (%2) · %3").arg(tokenLabel(trace.tokens[k])).arg(k).arg(note));
    }
    return any ? out : QStringList();
}

QStringList tokenLabels(const lstmscope::Trace& trace) {
    // Every view asks for the labels of the same trace on each keystroke
    // (the gates, attention, difference views...): at 5,000 tokens each
    // conversion took ~1 ms. The last answer is kept, for the GUI thread,
    // and given again when every token's text is the same: comparing the
    // texts is exact and costs a few microseconds.
    struct Cache {
        std::vector<std::string> texts;
        std::vector<bool> pads;
        QStringList labels;
    };
    static Cache cache;
    const bool cached = QCoreApplication::instance() && QThread::currentThread() == QCoreApplication::instance()->thread();
    const auto& tokens = trace.tokens;
    if (cached && cache.texts.size() == tokens.size()) {
        bool same = true;
        for (size_t k = 0; same && k < tokens.size(); ++k)
            same = tokens[k].pad == cache.pads[k] && tokens[k].text == cache.texts[k];
        if (same) return cache.labels;
    }
    QStringList labels;
    labels.reserve(static_cast<qsizetype>(tokens.size()));
    for (const auto& t : tokens) labels << tokenLabel(t);
    if (cached) {
        cache.texts.clear();
        cache.pads.clear();
        for (const auto& t : tokens) {
            cache.texts.push_back(t.text);
            cache.pads.push_back(t.pad);
        }
        cache.labels = labels;
    }
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

bool attentionRowsAreTokens(const lstmscope::Model* model, const lstmscope::NodeTrace& node, int tokenCount) {
    if (node.op == lstmscope::OpKind::AttentionPool || node.op == lstmscope::OpKind::FeatureAttention) return false;
    if (model)
        for (const auto& n : model->nodes)
            if (n.name == node.name) return n.output.rows == lstmscope::Rows::Tokens;
    return lstmscope::analysis::attention_row_count(node) == tokenCount;
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
