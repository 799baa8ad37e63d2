// Target 5a: arbitrary bytes as a Keras file (a legacy HDF5 .h5 or a Keras 3
// .keras zip, told apart by the first bytes as Model::load does), imported
// with the fixtures' vocabulary and run on a fixed text. HDF5 bytes are
// first opened from memory (Hdf5File::from_memory, how a .keras zip's
// weights are read) and walked: every group, attribute and dataset.
// libhdf5 runs in a child process (engine/keras/hdf5_child.h): what it does
// there is not a finding as long as the parent gets an Error.
#include <cstring>
#include <string>
#include <vector>

#include "engine/keras/hdf5_child.h"
#include "engine/keras/hdf5_file.h"
#include "engine/model.h"
#include "engine/runner.h"
#include "fuzz_support.h"

using namespace lstmscope;

namespace {

// Bounds the walk: a hostile file may hold a million tiny groups.
constexpr int kMaxObjects = 200;

void walk(const keras::Hdf5File& f, const std::string& group, int& budget) {
    for (const std::string& member : f.members(group)) {
        if (--budget < 0) return;
        const std::string path = (group == "/" ? "" : group) + "/" + member;
        for (const char* attribute : {"model_config", "keras_version", "layer_names", "weight_names"}) {
            fuzz::tolerate([&] { f.string_attribute(path, attribute); });
            fuzz::tolerate([&] { f.string_list_attribute(path, attribute); });
        }
        if (f.is_group(path)) walk(f, path, budget);
        else if (f.is_dataset(path)) fuzz::tolerate([&] { f.read_array(path, int64_t{1} << 20); });
    }
}

}  // namespace

// The child's limits under libFuzzer's: a child timeout well under
// -timeout=10 (an input is opened up to three times: from memory, and twice
// by Model::load), and a memory limit under -rss_limit_mb=2048 (libFuzzer's
// malloc limit, whose hook the child inherits and would report as an
// out-of-memory of the whole target).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    keras::hdf5_child_limits().timeout_ms = 1500;
    keras::hdf5_child_limits().memory_bytes = uint64_t{1} << 30;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const char kHdf5[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
    const bool hdf5 = size >= 8 && std::memcmp(data, kHdf5, 8) == 0;
    if (hdf5) {
        fuzz::tolerate([&] {
            const auto f = keras::Hdf5File::from_memory(std::vector<unsigned char>(data, data + size), "fuzz.h5");
            int budget = kMaxObjects;
            walk(f, "/", budget);
        });
    }
    const std::string path = fuzz::write_scratch(hdf5 ? "model.h5" : "model.keras", data, size);
    ImportOptions options;
    options.tokenizer = fuzz::source_path("tests/data/keras/import/vocab.txt");
    options.tokenizer_type = "keras";
    fuzz::tolerate([&] {
        const Model model = Model::load(path, options);
        fuzz::tolerate([&] { run(model, "the food was good but the service was slow", fuzz::short_run()); });
    });
    return 0;
}
