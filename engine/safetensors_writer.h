// Writes tensors as a safetensors file (F32, little-endian, sorted by name),
// the layout WeightStore reads: what `import-keras` stores its conversion in.
#pragma once

#include <map>
#include <string>

#include "engine/safetensors.h"

namespace lstmscope {

// Throws Error naming `path` when it cannot be written.
void write_safetensors(const std::string& path, const std::map<std::string, StoredTensor>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace lstmscope
