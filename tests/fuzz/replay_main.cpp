// The main() of the fuzz targets in a build without libFuzzer (GCC, the
// normal test suite): every file of the directories (or the files) named on
// the command line goes through LLVMFuzzerTestOneInput once, so the
// committed seed corpora and reproducers are replayed by every ctest run.
// A finding shows as it would under libFuzzer: an uncaught exception
// (terminate), a crash, or a sanitizer report.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    std::vector<fs::path> files;
    for (int k = 1; k < argc; ++k) {
        const fs::path arg = argv[k];
        if (fs::is_directory(arg)) {
            for (const auto& entry : fs::directory_iterator(arg))
                if (entry.is_regular_file()) files.push_back(entry.path());
        } else if (fs::is_regular_file(arg)) {
            files.push_back(arg);
        } else {
            // A misspelt corpus path would make the test pass on nothing.
            std::fprintf(stderr, "replay: %s is neither a file nor a directory\n", argv[k]);
            return 2;
        }
    }
    std::sort(files.begin(), files.end());  // the same order on every machine
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.c_str(), bytes.size());
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    }
    std::fprintf(stderr, "replay: %zu inputs, none crashed\n", files.size());
    return files.empty() ? 2 : 0;
}
