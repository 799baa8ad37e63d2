// The centre of the window in compare mode: pane A and pane B side by side
// (or stacked), each with its own views, and under them the difference view.
// Built when compare mode starts and dropped when it ends, so pane B's
// views never outlive pane B's model.
#pragma once

#include <QWidget>

#include "gui/plots/color_maps.h"

class Workspace;
class PaneWidget;
class DifferenceView;
class QSplitter;

class CompareArea : public QWidget {
    Q_OBJECT
public:
    explicit CompareArea(Workspace* workspace, QWidget* parent = nullptr);

    PaneWidget* paneWidget(int index) const { return panes_[index]; }  // 0: A, 1: B
    DifferenceView* differenceView() const { return difference_; }
    bool stacked() const { return stacked_; }
    void setStacked(bool stacked);
    void setSequentialColorMap(ColorMap map);
    // Every view of both panes and the difference view.
    QList<QWidget*> views() const;

signals:
    void closeRequested();

private:
    // When both sides tokenise alike, zooming or panning one pane's attention
    // heatmap moves the other's to the same cells.
    void linkAttentionZoom();

    Workspace* workspace_;
    QSplitter* outer_;
    QSplitter* panesSplit_;
    PaneWidget* panes_[2];
    DifferenceView* difference_;
    bool stacked_ = false;
};
