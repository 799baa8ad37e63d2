// Everything Hdf5File can be asked about one HDF5 file, read up front by a
// child process (hdf5_child.h) and sent to the parent over a pipe: libhdf5
// 1.10 crashes, reads out of bounds and asks for petabytes on damaged files,
// so it never runs in the process that holds the user's work.
//
// The stream is a header, one record per object (its path, kind, members,
// attributes and, for a dataset, its numbers as float or the message a read
// of it gives), then an end mark. The child writes each object as soon as it
// has read it and frees it, so it holds one dataset at a time; the parent
// reads with a deadline and checks every length against the limits below,
// since a child that libhdf5 corrupted may write anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/keras/hdf5_file.h"

namespace lstmscope::keras {

// What one file may make lstmscope read; past these the object carries an
// error instead (or, for the object count, the open fails).
namespace hdf5_limits {
// A Keras model with a thousand layers has a few thousand objects; a file
// whose hard links reach the same groups over and over (fuzzing made one)
// costs libhdf5 about 0.1 ms an object, so this bounds the walk to ~2 s.
constexpr int64_t kMaxObjects = 20000;
// Keras nests groups a handful deep; hard-linked cycles stop here.
constexpr int kMaxDepth = 48;
// One dataset: 2 GiB of float, which the child (4 GiB, hdf5_child.h) can
// hold while it sends it.
constexpr int64_t kMaxDatasetValues = int64_t{1} << 29;
// The whole file: 4 GiB of float.
constexpr int64_t kMaxTotalValues = int64_t{1} << 30;
// Strings of one attribute, and of all attributes together.
constexpr int64_t kMaxAttributeBytes = int64_t{1} << 28;
constexpr int64_t kMaxTotalAttributeBytes = int64_t{1} << 29;
constexpr int64_t kMaxStrings = int64_t{1} << 24;
}  // namespace hdf5_limits

struct Hdf5Attribute {
    std::string name;
    std::vector<std::string> strings;
    // Set when reading it fails ("attribute 'x' of '/': is not a string
    // attribute"): thrown, after the file's name, when it is asked for.
    std::string error;
};

enum class Hdf5Kind : uint8_t { group = 1, dataset = 2, other = 3 };  // other: a dangling link, a named type

struct Hdf5Object {
    Hdf5Kind kind = Hdf5Kind::other;
    std::vector<std::string> members;  // a group's, in name order
    std::string members_error;
    std::vector<Hdf5Attribute> attributes;  // in name order
    bool shape_known = false;  // a dataset's shape was read (array.shape)
    Hdf5Array array;
    std::string array_error;  // the dataset cannot be read as numbers
};

struct Hdf5Snapshot {
    std::map<std::string, Hdf5Object> objects;  // by normalised path: "/", "/a/b"
};

// "a//b/", "/a/./b" -> "/a/b"; "" -> "/".
std::string normalise_hdf5_path(const std::string& path);

// The child's side: buffered writes to a pipe. Each call returns false once
// the pipe is gone (the parent gave up); the child then just exits.
class SnapshotWriter {
public:
    explicit SnapshotWriter(int fd);
    bool object(const std::string& path, const Hdf5Object& object);
    // The file cannot be opened at all: the message's detail.
    bool failure(const std::string& detail);
    bool end();

private:
    void put(const void* data, size_t size);
    void put_u64(uint64_t v);
    void put_string(const std::string& s);
    bool flush();

    int fd_;
    std::string buffer_;
    bool ok_ = true;
};

// The parent's side: where the bytes come from. read() fills `size` bytes or
// throws (end of stream, timeout).
class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual void read(void* data, size_t size) = 0;
};

// A stream that breaks the format or the limits.
struct SnapshotDamaged {};

struct SnapshotResult {
    Hdf5Snapshot snapshot;
    std::string failure;  // non-empty: the file cannot be opened, this is why
};

// Reads a whole stream up to its end mark. Throws SnapshotDamaged, or what
// the source throws.
SnapshotResult read_snapshot(ByteSource& source);

}  // namespace lstmscope::keras
