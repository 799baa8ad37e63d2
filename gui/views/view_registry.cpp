#include "gui/views/view_registry.h"

#include <QCoreApplication>

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

QString tr(const char* text) { return QCoreApplication::translate("ViewRegistry", text); }

}  // namespace

const std::vector<ViewSpec>& viewSpecs() {
    static const std::vector<ViewSpec> specs{
        {"tokens", tr("Tokens"), ViewSpec::Place::Centre, true, maker<TokenStrip>()},
        {"prediction", tr("Prediction"), ViewSpec::Place::Left, true, maker<PredictionView>()},
        {"model", tr("Model"), ViewSpec::Place::Left, false, maker<ModelView>()},
        {"attention", tr("Attention"), ViewSpec::Place::Right, true, maker<AttentionView>()},
        {"gates", tr("LSTM gates and states"), ViewSpec::Place::Bottom, true, maker<GatesView>()},
    };
    return specs;
}

const ViewSpec* findViewSpec(const QString& id) {
    for (const auto& spec : viewSpecs())
        if (spec.id == id) return &spec;
    return nullptr;
}
