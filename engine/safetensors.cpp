#include "engine/safetensors.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/error.h"
#include "engine/utf8.h"

namespace lstmscope {

namespace {

using nlohmann::json;

enum class DType { F32, F16, BF16, F64 };

struct Entry {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t count = 0;  // product(shape)
    uint64_t begin = 0;  // byte offsets into the data area
    uint64_t end = 0;
};

size_t dtype_size(DType d) {
    switch (d) {
        case DType::F16:
        case DType::BF16: return 2;
        case DType::F32: return 4;
        case DType::F64: return 8;
    }
    return 0;
}

// Nesting deeper than this is not a tensor table; refusing it early keeps
// hostile headers from costing more than their size.
constexpr int kMaxHeaderDepth = 64;

struct TooDeep {};
struct DuplicateKey {
    std::string key;
};

// Names in messages come from the file: keep them valid UTF-8 and short.
std::string in_quotes(std::string_view name) {
    constexpr size_t kMaxBytes = 200;
    std::string shown = sanitize_utf8(name.substr(0, kMaxBytes));
    return "'" + shown + (name.size() > kMaxBytes ? "...'" : "'");
}

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

uint64_t read_u64_le(const unsigned char* p) {
    uint64_t v = 0;
    for (int k = 7; k >= 0; --k) v = (v << 8) | p[k];
    return v;
}

// IEEE half to float, exactly (every half is representable as a float).
float half_to_float(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
    const uint32_t exponent = (h >> 10) & 0x1F;
    const uint32_t mantissa = h & 0x3FF;
    if (exponent == 0) {
        // zero or subnormal: mantissa x 2^-24, exact in float
        const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -magnitude : magnitude;
    }
    if (exponent == 0x1F) return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));  // inf / nan
    return std::bit_cast<float>(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
}

Error tensor_error(const std::string& path, const std::string& name, const std::string& detail) {
    ErrorParts parts;
    parts.kind = ErrorKind::weights;
    parts.file = path;
    parts.tensor = name;
    return Error(std::move(parts), detail);
}

class HeaderReader {
public:
    HeaderReader(const std::string& path, uint64_t data_size) : path_(path), data_size_(data_size) {}

    [[noreturn]] void fail(const std::string& message) const { throw Error(ErrorKind::weights, path_, message); }
    [[noreturn]] void fail_tensor(const std::string& name, const std::string& message) const {
        throw tensor_error(path_, name, message);
    }

    json parse_json(const unsigned char* begin, const unsigned char* end) const {
        // The callback sees every top-level key (nlohmann would silently keep
        // the last of two equal keys) and bounds the nesting depth.
        std::set<std::string> seen;
        const json::parser_callback_t check = [&](int depth, json::parse_event_t event, json& value) {
            if (depth > kMaxHeaderDepth) throw TooDeep{};
            if (event == json::parse_event_t::key && depth == 1) {
                std::string key = value.get<std::string>();
                if (!seen.insert(key).second) throw DuplicateKey{std::move(key)};
            }
            return true;
        };
        try {
            return json::parse(begin, end, check);
        } catch (const json::exception& e) {
            // nlohmann quotes the bytes it last read: keep them printable and short.
            const std::string_view what = e.what();
            fail("safetensors header: not valid JSON (" + sanitize_utf8(what.substr(0, 300)) +
                 (what.size() > 300 ? "...)" : ")"));
        } catch (const TooDeep&) {
            fail("safetensors header: not valid JSON (nested deeper than " + std::to_string(kMaxHeaderDepth) +
                 " levels)");
        } catch (const DuplicateKey& d) {
            fail("safetensors header: key " + in_quotes(d.key) + " appears twice");
        }
    }

    std::map<std::string, std::string> metadata(const json& value) const {
        if (!value.is_object()) fail("safetensors header: '__metadata__' must be an object of strings");
        std::map<std::string, std::string> out;
        for (const auto& [key, item] : value.items()) {
            if (!item.is_string())
                fail("safetensors header: '__metadata__' entry " + in_quotes(key) + " is not a string");
            out.emplace(key, item.get<std::string>());
        }
        return out;
    }

    Entry entry(const std::string& name, const json& value) const {
        if (!value.is_object()) fail_tensor(name, "header entry must be an object with dtype, shape, data_offsets");
        for (const auto& item : value.items()) {
            const std::string& key = item.key();
            if (key != "dtype" && key != "shape" && key != "data_offsets")
                fail_tensor(name, "unknown field " + in_quotes(key) + " (expected dtype, shape, data_offsets)");
        }
        for (const char* key : {"dtype", "shape", "data_offsets"})
            if (!value.contains(key)) fail_tensor(name, std::string("field '") + key + "' is missing");

        Entry e;
        e.name = name;
        e.dtype = dtype(name, value["dtype"]);
        read_shape(e, value["shape"]);
        read_offsets(e, value["data_offsets"]);
        return e;
    }

private:
    DType dtype(const std::string& name, const json& value) const {
        if (!value.is_string()) fail_tensor(name, "field 'dtype' must be a string");
        const auto& d = value.get_ref<const std::string&>();
        if (d == "F32") return DType::F32;
        if (d == "F16") return DType::F16;
        if (d == "BF16") return DType::BF16;
        if (d == "F64") return DType::F64;
        fail_tensor(name, "dtype " + in_quotes(d) + " is not supported (F32, F16, BF16, F64)");
    }

