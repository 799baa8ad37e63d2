#include "engine/keras/hdf5_snapshot.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lstmscope::keras {
namespace {

constexpr char kMagic[8] = {'L', 'S', 'H', '5', 'S', 'N', 'P', '1'};
constexpr char kObject = 'O';
constexpr char kFailure = 'F';
constexpr char kEnd = 'E';
constexpr size_t kFlushAt = size_t{1} << 16;

// Reads the parts of a stream, every count and length checked against the
// limits before anything is allocated for it.
class Parser {
public:
    explicit Parser(ByteSource& source) : source_(source) {}

    uint8_t u8() {
        uint8_t v = 0;
        source_.read(&v, 1);
        return v;
    }
    uint64_t u64(uint64_t limit) {
        uint64_t v = 0;
        source_.read(&v, sizeof v);
        if (v > limit) throw SnapshotDamaged{};
        return v;
    }
    std::string string() {
        const uint64_t n = u64(static_cast<uint64_t>(hdf5_limits::kMaxAttributeBytes));
        if ((string_bytes_ += n) > static_cast<uint64_t>(hdf5_limits::kMaxTotalAttributeBytes) * 2)
            throw SnapshotDamaged{};  // names and messages count too, hence the slack
        std::string s(static_cast<size_t>(n), '\0');
        if (n > 0) source_.read(s.data(), s.size());
        return s;
    }
    std::vector<std::string> strings() {
        std::vector<std::string> out(static_cast<size_t>(u64(hdf5_limits::kMaxStrings)));
        for (std::string& s : out) s = string();
        return out;
    }
    Hdf5Object object() {
        Hdf5Object o;
        const uint8_t kind = u8();
        if (kind < 1 || kind > 3) throw SnapshotDamaged{};
        o.kind = static_cast<Hdf5Kind>(kind);
        o.members = strings();
        o.members_error = string();
        o.attributes.resize(static_cast<size_t>(u64(hdf5_limits::kMaxStrings)));
        for (Hdf5Attribute& a : o.attributes) {
            a.name = string();
            a.strings = strings();
            a.error = string();
        }
        o.shape_known = u8() != 0;
        o.array.shape.resize(static_cast<size_t>(u64(8)));
        for (int64_t& d : o.array.shape) d = static_cast<int64_t>(u64(UINT64_MAX >> 1));
        const uint64_t values = u64(static_cast<uint64_t>(hdf5_limits::kMaxDatasetValues));
        if ((values_ += values) > static_cast<uint64_t>(hdf5_limits::kMaxTotalValues)) throw SnapshotDamaged{};
        o.array.values.resize(static_cast<size_t>(values));
        if (values > 0) source_.read(o.array.values.data(), o.array.values.size() * sizeof(float));
        o.array_error = string();
        return o;
    }

private:
    ByteSource& source_;
    uint64_t string_bytes_ = 0;
    uint64_t values_ = 0;
};

}  // namespace

std::string normalise_hdf5_path(const std::string& path) {
    std::string out;
    size_t at = 0;
    while (at < path.size()) {
        size_t end = path.find('/', at);
        if (end == std::string::npos) end = path.size();
        const std::string part = path.substr(at, end - at);
        if (!part.empty() && part != ".") out += "/" + part;
        at = end + 1;
    }
    return out.empty() ? "/" : out;
}

SnapshotWriter::SnapshotWriter(int fd) : fd_(fd) { put(kMagic, sizeof kMagic); }

void SnapshotWriter::put(const void* data, size_t size) {
    // Large blocks (a dataset's numbers) go straight to the pipe rather
    // than through a copy in the buffer.
    if (size >= kFlushAt) {
        if (!flush()) return;
        const char* p = static_cast<const char*>(data);
        while (ok_ && size > 0) {
            const ssize_t n = ::write(fd_, p, size);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) ok_ = false;
            else p += n, size -= static_cast<size_t>(n);
        }
        return;
    }
    buffer_.append(static_cast<const char*>(data), size);
    if (buffer_.size() >= kFlushAt) flush();
}

void SnapshotWriter::put_u64(uint64_t v) { put(&v, sizeof v); }

void SnapshotWriter::put_string(const std::string& s) {
    put_u64(s.size());
    put(s.data(), s.size());
}

bool SnapshotWriter::flush() {
    size_t done = 0;
    while (ok_ && done < buffer_.size()) {
        const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) ok_ = false;
        else done += static_cast<size_t>(n);
    }
    buffer_.clear();
    return ok_;
}

bool SnapshotWriter::object(const std::string& path, const Hdf5Object& o) {
    put(&kObject, 1);
    put_string(path);
    const uint8_t kind = static_cast<uint8_t>(o.kind);
    put(&kind, 1);
    put_u64(o.members.size());
    for (const std::string& m : o.members) put_string(m);
    put_string(o.members_error);
    put_u64(o.attributes.size());
    for (const Hdf5Attribute& a : o.attributes) {
        put_string(a.name);
        put_u64(a.strings.size());
        for (const std::string& s : a.strings) put_string(s);
        put_string(a.error);
    }
    const uint8_t shape_known = o.shape_known ? 1 : 0;
    put(&shape_known, 1);
    put_u64(o.array.shape.size());
    for (int64_t d : o.array.shape) put_u64(static_cast<uint64_t>(d));
    put_u64(o.array.values.size());
    put(o.array.values.data(), o.array.values.size() * sizeof(float));
    put_string(o.array_error);
    return ok_;
}

bool SnapshotWriter::failure(const std::string& detail) {
    put(&kFailure, 1);
    put_string(detail);
    return flush();
}

bool SnapshotWriter::end() {
    put(&kEnd, 1);
    return flush();
}

SnapshotResult read_snapshot(ByteSource& source) {
    char magic[sizeof kMagic];
    source.read(magic, sizeof magic);
    if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) throw SnapshotDamaged{};
    Parser parse(source);
    SnapshotResult out;
    for (int64_t count = 0;; ++count) {
        const uint8_t tag = parse.u8();
        if (tag == kEnd) return out;
        if (tag == kFailure) {
            out.failure = parse.string();
            if (out.failure.empty()) throw SnapshotDamaged{};
            continue;  // the end mark follows
        }
        if (tag != kObject || count >= hdf5_limits::kMaxObjects) throw SnapshotDamaged{};
        std::string path = parse.string();
        out.snapshot.objects[std::move(path)] = parse.object();
    }
}

}  // namespace lstmscope::keras
