// The table of views: adding a view to the window (its docks in single
// mode, each pane in compare mode, the colour-map menu, exports) is one
// entry in view_registry.cpp.
#pragma once

#include <QString>
#include <functional>
#include <vector>

class Pane;
class QWidget;

struct ViewSpec {
    QString id;     // dock object name ("attention" -> "attentionDock") and export file stem
    QString title;  // dock and pane section title
    enum class Place { Left, Right, Bottom, Centre } place;  // where single mode puts it
    bool inComparePane;  // repeated in each pane of compare mode
    std::function<QWidget*(Pane* pane, QWidget* parent)> create;
};

const std::vector<ViewSpec>& viewSpecs();
const ViewSpec* findViewSpec(const QString& id);
