// A small horizontal colour bar that lets a colour be read as a number.
// Inline: "low ▭ high" on one line (beside a combo box or a title).
// Ticked: an optional caption, the bar, and evenly spaced values below it.
#pragma once

#include <QWidget>

#include "gui/plots/color_maps.h"

class ColorLegend : public QWidget {
    Q_OBJECT
public:
    enum class Style { Inline, Ticked };
    explicit ColorLegend(Style style, QWidget* parent = nullptr);

    // Values printed with up to `precision` significant digits.
    void setRange(ColorMap map, double lower, double upper, const QString& caption = QString());
    // Inline only: texts for the two ends instead of numbers ("−1", "+1").
    void setEndTexts(ColorMap map, const QString& low, const QString& high);
    ColorMap colorMap() const { return map_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void paintInline(class QPainter& p);
    void paintTicked(class QPainter& p);
    int naturalWidth() const;
    void textsChanged();

    Style style_;
    ColorMap map_ = ColorMap::Viridis;
    double lower_ = 0, upper_ = 1;
    QString caption_, low_, high_;
    // The widest the texts have made it in this font: the width it asks for
    // only grows, so that "0.12" after "-0.123" moves nothing (textsChanged).
    int widest_ = 0;
};
