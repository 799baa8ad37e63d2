#include "engine/keras/hdf5_file.h"

#include <hdf5.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "engine/error.h"
#include "engine/keras/hdf5_heap_check.h"

namespace lstmscope::keras {
namespace {

// libhdf5 prints its error stack to stderr by default; our messages say
// what went wrong instead. Done once, for the whole library.
void silence_hdf5() {
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

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

// Reads all strings of an attribute, whatever their storage: variable-length
// (h5py's str, Keras 3) or fixed-length byte strings (numpy 'S', Keras 2).
std::vector<std::string> read_strings(hid_t attr, const std::string& what) {
    Handle type(H5Aget_type(attr));
    Handle space(H5Aget_space(attr));
    if (!type.ok() || !space.ok()) throw Error(ErrorKind::model, what, "cannot read the attribute");
    if (H5Tget_class(type.get()) != H5T_STRING) throw Error(ErrorKind::model, what, "is not a string attribute");
    const hssize_t n = H5Sget_simple_extent_npoints(space.get());
    if (n < 0 || n > (1 << 24)) throw Error(ErrorKind::model, what, "has an impossible number of strings");
    std::vector<std::string> out;
    if (H5Tis_variable_str(type.get()) > 0) {
        std::vector<char*> raw(static_cast<size_t>(n), nullptr);
        Handle mem(H5Tcopy(H5T_C_S1));
        H5Tset_size(mem.get(), H5T_VARIABLE);
        H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
        if (H5Aread(attr, mem.get(), raw.data()) < 0) throw Error(ErrorKind::model, what, "cannot read its strings");
        for (char* s : raw) out.emplace_back(s ? s : "");
        H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, raw.data());
    } else {
        const size_t size = H5Tget_size(type.get());
        if (size == 0 || size > (size_t{1} << 26)) throw Error(ErrorKind::model, what, "has an impossible string size");
        std::vector<char> buffer(size * static_cast<size_t>(n) + 1, '\0');
        if (H5Aread(attr, type.get(), buffer.data()) < 0) throw Error(ErrorKind::model, what, "cannot read its strings");
        for (hssize_t k = 0; k < n; ++k) {
            const char* s = buffer.data() + static_cast<size_t>(k) * size;
            out.emplace_back(s, strnlen(s, size));  // null padded, or exactly `size` long
        }
    }
    return out;
}

// HDF5's signature, which libhdf5 looks for at offset 0, 512, 1024, 2048, ...
// (a user block may come first).
bool has_hdf5_signature(const std::vector<unsigned char>& bytes) {
    static const unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    for (size_t at = 0; at + 8 <= bytes.size(); at = at == 0 ? 512 : at * 2)
        if (std::memcmp(bytes.data() + at, kSignature, 8) == 0) return true;
    return false;
}

// File image callbacks that let the core driver read our buffer in place.
// Left to itself, libhdf5 copies an image into the property list and again
// into the open file (three copies of a weights file of up to 2 GiB); these
// hand it our buffer every time it asks for memory, and refuse any real copy
// or resize, which a read-only file never needs. udata is the buffer.
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
herr_t image_free(void*, H5FD_file_image_op_t, void*) { return 0; }  // the buffer is ours
void* udata_copy(void* udata) { return udata; }
herr_t udata_free(void*) { return 0; }

}  // namespace

Hdf5File Hdf5File::from_memory(std::vector<unsigned char> bytes, std::string name) {
    silence_hdf5();
    if (!has_hdf5_signature(bytes))
        throw Error(ErrorKind::model, name, "is not an HDF5 file (no HDF5 signature; damaged or truncated?)");
    check_global_heaps(bytes.data(), bytes.size(), name);  // before libhdf5 loops on them
    Hdf5File f;
    f.path_ = std::move(name);
    f.image_ = std::make_unique<Image>(std::move(bytes));
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
    H5FD_file_image_callbacks_t callbacks = {image_malloc, image_memcpy, image_realloc, image_free,
                                             udata_copy,   udata_free,   f.image_.get()};
    if (!fapl.ok() || H5Pset_fapl_core(fapl.get(), 1 << 16, false) < 0 ||
        H5Pset_file_image_callbacks(fapl.get(), &callbacks) < 0 ||
        H5Pset_file_image(fapl.get(), f.image_->data(), f.image_->size()) < 0)
        throw Error(ErrorKind::model, f.path_, "cannot set up an in-memory HDF5 file");
    // libhdf5 keeps one shared record per open file name, so two images open
    // under one name would be taken for the same file: each gets its own.
    static std::atomic<unsigned long> counter{0};
    const std::string unique = "lstmscope-image-" + std::to_string(++counter);
    f.file_ = H5Fopen(unique.c_str(), H5F_ACC_RDONLY, fapl.get());
    if (f.file_ < 0) throw Error(ErrorKind::model, f.path_, "the HDF5 file cannot be opened (damaged or truncated)");
    return f;
}

Hdf5File::Hdf5File(const std::string& path) : path_(path) {
    silence_hdf5();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw Error(ErrorKind::model, path, "no such file");
    if (H5Fis_hdf5(path.c_str()) <= 0)
        throw Error(ErrorKind::model, path, "is not an HDF5 file (no HDF5 signature; is it a .keras zip or a truncated download?)");
    check_global_heaps(path);  // before libhdf5 loops on them
    file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file_ < 0) throw Error(ErrorKind::model, path, "the HDF5 file cannot be opened (damaged or truncated)");
}

Hdf5File::~Hdf5File() {
    if (file_ >= 0) H5Fclose(file_);
}

