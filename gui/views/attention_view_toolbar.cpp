// The attention view's toolbar: the node and head choosers, the size and
// op of the node, the tau against leave-one-out, "Whole text" and "Fit range".
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <QPushButton>
#include <QSignalBlocker>
#include <cmath>
#include <limits>

#include "gui/corpus/leave_one_out.h"
#include "gui/views/attention_view.h"

namespace {

QString opName(lstmscope::OpKind op) { return QString::fromUtf8(lstmscope::op_kind_name(op)); }

}  // namespace

QWidget* AttentionView::buildToolbar() {
    toolbar_ = new QWidget(this);
    // Two rows: the choosers, then the numbers and the range switch. In one
    // row a multi-head node's choosers, tau and the check box needed ~650
    // pixels, more than the dock has beside the other views at 1400 x 900,
    // and the window grew past the screen's right edge.
    auto* rows = new QVBoxLayout(toolbar_);
    rows->setContentsMargins(6, 4, 6, 2);
    rows->setSpacing(2);
    auto* bar = new QHBoxLayout;
    auto* second = new QHBoxLayout;
    rows->addLayout(bar);
    rows->addLayout(second);
    auto* nodeLabel = new QLabel(tr("No&de:"), toolbar_);
    nodeCombo_ = new QComboBox(toolbar_);
    nodeCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    nodeCombo_->setToolTip(tr("Every attention, attention_pool and multihead_attention node of the model"));
    nodeLabel->setBuddy(nodeCombo_);
    headLabel_ = new QLabel(tr("H&ead:"), toolbar_);
    headCombo_ = new QComboBox(toolbar_);
    headCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    headLabel_->setBuddy(headCombo_);
    info_ = new QLabel(toolbar_);
    info_->setEnabled(false);  // muted: a description, not a control
    // The sizes come first: a narrow dock clips the op name, not the numbers.
    info_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);  // the first thing to give way when narrow
    info_->setMinimumWidth(0);
    fitCheck_ = new QCheckBox(tr("Fit &range to data"), toolbar_);
    fitCheck_->setToolTip(tr("Stretch the colour scale from the smallest to the largest weight shown, so that "
                             "faint or near-uniform attention (long texts) shows its structure. Off: the fixed "
                             "range 0 to 1, where a colour means the same weight for every text."));
    bar->addWidget(nodeLabel);
    bar->addWidget(nodeCombo_);
    bar->addSpacing(10);
    bar->addWidget(headLabel_);
    bar->addWidget(headCombo_);
    bar->addSpacing(10);
    tauLabel_ = new QLabel(toolbar_);
    tauLabel_->setObjectName(QStringLiteral("attentionTau"));
    tauLabel_->hide();
    wholeTextButton_ = new QPushButton(tr("&Whole text"), toolbar_);
    wholeTextButton_->setToolTip(tr("Back to the summary of the whole text"));
    wholeTextButton_->hide();
    bar->addWidget(info_, 1);
    second->addWidget(tauLabel_);
    second->addStretch(1);
    second->addWidget(wholeTextButton_);
    second->addWidget(fitCheck_);
    return toolbar_;

}

QString AttentionView::tauText() const { return tauLabel_->isHidden() ? QString() : tauLabel_->text(); }

void AttentionView::updateTau() {
    shownTau_ = std::numeric_limits<double>::quiet_NaN();
    LeaveOneOut* loo = LeaveOneOut::of(document_);
    const auto status = shownNode_.isEmpty() || showingPlaceholder() ? LeaveOneOut::Status::NoTrace
                                                                     : loo->status(shownNode_);
    QString text;
    switch (status) {
    case LeaveOneOut::Status::NoTrace:
    case LeaveOneOut::Status::NotClassifier:
    case LeaveOneOut::Status::NoAttention:
        tauLabel_->hide();
        return;
    case LeaveOneOut::Status::TooLong:
        text = tr("τ vs leave-one-out: over %1 tokens, not computed").arg(LeaveOneOut::kMaxTokens);
        break;
    case LeaveOneOut::Status::Computing:
        loo->request(shownNode_);
        text = tr("τ vs leave-one-out: computing…");
        break;
    case LeaveOneOut::Status::Failed:
        text = tr("τ vs leave-one-out: none");
        break;
    case LeaveOneOut::Status::Ready:
        shownTau_ = loo->result(shownNode_)->kendall_tau;
        text = std::isfinite(shownTau_) ? tr("τ vs leave-one-out = %1").arg(shownTau_, 0, 'f', 2)
                                        : tr("τ vs leave-one-out: undefined");
        break;
    }
    tauLabel_->setText(text);
    tauLabel_->setToolTip(
        (status == LeaveOneOut::Status::Failed ? loo->error(shownNode_) + QStringLiteral("\n\n") : QString()) +
        tr("Kendall's tau-b between the attention each token of this text receives from %1 (averaged over heads, "
           "query rows and a pool's hops) and its leave-one-out importance: how much the output moves (total variation "
           "distance) when the token is deleted. 1: attention ranks the tokens as deleting them does. "
           "Jain & Wallace (2019) report about 0.27 to 0.32 for a BiLSTM with tanh attention (SST, IMDB). "
           "It costs one run of the model per token, so texts over %2 tokens are left out.")
            .arg(shownNode_)
            .arg(LeaveOneOut::kMaxTokens));
    tauLabel_->show();
}

void AttentionView::fillNodeChooser() {
    // Rebuilt only when the list changes: a re-run on every keystroke must
    // not close an open popup.
    // Short entries ("mha · 8 heads", "attn · attention"): the view must fit
    // a side dock; the op's full name is in each entry's tooltip.
    QStringList wanted;
    for (const auto& n : nodes_)
        wanted << (n.heads > 1 ? tr("%1 · %n heads", nullptr, n.heads).arg(n.name)
                   : n.op == lstmscope::OpKind::AttentionPool && n.rows > 1
                       ? tr("%1 · %n hops", nullptr, n.rows).arg(n.name)
                       : QStringLiteral("%1 · %2").arg(n.name, opName(n.op)));
    QStringList have;
    for (int k = 0; k < nodeCombo_->count(); ++k) have << nodeCombo_->itemText(k);
    if (have == wanted) return;
    const QSignalBlocker block(nodeCombo_);
    nodeCombo_->clear();
    for (int k = 0; k < static_cast<int>(nodes_.size()); ++k) {
        const auto& n = nodes_[static_cast<size_t>(k)];
        nodeCombo_->addItem(wanted[k], n.name);
        nodeCombo_->setItemData(k, tr("%1: %2, %3 × %4").arg(n.name, opName(n.op)).arg(n.rows).arg(n.columns),
                                Qt::ToolTipRole);
    }
}

void AttentionView::fillHeadChooser(const AttentionNodeInfo& node) {
    const bool multi = node.op == lstmscope::OpKind::MultiheadAttention && node.heads > 1;
    headLabel_->setVisible(multi);
    headCombo_->setVisible(multi);
    if (!multi) return;
    const QSignalBlocker block(headCombo_);
    if (headCombo_->count() != node.heads + 3) {
        headCombo_->clear();
        for (int k = 0; k < node.heads; ++k) headCombo_->addItem(tr("head %1").arg(k + 1), k);
        headCombo_->insertSeparator(headCombo_->count());
        headCombo_->addItem(tr("average of heads"), -1);
        headCombo_->addItem(tr("all heads"), kAllHeadsEntry);
    }
    headCombo_->setCurrentIndex(headCombo_->findData(allHeads_ ? kAllHeadsEntry : shownHead_));
}
