#pragma once

#include <string>

#include "engine/error.h"

namespace lstmscope::cli {

// The runner reports text problems about "text"; on the command line the
// user knows the text by its source (a file name, standard input, --text).
inline Error with_text_source(const Error& e, const std::string& source) {
    if (e.kind() == ErrorKind::text && e.parts().file.empty()) return e.in_file(source);
    return e;
}

}  // namespace lstmscope::cli