    // A non-negative JSON integer that fits int64.
    uint64_t count_field(const std::string& name, const json& value, const std::string& what) const {
        if (value.is_number_unsigned()) {
            const auto v = value.get<uint64_t>();
            if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                fail_tensor(name, what + " is " + std::to_string(v) + ", too large");
            return v;
        }
        if (value.is_number_integer())
            fail_tensor(name, what + " is " + std::to_string(value.get<int64_t>()) + ", negative");
        fail_tensor(name, what + " must be a non-negative integer");
    }

    void read_shape(Entry& e, const json& value) const {
        if (!value.is_array()) fail_tensor(e.name, "field 'shape' must be a list of integers");
        e.count = 1;
        for (size_t i = 0; i < value.size(); ++i) {
            const uint64_t dim = count_field(e.name, value[i], "shape[" + std::to_string(i) + "]");
            e.shape.push_back(static_cast<int64_t>(dim));
            if (dim != 0 && e.count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / dim)
                e.count = std::numeric_limits<uint64_t>::max();  // overflow; reported below
            else
                e.count *= dim;
        }
        // A shape containing 0 has no elements whatever the other dims are.
        if (std::find(e.shape.begin(), e.shape.end(), 0) != e.shape.end()) e.count = 0;
        if (e.count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / 8)
            fail_tensor(e.name, "shape " + shape_text(e.shape) + " has too many elements (product overflows)");
    }

    void read_offsets(Entry& e, const json& value) const {
        if (!value.is_array() || value.size() != 2)
            fail_tensor(e.name, "field 'data_offsets' must be a list [begin, end]");
        e.begin = count_field(e.name, value[0], "data_offsets[0]");
        e.end = count_field(e.name, value[1], "data_offsets[1]");
        std::string range = "[";  // appended: GCC 12 warns falsely (-Wrestrict) on "[" + std::string
        range += std::to_string(e.begin) + ", " + std::to_string(e.end) + "]";
        if (e.begin > e.end) fail_tensor(e.name, "data_offsets " + range + ": begin is after end");
        if (e.end > data_size_)
            fail_tensor(e.name, "data_offsets " + range + " end outside the data area (" +
                                    std::to_string(data_size_) + " bytes after the header)");
        const uint64_t expected = e.count * dtype_size(e.dtype);  // cannot overflow: count <= INT64_MAX / 8
        if (e.end - e.begin != expected)
            fail_tensor(e.name, "data_offsets " + range + " hold " + std::to_string(e.end - e.begin) +
                                    " bytes but shape " + shape_text(e.shape) + " needs " +
                                    std::to_string(expected));
    }

    const std::string& path_;
    uint64_t data_size_;
};

std::vector<float> convert(const Entry& e, const unsigned char* data, const std::string& path) {
    std::vector<float> out(static_cast<size_t>(e.count));
    const unsigned char* p = data + e.begin;
    // The common case, F32 on a little-endian machine, is a plain copy.
    const bool copied = e.dtype == DType::F32 && std::endian::native == std::endian::little;
    if (copied && !out.empty()) std::memcpy(out.data(), p, out.size() * sizeof(float));
    for (size_t i = 0; i < out.size(); ++i) {
        float v = out[i];
        switch (e.dtype) {
            case DType::F32: {
                if (copied) break;
                uint32_t bits = 0;
                for (int k = 3; k >= 0; --k) bits = (bits << 8) | p[4 * i + static_cast<size_t>(k)];
                v = std::bit_cast<float>(bits);
                break;
            }
            case DType::F16: v = half_to_float(static_cast<uint16_t>(p[2 * i] | (p[2 * i + 1] << 8))); break;
            case DType::BF16: {
                const uint32_t bits = static_cast<uint32_t>(p[2 * i] | (p[2 * i + 1] << 8)) << 16;
                v = std::bit_cast<float>(bits);
                break;
            }
            case DType::F64: {
                const double d = std::bit_cast<double>(read_u64_le(p + 8 * i));
                // Checked before narrowing: converting an out-of-range double is undefined.
                if (std::isfinite(d) && std::fabs(d) > static_cast<double>(std::numeric_limits<float>::max()))
                    throw tensor_error(path, e.name, "value at flat index " + std::to_string(i) +
                                " (" + std::to_string(d) + ") does not fit in float32");
                v = static_cast<float>(d);
                break;
            }
        }
        if (!std::isfinite(v))
            throw tensor_error(path, e.name, "value at flat index " + std::to_string(i) +
                        " is not finite (" + (std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf") + ")");
        out[i] = v;
    }
    return out;
}

}  // namespace

WeightStore WeightStore::load(const std::string& path) {
    // Checked first: a directory opens as a stream on Linux and reports a
    // nonsense size.
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec) throw Error(ErrorKind::weights, path, "cannot open weights file (" + ec.message() + ")");
    if (!std::filesystem::is_regular_file(status)) throw Error(ErrorKind::weights, path, "weights file is not a regular file");
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(ErrorKind::weights, path, "cannot read weights file (" + ec.message() + ")");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::weights, path, std::string("cannot open weights file (") + std::strerror(errno) + ")");
    std::vector<unsigned char> bytes;
    try {
        bytes.resize(static_cast<size_t>(size));
    } catch (const std::bad_alloc&) {
        throw Error(ErrorKind::weights, path, "weights file of " + std::to_string(size) + " bytes does not fit in memory");
    }
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (static_cast<uintmax_t>(in.gcount()) != size)
        throw Error(ErrorKind::weights, path, "cannot read weights file (" + std::to_string(size) + " bytes expected, " +
                    std::to_string(in.gcount()) + " read)");
    return parse(bytes, path);
}

