// How every plot of the application redraws: one paint of the window per
// keystroke, with as little filling and blending as QCustomPlot allows.
//
// * No immediate refresh. QCustomPlot's default hints include
//   phImmediateRefresh: every replot() (also the queued ones) then ends in
//   repaint(), which paints and flushes the window's whole dirty region on
//   the spot. A keystroke redraws about ten plots, each from its own queued
//   replot, so the window was painted about ten times (on the build
//   machine at 256 tokens, the prediction plot's replot took 5 ms in a
//   keystroke against 0.4 ms on its own). Without it, replot() draws the
//   layers and asks for update(), and Qt paints every changed widget in one
//   pass.
// * The "overlay" layer (QCustomPlot's selection rectangle; nothing of ours)
//   draws into the buffer below it instead of a buffer of its own, which
//   every replot cleared and every paint blended over the whole plot.
// * Opaque paint: every plot here fills its whole rectangle with an opaque
//   background (QCustomPlot's white, plotBackgroundColor(), the palette's
//   Base), so Qt need not paint the widgets behind it first.
#pragma once

#include <qcustomplot.h>

inline void setUpRefresh(QCustomPlot* plot) {
    plot->setPlottingHint(QCP::phImmediateRefresh, false);
    if (QCPLayer* overlay = plot->layer(QStringLiteral("overlay"))) overlay->setMode(QCPLayer::lmLogical);
    plot->setAttribute(Qt::WA_OpaquePaintEvent);
}
