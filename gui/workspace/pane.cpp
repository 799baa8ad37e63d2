#include "gui/workspace/pane.h"

#include <QFileInfo>
#include <algorithm>

#include "engine/analysis/view_choice.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"

Pane::Pane(Side side, QObject* parent)
    : QObject(parent), side_(side), document_(new Document(this)), selection_(new Selection(this)) {
    connect(document_, &Document::modelChanged, this, [this] {
        selection_->clear();
        needsInitialSelection_ = true;
    });
    connect(document_, &Document::traceChanged, this, [this] {
        const auto* trace = document_->trace();
        if (!trace) return;
        // A shorter text leaves no token behind the selection.
        const int last = static_cast<int>(trace->tokens.size()) - 1;
        if (selection_->token() > last) selection_->setToken(last);
        else if (selection_->tokenLast() > last) selection_->setTokenRange(selection_->token(), last);
        if (selection_->hoverTokenLast() > last) selection_->setHoverToken(-1);
        if (needsInitialSelection_) initialiseSelection();
    });
}

QColor Pane::colorOf(Side side) { return side == Side::A ? QColor(0x00, 0x72, 0xB2) : QColor(0xE6, 0x9F, 0x00); }

QString Pane::modelName() const {
    const auto* model = document_->model();
    if (!model) return QString();
    if (!model->name.empty()) return QString::fromStdString(model->name);
    return QFileInfo(document_->modelPath()).completeBaseName();
}

void Pane::initialiseSelection() {
    namespace analysis = lstmscope::analysis;
    const auto* trace = document_->trace();
    needsInitialSelection_ = false;
    const auto lstm = analysis::resolve_lstm(*trace, selection_->lstmNode().toStdString(), selection_->layer(),
                                             selection_->direction());
    if (!lstm.node.empty()) {
        selection_->setLstm(QString::fromStdString(lstm.node), lstm.layer, lstm.direction);
        if (lstm.gates) selection_->setUnit(analysis::resolve_unit(*lstm.gates, selection_->unit()));
    }
    const auto attention =
        analysis::resolve_attention(*trace, selection_->attentionNode().toStdString(), selection_->head());
    if (attention.node) selection_->setAttention(QString::fromStdString(attention.name), attention.head);
    emit selectionInitialised();
}
