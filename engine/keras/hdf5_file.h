// Read-only access to the parts of an HDF5 file a Keras model is stored in:
// groups, string attributes (model_config, layer_names, weight_names, in
// any of the encodings Keras 2 and 3 wrote) and numeric datasets as float.
// libhdf5 runs in a child process that reads the whole file into a snapshot
// (hdf5_child.h), since Debian's libhdf5 1.10 crashes and exhausts memory on
// damaged files; this class answers from the snapshot. Every failure is an
// Error that names the file and the object, never a crash or libhdf5's own
// stack dump.
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

struct Hdf5Object;    // hdf5_snapshot.h
struct Hdf5Snapshot;

class Hdf5File {
public:
    // Throws Error "<path>: ..." for a missing file or one that is not HDF5
    // (truncated files included), and when libhdf5 crashes on it, needs more
    // memory than hdf5_child_limits() allows or does not finish in time.
    // A damaged object fails only when it is asked for.
    explicit Hdf5File(const std::string& path);
    // An HDF5 file image in memory (the model.weights.h5 inside a .keras
    // zip), read in place by the child: no temporary file, no copy. `name` is what
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
    const Hdf5Object* find(const std::string& object) const;

    std::string path_;
    std::unique_ptr<const Hdf5Snapshot> snapshot_;
};

}  // namespace lstmscope::keras
