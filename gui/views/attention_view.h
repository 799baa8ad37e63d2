// The attention view: one attention node at a time, chosen from every
// attention, attention_pool and multihead_attention node of the trace.
// attention and multihead_attention show a heatmap, query tokens as rows and
// key tokens as columns; a multi-head node adds a head chooser with each
// head, the average of the heads and an "all heads" grid; attention_pool
// shows its one weight per token as a bar chart. Colours sit on a fixed
// [0, 1] scale so a colour means the same weight for every text and node;
// "Fit range to data" stretches it for the faint attention of long texts.
//
// The shown node and head are Selection's (attentionNode, head): picking one
// here writes it, and a pick elsewhere (the model view) is followed. "All
// heads" is a way of looking, not a selection, so it stays local to the view.
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>
#include <vector>

#include "engine/matrix.h"
#include "gui/plots/color_maps.h"
#include "gui/trace_labels.h"
#include "gui/views/pane_view.h"

class Document;
class Selection;
class HeatmapPlot;
class HeadGrid;
class PoolBarChart;
class QCheckBox;
class QComboBox;
class QLabel;
class QStackedWidget;

class AttentionView : public QWidget, public PaneView {
    Q_OBJECT
public:
    AttentionView(Document* document, Selection* selection, QWidget* parent = nullptr);

    // What is on screen, for tests and for the lead's export code.
    QString shownNode() const { return shownNode_; }
    int shownHead() const { return shownHead_; }  // -1: the average of the heads
    bool showingAllHeads() const;
    bool showingPlaceholder() const;
    QString placeholderText() const;
    QStringList nodeNames() const;      // the node chooser, in graph order
    QStringList headChoices() const;    // the head chooser's entries; empty when hidden
    int highlightedToken() const { return highlightedToken_; }
    bool fitRangeToData() const { return fitRange_; }
    double rangeLower() const { return lower_; }
    double rangeUpper() const { return upper_; }
    ColorMap colorMap() const { return colorMap_; }
    HeatmapPlot* heatmap() const { return heatmap_; }
    HeadGrid* headGrid() const { return grid_; }
    PoolBarChart* poolChart() const { return bars_; }
    // The matrix shown by the heatmap (the head, or the average of the heads).
    const lstmscope::Matrix& shownMatrix() const { return shown_; }

    // How long hover changes are collected before Selection hears of them.
    static constexpr int kHoverDelayMs = 30;

public slots:
    void setSequentialColorMap(ColorMap map) override;
    void setFitRangeToData(bool fit);
    // "All heads" for a multi-head node; ignored for other nodes.
    void setShowAllHeads(bool all);

private:
    // Constructor steps.
    QWidget* buildToolbar();
    QWidget* buildPages();
    void connectSignals();

    void onModelOrTrace();
    void refresh();
    void fillNodeChooser();
    void fillHeadChooser(const AttentionNodeInfo& info);
    void showPlaceholder(const QString& text, const QString& detail);
    void applyRange();
    void updateHighlights();
    // The query row the step-through is computing in the shown node, or -1.
    int stepRowOfShownNode() const;
    void pickNode(int comboIndex);
    void pickHead(int comboIndex);
    void pickToken(int token);
    void hoverToken(int token);
    const AttentionNodeInfo* info(const QString& name) const;
    int tokenCount() const;
    int tokenOfCell(int row, int column) const;  // the token a heatmap cell stands for, or -1

    Document* document_;
    Selection* selection_;

    QWidget* toolbar_;
    QComboBox* nodeCombo_;
    QLabel* headLabel_;
    QComboBox* headCombo_;
    QCheckBox* fitCheck_;
    QLabel* info_;
    QStackedWidget* stack_;
    QWidget* placeholderPage_;
    QLabel* placeholder_;
    QLabel* placeholderDetail_;
    HeatmapPlot* heatmap_;
    HeadGrid* grid_;
    PoolBarChart* bars_;

    std::vector<AttentionNodeInfo> nodes_;
    QString shownNode_;
    int shownHead_ = 0;
    bool allHeads_ = false;
    bool fitRange_ = false;
    double lower_ = 0, upper_ = 1;
    ColorMap colorMap_ = ColorMap::Viridis;
    int highlightedToken_ = -1;
    lstmscope::Matrix shown_;

    QTimer hoverTimer_;
    int pendingHover_ = -1;
};
