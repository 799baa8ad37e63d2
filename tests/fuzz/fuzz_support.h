// What every fuzz target shares: where the repository's fixtures are, a
// scratch directory of its own, and the one rule of the targets: an
// expected rejection (lstmscope::Error, Cancelled, std::bad_alloc) is the
// engine doing its job, anything else escaping (another exception, a crash,
// a sanitizer report) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <new>
#include <string>
#include <string_view>

#include "engine/error.h"
#include "engine/runner.h"

namespace lstmscope::fuzz {

// A file of the source tree ("tests/data/golden/lstm_uni.json").
std::string source_path(std::string_view relative);

// A directory of this process's own (parallel fuzzing jobs are separate
// processes), created on first use and removed at exit.
const std::filesystem::path& scratch_dir();

// Writes the bytes to scratch_dir()/name and returns its path.
std::string write_scratch(const std::string& name, const uint8_t* data, size_t size);
std::string write_scratch(const std::string& name, std::string_view text);

// The whole file; throws std::runtime_error (a broken fixture is not a
// finding but must not pass silently).
std::string read_whole(const std::string& path);

// Options for a short run: one thread (libFuzzer measures one), and a token
// limit low enough that an input cannot make a run take seconds.
RunOptions short_run();

// Calls f, swallowing only the engine's expected rejections.
template <typename F>
void tolerate(F&& f) {
    try {
        f();
    } catch (const Error&) {
    } catch (const Cancelled&) {
    } catch (const std::bad_alloc&) {
    }
}

}  // namespace lstmscope::fuzz
