// Runs a model on one text and records everything (spec/trace-format.md).
#pragma once

#include <string_view>

#include "engine/model.h"
#include "engine/trace.h"

namespace lstmscope {

struct RunLimits {
    // Longer texts are refused with a message instead of exhausting memory
    // (an attention matrix is T x T floats).
    int max_tokens = 20000;
};

// Throws Error ("text: ...") for an empty token sequence or one over the limit.
Trace run(const Model& model, std::string_view text, const RunLimits& limits = {});

}  // namespace lstmscope
