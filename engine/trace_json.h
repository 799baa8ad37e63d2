#pragma once

#include <ostream>
#include <set>
#include <string>

#include "engine/trace.h"

namespace lstmscope {

struct TraceJsonOptions {
    // Only these nodes under "nodes" (all when empty); "output" is always written.
    std::set<std::string> nodes;
};

// Writes the trace as the JSON of models/FORMAT.md, "The trace". Floats are printed
// with the shortest text that round-trips a float32. A node whose attention
// was recorded for part of its query rows (RunOptions::attention_first/end)
// also gets "attention_rows": [first, end]; one with none recorded gets no
// "attention" (and no "scores").
void write_trace_json(std::ostream& out, const Trace& trace, const TraceJsonOptions& options = {});

}  // namespace lstmscope
