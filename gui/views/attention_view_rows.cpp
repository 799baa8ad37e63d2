// The attention view's nodes with few rows: one weight per token as bars
// (attention_pool with one hop, an attention whose query is one row), and
// the heatmaps whose rows are not tokens: a multi-hop pool's hops, a
// one-query multi-head node's heads ("all heads").
#include <QLabel>
#include <QStackedWidget>
#include <vector>

#include "gui/plots/heatmap_plot.h"
#include "gui/plots/pool_bar_chart.h"
#include "gui/views/attention_view.h"
#include "gui/workspace/selection.h"

void AttentionView::showBars(const lstmscope::analysis::AttentionChoice& choice, const AttentionNodeInfo& node,
                             const QStringList& columnLabels, const QStringList& tips) {
    // The head, or the heads' average (each still sums to 1).
    shown_ = lstmscope::analysis::attention_rows(choice, 0, 1);
    std::vector<double> weights(static_cast<size_t>(shown_.cols()));
    for (int k = 0; k < shown_.cols(); ++k) weights[static_cast<size_t>(k)] = shown_(0, k);
    bars_->setData(weights, columnLabels);
    bars_->setTooltipLabels(tips);
    stack_->setCurrentWidget(bars_);
    info_->setText(node.op == lstmscope::OpKind::AttentionPool
                       ? tr("%n tokens · attention_pool", nullptr, node.columns)
                       : tr("one query × %n keys · %1", nullptr, node.columns)
                             .arg(QString::fromUtf8(lstmscope::op_kind_name(node.op))));
}

void AttentionView::showNumberedRows(const QString& rowName, const QString& rowTitle, const QStringList& columnLabels,
                                     const QStringList& tips) {
    const int rows = static_cast<int>(shown_.rows());
    QStringList rowLabels, rowTips;
    for (int k = 0; k < rows; ++k) {
        rowLabels << QStringLiteral("%1 %2").arg(rowName).arg(k + 1);
        rowTips << tr("%1 of %2").arg(k + 1).arg(rows);
    }
    heatmap_->setAxisTitles(columnLabels.size() == tokenCount() ? tr("key token") : tr("key"), rowTitle);
    heatmap_->setTooltipNames(rowName, tr("token"), tr("weight"));
    heatmap_->setData(shown_, rowLabels, columnLabels);
    heatmap_->setTooltipLabels(rowTips, tips);
    stack_->setCurrentWidget(heatmap_);
}

void AttentionView::showHops(const lstmscope::analysis::AttentionChoice& choice, const AttentionNodeInfo& node,
                             const QStringList& columnLabels, const QStringList& tips) {
    // Every hop is a softmax of its own over the tokens: row k sums to 1.
    shown_ = lstmscope::analysis::attention_rows(choice, 0, node.rows);
    heatmapRows_ = HeatmapRows::Hops;
    showNumberedRows(tr("hop"), tr("hop (each its own weights over the tokens)"), columnLabels, tips);
    info_->setText(tr("%1 hops × %n tokens · attention_pool", nullptr, node.columns).arg(node.rows));
}

void AttentionView::showHeadRows(const lstmscope::analysis::AttentionChoice& choice, const AttentionNodeInfo& node,
                                 const QStringList& columnLabels, const QStringList& tips) {
    // One query: each head is one row of weights, so the heads stack into one
    // heads x keys heatmap, easier to compare than a grid of 1 x T tiles.
    shown_ = lstmscope::Matrix(node.heads, node.columns);
    for (int h = 0; h < node.heads; ++h) {
        lstmscope::analysis::AttentionChoice one = choice;
        one.head = h;
        const lstmscope::Matrix row = lstmscope::analysis::attention_rows(one, 0, 1);
        if (row.rows() == 1 && row.cols() == node.columns) shown_.row(h) = row.row(0);
        else shown_.row(h).setZero();
    }
    heatmapRows_ = HeatmapRows::Heads;
    showNumberedRows(tr("head"), tr("head (click to open it)"), columnLabels, tips);
    info_->setText(tr("%1 heads × %n keys, one query · multihead_attention", nullptr, node.columns).arg(node.heads));
}
