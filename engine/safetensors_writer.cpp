#include "engine/safetensors_writer.h"

#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/error.h"

namespace lstmscope {

void write_safetensors(const std::string& path, const std::map<std::string, StoredTensor>& tensors,
                       const std::map<std::string, std::string>& metadata) {
    static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    uint64_t offset = 0;
    for (const auto& [name, t] : tensors) {
        const uint64_t bytes = t.data.size() * sizeof(float);
        header[name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    // The data area starts 8-byte aligned, as the reference writer does.
    while ((text.size() + 8) % 8 != 0) text.push_back(' ');
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::input, path, std::string("cannot write the weights file (") + std::strerror(errno) + ")");
    const uint64_t n = text.size();
    unsigned char length[8];
    for (int k = 0; k < 8; ++k) length[k] = static_cast<unsigned char>(n >> (8 * k));
    out.write(reinterpret_cast<const char*>(length), 8);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    for (const auto& [name, t] : tensors)
        out.write(reinterpret_cast<const char*>(t.data.data()), static_cast<std::streamsize>(t.data.size() * sizeof(float)));
    out.close();
    if (!out) throw Error(ErrorKind::input, path, std::string("writing the weights file failed (") + std::strerror(errno) + ")");
}

}  // namespace lstmscope
