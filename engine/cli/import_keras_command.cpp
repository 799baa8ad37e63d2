// lstmscope-cli import-keras: converts a Keras file once and stores it as an
// lstmscope manifest + safetensors pair, which then opens without the
// --tokenizer / --architecture / --custom-layers options.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/keras/keras_import.h"
#include "engine/model.h"
#include "engine/safetensors_writer.h"

namespace lstmscope::cli {

namespace {
constexpr const char* kHelp = R"(usage: lstmscope-cli import-keras MODEL.h5|MODEL.keras -o OUT.json --tokenizer F
                                    [--architecture F] [--custom-layers F] [--padding pre|post|none]

Converts a Keras model (a legacy .h5 full model from Keras 2, tf.keras or
Keras 3, a Keras 3 .keras file, or a weights-only .h5 with --architecture) to
an lstmscope manifest OUT.json and its weights OUT.safetensors, beside it.
The converted model is loaded and checked before anything is written.
Every other command also opens Keras files directly, with the same options.

options:
  -o, --output OUT.json  where to write the manifest (the weights go beside it)
)";
}  // namespace

int import_keras_command(const std::vector<std::string>& args_in) {
    std::vector<std::string> args = args_in;
    for (auto& a : args)
        if (a == "-o") a = "--output";
    const Options options = parse_options(args, {"output"});
    if (options.help) {
        std::cout << kHelp << kImportOptionsHelp;
        return 0;
    }
    if (options.model.empty()) throw UsageError("give the Keras file to convert");
    const auto output = options.get("output");
    if (!output) throw UsageError("give the manifest to write with -o OUT.json");
    if (!keras::is_keras_file(options.model))
        throw Error(ErrorKind::input, options.model, "not a Keras file (neither HDF5 nor a .keras zip)");

    keras::ImportedModel imported = keras::import_keras(options.model, import_options(options));
    const std::filesystem::path out_path(*output);
    const std::string weights_name = out_path.stem().string() + ".safetensors";
    imported.manifest["weights"] = weights_name;
    // Built once in memory: what is written is known to load.
    const Model model = Model::from_manifest(imported.manifest, *output,
                                             WeightStore::from_tensors(imported.tensors, options.model));
    for (const auto& note : imported.notes) std::cerr << "note: " << options.model << ": " << note << '\n';

    const std::filesystem::path weights_path = out_path.parent_path() / weights_name;
    write_safetensors(weights_path.string(), imported.tensors, {{"imported_from", options.model}});
    std::ofstream out(*output, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::usage, *output, "cannot write the manifest");
    out << imported.manifest.dump(2) << '\n';
    out.close();
    if (!out) throw Error(ErrorKind::usage, *output, "writing the manifest failed");
    std::cout << "wrote " << *output << " and " << weights_path.string() << ": " << model.nodes.size() << " nodes, "
              << model.parameter_count() << " parameters\n";
    return 0;
}

}  // namespace lstmscope::cli
