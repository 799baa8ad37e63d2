#pragma once

#include <ostream>

#include "engine/trace.h"

namespace lstmscope {

// Writes the trace as the JSON of spec/trace-format.md. Floats are printed
// with the shortest text that round-trips a float32.
void write_trace_json(std::ostream& out, const Trace& trace);

}  // namespace lstmscope
