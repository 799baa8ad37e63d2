// The attention view's long-text half: a node whose weights the run did not
// keep (engine/attention_source.h) is shown as its summary, or as a window
// of exact weights around a clicked cell, with a banner saying which.
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStackedWidget>
#include <algorithm>

#include "engine/attention_source.h"
#include "gui/plots/head_grid.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/views/attention_view.h"

void AttentionView::showLongText(const lstmscope::analysis::AttentionChoice& choice, bool grid,
                                 const QStringList& tokens) {
    const AttentionPicture pic = windowMode_ ? windowPicture(choice, grid, tokens, windowRow_, windowColumn_)
                                             : summaryPicture(choice, grid);
    if (pic.heads.empty())
        return showPlaceholder(tr("No attention weights to show"),
                               tr("%1 kept neither its weights nor a summary.").arg(shownNode_));
    rowAxis_ = pic.rows;
    columnAxis_ = pic.columns;
    const int head = std::max(0, choice.head);
    if (!windowMode_) {
        heatmap_->setTooltipNames(tr("queries"), tr("keys"), tr("share"));
        grid_->setTooltipNames(tr("queries"), tr("keys"), tr("share"));
    }
    if (grid) {
        gridHeads_ = pic.heads;
        shown_ = gridHeads_[static_cast<size_t>(std::min<int>(head, static_cast<int>(gridHeads_.size()) - 1))];
        grid_->setHeads(gridHeads_, pic.rowLabels, pic.columnLabels);
        grid_->setCurrentHead(choice.head);
        stack_->setCurrentWidget(grid_);
    } else {
        gridHeads_.clear();
        shown_ = pic.heads.front();
        const int count = tokenCount();
        heatmap_->setAxisTitles(columnAxis_.total == count ? tr("key token") : tr("key"),
                                rowAxis_.total == count ? tr("query token") : tr("query"));
        heatmap_->setData(shown_, pic.rowLabels, pic.columnLabels);
        stack_->setCurrentWidget(heatmap_);
    }
    const QLocale locale;
    info_->setText(tr("%1 × %2 · %3").arg(locale.toString(rowAxis_.total), locale.toString(columnAxis_.total),
                                         QString::fromUtf8(lstmscope::op_kind_name(choice.node->op))));
    banner_->setText(bannerText());
}

QString AttentionView::bannerText() const {
    if (!summarized_) return {};
    const QLocale locale;
    if (!windowMode_) {
        const int perRow = (rowAxis_.total + rowAxis_.count - 1) / std::max(1, rowAxis_.count);
        const int perColumn = (columnAxis_.total + columnAxis_.count - 1) / std::max(1, columnAxis_.count);
        return tr("Summary of a long text: its %1 × %2 weights are not kept in memory. Each cell covers up to "
                  "%3 × %4 tokens and shows the share of attention the queries of its row give to the keys of its "
                  "column (rows sum to 1). Click a cell to see its exact weights.")
            .arg(locale.toString(rowAxis_.total), locale.toString(columnAxis_.total))
            .arg(perRow)
            .arg(perColumn);
    }
    return tr("Exact weights of queries %1–%2 and keys %3–%4 of %5, recomputed for this window (a row sums to 1 "
              "only over all keys). Selecting a token elsewhere moves the window.")
        .arg(locale.toString(rowAxis_.first + 1), locale.toString(rowAxis_.first + rowAxis_.count),
             locale.toString(columnAxis_.first + 1), locale.toString(columnAxis_.first + columnAxis_.count),
             locale.toString(rowAxis_.total));
}

void AttentionView::showWindowAround(int row, int column) {
    if (!summarized_ || row < 0 || column < 0) return;
    windowMode_ = true;
    windowRow_ = windowStartAround(row, rowAxis_.total);
    windowColumn_ = windowStartAround(column, columnAxis_.total);
    refresh();
}

void AttentionView::showWholeText() {
    windowMode_ = false;
    refresh();
}
