// Read-only access to the parts of an HDF5 file a Keras model is stored in:
// groups, string attributes (model_config, layer_names, weight_names, in
// any of the encodings Keras 2 and 3 wrote) and numeric datasets as float.
// A thin owner of Debian's libhdf5 handles; every failure is an Error that
// names the file and the object, never a crash or libhdf5's own stack dump.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lstmscope::keras {

struct Hdf5Array {
    std::vector<int64_t> shape;  // row-major, as stored
    std::vector<float> values;   // F16/F32/F64 and integer datasets converted to float
};

class Hdf5File {
public:
    // Throws Error "<path>: ..." for a missing file or one that is not HDF5
    // (truncated files included).
    explicit Hdf5File(const std::string& path);
    // An HDF5 file image in memory (the model.weights.h5 inside a .keras
    // zip), read in place: no temporary file, no copy. `name` is what
    // messages call it ("m.keras/model.weights.h5"). Throws the same Errors
    // as opening from disk, naming `name`.
    static Hdf5File from_memory(std::vector<unsigned char> bytes, std::string name);
    ~Hdf5File();
    Hdf5File(Hdf5File&&) noexcept;
    Hdf5File& operator=(Hdf5File&&) noexcept;
    Hdf5File(const Hdf5File&) = delete;
    Hdf5File& operator=(const Hdf5File&) = delete;

    const std::string& path() const { return path_; }

    bool exists(const std::string& object) const;  // a group or dataset at this path ("/a/b")
    bool is_group(const std::string& object) const;
    bool is_dataset(const std::string& object) const;
    // The names of a group's members, in the file's (name) order.
    std::vector<std::string> members(const std::string& group) const;

    bool has_attribute(const std::string& object, const std::string& name) const;
    // A scalar string attribute (variable or fixed length, or a one-element
    // array of them); nullopt when absent. Throws for another type.
    std::optional<std::string> string_attribute(const std::string& object, const std::string& name) const;
    // A 1-D array of strings (Keras' layer_names, weight_names), variable or
    // fixed length; empty when absent. A large list may be split over
    // name0, name1, ... attributes (Keras does so past 64 KB): joined here.
    std::vector<std::string> string_list_attribute(const std::string& object, const std::string& name) const;

    // A numeric dataset, at most `max_values` values (a bound on what a
    // hostile file can make us allocate). Throws for other types.
    Hdf5Array read_array(const std::string& dataset, int64_t max_values = int64_t{1} << 31) const;

private:
    Hdf5File() = default;

    std::string path_;
    int64_t file_ = -1;  // hid_t
    // The bytes libhdf5 reads from_memory() files from; closed before freed.
    std::unique_ptr<std::vector<unsigned char>> image_;
};

}  // namespace lstmscope::keras
