#include "gui/compare_area.h"

#include <QSplitter>
#include <QVBoxLayout>

#include "gui/pane_widget.h"
#include "gui/views/difference_view.h"
#include "gui/views/pane_view.h"
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
