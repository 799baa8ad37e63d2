#include "gui/views/view_registry.h"

#include <QCoreApplication>

#include "gui/teaching/attention_equation_view.h"
#include "gui/teaching/cell_view.h"
#include "gui/views/attention_view.h"
#include "gui/views/gates_view.h"
#include "gui/views/model_view.h"
#include "gui/views/prediction_view.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/pane.h"

namespace {

template <typename View>
std::function<QWidget*(Pane*, QWidget*)> maker() {
    return [](Pane* pane, QWidget* parent) -> QWidget* { return new View(pane->document(), pane->selection(), parent); };
}

}  // namespace

const std::vector<ViewSpec>& viewSpecs() {
    static const std::vector<ViewSpec> specs{
        {"tokens", QT_TRANSLATE_NOOP("ViewRegistry", "Tokens"), ViewSpec::Place::Centre, true, maker<TokenStrip>()},
        {"prediction", QT_TRANSLATE_NOOP("ViewRegistry", "Prediction"), ViewSpec::Place::Left, true, maker<PredictionView>()},
        {"model", QT_TRANSLATE_NOOP("ViewRegistry", "Model"), ViewSpec::Place::Left, false, maker<ModelView>()},
        {"attention", QT_TRANSLATE_NOOP("ViewRegistry", "Attention"), ViewSpec::Place::Right, true, maker<AttentionView>()},
        {"gates", QT_TRANSLATE_NOOP("ViewRegistry", "LSTM / GRU gates and states"), ViewSpec::Place::Bottom, true, maker<GatesView>()},
        {"cell", QT_TRANSLATE_NOOP("ViewRegistry", "LSTM / GRU cell"), ViewSpec::Place::Right, false, maker<CellView>(), false},
        {"equation", QT_TRANSLATE_NOOP("ViewRegistry", "Attention equation"), ViewSpec::Place::Right, false, maker<AttentionEquationView>(), false},
    };
    return specs;
}

QString ViewSpec::displayTitle() const { return QCoreApplication::translate("ViewRegistry", title); }

const ViewSpec* findViewSpec(const QString& id) {
    for (const auto& spec : viewSpecs())
        if (spec.id == id) return &spec;
    return nullptr;
}
