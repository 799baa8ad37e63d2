// Colour maps with fixed meanings: a perceptually uniform sequential map for
// values in [0, 1] (attention weights, gates) and a diverging map centred on
// 0 for signed values (cell candidate, cell and hidden states), so a colour
// means the same number in every view and for every text.
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>

enum class ColorMap { Viridis, Magma, Cividis, Diverging };

// The sequential maps a user can choose (View > Colour map).
QStringList sequentialColorMapNames();
ColorMap sequentialColorMapFromName(const QString& name);  // unknown -> Viridis
QString colorMapName(ColorMap map);  // the identifier, as saved in the settings
QString colorMapDisplayName(ColorMap map);  // the name in the user's language

// t in [0, 1] (clamped). For Diverging, 0.5 is the neutral middle. Both
// ends of every sequential map stand out from plotBackgroundColor().
QColor colorAt(ColorMap map, double t);

// What every plot is drawn on.
QColor plotBackgroundColor();

// Black or white, whichever reads better on `background`.
QColor textColorOn(const QColor& background);
