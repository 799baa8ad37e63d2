// One paint per keystroke for all plots, not one per plot.
//
// QCustomPlot's default plotting hints include phImmediateRefresh: every
// replot() (also the queued ones) then ends in repaint(), which paints and
// flushes the window's whole dirty region on the spot. A keystroke redraws
// about ten plots, each from its own queued replot, so the window was painted
// and flushed about ten times (measured on the build machine, 256 tokens:
// the prediction plot's replot took 5 ms in a keystroke against 0.4 ms on its
// own, most of it painting the other views). Without the hint replot() draws
// the plot's layers and asks for update(), and Qt paints every changed widget
// in one pass.
#pragma once

#include <qcustomplot.h>

inline void deferRefresh(QCustomPlot* plot) { plot->setPlottingHint(QCP::phImmediateRefresh, false); }
