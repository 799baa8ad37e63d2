// A colour map as QCustomPlot's gradient, for the plots that draw through a
// QCPColorMap or QCPColorScale. Included only by the plots' .cpp files.
#pragma once

#include <qcustomplot.h>

#include "gui/plots/color_maps.h"

// 33 stops sampled from colorAt, and 2^8 + 1 levels, which put a level
// exactly at the middle: 0 is white on the diverging map over a symmetric
// range.
QCPColorGradient colorGradient(ColorMap map);
