#include "engine/error.h"

#include "engine/json_excerpt.h"

namespace lstmscope {

// Names come from files, which can be hostile: each is quoted cut short.
std::string Error::compose(const ErrorParts& parts, const std::string& detail) {
    std::string m = parts.file.empty() ? (parts.kind == ErrorKind::text ? "text" : "") : parts.file;
    const auto add = [&m](const std::string& piece) {
        if (!m.empty()) m += ": ";
        m += piece;
    };
    if (!parts.node.empty()) add("node " + quoted_excerpt(parts.node, kMaxNameCodePoints));
    if (!parts.field.empty()) add("field " + quoted_excerpt(parts.field, kMaxNameCodePoints));
    if (!parts.tensor.empty()) add("tensor " + quoted_excerpt(parts.tensor, kMaxNameCodePoints));
    if (!detail.empty()) add(detail);
    return m;
}

const char* error_kind_name(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::model: return "model";
    case ErrorKind::weights: return "weights";
    case ErrorKind::text: return "text";
    case ErrorKind::input: return "input";
    case ErrorKind::usage: return "usage";
    case ErrorKind::internal: return "internal";
    }
    return "model";
}

}  // namespace lstmscope
