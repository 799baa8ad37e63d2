// Target 1: arbitrary bytes as a safetensors file (WeightStore::parse, the
// reader WeightStore::load uses once it has the file's bytes). A store that
// loads must keep the reader's promises: every tensor holds product(shape)
// finite values.
#include <cmath>
#include <cstdlib>
#include <vector>

#include "engine/safetensors.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::vector<unsigned char> bytes(data, data + size);
    lstmscope::fuzz::tolerate([&] {
        const auto store = lstmscope::WeightStore::parse(bytes, "fuzz.safetensors");
        for (const auto& [name, tensor] : store.tensors()) {
            uint64_t count = 1;
            for (const int64_t d : tensor.shape) {
                if (d < 0) std::abort();
                count *= static_cast<uint64_t>(d);
            }
            if (count != tensor.data.size()) std::abort();
            for (const float v : tensor.data)
                if (!std::isfinite(v)) std::abort();
        }
    });
    return 0;
}
