// What changes between pane A and pane B (compare mode), each difference
// with its numbers:
//  * one attention distribution per side (pooling weights, or the attention
//    row of the selected query token, head average for multi-head nodes),
//    aligned by character span (engine/analysis/text_alignment.h) so a word
//    model and a character model, or two texts of a minimal pair, line up:
//    strips A and B on the sequential map, A − B on the diverging map, with
//    Jensen-Shannon divergence, Kendall's tau and the top-3 overlap;
//  * when both sides tokenise alike, the attention matrix of A minus B
//    (head average, or each pane's head);
//  * for the two texts of a pinned pair, the same LSTM unit on both texts as
//    two curves over A's tokens (gaps where B lacks the word);
//  * the predictions side by side, class by class, with the change.
// Every number comes from engine/analysis; this view only draws.
#pragma once

#include <QWidget>
#include <optional>

#include "engine/analysis/text_alignment.h"
#include "gui/gate_quantities.h"
#include "gui/plots/color_maps.h"
#include "gui/views/pane_view.h"

class Workspace;
class Pane;
class HeatmapPlot;
class QComboBox;
class QLabel;
class QTableWidget;
class QTabWidget;
class TwoCurvePlot;

class DifferenceView : public QWidget, public PaneView {
    Q_OBJECT
public:
    explicit DifferenceView(Workspace* workspace, QWidget* parent = nullptr);

    // Read-only state for tests.
    bool hasAttentionComparison() const { return compared_.has_value(); }
    const lstmscope::analysis::AlignedDistributions& attentionComparison() const { return *compared_; }
    QString metricsText() const;
    QString attentionMessage() const;  // why there is no comparison, or empty
    QTableWidget* predictionTable() const { return table_; }
    QComboBox* nodeChooser(bool sideA) const { return sideA ? nodeA_ : nodeB_; }
    HeatmapPlot* stripsPlot() const { return strips_; }
    HeatmapPlot* differencePlot() const { return difference_; }
    HeatmapPlot* matrixDifferencePlot() const { return matrixDiff_; }
    bool matrixDifferenceAvailable() const;
    TwoCurvePlot* unitCurves() const { return curves_; }
    QComboBox* quantityChooser() const { return quantity_; }
    QTabWidget* tabs() const { return tabs_; }

public slots:
    void setSequentialColorMap(ColorMap map) override;
    void refresh();

private:
    void fillChooser(QComboBox* box, Pane* pane);
    void refreshAttention();
    void refreshPrediction();
    void refreshMatrix();
    void refreshCurves();
    // The quantity chooser's items for an LSTM (h c i f g o) or a GRU (h r z n).
    void fillQuantities(gate_quantities::CellKind kind);
    // One side's distribution over its tokens, or a reason it has none.
    std::optional<std::vector<double>> distribution(Pane* pane, QComboBox* box, QString* why) const;

    Workspace* workspace_;
    QComboBox* nodeA_;
    QComboBox* nodeB_;
    QLabel* metrics_;
    QLabel* message_;
    HeatmapPlot* strips_;
    HeatmapPlot* difference_;
    QTabWidget* tabs_;
    HeatmapPlot* matrixDiff_;
    QLabel* matrixMessage_;
    TwoCurvePlot* curves_;
    QComboBox* quantity_;
    QTableWidget* table_;
    QLabel* predictionNote_;
    ColorMap map_ = ColorMap::Viridis;
    std::optional<lstmscope::analysis::AlignedDistributions> compared_;
};
