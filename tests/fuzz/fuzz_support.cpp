#include "fuzz_support.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace lstmscope::fuzz {

namespace fs = std::filesystem;

std::string source_path(std::string_view relative) {
    return std::string(LSTMSCOPE_SOURCE_DIR) + "/" + std::string(relative);
}

namespace {

struct Scratch {
    fs::path dir;
    Scratch() {
        dir = fs::temp_directory_path() / ("lstmscope-fuzz-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

}  // namespace

const fs::path& scratch_dir() {
    static const Scratch scratch;
    return scratch.dir;
}

std::string write_scratch(const std::string& name, const uint8_t* data, size_t size) {
    const fs::path path = scratch_dir() / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) throw std::runtime_error("fuzz: cannot write " + path.string());
    return path.string();
}

std::string write_scratch(const std::string& name, std::string_view text) {
    return write_scratch(name, reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

std::string read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("fuzz: cannot read the fixture " + path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

RunOptions short_run() {
    RunOptions options;
    options.threads = 1;
    options.max_tokens = 2048;
    return options;
}

}  // namespace lstmscope::fuzz
