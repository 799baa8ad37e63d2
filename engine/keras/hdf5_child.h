// Runs libhdf5 in a child process. libhdf5 1.10 (Debian 12's) crashes,
// reads out of bounds, asks for petabytes and leaks on damaged files
// (issue 12's fuzzing findings); a downloaded model must cost the user a
// message, never the application or the machine's memory. The child gets a
// copy of the process (fork), reads the whole file into a snapshot
// (hdf5_reader.h) under a memory limit, sends it over a pipe and exits; the
// parent waits with a timeout and turns a crash, an exhausted memory or a
// timeout into an Error naming the file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "engine/keras/hdf5_snapshot.h"

namespace lstmscope::keras {

struct Hdf5ChildLimits {
    // Reading a large model takes a second or two; a file that keeps
    // libhdf5 busy for 30 s is damaged (or libhdf5 loops on it).
    int timeout_ms = 30000;
    // Address space the child may map beyond what the parent had at the
    // fork: the largest dataset it reads (2 GiB of float,
    // hdf5_limits::kMaxDatasetValues) twice over.
    uint64_t memory_bytes = uint64_t{4} << 30;
    // For tests: what the child does instead of reading the file.
    enum class TestHook { none, sleep, crash, exhaust_memory } test_hook = TestHook::none;
};

// The limits every later open uses. Starts from the environment:
// LSTMSCOPE_HDF5_TIMEOUT_MS, LSTMSCOPE_HDF5_MEMORY_MB. Tests and the fuzz
// target change it before opening files (not thread-safe to change).
Hdf5ChildLimits& hdf5_child_limits();

// Runs walk(writer) in a child and returns what it sent. `name` is the file
// as messages call it. Throws Error(ErrorKind::model, name, ...) when the
// child crashes, runs out of memory, times out, or reports that the file
// cannot be opened.
Hdf5Snapshot read_in_child(const std::string& name, const std::function<bool(SnapshotWriter&)>& walk);

}  // namespace lstmscope::keras
