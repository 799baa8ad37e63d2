// The gates of one LSTM or GRU node, layer and direction as aligned heatmaps
// (units down, tokens across) and, underneath, the selected unit's values
// over time. An LSTM shows six: the gates i, f, o in one row, the signed
// quantities g, c, h in the next (or in two columns when the view is tall and
// narrow). A GRU shows four: its reset and update gates r, z, then its
// candidate n and state h; it has no cell state.
//
// Colour scales are fixed per quantity so a colour means the same number for
// every text: the gates (i, f, o, r, z) map [0, 1] onto the user's
// sequential map; g, n and h map [-1, 1] onto the diverging map. c is
// unbounded, so its symmetric range is fixed per node instead: the smallest
// of ±1, ±2, ±3, ±5 covering every |c| the node (all layers and directions)
// has shown since the model was loaded. The range only ever grows, so
// colours stay comparable between the texts of a session; it stops at ±5,
// where the colours of larger values clip (their tooltips still give the
// exact number) rather than wash every ordinary cell out to white because of
// one counting unit.
//
// With no node chosen (or one this model lacks), the view shows the fallback
// of engine/analysis/view_choice.h (the first LSTM or GRU's last layer,
// forward) without writing it to the selection; the pane sets the first
// choice once per model (Pane::initialiseSelection).
//
// Reads and writes only Document and Selection (gui/workspace/): views never
// talk to each other.
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
#include "gui/gate_quantities.h"
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
    // The matrices of a GateTrace (gate_quantities.h): an LSTM's i, f, g, o,
    // c, h (PyTorch's gate rows, then the two states) and a GRU's r, z, n;
    // h is both kinds'. One heatmap each; those of the node's kind are shown.
    using Quantity = gate_quantities::Quantity;
    using enum gate_quantities::Quantity;
    using CellKind = gate_quantities::CellKind;
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
    // The kind of the node shown (LSTM when none), and its quantities in
    // legend order (i f g o c h, or r z n h).
    CellKind cellKind() const { return kind_; }
    const std::vector<int>& shownQuantities() const { return gate_quantities::shown(kind_); }
    // Whether quantity q's heatmap is part of the grid (the kind's).
    bool quantityShown(int q) const;
    UnitLinePlot* linePlot() const { return linePlot_; }
    QComboBox* nodeChooser() const { return nodeBox_; }
    QString nodeChooserLabel() const;  // "&LSTM" or "&GRU" (translated)
    QComboBox* layerChooser() const { return layerBox_; }
    QComboBox* directionChooser() const { return directionBox_; }
    QComboBox* orderChooser() const { return orderBox_; }
    bool placeholderVisible() const;
    QString placeholderText() const;
    // The fixed ± range of the c heatmap for the current node.
    double cellStateLimit() const;
    ColorMap sequentialColorMap() const { return sequentialMap_; }
    // Heatmaps per grid row. LSTM: 3, two rows of three (gates, then signed),
    // or 2, three rows of two (one column each); GRU: 2, two rows of two, or
    // 4, one row.
    int gridColumns() const { return columns_; }
    // Time to fill the heatmaps and the line plot on the last refresh.
    double lastRefreshMs() const { return lastRefreshMs_; }

    // Sort keys, exposed so tests can check them against hand computations.
    // Population variance of h(t, unit) over all tokens.
    static double hiddenVariance(const lstmscope::GateTrace& gates, int unit);
    // The fraction of (token, quantity) pairs, over the four quantities i, f,
    // o and h (a GRU: the three r, z and h), that sit at a rail: a gate below
    // 0.1 or above 0.9 (nearly shut or nearly open), or |h| above 0.9. Equal
    // to the mean over those quantities of the fraction of tokens at which
    // it saturates; 1 means the unit behaves like a switch, 0 like a smooth
    // analogue value.
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
    void setKind(CellKind kind);  // shows the kind's heatmaps and names
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
    QLabel* nodeLabel_;  // "LSTM" or "GRU", the kind of the node shown
    QComboBox* nodeBox_;
    QComboBox* layerBox_;
    QComboBox* directionBox_;
    QComboBox* orderBox_;
    QLabel* info_;
    QWidget* grid_;
    QGridLayout* gridLayout_;
    std::array<QWidget*, gate_quantities::Count> cells_{};  // title + heatmap, by Quantity
    std::array<HeatmapPlot*, gate_quantities::Count> heatmaps_{};
    struct Legend {
        QLabel* name;
        ColorLegend* scale;  // "low ▭ high" on the quantity's fixed range
        QLabel* note;
    };
    std::array<Legend, gate_quantities::Count> legends_{};
    UnitLinePlot* linePlot_;

    QString node_;
    int layer_ = 0;
    lstmscope::Direction direction_ = lstmscope::Direction::Forward;
    UnitOrder order_ = UnitOrder::Index;
    ColorMap sequentialMap_ = ColorMap::Viridis;
    std::vector<int> rowUnits_;
    std::vector<int> unitRows_;  // inverse of rowUnits_
    QStringList tokenLabels_;
    CellKind kind_ = CellKind::Lstm;
    CellKind arrangedKind_ = CellKind::Lstm;  // the kind the grid holds now
    int columns_ = 0;  // heatmaps per grid row: 3 or 2
    int maxTokenLabelPx_ = 0;
    QHash<QString, double> cellLimits_;  // per node; grows only, reset on model change
    bool syncing_ = false;
    double lastRefreshMs_ = 0;
};
