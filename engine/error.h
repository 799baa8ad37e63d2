// The single exception type of the engine. Its message always starts with the
// file it is about and names the node, field or tensor at fault, so the CLI
// can print it verbatim and the GUI can show it in a dialog.
#pragma once

#include <stdexcept>
#include <string>

namespace lstmscope {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown by a run whose RunOptions::cancel flag was raised. Not an Error:
// nothing is wrong with the model or the text, the caller gave up on it.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("the run was cancelled") {}
};

}  // namespace lstmscope
