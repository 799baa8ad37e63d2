#include "gui/compare_area.h"

#include <QSplitter>
#include <QVBoxLayout>

#include "engine/analysis/token_links.h"
#include "gui/pane_widget.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/views/attention_view.h"
#include "gui/views/difference_view.h"
#include "gui/views/pane_view.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/workspace.h"

CompareArea::CompareArea(Workspace* workspace, QWidget* parent) : QWidget(parent), workspace_(workspace) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    outer_ = new QSplitter(Qt::Vertical, this);
    outer_->setChildrenCollapsible(false);
    panesSplit_ = new QSplitter(Qt::Horizontal, outer_);
    panesSplit_->setChildrenCollapsible(false);
    const bool pinned = workspace->mode() == Workspace::Mode::TwoTexts;
    panes_[0] = new PaneWidget(workspace->paneA(), false, panesSplit_);
    panes_[1] = new PaneWidget(workspace->paneB(), pinned, panesSplit_);
    panesSplit_->addWidget(panes_[0]);
    panesSplit_->addWidget(panes_[1]);
    difference_ = new DifferenceView(workspace, outer_);
    outer_->addWidget(panesSplit_);
    outer_->addWidget(difference_);
    outer_->setStretchFactor(0, 3);
    outer_->setStretchFactor(1, 1);
    outer_->setSizes({600, 340});
    layout->addWidget(outer_);

    connect(panes_[1], &PaneWidget::closeRequested, this, &CompareArea::closeRequested);
    linkAttentionZoom();
    connect(panes_[1], &PaneWidget::textEdited, workspace, &Workspace::setTextB);
}

void CompareArea::setStacked(bool stacked) {
    stacked_ = stacked;
    panesSplit_->setOrientation(stacked ? Qt::Vertical : Qt::Horizontal);
    for (PaneWidget* p : panes_) p->setStacked(stacked);
}

void CompareArea::setSequentialColorMap(ColorMap map) {
    for (QWidget* w : views())
        if (auto* v = dynamic_cast<PaneView*>(w)) v->setSequentialColorMap(map);
}

QList<QWidget*> CompareArea::views() const {
    QList<QWidget*> out = panes_[0]->views();
    out += panes_[1]->views();
    out << difference_;
    return out;
}

void CompareArea::linkAttentionZoom() {
    auto* a = qobject_cast<AttentionView*>(panes_[0]->view("attention"));
    auto* b = qobject_cast<AttentionView*>(panes_[1]->view("attention"));
    if (!a || !b) return;
    auto follow = [this](HeatmapPlot* from, HeatmapPlot* to) {
        const auto* ta = workspace_->paneA()->document()->trace();
        const auto* tb = workspace_->paneB() ? workspace_->paneB()->document()->trace() : nullptr;
        // Cell k must be the same token on both sides, else zooming together
        // would show different words.
        if (!ta || !tb || !lstmscope::analysis::same_tokens(ta->tokens, tb->tokens)) return;
        if (from->rowCount() != to->rowCount() || from->columnCount() != to->columnCount()) return;
        to->setVisibleColumns(from->visibleColumnLower(), from->visibleColumnUpper());
        to->setVisibleRows(from->visibleRowLower(), from->visibleRowUpper());
    };
    // setVisible* does not emit, so the two connections cannot feed each other.
    connect(a->heatmap(), &HeatmapPlot::visibleRangeChanged, this, [=] { follow(a->heatmap(), b->heatmap()); });
    connect(b->heatmap(), &HeatmapPlot::visibleRangeChanged, this, [=] { follow(b->heatmap(), a->heatmap()); });
}
