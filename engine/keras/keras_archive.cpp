#include "engine/keras/keras_archive.h"

#include <zip.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "engine/error.h"

namespace lstmscope::keras {
namespace {

// The names Keras' saving_lib gives the entries (keras/src/saving/saving_lib.py).
constexpr const char* kConfig = "config.json";
constexpr const char* kMetadata = "metadata.json";
constexpr const char* kWeights = "model.weights.h5";
constexpr const char* kWeightsNpz = "model.weights.npz";  // save_model(weights_format="npz")

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }  // read-only: nothing to write back
};
struct ZipFileCloser {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};

std::string libzip_message(int code) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    return message;
}

std::string quoted(const std::string& entry) { return "'" + entry + "'"; }

class Archive {
public:
    explicit Archive(const std::string& path) : path_(path) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) throw Error(ErrorKind::model, path, "no such file");
        int code = 0;
        zip_.reset(zip_open(path.c_str(), ZIP_RDONLY, &code));
        if (!zip_)
            throw Error(ErrorKind::model, path, "is not a readable zip archive, so not a .keras file (libzip: " +
                        libzip_message(code) + "); a truncated download looks like this too");
    }

    bool has(const char* entry) const { return zip_name_locate(zip_.get(), entry, 0) >= 0; }

    // The whole entry, refused past `limit` bytes. The size in the zip's
    // directory is checked against the bytes that really come out, so an
    // entry that lies about its size (a zip bomb) cannot make us read more.
    template <class Buffer>
    Buffer read(const char* entry, uint64_t limit) const {
        const zip_int64_t index = zip_name_locate(zip_.get(), entry, 0);
        if (index < 0) throw Error(ErrorKind::model, path_, "the .keras archive has no " + quoted(entry));
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
            throw Error(ErrorKind::model, path_, quoted(entry) + " in the .keras archive has no readable size");
        if (st.size > limit)
            throw Error(ErrorKind::model, path_, quoted(entry) + " is " + std::to_string(st.size) +
                        " bytes uncompressed, more than the " + std::to_string(limit) + " allowed");
        std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
        if (!file)
            throw Error(ErrorKind::model, path_, quoted(entry) + " cannot be opened (libzip: " +
                        zip_error_strerror(zip_get_error(zip_.get())) + ")");
        Buffer out(static_cast<size_t>(st.size), '\0');
        uint64_t total = 0;
        while (total < st.size) {
            const zip_int64_t n = zip_fread(file.get(), out.data() + total, st.size - total);
            if (n < 0) throw read_error(entry, file.get());
            if (n == 0) break;
            total += static_cast<uint64_t>(n);
        }
        char extra = 0;
        const zip_int64_t more = total == st.size ? zip_fread(file.get(), &extra, 1) : 0;
        if (more < 0) throw read_error(entry, file.get());  // libzip checks the CRC at the end
        if (total != st.size || more > 0)
            throw Error(ErrorKind::model, path_, quoted(entry) + " does not hold the " + std::to_string(st.size) +
                        " bytes the archive states (damaged or truncated .keras file)");
        return out;
    }

private:
    Error read_error(const char* entry, zip_file_t* file) const {
        return Error(path_ + ": " + quoted(entry) + " cannot be read (libzip: " +
                     zip_error_strerror(zip_file_get_error(file)) + "); damaged or truncated .keras file");
    }

    std::string path_;
    std::unique_ptr<zip_t, ZipCloser> zip_;
};

}  // namespace

KerasArchive read_keras_archive(const std::string& path, const KerasArchiveLimits& limits) {
    const Archive zip(path);
    if (!zip.has(kConfig))
        throw Error(ErrorKind::model, path, "the .keras archive has no " + quoted(kConfig) +
                    " (the model's architecture); is it a Keras 3 model.save() file?");
    if (!zip.has(kWeights)) {
        if (zip.has(kWeightsNpz))
            throw Error(ErrorKind::model, path, "the .keras archive has " + quoted(kWeightsNpz) + " but no " + quoted(kWeights) +
                        "; only HDF5 weights are read (save with weights_format=\"h5\")");
        throw Error(ErrorKind::model, path, "the .keras archive has no " + quoted(kWeights) + " (the model's weights)");
    }
    KerasArchive out;
    out.config_json = zip.read<std::string>(kConfig, limits.max_json_bytes);
    if (zip.has(kMetadata)) out.metadata_json = zip.read<std::string>(kMetadata, limits.max_json_bytes);
    out.weights_h5 = zip.read<std::vector<unsigned char>>(kWeights, limits.max_weights_bytes);
    return out;
}

bool looks_like_zip(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    return in.read(magic, 4) && magic[0] == 'P' && magic[1] == 'K' && magic[2] == '\x03' && magic[3] == '\x04';
}

}  // namespace lstmscope::keras
