// The message of the lstmscope::Error a call throws, or "(no error)":
// tests compare whole messages, which name the file and the culprit.
#pragma once

#include <functional>
#include <string>

#include "engine/error.h"

namespace lstmscope::testing {

inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace lstmscope::testing
