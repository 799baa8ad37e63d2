#include "gui/plots/color_gradient.h"

QCPColorGradient colorGradient(ColorMap map) {
    QCPColorGradient g;
    g.clearColorStops();
    for (int k = 0; k <= 32; ++k) g.setColorStopAt(k / 32.0, colorAt(map, k / 32.0));
    g.setLevelCount(257);
    return g;
}
