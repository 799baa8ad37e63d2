// One weight per token as a bar chart over the tokens (an attention_pool
// node's weights, or the one query row of an attention node): the bar height is the weight on a y axis that fits
// the data (the axis numbers keep it honest), the bar colour follows the
// fixed colour scale of every other attention view, so a colour means the
// same weight here as in the heatmaps. Token labels are elided and thinned
// like HeatmapPlot's; the wheel zooms along the tokens, dragging pans, a
// double click resets. QCustomPlot stays an implementation detail.
#pragma once

#include <QStringList>
#include <QWidget>
#include <vector>

#include "gui/plots/color_maps.h"

class QCustomPlot;
class QCPItemStraightLine;
class QCPItemText;
class QCPColorScale;
class ColoredBars;

class PoolBarChart : public QWidget {
    Q_OBJECT
public:
    explicit PoolBarChart(QWidget* parent = nullptr);

    void setData(const std::vector<double>& weights, const QStringList& labels);
    void clear();

    void setColorMap(ColorMap map);
    // The values mapped onto the colour map, fixed ([0, 1] for attention).
    void setValueRange(double lower, double upper);
    void setColorScaleLabel(const QString& label);
    // Words used on the axes and in the tooltip: "<itemName> 'good' (3) · <valueName> 0.2310".
    void setNames(const QString& itemName, const QString& valueName);
    // What the tooltip says for bar k in place of "'label' (k)" (a white-space
    // token: "'␣' (3) · space"); empty entries keep the default. setData()
    // forgets them: set them after the data.
    void setTooltipLabels(const QStringList& tips);

    // The selected bar, outlined; -1 for none. A range of bars (a word
    // spanning several tokens) is outlined as one box; setHighlightedBar(k)
    // is setHighlightedBars(k, k).
    void setHighlightedBar(int index);
    void setHighlightedBars(int first, int last);
    int highlightedBar() const { return highlighted_; }
    int highlightedBarLast() const { return highlightedLast_; }

    // The tokens on screen, in axis coordinates (bar k at x = k), kept on the
    // bars; setting it emits nothing, visibleRangeChanged() reports the user's.
    void setVisibleBars(double lower, double upper);
    double visibleBarLower() const;
    double visibleBarUpper() const;

    int barCount() const { return static_cast<int>(weights_.size()); }
    double valueAt(int index) const { return weights_.at(static_cast<size_t>(index)); }
    QColor barColor(int index) const;
    QString toolTipText(int index) const;
    // Bar under a widget position (on the bar's column or its label), or -1.
    int barAt(const QPoint& pos) const;
    // For tests only; nothing outside this class should need QCustomPlot.
    QCustomPlot* customPlot() const { return plot_; }

signals:
    void barClicked(int index);
    void barHovered(int index);  // -1 when the mouse leaves the bars
    void visibleRangeChanged();  // the user zoomed, panned or reset the view

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    bool updateTicks();  // true when the labels changed
    void updateValueAxis();
    void resetView();
    void clampRange();

    QCustomPlot* plot_;
    ColoredBars* bars_;
    QCPColorScale* scale_;
    QCPItemStraightLine* uniformLine_;
    QCPItemText* uniformText_;

    std::vector<double> weights_;
    QStringList labels_;
    QStringList tips_;
    QString itemName_ = "token", valueName_ = "weight";
    int highlighted_ = -1, highlightedLast_ = -1;
    bool userRange_ = false;  // inside a wheel, drag or double click of the user
    QPoint pressPos_;
    int lastHover_ = -1;
    struct TickState {
        int first = 0, last = -1, step = 0, highlighted = -1;
        bool upright = false;
        QStringList labels;
        bool operator==(const TickState&) const = default;
    } ticks_;
};
