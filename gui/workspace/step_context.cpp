#include "gui/workspace/step_context.h"

#include "engine/analysis/view_choice.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"

StepContext stepContext(const Document* document, const Selection* selection) {
    StepContext context;
    const lstmscope::Trace* trace = document ? document->trace() : nullptr;
    if (!trace || !selection) return context;
    const auto lstm = lstmscope::analysis::resolve_lstm(*trace, selection->lstmNode().toStdString(),
                                                        selection->layer(), selection->direction());
    context.plan = lstmscope::analysis::plan_steps(*trace, lstm.node, lstm.layer, lstm.direction,
                                                   selection->cellPhases());
    if (selection->stepping() && context.plan.size() > 0) {
        // A text edited while stepping may have fewer steps: stay on the last.
        context.step = std::min(selection->step(), context.plan.size() - 1);
        context.reveal = lstmscope::analysis::reveal_at(context.plan, context.step);
    }
    return context;
}
