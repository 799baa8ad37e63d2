// Where a pane's step-through stands, as every view needs it: the walk of
// the selected LSTM (its fallback if none is chosen, as the gates view shows)
// and what the current step reveals. Views call stepContext() when the
// trace, the LSTM choice or the step changes; none keeps its own idea of
// the step.
#pragma once

#include "engine/analysis/computation_steps.h"

class Document;
class Selection;

struct StepContext {
    lstmscope::analysis::StepPlan plan;
    lstmscope::analysis::StepReveal reveal;  // everything when not stepping
    int step = -1;                            // clamped to the plan; -1 when not stepping
    bool active() const { return step >= 0; }
    // The current step, when stepping.
    const lstmscope::analysis::ComputationStep* current() const {
        return active() ? &plan.steps[static_cast<size_t>(step)] : nullptr;
    }
};

StepContext stepContext(const Document* document, const Selection* selection);
