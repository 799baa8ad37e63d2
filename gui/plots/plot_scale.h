// Presentation scale for plots: text and lines grow with the application
// font when presentation mode enlarges it.
//
// Widgets that draw with the widget font follow a font change by themselves;
// QCustomPlot does not: each axis, title and legend keeps the font it was
// given when it was made, and every pen has a fixed width. followFontScale()
// makes a plot follow, and lineScale() is the factor that code creating pens
// multiplies their widths by, so pens made after the change match the ones
// scaled by it.
#pragma once

#include <functional>

class QCustomPlot;


// The factor line widths are drawn at (1 outside presentation mode).
double lineScale();
// Set by presentation mode before it changes the application font.
void setLineScale(double factor);

// From now on, when `plot` receives a font change, its axes' fonts, text
// elements, legend, text items and every pen (axes, grids, graphs, bars,
// items) are scaled by the ratio of the new font size to the old, and the
// plot is redrawn. `relayout` then runs, for what the owner computes from
// font metrics (which tick labels fit, margins, legend wrapping).
void followFontScale(QCustomPlot* plot, std::function<void()> relayout = {});

