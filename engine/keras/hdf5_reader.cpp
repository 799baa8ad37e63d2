#include "engine/keras/hdf5_reader.h"

#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace lstmscope::keras {
namespace {

using namespace hdf5_limits;

// Closes an HDF5 handle of any kind when it goes out of scope.
class Handle {
public:
    explicit Handle(hid_t id = H5I_INVALID_HID) : id_(id) {}
    ~Handle() {
        if (id_ >= 0) H5Idec_ref(id_);
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    hid_t get() const { return id_; }
    bool ok() const { return id_ >= 0; }

private:
    hid_t id_;
};

std::string quoted(const std::string& object) { return "'" + object + "'"; }

herr_t find_allocation_failure(unsigned, const H5E_error2_t* e, void* found) {
    if (e->min_num == H5E_CANTALLOC || e->min_num == H5E_NOSPACE) *static_cast<bool*>(found) = true;
    return 0;
}

// After a failed call: when libhdf5 failed for want of memory, the file asks
// for more than the child may have, which is the whole open's problem, not
// one object's (the parent says so).
void check_memory() {
    bool found = false;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, find_allocation_failure, &found);
    if (found) throw Hdf5OutOfMemory{};
}

struct Budget {
    int64_t objects = 0;
    int64_t values = 0;
    int64_t attribute_bytes = 0;
};

struct TooManyObjects {};

// Reads all strings of an attribute, whatever their storage: variable-length
// (h5py's str, Keras 3) or fixed-length byte strings (numpy 'S', Keras 2).
// Returns the detail of what went wrong, or "".
std::string read_strings(hid_t attr, std::vector<std::string>& out) {
    Handle type(H5Aget_type(attr));
    Handle space(H5Aget_space(attr));
    if (!type.ok() || !space.ok()) return check_memory(), "cannot read the attribute";
    if (H5Tget_class(type.get()) != H5T_STRING) return "is not a string attribute";
    const hssize_t n = H5Sget_simple_extent_npoints(space.get());
    if (n < 0 || n > kMaxStrings) return "has an impossible number of strings";
    if (H5Tis_variable_str(type.get()) > 0) {
        std::vector<char*> raw(static_cast<size_t>(n), nullptr);
        Handle mem(H5Tcopy(H5T_C_S1));
        H5Tset_size(mem.get(), H5T_VARIABLE);
        H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
        if (H5Aread(attr, mem.get(), raw.data()) < 0) return check_memory(), "cannot read its strings";
        for (char* s : raw) out.emplace_back(s ? s : "");
        H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, raw.data());
        return "";
    }
    const size_t size = H5Tget_size(type.get());
    if (size == 0 || size > (size_t{1} << 26)) return "has an impossible string size";
    if (static_cast<int64_t>(size) * n > kMaxAttributeBytes) return "is too large for a model's attribute";
    std::vector<char> buffer(size * static_cast<size_t>(n) + 1, '\0');
    if (H5Aread(attr, type.get(), buffer.data()) < 0) return check_memory(), "cannot read its strings";
    for (hssize_t k = 0; k < n; ++k) {
        const char* s = buffer.data() + static_cast<size_t>(k) * size;
        out.emplace_back(s, strnlen(s, size));  // null padded, or exactly `size` long
    }
    return "";
}

herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* names) {
    static_cast<std::vector<std::string>*>(names)->emplace_back(name);
    return static_cast<std::vector<std::string>*>(names)->size() > static_cast<size_t>(kMaxStrings) ? 1 : 0;
}

