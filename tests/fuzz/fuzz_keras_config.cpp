// Target 5b: arbitrary bytes as a Keras architecture file (model.to_json()
// or model.to_yaml() output, possibly YAML-encoded twice), given with
// --architecture to a fixed weights-only .h5 (the custom_keras2 fixture),
// imported and run on a fixed text: the config reader, the YAML reader and
// the layer converters on hostile configs.
#include <string>

#include "engine/model.h"
#include "engine/runner.h"
#include "fuzz_support.h"

using namespace lstmscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ImportOptions options;
    options.architecture = fuzz::write_scratch("architecture.json", data, size);
    options.tokenizer = fuzz::source_path("tests/data/keras/import/vocab.txt");
    options.tokenizer_type = "keras";
    static const std::string weights = fuzz::source_path("tests/data/keras/import/custom_keras2.weights.h5");
    fuzz::tolerate([&] {
        const Model model = Model::load(weights, options);
        fuzz::tolerate([&] { run(model, "the food was good but the service was slow", fuzz::short_run()); });
    });
    return 0;
}
