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

}  // namespace lstmscope