Hdf5File::Hdf5File(Hdf5File&& o) noexcept : path_(std::move(o.path_)), file_(o.file_), image_(std::move(o.image_)) {
    o.file_ = -1;
}

Hdf5File& Hdf5File::operator=(Hdf5File&& o) noexcept {
    if (this != &o) {
        if (file_ >= 0) H5Fclose(file_);
        path_ = std::move(o.path_);
        file_ = o.file_;
        image_ = std::move(o.image_);  // after the close above: libhdf5 no longer reads the old one
        o.file_ = -1;
    }
    return *this;
}

bool Hdf5File::exists(const std::string& object) const {
    if (object == "/" || object.empty()) return true;
    // Every link on the way must exist, or H5Lexists fails.
    size_t at = 0;
    while ((at = object.find('/', at + 1)) != std::string::npos)
        if (H5Lexists(file_, object.substr(0, at).c_str(), H5P_DEFAULT) <= 0) return false;
    return H5Lexists(file_, object.c_str(), H5P_DEFAULT) > 0;
}

bool Hdf5File::is_group(const std::string& object) const {
    if (!exists(object)) return false;
    H5O_info_t info;
    return H5Oget_info_by_name(file_, object.c_str(), &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_GROUP;
}

bool Hdf5File::is_dataset(const std::string& object) const {
    if (!exists(object)) return false;
    H5O_info_t info;
    return H5Oget_info_by_name(file_, object.c_str(), &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET;
}

std::vector<std::string> Hdf5File::members(const std::string& group) const {
    if (!is_group(group)) throw Error(ErrorKind::model, path_, "there is no group " + quoted(group));
    Handle g(H5Gopen2(file_, group.c_str(), H5P_DEFAULT));
    H5G_info_t info;
    if (!g.ok() || H5Gget_info(g.get(), &info) < 0) throw Error(ErrorKind::model, path_, "cannot read group " + quoted(group));
    std::vector<std::string> names;
    for (hsize_t k = 0; k < info.nlinks; ++k) {
        const ssize_t n = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, k, nullptr, 0, H5P_DEFAULT);
        if (n < 0) throw Error(ErrorKind::model, path_, "cannot read the members of group " + quoted(group));
        std::string name(static_cast<size_t>(n) + 1, '\0');
        H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, k, name.data(), name.size(), H5P_DEFAULT);
        name.resize(static_cast<size_t>(n));
        names.push_back(std::move(name));
    }
    return names;
}

bool Hdf5File::has_attribute(const std::string& object, const std::string& name) const {
    return exists(object) && H5Aexists_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

std::optional<std::string> Hdf5File::string_attribute(const std::string& object, const std::string& name) const {
    if (!has_attribute(object, name)) return std::nullopt;
    Handle attr(H5Aopen_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT));
    const std::string what = path_ + ": attribute '" + name + "' of " + quoted(object);
    if (!attr.ok()) throw Error(ErrorKind::model, what, "cannot be opened");
    std::vector<std::string> s = read_strings(attr.get(), what);
    if (s.size() != 1) throw Error(ErrorKind::model, what, "holds " + std::to_string(s.size()) + " strings, expected one");
    return s.front();
}

std::vector<std::string> Hdf5File::string_list_attribute(const std::string& object, const std::string& name) const {
    auto read_one = [&](const std::string& attr_name) {
        Handle attr(H5Aopen_by_name(file_, object.c_str(), attr_name.c_str(), H5P_DEFAULT, H5P_DEFAULT));
        const std::string what = path_ + ": attribute '" + attr_name + "' of " + quoted(object);
        if (!attr.ok()) throw Error(ErrorKind::model, what, "cannot be opened");
        return read_strings(attr.get(), what);
    };
    if (has_attribute(object, name)) return read_one(name);
    // Keras splits attributes over 64 KB into name0, name1, ...
    std::vector<std::string> out;
    for (int k = 0; has_attribute(object, name + std::to_string(k)); ++k) {
        auto part = read_one(name + std::to_string(k));
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

Hdf5Array Hdf5File::read_array(const std::string& dataset, int64_t max_values) const {
    const std::string what = path_ + ": dataset " + quoted(dataset);
    if (!is_dataset(dataset)) throw Error(ErrorKind::model, what, "does not exist");
    Handle d(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT));
    if (!d.ok()) throw Error(ErrorKind::model, what, "cannot be opened");
    Handle type(H5Dget_type(d.get()));
    Handle space(H5Dget_space(d.get()));
    if (!type.ok() || !space.ok()) throw Error(ErrorKind::model, what, "cannot read its type");
    const H5T_class_t cls = H5Tget_class(type.get());
    if (cls != H5T_FLOAT && cls != H5T_INTEGER) throw Error(ErrorKind::model, what, "is not numeric");
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || rank > 8) throw Error(ErrorKind::model, what, "has an impossible rank");
    std::vector<hsize_t> dims(static_cast<size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    Hdf5Array out;
    int64_t count = 1;
    for (hsize_t dim : dims) {
        if (dim > static_cast<hsize_t>(max_values)) throw Error(ErrorKind::model, what, "is larger than any model weight");
        out.shape.push_back(static_cast<int64_t>(dim));
        count *= static_cast<int64_t>(dim);
        if (count > max_values) throw Error(ErrorKind::model, what, "holds more than " + std::to_string(max_values) + " values");
    }
    out.values.resize(static_cast<size_t>(count));
    // libhdf5 converts F16/F64/integers to native float on the way.
    if (count > 0 && H5Dread(d.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()) < 0)
        throw Error(ErrorKind::model, what, "cannot be read (damaged or truncated file?)");
    return out;
}

}  // namespace lstmscope::keras
