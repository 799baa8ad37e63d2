#include "gui/plots/color_gradient.h"

#include "gui/plots/color_maps.h"

QCPColorGradient colorGradient(ColorMap map) {
    QCPColorGradient g;
    g.clearColorStops();
    for (int k = 0; k <= 32; ++k) g.setColorStopAt(k / 32.0, colorAt(map, k / 32.0));
    g.setLevelCount(257);
    // NaN marks a cell with no value yet (step-through blanks what is not
    // computed): drawn as the plot's background, never as a colour that
    // could be read as a number.
    g.setNanHandling(QCPColorGradient::nhNanColor);
    g.setNanColor(plotBackgroundColor());
    return g;
}
