#include "engine/keras/hdf5_heap_check.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <limits>

#include "engine/error.h"

namespace lstmscope::keras {

namespace {

// The image as libhdf5's default driver reads it: zeros past its end.
struct Image {
    const unsigned char* bytes;
    uint64_t size;

    uint64_t le(uint64_t at, unsigned width) const {
        uint64_t v = 0;
        for (unsigned k = width; k-- > 0;) v = (v << 8) | (at + k < size && at + k >= at ? bytes[at + k] : 0);
        return v;
    }
};

uint64_t align8(uint64_t n) { return n > std::numeric_limits<uint64_t>::max() - 7 ? n : (n + 7) & ~uint64_t{7}; }

// The superblock's "size of lengths" (2, 4 or 8; Keras files use 8).
unsigned length_size(const Image& image) {
    const uint64_t version = image.le(8, 1);
    const uint64_t size = image.le(version <= 1 ? 14 : 10, 1);
    return size == 2 || size == 4 || size == 8 ? static_cast<unsigned>(size) : 8;
}

[[noreturn]] void throw_damaged(const std::string& name, uint64_t at, uint64_t index, uint64_t declared, uint64_t pos,
                                uint64_t collection) {
    throw Error(name + ": the HDF5 global heap at byte " + std::to_string(at) + " is damaged (object " +
                std::to_string(index) + " declares " + std::to_string(declared) + " bytes at byte " +
                std::to_string(pos) + " of its " + std::to_string(collection) + ")");
}

}  // namespace

void check_global_heaps(const unsigned char* bytes, size_t size, const std::string& name) {
    const Image image{bytes, size};
    const unsigned L = length_size(image);
    const uint64_t header = align8(8 + L);         // "GCOL", version, 3 reserved, collection size
    const uint64_t object_header = align8(8 + L);  // index, references, 4 reserved, object size
    // A valid file has at most one object per 16 bytes; the budget keeps a
    // file full of fake signatures from costing more than a few passes.
    uint64_t budget = size / 4 + 4096;
    static const unsigned char kMagic[5] = {'G', 'C', 'O', 'L', 1};  // version 1, the only one
    for (const unsigned char* p = bytes; size > 0;) {
        p = static_cast<const unsigned char*>(memmem(p, static_cast<size_t>(bytes + size - p), kMagic, sizeof kMagic));
        if (!p) break;
        const uint64_t at = static_cast<uint64_t>(p - bytes);
        const uint64_t collection = image.le(at + 8, L);
        for (uint64_t pos = header; pos < collection && collection - pos >= object_header;) {
            // Past the end of the file the driver reads zeros: object 0 of 0 bytes.
            if (pos >= size - at) throw_damaged(name, at, 0, 0, pos, collection);
            const uint64_t index = image.le(at + pos, 2);
            const uint64_t declared = image.le(at + pos + 8, L);
            const uint64_t need = index > 0 ? object_header + align8(declared) : declared;
            if (need == 0 || need < declared || need > collection - pos || budget-- == 0)
                throw_damaged(name, at, index, declared, pos, collection);
            pos += need;
        }
        ++p;
    }
}

void check_global_heaps(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;  // opening the file reports it
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
        ::close(fd);
        return;
    }
    const size_t size = static_cast<size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) return;
    try {
        check_global_heaps(static_cast<const unsigned char*>(map), size, path);
    } catch (...) {
        ::munmap(map, size);
        throw;
    }
    ::munmap(map, size);
}

}  // namespace lstmscope::keras
