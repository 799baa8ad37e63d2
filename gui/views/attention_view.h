// The attention view: one attention node at a time, chosen from every
// attention, attention_pool and multihead_attention node of the trace.
// attention and multihead_attention show a heatmap, query tokens as rows and
// key tokens as columns; a multi-head node adds a head chooser with each
// head, the average of the heads and an "all heads" grid; attention_pool
// shows its one weight per token as a bar chart. One weight per token is
// always drawn as bars: a 1 x T heatmap on the fixed scale looks uniform, so
// an attention whose query is one row (the LSTM's final state, a learned
// vector) is drawn like pooling, one head at a time, and its "all heads" is
// one heads x tokens heatmap. A multi-hop attention_pool (hops: r) records r
// rows, one per hop: they are one r x T heatmap, rows "hop 1..r". Colours
// sit on a fixed [0, 1] scale so a colour means the same weight for every
// text and node; "Fit range to data" stretches it for the faint attention of
// long texts.
//
// Beside the node: Kendall's tau between the attention each token receives
// from the shown node and its leave-one-out importance, for this text
// (computed in the background by gui/corpus/leave_one_out.h; not for texts
// over 400 tokens).
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
#include "gui/views/attention_window.h"
#include "gui/views/pane_view.h"

class Document;
class Selection;
class HeatmapPlot;
class HeadGrid;
class PoolBarChart;
class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
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
    // One weight per token as bars (attention_pool with one hop, or one query row).
    bool showingBars() const;
    // What the heatmap's rows are: tokens (queries), hops of a pool, heads of a
    // one-query multi-head node, or something else (features, numbered queries).
    enum class HeatmapRows { Tokens, Hops, Heads, Other };
    HeatmapRows heatmapRows() const { return heatmapRows_; }
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
    // "τ vs leave-one-out = 0.31", or why there is none; empty when hidden.
    QString tauText() const;
    // The tau shown, NaN when none.
    double shownTau() const { return shownTau_; }
    // The matrix shown by the heatmap (the head, or the average of the heads).
    const lstmscope::Matrix& shownMatrix() const { return shown_; }

    // A long text's node (weights not kept): the heatmap shows its summary,
    // or a window of exact weights after a click on a summary cell. The
    // banner says which; the axes map cells to token ranges.
    bool showingSummary() const { return summarized_ && !windowMode_ && !showingPlaceholder(); }
    bool showingWindow() const { return summarized_ && windowMode_ && !showingPlaceholder(); }
    QString bannerText() const;
    const CellAxis& rowAxis() const { return rowAxis_; }
    const CellAxis& columnAxis() const { return columnAxis_; }
    // Exact weights of the window holding query `row` and key `column`.
    void showWindowAround(int row, int column);
    void showWholeText();

    // The head chooser's entry for the grid, not a Selection head.
    static constexpr int kAllHeadsEntry = -2;
    // How long hover changes are collected before Selection hears of them.
    static constexpr int kHoverDelayMs = 30;

public slots:
    void setSequentialColorMap(ColorMap map) override;
    void setFitRangeToData(bool fit);
    // "All heads" for a multi-head node; ignored for other nodes.
    void setShowAllHeads(bool all);

private:
    // Constructor steps. The toolbar and its choosers: attention_view_toolbar.cpp.
    QWidget* buildToolbar();
    QWidget* buildPages();
    void connectSignals();

    void onModelOrTrace();
    void refresh();
    void updateTau();
    void fillNodeChooser();
    void fillHeadChooser(const AttentionNodeInfo& info);
    void showPlaceholder(const QString& text, const QString& detail);
    void showLongText(const lstmscope::analysis::AttentionChoice& choice, bool grid, const QStringList& tokens);
    // attention_view_rows.cpp: a node with one weight per token as bars, a
    // multi-hop pool's hops and a one-query node's heads as one heatmap.
    void showBars(const lstmscope::analysis::AttentionChoice& choice, const AttentionNodeInfo& node,
                  const QStringList& columnLabels, const QStringList& tips);
    void showHops(const lstmscope::analysis::AttentionChoice& choice, const AttentionNodeInfo& node,
                  const QStringList& columnLabels, const QStringList& tips);
    void showHeadRows(const lstmscope::analysis::AttentionChoice& choice, const AttentionNodeInfo& node,
                      const QStringList& columnLabels, const QStringList& tips);
    // Numbered rows ("hop 1", tooltip "2 of 4") of a heatmap whose rows are not tokens.
    void showNumberedRows(const QString& rowName, const QString& rowTitle, const QStringList& columnLabels,
                          const QStringList& tips);
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
    QLabel* tauLabel_;
    double shownTau_ = 0;
    QPushButton* wholeTextButton_;
    QLabel* banner_;
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
    HeatmapRows heatmapRows_ = HeatmapRows::Tokens;

    // A long text's node: summary or window, and how cells map to tokens.
    bool summarized_ = false;
    bool windowMode_ = false;
    int windowRow_ = 0, windowColumn_ = 0;
    CellAxis rowAxis_, columnAxis_;
    std::vector<lstmscope::Matrix> gridHeads_;  // the grid's matrices then

    QTimer hoverTimer_;
    int pendingHover_ = -1;
};
