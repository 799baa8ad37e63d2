#pragma once

#include <string>

#include "engine/error.h"

namespace lstmscope::cli {

// The runner reports text problems as "text: ..."; on the command line the
// user knows the text by its source (a file name, standard input, --text).
inline Error with_text_source(const Error& e, const std::string& source) {
    const std::string message = e.what();
    if (message.rfind("text: ", 0) == 0) return Error(source + ": " + message.substr(6));
    return e;
}

}  // namespace lstmscope::cli
