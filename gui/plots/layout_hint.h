// Asking for a new layout only when a widget's size hint has changed.
//
// QWidget::updateGeometry() invalidates every layout up to the main window,
// and the window then lays out every dock, splitter and label again (~1 ms
// of a keystroke). Views that refill themselves on every new trace mostly
// keep their size: they remember the hint the layout last heard of and ask
// again only when it differs.
#pragma once

#include <QSize>
#include <QWidget>

// Calls widget->updateGeometry() when `hint` differs from `laidOut`, which
// then becomes `hint`. An empty `laidOut` (QSize()) always asks.
inline void updateGeometryIfChanged(QWidget* widget, QSize& laidOut, const QSize& hint) {
    if (hint == laidOut) return;
    laidOut = hint;
    widget->updateGeometry();
}
