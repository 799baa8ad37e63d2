// The parts of a Keras 3 `.keras` file (a zip written by model.save()) that
// an import needs: config.json, metadata.json and model.weights.h5, read
// into memory with Debian's libzip. The assets/ folder (vocabularies of
// preprocessing layers) is not read. A hostile or broken zip is refused with
// an Error naming the file and the entry, never a crash or a huge allocation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lstmscope::keras {

struct KerasArchive {
    std::string config_json;               // the model's architecture (Keras 3 Functional/Sequential JSON)
    std::string metadata_json;             // keras_version, date_saved; empty when the zip has none
    std::vector<unsigned char> weights_h5; // the HDF5 image: open it with Hdf5File::from_memory
};

// What read_keras_archive accepts at most, per entry, uncompressed.
struct KerasArchiveLimits {
    uint64_t max_json_bytes = uint64_t{64} << 20;    // 64 MiB
    uint64_t max_weights_bytes = uint64_t{2} << 30;  // 2 GiB
};

// Throws Error "<path>: ..." for a missing file, a file that is not a zip or
// is truncated (libzip's reason included), a missing config.json or
// model.weights.h5, an entry over its limit, or an entry whose data does not
// match its stated size or checksum.
KerasArchive read_keras_archive(const std::string& path, const KerasArchiveLimits& limits = {});

// True when the file starts with a zip local header ("PK\3\4"): a cheap test
// to tell a .keras zip from an HDF5 .h5 before choosing a reader. False for
// a missing or unreadable file.
bool looks_like_zip(const std::string& path);

}  // namespace lstmscope::keras
