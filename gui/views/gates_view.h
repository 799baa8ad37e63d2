// The LSTM gates of one node, layer and direction: six aligned heatmaps (the
// gates i, f, o in one row, the signed quantities g, c, h in the next, or in
// two columns when the view is tall and narrow; units down, tokens across)
// and, underneath, the selected unit's six values over time.
//
// Colour scales are fixed per quantity so a colour means the same number for
// every text: i, f, o map [0, 1] onto the user's sequential map; g and h map
// [-1, 1] onto the diverging map. c is unbounded, so its symmetric range is
// fixed per node instead: the smallest of ±1, ±2, ±3, ±5 covering every |c|
// the node (all layers and directions) has shown since the model was loaded.
// The range only ever grows, so colours stay comparable between the texts of
// a session; it stops at ±5, where the colours of larger values clip (their
// tooltips still give the exact number) rather than wash every ordinary cell
// out to white because of one counting unit.
//
// With no LSTM chosen (or one this model lacks), the view shows the fallback
// of engine/analysis/view_choice.h (the first LSTM's last layer, forward)
// without writing it to the selection; the pane sets the first choice once
// per model (Pane::initialiseSelection).
//
// Reads and writes only Document and Selection (see DESIGN.md).
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QSize>
#include <QStringList>
#include <QWidget>
#include <array>
#include <memory>
#include <vector>

#include "engine/trace.h"
#include "gui/plots/color_maps.h"
#include "gui/views/pane_view.h"

class Document;
class Selection;
class ColorLegend;
class HeatmapPlot;
class UnitLinePlot;
class QComboBox;
class QGridLayout;
class QHBoxLayout;
class QLabel;
class QStackedWidget;

class GatesView : public QWidget, public PaneView {
    Q_OBJECT
public:
    // The six matrices of a GateTrace, in the order of PyTorch's gate rows
    // and then the two states.
    enum Quantity { InputGate, ForgetGate, CellCandidate, OutputGate, CellState, HiddenState };
    enum class UnitOrder {
        Index,       // unit 0 at the top
        Variance,    // largest variance of h over the tokens first
        Saturation,  // most saturated first (see saturation())
    };

    GatesView(Document* document, Selection* selection, QWidget* parent = nullptr);

    // Read-only state for tests and the main window.
    QString currentNode() const { return node_; }
    int currentLayer() const { return layer_; }
    lstmscope::Direction currentDirection() const { return direction_; }
    UnitOrder unitOrder() const { return order_; }
    // The unit shown in each heatmap row, top to bottom.
    const std::vector<int>& rowUnits() const { return rowUnits_; }
    int rowOfUnit(int unit) const;
    int highlightedToken() const;
    int highlightedUnit() const;  // the selected unit when it is shown, else -1
    HeatmapPlot* heatmap(Quantity q) const { return heatmaps_[q]; }
    UnitLinePlot* linePlot() const { return linePlot_; }
    QComboBox* nodeChooser() const { return nodeBox_; }
    QComboBox* layerChooser() const { return layerBox_; }
    QComboBox* directionChooser() const { return directionBox_; }
    QComboBox* orderChooser() const { return orderBox_; }
    bool placeholderVisible() const;
    QString placeholderText() const;
    // The fixed ± range of the c heatmap for the current node.
    double cellStateLimit() const;
    ColorMap sequentialColorMap() const { return sequentialMap_; }
    int gridColumns() const { return columns_; }  // 3: two rows of three; 2: three rows of two
    // Time to fill the six heatmaps and the line plot on the last refresh.
    double lastRefreshMs() const { return lastRefreshMs_; }

    // Sort keys, exposed so tests can check them against hand computations.
    // Population variance of h(t, unit) over all tokens.
    static double hiddenVariance(const lstmscope::GateTrace& gates, int unit);
    // The fraction of (token, quantity) pairs, over the four quantities i, f,
    // o and h, that sit at a rail: a gate below 0.1 or above 0.9 (nearly shut
    // or nearly open), or |h| above 0.9. Equal to the mean over i, f, o, h of
    // the fraction of tokens at which that quantity saturates; 1 means the
    // unit behaves like a switch, 0 like a smooth analogue value.
    static double saturation(const lstmscope::GateTrace& gates, int unit);
    // The c range for a largest |c| (see the header comment).
    static double cellStateLimitFor(double maxAbsC);

    // Compare panes share the window's height with a second pane: the line
    // plot may shrink further there.
    void setCompact(bool compact);

public slots:
    void setSequentialColorMap(ColorMap map) override;
    void setUnitOrder(UnitOrder order);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // Constructor steps.
    QHBoxLayout* buildChoosers(QWidget* content);
    void buildCell(int quantity);  // title, legend and heatmap of one quantity
    void connectSignals();

    void arrangeGrid();
    void onModelChanged();
    void onTraceChanged();
    void onLstmChanged();
    void onTokenChanged(int token);
    void onUnitChanged(int unit);
    void fillChoosers();
    void refresh();
    void refreshLinePlot();
    void showPlaceholder(const QString& text);
    void syncRanges(int source);
    void updateTitles();
    void updateInfo();  // sizes, and whether the heatmaps show means
    const lstmscope::GateTrace* currentGates() const;
    // What step-through lets the view show of `gates`: a copy with the
    // tokens not computed yet blanked (null: show everything), and the token
    // being computed (-1 if none).
    struct StepShown {
        std::shared_ptr<const lstmscope::GateTrace> gates;
        int currentToken = -1;
    };
    StepShown shownAtStep(const lstmscope::GateTrace& gates) const;

    Document* document_;
    Selection* selection_;

    QStackedWidget* stack_;
    QLabel* placeholder_;
    QComboBox* nodeBox_;
    QComboBox* layerBox_;
    QComboBox* directionBox_;
    QComboBox* orderBox_;
    QLabel* info_;
    QWidget* grid_;
    QGridLayout* gridLayout_;
    std::array<QWidget*, 6> cells_{};  // title + heatmap, by Quantity
    std::array<HeatmapPlot*, 6> heatmaps_{};
    struct Legend {
        QLabel* name;
        ColorLegend* scale;  // "low ▭ high" on the quantity's fixed range
        QLabel* note;
    };
    std::array<Legend, 6> legends_{};
    UnitLinePlot* linePlot_;

    QString node_;
    int layer_ = 0;
    lstmscope::Direction direction_ = lstmscope::Direction::Forward;
    UnitOrder order_ = UnitOrder::Index;
    ColorMap sequentialMap_ = ColorMap::Viridis;
    std::vector<int> rowUnits_;
    std::vector<int> unitRows_;  // inverse of rowUnits_
    QStringList tokenLabels_;
    int columns_ = 0;  // heatmaps per grid row: 3 or 2
    int maxTokenLabelPx_ = 0;
    QHash<QString, double> cellLimits_;  // per node; grows only, reset on model change
    bool syncing_ = false;
    double lastRefreshMs_ = 0;
};
