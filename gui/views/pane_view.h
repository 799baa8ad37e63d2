// The one interface every view of a pane implements, so the window can keep
// a list of views instead of a member per view: each view is built for one
// pane (its Document and Selection) and follows the user's colour map.
// Which views exist, and where they go, is view_registry.cpp's one table.
#pragma once

#include "gui/plots/color_maps.h"

class PaneView {
public:
    virtual ~PaneView() = default;
    virtual void setSequentialColorMap(ColorMap map) = 0;
};
