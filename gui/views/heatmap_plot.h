// A matrix drawn as a heatmap with text labels on both axes: the building
// block of the attention and gates views. Rows run top to bottom, columns
// left to right. Labels are elided and thinned so they never overlap, at any
// zoom; the mouse wheel zooms, dragging pans, a double click resets. Hover
// shows the exact value; clicks on cells and labels are reported as signals.
// QCustomPlot stays an implementation detail (included only in the .cpp).
#pragma once

#include <QStringList>
#include <QWidget>

#include "engine/matrix.h"
#include "gui/color_maps.h"

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemRect;
class QCPItemStraightLine;
class QMouseEvent;

class HeatmapPlot : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapPlot(QWidget* parent = nullptr);

    void setData(const lstmscope::Matrix& values, const QStringList& rowLabels, const QStringList& columnLabels);
    void clear();

    void setColorMap(ColorMap map);
    // Values are mapped onto the colour map over [lower, upper], fixed, so a
    // colour means the same number for every text.
    void setValueRange(double lower, double upper);
    void setAxisTitles(const QString& columnTitle, const QString& rowTitle);
    // Words used in the tooltip: "<rowName> 'good' · <columnName> 'food' · <valueName> 0.2310".
    void setTooltipNames(const QString& rowName, const QString& columnName, const QString& valueName);
    void setColorScaleVisible(bool visible);
    void setColorScaleLabel(const QString& label);
    // Small multiples: no axis labels, no colour scale, no zoom.
    void setCompact(bool compact);

    // Outline of the selected row / column; -1 for none.
    void setHighlightedRow(int row);
    void setHighlightedColumn(int column);
    int highlightedRow() const { return highlightedRow_; }
    int highlightedColumn() const { return highlightedColumn_; }

    int rowCount() const { return static_cast<int>(values_.rows()); }
    int columnCount() const { return static_cast<int>(values_.cols()); }
    double valueAt(int row, int column) const { return values_(row, column); }
    QString toolTipText(int row, int column) const;
    QCustomPlot* customPlot() const { return plot_; }

signals:
    void cellClicked(int row, int column);
    void cellHovered(int row, int column);  // -1, -1 when the mouse leaves the cells
    void rowLabelClicked(int row);
    void columnLabelClicked(int column);

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void rebuildMap();
    void updateTicks();
    void updateHighlights();
    void resetView();
    void clampRanges();
    // Cell under a widget position, or {-1, -1}; label hits via `onRowLabels`/`onColumnLabels`.
    QPoint cellAt(const QPoint& pos, bool* onRowLabels = nullptr, bool* onColumnLabels = nullptr) const;

    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPColorScale* scale_;
    QCPItemRect* rowBox_[2];  // wide light outline under a narrow dark one: visible on any colour
    QCPItemRect* columnBox_[2];

    lstmscope::Matrix values_;
    QStringList rowLabels_, columnLabels_;
    QString rowName_ = "row", columnName_ = "column", valueName_ = "value";
    ColorMap colorMap_ = ColorMap::Viridis;
    double lower_ = 0, upper_ = 1;
    bool compact_ = false;
    int highlightedRow_ = -1, highlightedColumn_ = -1;
    QSize tickedSize_;  // axis rect size the current labels were thinned for
    int relayouts_ = 0;  // re-thinning rounds since the last data or size change
    QPoint pressPos_;
    QPoint lastHover_{-1, -1};
};