WeightStore WeightStore::parse(const std::vector<unsigned char>& bytes, const std::string& path) {
    if (bytes.size() < 8)
        throw Error(ErrorKind::weights, path, "file is " + std::to_string(bytes.size()) +
                    " bytes, too short for a safetensors header (8-byte length first)");
    const uint64_t header_size = read_u64_le(bytes.data());
    const uint64_t rest = bytes.size() - 8;
    if (header_size > rest)
        throw Error(ErrorKind::weights, path, "safetensors header length " + std::to_string(header_size) +
                    " is larger than the rest of the file (" + std::to_string(rest) + " bytes)");
    const unsigned char* header = bytes.data() + 8;
    const unsigned char* data = header + header_size;
    const uint64_t data_size = rest - header_size;

    HeaderReader reader(path, data_size);
    const json root = reader.parse_json(header, data);
    if (!root.is_object()) reader.fail("safetensors header: not a JSON object");

    WeightStore store;
    store.path_ = path;
    std::vector<Entry> entries;
    for (const auto& [key, value] : root.items()) {
        if (key == "__metadata__")
            store.metadata_ = reader.metadata(value);
        else
            entries.push_back(reader.entry(key, value));
    }

    // Overlap check over the non-empty ranges in file order; an empty tensor
    // occupies no bytes and so overlaps nothing.
    std::vector<const Entry*> order;
    for (const Entry& e : entries)
        if (e.end > e.begin) order.push_back(&e);
    std::sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    const Entry* furthest = nullptr;  // of the ranges so far, the one ending last
    for (const Entry* e : order) {
        if (furthest && e->begin < furthest->end)
            reader.fail("tensors " + in_quotes(furthest->name) + " and " + in_quotes(e->name) + " overlap (bytes [" +
                        std::to_string(furthest->begin) + ", " + std::to_string(furthest->end) + ") and [" +
                        std::to_string(e->begin) + ", " + std::to_string(e->end) + ") of the data area)");
        if (!furthest || e->end > furthest->end) furthest = e;
    }

    for (const Entry& e : entries) {
        StoredTensor tensor;
        tensor.shape = e.shape;
        tensor.data = convert(e, data, path);
        store.tensors_.emplace(e.name, std::move(tensor));
    }
    return store;
}

StoredTensor* WeightStore::find(const std::string& name) {
    const auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
}

WeightStore WeightStore::from_tensors(std::map<std::string, StoredTensor> tensors, const std::string& path) {
    for (const auto& [name, t] : tensors) {
        uint64_t count = 1;
        for (const int64_t d : t.shape) {
            if (d < 0) throw tensor_error(path, name, "negative dimension");
            count *= static_cast<uint64_t>(d);
        }
        if (count != t.data.size())
            throw tensor_error(path, name, "shape holds " + std::to_string(count) +
                        " values but " + std::to_string(t.data.size()) + " are stored");
        for (const float v : t.data)
            if (!std::isfinite(v)) throw tensor_error(path, name, "holds a NaN or an infinity");
    }
    WeightStore store;
    store.path_ = path;
    store.tensors_ = std::move(tensors);
    for (auto& [name, t] : store.tensors_) t.used = false;
    return store;
}

std::vector<std::string> WeightStore::unused() const {
    std::vector<std::string> names;
    for (const auto& [name, tensor] : tensors_)
        if (!tensor.used) names.push_back(name);
    return names;
}

}  // namespace lstmscope
