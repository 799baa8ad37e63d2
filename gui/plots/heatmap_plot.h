// A matrix drawn as a heatmap with text labels on both axes: the building
// block of the attention and gates views. Rows run top to bottom, columns
// left to right. Labels are elided and thinned so they never overlap, at any
// zoom; the mouse wheel zooms, dragging pans, a double click resets. Hover
// shows the exact value; clicks on cells and labels are reported as signals.
// QCustomPlot stays an implementation detail (included only in the .cpp).
#pragma once

#include <QMap>
#include <QStringList>
#include <QWidget>

#include "engine/matrix.h"
#include "gui/plots/color_maps.h"

class QCustomPlot;
class BinnedMapData;
class QCPColorMap;
class QCPColorScale;
class QCPItemRect;
class QMouseEvent;

class HeatmapPlot : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapPlot(QWidget* parent = nullptr);

    void setData(const lstmscope::Matrix& values, const QStringList& rowLabels, const QStringList& columnLabels);
    // The same, taking the matrix over (a 5,000-token gate map is 2 MB, and
    // the gates view makes a new one per map on every trace).
    void setData(lstmscope::Matrix&& values, const QStringList& rowLabels, const QStringList& columnLabels);
    // The same from the transpose: row k of `columns` is column k of the
    // map. A gate matrix is recorded tokens x units and shown units x
    // tokens; at 5,000 tokens transposing six of them per trace, and then
    // binning the copies, was most of a keystroke's redraw of the gates view.
    void setDataByColumns(lstmscope::Matrix&& columns, const QStringList& rowLabels, const QStringList& columnLabels);
    void clear();

    void setColorMap(ColorMap map);
    // Values are mapped onto the colour map over [lower, upper], fixed, so a
    // colour means the same number for every text.
    void setValueRange(double lower, double upper);
    void setAxisTitles(const QString& columnTitle, const QString& rowTitle);
    // Words used in the tooltip: "<rowName> 'good' · <columnName> 'food' · <valueName> 0.2310".
    void setTooltipNames(const QString& rowName, const QString& columnName, const QString& valueName);
    // What the tooltip says for row / column k in place of "'label' (k)"
    // ("2 of 4" for a hop, "'␣' (3) · space" for a white-space token); an
    // empty or missing entry keeps the default. setData() forgets them: set
    // them after the data they belong to.
    void setTooltipLabels(const QStringList& rowTips, const QStringList& columnTips);
    void setColorScaleVisible(bool visible);
    void setColorScaleLabel(const QString& label);
    // Small multiples: no axis labels, no colour scale, no zoom.
    void setCompact(bool compact);

    // Outline of the selected row / column; -1 for none.
    void setHighlightedRow(int row);
    void setHighlightedColumn(int column);
    // An inclusive range of rows / columns outlined as one box (a word of a
    // word model spans several tokens of a character model); first -1 for
    // none. setHighlightedColumn(c) is setHighlightedColumns(c, c).
    void setHighlightedRows(int first, int last);
    void setHighlightedColumns(int first, int last);
    int highlightedRow() const { return highlightedRow_; }
    int highlightedRowLast() const { return highlightedRowLast_; }
    int highlightedColumn() const { return highlightedColumn_; }
    int highlightedColumnLast() const { return highlightedColumnLast_; }

    // The part of the matrix on screen, in axis coordinates (column k at
    // x = k, row k at y = k), kept on the cells. Setting it emits nothing;
    // visibleRangeChanged() reports only the user's zoom, pan and reset, so
    // callers can sync several heatmaps without feedback loops.
    void setVisibleColumns(double lower, double upper);
    void setVisibleRows(double lower, double upper);
    double visibleColumnLower() const;
    double visibleColumnUpper() const;
    double visibleRowLower() const;
    double visibleRowUpper() const;

    int rowCount() const { return static_cast<int>(byColumns_ ? values_.cols() : values_.rows()); }
    int columnCount() const { return static_cast<int>(byColumns_ ? values_.rows() : values_.cols()); }
    double valueAt(int row, int column) const { return byColumns_ ? values_(column, row) : values_(row, column); }
    // Cells averaged into one drawn cell when there are more than pixels
    // (see BinnedMapData): 1, 1 when every cell is drawn.
    int columnsPerBin() const { return columnsPerBin_; }
    int rowsPerBin() const { return rowsPerBin_; }
    // Signed ("+0.2310", "-0.1000") when the value range spans 0.
    QString toolTipText(int row, int column) const;
    // The label drawn under column k ("" when thinned out; CJK words on a
    // turned axis stacked one glyph per line) and its angle (0: level).
    QString columnTickLabel(int column) const { return shownColumnLabels_.value(column); }
    double columnLabelAngle(int column) const;
    // For tests only; nothing outside this class should need QCustomPlot.
    QCustomPlot* customPlot() const { return plot_; }

signals:
    void cellClicked(int row, int column);
    void cellHovered(int row, int column);  // -1, -1 when the mouse leaves the cells
    // The user zoomed (wheel: both axes by one factor), panned or reset the view.
    void visibleRangeChanged();
    // columnsPerBin() or rowsPerBin() changed (new data, zoom or size).
    void binsChanged();
    void rowLabelClicked(int row);
    void columnLabelClicked(int column);

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void take(lstmscope::Matrix&& values, bool byColumns, const QStringList& rowLabels, const QStringList& columnLabels);
    void rebuildMap();
    int wantedColumnsPerBin() const;
    int wantedRowsPerBin() const;
    bool rebinIfNeeded();  // true when the bins changed
    void updateTicks();
    void updateHighlights();
    void resetView();
    void clampRanges();
    bool zoomAt(const QPoint& pos, int wheelDelta);  // true when the view changed
    bool panTo(const QPoint& pos);
    // Cell under a widget position, or {-1, -1}; label hits via `onRowLabels`/`onColumnLabels`.
    QPoint cellAt(const QPoint& pos, bool* onRowLabels = nullptr, bool* onColumnLabels = nullptr) const;

    QCustomPlot* plot_;
    QCPColorMap* map_;
    BinnedMapData* mapData_;  // owned by map_
    QCPColorScale* scale_;
    QCPItemRect* rowBox_[2];  // wide light outline under a narrow dark one: visible on any colour
    QCPItemRect* columnBox_[2];

    lstmscope::Matrix values_;
    bool byColumns_ = false;  // values_ holds the transpose (setDataByColumns)
    QStringList rowLabels_, columnLabels_;
    QStringList rowTips_, columnTips_;
    QString rowName_ = "row", columnName_ = "column", valueName_ = "value";
    ColorMap colorMap_ = ColorMap::Viridis;
    double lower_ = 0, upper_ = 1;
    int columnsPerBin_ = 1, rowsPerBin_ = 1;
    bool compact_ = false;
    int highlightedRow_ = -1, highlightedRowLast_ = -1;
    int highlightedColumn_ = -1, highlightedColumnLast_ = -1;
    QMap<int, QString> shownColumnLabels_;
    QSize tickedSize_;  // axis rect size the current labels were thinned for
    int relayouts_ = 0;  // re-thinning rounds since the last data or size change
    QPoint pressPos_;
    bool dragging_ = false;  // a left-button press inside the cells, until release
    double dragColumns_[2] = {0, 0}, dragRows_[2] = {0, 0};  // the view when the drag began
    QPoint lastHover_{-1, -1};
};
