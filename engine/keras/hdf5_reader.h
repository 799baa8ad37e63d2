// The only code that calls libhdf5, run in the child process that
// hdf5_child.h starts: opens a file (from disk or from an image in memory)
// and walks every group, attribute and dataset in it, writing each object
// to the snapshot stream as it goes (hdf5_snapshot.h).
#pragma once

#include <string>
#include <vector>

#include "engine/keras/hdf5_snapshot.h"

namespace lstmscope::keras {

// Thrown out of a walk when libhdf5 or the walk ran out of memory (the
// child's address space is limited): the child exits with its own status.
struct Hdf5OutOfMemory {};

// Write the file's snapshot, or a failure record when libhdf5 cannot open
// it, then the end mark. Returns false when the pipe is gone. Throws
// Hdf5OutOfMemory or std::bad_alloc when memory runs out.
bool walk_hdf5_file(const std::string& path, SnapshotWriter& out);
bool walk_hdf5_image(std::vector<unsigned char>& image, SnapshotWriter& out);

}  // namespace lstmscope::keras
