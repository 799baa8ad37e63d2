#include "engine/analysis/prediction_diff.h"

#include <algorithm>
#include <limits>

namespace lstmscope::analysis {

namespace {

std::string label_of(const Trace& t, int k) {
    return k < static_cast<int>(t.labels.size()) ? t.labels[k] : "class " + std::to_string(k);
}

int argmax_of(const std::vector<ClassDiff>& classes, bool side_a) {
    int best = -1;
    for (int k = 0; k < static_cast<int>(classes.size()); ++k) {
        const double v = side_a ? classes[k].a : classes[k].b;
        if (v != v) continue;  // NaN: the side lacks the class
        if (best < 0 || v > (side_a ? classes[best].a : classes[best].b)) best = k;
    }
    return best;
}

}  // namespace

PredictionDiff compare_predictions(const Trace& a, const Trace& b) {
    PredictionDiff diff;
    if (a.output_node < 0 || b.output_node < 0) {
        diff.not_comparable = "a trace has no output";
        return diff;
    }
    const Matrix& oa = a.output();
    const Matrix& ob = b.output();
    if (oa.rows() != 1 || ob.rows() != 1) {
        diff.not_comparable = "the output has one row per token (tagging), not one prediction per text";
        return diff;
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const bool named = !a.labels.empty() && !b.labels.empty();
    if (named) {
        // A's classes in A's order, then B's classes A lacks.
        for (int k = 0; k < oa.cols(); ++k) {
            ClassDiff c{label_of(a, k), oa(0, k), nan};
            const auto it = std::find(b.labels.begin(), b.labels.end(), c.label);
            if (it != b.labels.end() && it - b.labels.begin() < ob.cols()) c.b = ob(0, it - b.labels.begin());
            diff.classes.push_back(c);
        }
        for (int k = 0; k < ob.cols(); ++k) {
            const std::string label = label_of(b, k);
            if (std::none_of(diff.classes.begin(), diff.classes.end(), [&](const ClassDiff& c) { return c.label == label; }))
                diff.classes.push_back({label, nan, ob(0, k)});
        }
    } else {
        if (oa.cols() != ob.cols()) {
            diff.not_comparable = "the outputs have different widths (" + std::to_string(oa.cols()) + " and " +
                                  std::to_string(ob.cols()) + ") and no label names to match them by";
            return diff;
        }
        for (int k = 0; k < oa.cols(); ++k) diff.classes.push_back({label_of(a, k), oa(0, k), ob(0, k)});
    }
    diff.argmax_a = argmax_of(diff.classes, true);
    diff.argmax_b = argmax_of(diff.classes, false);
    return diff;
}

}  // namespace lstmscope::analysis
