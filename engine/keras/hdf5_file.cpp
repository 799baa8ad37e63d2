// The parent's side of the HDF5 reader: cheap checks libhdf5 does not make
// (the signature, the global heaps), then the child's snapshot, from which
// every question is answered. libhdf5 itself never runs in this process.
#include "engine/keras/hdf5_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "engine/error.h"
#include "engine/keras/hdf5_child.h"
#include "engine/keras/hdf5_heap_check.h"
#include "engine/keras/hdf5_reader.h"
#include "engine/keras/hdf5_snapshot.h"

namespace lstmscope::keras {
namespace {

std::string quoted(const std::string& object) { return "'" + object + "'"; }

const unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

// HDF5's signature, which libhdf5 looks for at offset 0, 512, 1024, 2048, ...
// (a user block may come first).
bool has_hdf5_signature(const std::vector<unsigned char>& bytes) {
    for (size_t at = 0; at + 8 <= bytes.size(); at = at == 0 ? 512 : at * 2)
        if (std::memcmp(bytes.data() + at, kSignature, 8) == 0) return true;
    return false;
}

// The same for a file on disk (H5Fis_hdf5, without libhdf5 in this process).
bool has_hdf5_signature(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    bool found = false;
    if (::fstat(fd, &st) == 0) {
        const uint64_t size = static_cast<uint64_t>(st.st_size);
        for (uint64_t at = 0; !found && at + 8 <= size; at = at == 0 ? 512 : at * 2) {
            unsigned char head[8];
            found = ::pread(fd, head, 8, static_cast<off_t>(at)) == 8 && std::memcmp(head, kSignature, 8) == 0;
        }
    }
    ::close(fd);
    return found;
}

}  // namespace

Hdf5File Hdf5File::from_memory(std::vector<unsigned char> bytes, std::string name) {
    if (!has_hdf5_signature(bytes))
        throw Error(ErrorKind::model, name, "is not an HDF5 file (no HDF5 signature; damaged or truncated?)");
    check_global_heaps(bytes.data(), bytes.size(), name);  // before libhdf5 loops on them
    Hdf5File f;
    f.path_ = std::move(name);
    // The child reads its copy of `bytes` (the fork's); ours is freed on return.
    f.snapshot_ = std::make_unique<const Hdf5Snapshot>(
        read_in_child(f.path_, [&bytes](SnapshotWriter& out) { return walk_hdf5_image(bytes, out); }));
    return f;
}

Hdf5File::Hdf5File(const std::string& path) : path_(path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw Error(ErrorKind::model, path, "no such file");
    if (!has_hdf5_signature(path))
        throw Error(ErrorKind::model, path, "is not an HDF5 file (no HDF5 signature; is it a .keras zip or a truncated download?)");
    check_global_heaps(path);  // before libhdf5 loops on them
    snapshot_ = std::make_unique<const Hdf5Snapshot>(
        read_in_child(path, [&path](SnapshotWriter& out) { return walk_hdf5_file(path, out); }));
}

Hdf5File::~Hdf5File() = default;
Hdf5File::Hdf5File(Hdf5File&&) noexcept = default;
Hdf5File& Hdf5File::operator=(Hdf5File&&) noexcept = default;

const Hdf5Object* Hdf5File::find(const std::string& object) const {
    if (!snapshot_) return nullptr;  // moved from
    const auto it = snapshot_->objects.find(normalise_hdf5_path(object));
    return it == snapshot_->objects.end() ? nullptr : &it->second;
}

bool Hdf5File::exists(const std::string& object) const { return find(object) != nullptr; }

bool Hdf5File::is_group(const std::string& object) const {
    const Hdf5Object* o = find(object);
    return o && o->kind == Hdf5Kind::group;
}

bool Hdf5File::is_dataset(const std::string& object) const {
    const Hdf5Object* o = find(object);
    return o && o->kind == Hdf5Kind::dataset;
}

std::vector<std::string> Hdf5File::members(const std::string& group) const {
    const Hdf5Object* o = find(group);
    if (!o || o->kind != Hdf5Kind::group) throw Error(ErrorKind::model, path_, "there is no group " + quoted(group));
    if (!o->members_error.empty()) throw Error(ErrorKind::model, path_, o->members_error);
    return o->members;
}

bool Hdf5File::has_attribute(const std::string& object, const std::string& name) const {
    const Hdf5Object* o = find(object);
    return o && std::any_of(o->attributes.begin(), o->attributes.end(),
                            [&](const Hdf5Attribute& a) { return a.name == name; });
}

namespace {

// The attribute's strings, or its read error thrown; null when absent.
const std::vector<std::string>* attribute_strings(const Hdf5Object* o, const std::string& name, const std::string& path) {
    if (!o) return nullptr;
    for (const Hdf5Attribute& a : o->attributes) {
        if (a.name != name) continue;
        if (!a.error.empty()) throw Error(ErrorKind::model, path, a.error);
        return &a.strings;
    }
    return nullptr;
}

}  // namespace

std::optional<std::string> Hdf5File::string_attribute(const std::string& object, const std::string& name) const {
    const std::vector<std::string>* s = attribute_strings(find(object), name, path_);
    if (!s) return std::nullopt;
    if (s->size() != 1)
        throw Error(ErrorKind::model, path_,
                    "attribute '" + name + "' of " + quoted(object) + ": holds " + std::to_string(s->size()) +
                        " strings, expected one");
    return s->front();
}

std::vector<std::string> Hdf5File::string_list_attribute(const std::string& object, const std::string& name) const {
    const Hdf5Object* o = find(object);
    if (const auto* s = attribute_strings(o, name, path_)) return *s;
    // Keras splits attributes over 64 KB into name0, name1, ...
    std::vector<std::string> out;
    for (int k = 0;; ++k) {
        const auto* part = attribute_strings(o, name + std::to_string(k), path_);
        if (!part) return out;
        out.insert(out.end(), part->begin(), part->end());
    }
}

Hdf5Array Hdf5File::read_array(const std::string& dataset, int64_t max_values) const {
    const std::string what = "dataset " + quoted(dataset) + ": ";
    const Hdf5Object* o = find(dataset);
    if (!o || o->kind != Hdf5Kind::dataset) throw Error(ErrorKind::model, path_, what + "does not exist");
    if (o->shape_known) {
        int64_t count = 1;
        for (int64_t dim : o->array.shape) {
            if (dim > max_values) throw Error(ErrorKind::model, path_, what + "is larger than any model weight");
            count *= dim;
            if (count > max_values)
                throw Error(ErrorKind::model, path_, what + "holds more than " + std::to_string(max_values) + " values");
        }
    }
    if (!o->array_error.empty()) throw Error(ErrorKind::model, path_, o->array_error);
    return o->array;
}

}  // namespace lstmscope::keras
