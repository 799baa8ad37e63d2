// A check libhdf5 1.10 (Debian 12's) does not make. Variable-length strings
// (Keras' model_config, layer_names, weight_names) live in global heap
// collections ("GCOL"); when libhdf5 loads one
// (H5HG__cache_heap_deserialize) it walks the objects by their declared
// sizes and trusts them: an object at index 0 declaring 0 bytes makes it
// loop forever, and one declaring more bytes than the collection holds
// makes it read past it. Later libhdf5 versions refuse both; lstmscope
// checks every collection before libhdf5 opens the file.
#pragma once

#include <cstddef>
#include <string>

namespace lstmscope::keras {

// Throws Error "<name>: ..." naming the collection's byte offset when a
// collection in the HDF5 image `bytes` is damaged that way.
void check_global_heaps(const unsigned char* bytes, size_t size, const std::string& name);

// The same for a file on disk (mapped, not read into memory).
void check_global_heaps(const std::string& path);

}  // namespace lstmscope::keras
