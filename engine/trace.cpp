#include "engine/trace.h"

namespace lstmscope {

const NodeTrace* Trace::find(std::string_view name) const {
    for (const auto& n : nodes)
        if (n.name == name) return &n;
    return nullptr;
}

}  // namespace lstmscope
