// Target 2: arbitrary bytes as a manifest (Model::load, which reads the file
// itself: size, depth and number checks included), next to fixed valid
// weights: the small golden and bundled models' safetensors files are
// linked into the scratch directory, so a manifest's "weights" can name any
// of them, and the seed corpus holds their manifests. A model that loads runs on a fixed
// text.
#include <filesystem>

#include "engine/model.h"
#include "engine/runner.h"
#include "fuzz_support.h"

namespace fs = std::filesystem;
using namespace lstmscope;

namespace {

void link(const fs::path& target) {
    const fs::path link = fuzz::scratch_dir() / target.filename();
    if (!fs::exists(link)) fs::create_symlink(target, link);
}

// The golden weights and two small bundled models' (whose manifests have
// checks and metadata), beside where the manifest is written.
void link_weights() {
    for (const auto& entry : fs::directory_iterator(fuzz::source_path("tests/data/golden")))
        if (entry.path().extension() == ".safetensors") link(entry.path());
    for (const char* bundled : {"models/memory_bracket_depth_lstm.safetensors", "models/seed_b_lookup_tagger.safetensors"})
        link(fuzz::source_path(bundled));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool linked = (link_weights(), true);
    (void)linked;
    const std::string path = fuzz::write_scratch("model.json", data, size);
    fuzz::tolerate([&] {
        const Model model = Model::load(path);
        fuzz::tolerate([&] { run(model, "the food was good but the service was slow .", fuzz::short_run()); });
        // Padded or short models: a second, one-word text.
        fuzz::tolerate([&] { run(model, "good", fuzz::short_run()); });
    });
    return 0;
}
