// The predictions of two traces side by side, class by class: what the
// compare view's prediction table and `lstmscope-cli compare` print.
// Classes are matched by label name when both models name them (two models
// may order the same labels differently), else by position.
#pragma once

#include <string>
#include <vector>

#include "engine/trace.h"

namespace lstmscope::analysis {

struct ClassDiff {
    std::string label;  // the label, or "class N"
    double a = 0, b = 0;  // NaN on a side that lacks the class
    double change() const { return b - a; }  // B minus A
};

struct PredictionDiff {
    // Set when the outputs cannot be compared class by class (a tagger's
    // one row per token, or different widths without label names); the
    // classes are then empty.
    std::string not_comparable;
    std::vector<ClassDiff> classes;
    int argmax_a = -1, argmax_b = -1;  // indices into classes
    bool same_decision() const { return argmax_a >= 0 && argmax_a == argmax_b; }
};

// Compares the first (for a sequence classifier, the only) output row.
PredictionDiff compare_predictions(const Trace& a, const Trace& b);

}  // namespace lstmscope::analysis
