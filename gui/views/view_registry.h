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
    // Dock and pane section title: source text in the "ViewRegistry"
    // context (QT_TRANSLATE_NOOP); displayTitle() is in the user's language.
    const char* title;
    enum class Place { Left, Right, Bottom, Centre } place;  // where single mode puts it
    bool inComparePane;  // repeated in each pane of compare mode
    std::function<QWidget*(Pane* pane, QWidget* parent)> create;
    bool shownByDefault = true;  // false: its dock starts hidden (View menu, lessons)

    QString displayTitle() const;
};

const std::vector<ViewSpec>& viewSpecs();
const ViewSpec* findViewSpec(const QString& id);