// Every attribute of an object, strings read. An object whose attributes
// cannot be listed has none, as H5Aexists said before.
void read_attributes(hid_t file, const std::string& path, Hdf5Object& o, Budget& budget) {
    Handle obj(H5Oopen(file, path.c_str(), H5P_DEFAULT));
    if (!obj.ok()) return check_memory();
    std::vector<std::string> names;
    if (H5Aiterate2(obj.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_attribute_name, &names) < 0) check_memory();
    for (std::string& name : names) {
        Hdf5Attribute a;
        a.name = std::move(name);
        const std::string what = "attribute '" + a.name + "' of " + quoted(path) + ": ";
        Handle attr(H5Aopen(obj.get(), a.name.c_str(), H5P_DEFAULT));
        std::string detail = attr.ok() ? read_strings(attr.get(), a.strings) : (check_memory(), "cannot be opened");
        for (const std::string& s : a.strings) budget.attribute_bytes += static_cast<int64_t>(s.size());
        if (detail.empty() && budget.attribute_bytes > kMaxTotalAttributeBytes)
            detail = "is past the " + std::to_string(kMaxTotalAttributeBytes >> 20) +
                     " MiB of attributes lstmscope reads from one file";
        if (!detail.empty()) {
            a.strings.clear();
            a.error = what + detail;
        }
        o.attributes.push_back(std::move(a));
    }
}

// A dataset's numbers as float, or the detail of why not.
std::string read_dataset(hid_t file, const std::string& path, Hdf5Object& o, Budget& budget) {
    Handle d(H5Dopen2(file, path.c_str(), H5P_DEFAULT));
    if (!d.ok()) return check_memory(), "cannot be opened";
    Handle type(H5Dget_type(d.get()));
    Handle space(H5Dget_space(d.get()));
    if (!type.ok() || !space.ok()) return check_memory(), "cannot read its type";
    const H5T_class_t cls = H5Tget_class(type.get());
    if (cls != H5T_FLOAT && cls != H5T_INTEGER) return "is not numeric";
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || rank > 8) return "has an impossible rank";
    hsize_t dims[8] = {};
    if (H5Sget_simple_extent_dims(space.get(), dims, nullptr) < 0) return "cannot read its shape";
    int64_t count = 1;
    bool too_many = false;
    for (int k = 0; k < rank; ++k) {
        // The shape is kept even when large: the caller's own bound
        // (read_array's max_values) then gives its message.
        o.array.shape.push_back(static_cast<int64_t>(std::min<hsize_t>(dims[k], UINT64_MAX >> 1)));
        if (dims[k] > static_cast<hsize_t>(kMaxDatasetValues) || (count *= static_cast<int64_t>(dims[k])) > kMaxDatasetValues)
            too_many = true;
    }
    o.shape_known = true;
    if (too_many || count < 0) return "holds more than " + std::to_string(kMaxDatasetValues) + " values";
    if ((budget.values += count) > kMaxTotalValues)
        return "is past the " + std::to_string(kMaxTotalValues) + " values lstmscope reads from one file";
    o.array.values.resize(static_cast<size_t>(count));
    // libhdf5 converts F16/F64/integers to native float on the way.
    if (count > 0 && H5Dread(d.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, o.array.values.data()) < 0) {
        o.array.values = {};
        check_memory();
        return "cannot be read (damaged or truncated file?)";
    }
    return "";
}

void read_members(hid_t file, const std::string& path, Hdf5Object& o) {
    Handle g(H5Gopen2(file, path.c_str(), H5P_DEFAULT));
    H5G_info_t info;
    if (!g.ok() || H5Gget_info(g.get(), &info) < 0) {
        check_memory();
        o.members_error = "cannot read group " + quoted(path);
        return;
    }
    if (info.nlinks > static_cast<hsize_t>(kMaxObjects)) {
        o.members_error = "group " + quoted(path) + " holds more than " + std::to_string(kMaxObjects) + " members";
        return;
    }
    for (hsize_t k = 0; k < info.nlinks; ++k) {
        const ssize_t n = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, k, nullptr, 0, H5P_DEFAULT);
        if (n < 0 || n > (1 << 20)) {
            check_memory();
            o.members.clear();
            o.members_error = "cannot read the members of group " + quoted(path);
            return;
        }
        std::string name(static_cast<size_t>(n) + 1, '\0');
        H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, k, name.data(), name.size(), H5P_DEFAULT);
        name.resize(static_cast<size_t>(n));
        o.members.push_back(std::move(name));
    }
}

