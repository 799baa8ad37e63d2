// One LSTM or GRU unit over time: an LSTM's gates i, f, o, its cell
// candidate g, its cell state c and its hidden state h as six lines over the
// tokens; a GRU's gates r, z, its candidate n and its state h as four. Part
// of the gates view, which feeds it; it knows nothing of Document or
// Selection and reports clicks and hovers as token indices. QCustomPlot stays
// inside the .cpp, and the plot and its graphs (one per quantity of
// gate_quantities.h, both kinds) are created once and refilled, so a new
// unit or text costs no widget churn.
#pragma once

#include <QStringList>
#include <QWidget>
#include <array>
#include <vector>

#include "engine/trace.h"
#include "gui/gate_quantities.h"

class QCustomPlot;
class QCPGraph;
class QCPLayer;
class QCPItemRect;
class QCPItemStraightLine;
class QCPTextElement;
class QLabel;
class QStackedLayout;

class UnitLinePlot : public QWidget {
    Q_OBJECT
public:
    explicit UnitLinePlot(QWidget* parent = nullptr);

    // Plots column `unit` of every matrix of `gates`; `title` names the unit
    // ("lstm · layer 0 · forward · unit 12"). The values are copied.
    void setUnit(const lstmscope::GateTrace& gates, int unit, const QStringList& tokenLabels, const QString& title);
    // Shows the placeholder ("Click a unit row ..."); keeps nothing.
    void clearUnit();

    // The vertical marker at the selected token (-1: none) and a fainter one
    // at the token under the mouse elsewhere.
    void setMarkerToken(int token);
    // An inclusive range of tokens (a word spanning several tokens of a
    // character model) marked as one band; first -1 for none.
    // setMarkerToken(t) is setMarkerTokens(t, t).
    void setMarkerTokens(int first, int last);
    void setHoverToken(int token);
    // Shows tokens [lower, upper] (axis coordinates, token k at x = k), so
    // the plot can follow the heatmaps' zoom. Emits nothing.
    void setVisibleTokenRange(double lower, double upper);
    double visibleTokenLower() const;
    double visibleTokenUpper() const;

    // Read-only state for tests.
    bool hasUnit() const { return unit_ >= 0; }
    int unit() const { return unit_; }
    int markerToken() const { return marker_; }
    int markerTokenLast() const { return markerLast_; }
    int pointCount() const { return static_cast<int>(series_[gate_quantities::HiddenState].size()); }
    // Quantity q (gate_quantities::Quantity: i, f, g, o, c, h, r, z, n) of
    // the unit's kind.
    double valueAt(int quantity, int token) const { return series_[quantity][token]; }
    // The kind of the last unit set (LSTM at first): which lines are drawn.
    gate_quantities::CellKind cellKind() const { return kind_; }
    // Whether quantity q has a line in the plot and the legend now.
    bool lineShown(int quantity) const;
    double yLower() const;
    double yUpper() const;
    QString placeholderText() const;
    bool placeholderVisible() const;
    // For tests only; nothing outside this class should need QCustomPlot.
    QCustomPlot* customPlot() const { return plot_; }
    // Colour of quantity q's line (for tests and the legend).
    static QColor quantityColor(int quantity);

signals:
    void tokenClicked(int token);
    void tokenHovered(int token);  // -1 when the mouse leaves
    void visibleTokenRangeChanged(double lower, double upper);

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void applyKind();
    void updateTicks();
    void updateLegendWrap();
    // The legend entries' widths in one row, measured once per font and
    // kind (laying out their text at every keystroke showed in profiles).
    QString legendRowKey_;
    int legendRowWidth_ = 0;
    int labelStep() const;
    int labelBudget() const;  // pixels a token label may take along its reading direction
    void updateMarkers();
    void clampRange();
    int tokenAt(int x) const;
    QString hoverText(int token) const;

    QStackedLayout* stack_;
    QLabel* placeholder_;
    QCustomPlot* plot_;
    std::array<QCPGraph*, gate_quantities::Count> graphs_{};
    QCPLayer* markerLayer_;
    QCPItemStraightLine* markerLine_;
    QCPItemStraightLine* hoverLine_;
    QCPItemRect* markerBand_;
    QCPTextElement* title_;

    std::array<std::vector<double>, gate_quantities::Count> series_;
    gate_quantities::CellKind kind_ = gate_quantities::CellKind::Lstm;
    QStringList labels_;
    int unit_ = -1;
    int marker_ = -1, markerLast_ = -1;
    int hover_ = -1;
    int lastMouseToken_ = -1;
    QPoint pressPos_;
    double yLimit_ = 1.0;
    int tickStep_ = 0;
    int labelWidth_ = 0;       // widest token label as drawn, pixels
    bool levelLabels_ = false;  // labels drawn unrotated
    bool emitting_ = false;  // guards setVisibleTokenRange against our own signal
};
