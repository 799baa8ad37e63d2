// Reader for the safetensors layout (8-byte little-endian header length N,
// N bytes of JSON header, then raw little-endian tensor data). Every tensor is
// converted to float32 once, at load; ops then build their matrices from it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lstmscope {

struct StoredTensor {
    std::vector<int64_t> shape;
    std::vector<float> data;   // row-major, product(shape) values
    bool used = false;         // set when a node asks for it
};

class WeightStore {
public:
    // Reads and validates the whole file. Throws Error naming `path` and, where
    // there is one, the tensor: header not JSON / not an object, unknown dtype,
    // offsets outside the data area, overlapping, or not matching
    // dtype size x product(shape), a non-finite value.
    static WeightStore load(const std::string& path);
    // For tests and exporters: build from memory.
    static WeightStore parse(const std::vector<unsigned char>& bytes, const std::string& path);
    // From tensors already in memory (a converted Keras file); `path` names
    // them in messages. Values are checked as a file's are (shape x count,
    // finite values).
    static WeightStore from_tensors(std::map<std::string, StoredTensor> tensors, const std::string& path);

    const std::string& path() const { return path_; }
    bool contains(const std::string& name) const { return tensors_.count(name) != 0; }
    // nullptr if absent.
    StoredTensor* find(const std::string& name);
    const std::map<std::string, StoredTensor>& tensors() const { return tensors_; }
    // Names of tensors no node asked for (a warning, not an error).
    std::vector<std::string> unused() const;
    const std::map<std::string, std::string>& metadata() const { return metadata_; }

private:
    std::string path_;
    std::map<std::string, StoredTensor> tensors_;
    std::map<std::string, std::string> metadata_;
};

}  // namespace lstmscope