Hdf5Kind kind_of(hid_t file, const std::string& path) {
    H5O_info_t info;
    if (H5Oget_info_by_name2(file, path.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
        check_memory();
        return Hdf5Kind::other;  // a dangling soft link: it exists, as nothing
    }
    return info.type == H5O_TYPE_GROUP ? Hdf5Kind::group : info.type == H5O_TYPE_DATASET ? Hdf5Kind::dataset : Hdf5Kind::other;
}

// Writes the object at `path`, then (a group) its members, depth first.
bool walk(hid_t file, const std::string& path, Hdf5Kind kind, int depth, Budget& budget, SnapshotWriter& out) {
    if (++budget.objects > kMaxObjects) throw TooManyObjects{};
    Hdf5Object o;
    o.kind = kind;
    if (kind != Hdf5Kind::other) read_attributes(file, path, o, budget);
    if (kind == Hdf5Kind::dataset) {
        std::string detail = read_dataset(file, path, o, budget);
        if (!detail.empty()) o.array_error = "dataset " + quoted(path) + ": " + detail;
    }
    if (kind == Hdf5Kind::group) {
        if (depth < kMaxDepth) read_members(file, path, o);
        else o.members_error = "group " + quoted(path) + " is nested too deeply";
    }
    if (!out.object(path, o)) return false;
    const std::vector<std::string> members = std::move(o.members);
    o = Hdf5Object();  // a dataset's numbers are sent: free them
    for (const std::string& m : members) {
        const std::string child = (path == "/" ? "" : path) + "/" + m;
        if (!walk(file, child, kind_of(file, child), depth + 1, budget, out)) return false;
    }
    return true;
}

bool walk_open_file(hid_t file, SnapshotWriter& out) {
    if (file < 0) {
        check_memory();
        return out.failure("the HDF5 file cannot be opened (damaged or truncated)") && out.end();
    }
    Budget budget;
    try {
        if (!walk(file, "/", Hdf5Kind::group, 0, budget, out)) return false;
    } catch (const TooManyObjects&) {
        return out.failure("the HDF5 file holds more than " + std::to_string(kMaxObjects) +
                           " groups and datasets, more than any model") &&
               out.end();
    }
    // The file is not closed: the child exits at once, and closing is one
    // more walk over damaged metadata.
    return out.end();
}

// File image callbacks that let the core driver read the buffer in place
// rather than copy it (see walk_hdf5_image). udata is the buffer.
using Image = std::vector<unsigned char>;

void* image_malloc(size_t size, H5FD_file_image_op_t, void* udata) {
    Image* image = static_cast<Image*>(udata);
    return size == image->size() ? image->data() : nullptr;
}

void* image_memcpy(void* dest, const void* src, size_t size, H5FD_file_image_op_t, void* udata) {
    Image* image = static_cast<Image*>(udata);
    return dest == src && dest == image->data() && size == image->size() ? dest : nullptr;
}

void* image_realloc(void*, size_t, H5FD_file_image_op_t, void*) { return nullptr; }
herr_t image_free(void*, H5FD_file_image_op_t, void*) { return 0; }  // the buffer is the caller's
void* udata_copy(void* udata) { return udata; }
herr_t udata_free(void*) { return 0; }

}  // namespace

bool walk_hdf5_file(const std::string& path, SnapshotWriter& out) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // no error stacks on stderr
    return walk_open_file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), out);
}

bool walk_hdf5_image(std::vector<unsigned char>& image, SnapshotWriter& out) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    // Left to itself, libhdf5 copies an image into the property list and
    // again into the open file; these callbacks hand it the buffer every time
    // it asks for memory, and refuse any real copy or resize, which a
    // read-only file never needs.
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
    H5FD_file_image_callbacks_t callbacks = {image_malloc, image_memcpy, image_realloc, image_free,
                                             udata_copy,   udata_free,   &image};
    if (!fapl.ok() || H5Pset_fapl_core(fapl.get(), 1 << 16, false) < 0 ||
        H5Pset_file_image_callbacks(fapl.get(), &callbacks) < 0 ||
        H5Pset_file_image(fapl.get(), image.data(), image.size()) < 0)
        return out.failure("cannot set up an in-memory HDF5 file") && out.end();
    return walk_open_file(H5Fopen("lstmscope-image", H5F_ACC_RDONLY, fapl.get()), out);
}

}  // namespace lstmscope::keras
