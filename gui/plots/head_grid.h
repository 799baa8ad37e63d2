// Every head of a multi-head attention node at once, as small heatmaps in a
// grid ("small multiples") under one shared colour legend, so heads can be
// compared at a glance. Clicking a tile asks to open that head. The grid
// only displays; AttentionView turns its signals into Selection changes.
#pragma once

#include <QWidget>
#include <vector>

#include "engine/matrix.h"
#include "gui/plots/color_maps.h"

class HeatmapPlot;
class QFrame;
class QGridLayout;
class QLabel;
class QScrollArea;
class ColorLegend;

class HeadGrid : public QWidget {
    Q_OBJECT
public:
    explicit HeadGrid(QWidget* parent = nullptr);

    // One matrix per head, all of the same shape.
    void setHeads(const std::vector<lstmscope::Matrix>& heads, const QStringList& rowLabels,
                  const QStringList& columnLabels);
    void clear();

    void setColorMap(ColorMap map);
    void setValueRange(double lower, double upper);
    void setLegendLabel(const QString& label);
    // The words of every tile's tooltip (see HeatmapPlot::setTooltipNames).
    void setTooltipNames(const QString& rowName, const QString& columnName, const QString& valueName);
    // Every tile's HeatmapPlot::setTooltipLabels; after setHeads().
    void setTooltipLabels(const QStringList& rowTips, const QStringList& columnTips);
    // The head that Selection names, framed; -1 for none (the average).
    void setCurrentHead(int head);
    // The selected token, outlined in every tile; -1 for none. A range (a
    // word spanning several tokens) is outlined as one box.
    void setHighlightedRow(int row);
    void setHighlightedColumn(int column);
    void setHighlightedRows(int first, int last);
    void setHighlightedColumns(int first, int last);

    int headCount() const { return static_cast<int>(tiles_.size()); }
    int currentHead() const { return current_; }
    int columnCount() const { return columns_; }
    HeatmapPlot* tile(int head) const;
    QString tileTitle(int head) const;

signals:
    void headActivated(int head);
    void cellHovered(int head, int row, int column);  // -1s when the mouse leaves

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Tile {
        QFrame* frame;
        QLabel* title;
        HeatmapPlot* plot;
    };
    void relayout();
    void styleTile(int head);

    QScrollArea* scroll_;
    QWidget* container_;
    QGridLayout* grid_;
    ColorLegend* legend_;
    std::vector<Tile> tiles_;
    int current_ = -1;
    int columns_ = 0;
    int highlightedRow_ = -1, highlightedRowLast_ = -1;
    int highlightedColumn_ = -1, highlightedColumnLast_ = -1;
    ColorMap colorMap_ = ColorMap::Viridis;
    double lower_ = 0, upper_ = 1;
    QString legendLabel_ = "attention weight";
    QString rowName_ = "row", columnName_ = "column", valueName_ = "value";
};
