// lstmscope-cli: the engine on the command line. Every failure ends here:
// the message (which names the file and node/field/tensor) on stderr, exit 2.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "engine/allocator_tuning.h"
#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/error.h"
#include "engine/version.h"

namespace {

constexpr const char* kUsage = R"(usage: lstmscope-cli COMMAND MODEL.json|MODEL.h5|MODEL.keras [options]

Looks inside LSTM/BiLSTM + attention text models (lstmscope model format).

commands:
  trace    run the model on a text and print the full trace as JSON
  info     show the model: tokenizer, nodes, shapes, parameter counts
  check    rerun the self-checks stored in the manifest
  bench    time the full traced forward pass
  compare  two models on one text, or one model on two texts: predictions and
           attention side by side, with divergences (compare A.json [B.json] ...)
  corpus   run a dataset: predictions, accuracy, gate saturation and, with
           --faithfulness, whether the attention explains the prediction
  corpus-merge  combine the outputs of `corpus --shard I/N` runs
  import-keras  convert a Keras .h5 / .keras model to an lstmscope manifest

Every command opens Keras files (.h5, .keras) as well as manifests; a Keras
file needs its vocabulary (--tokenizer F), see `lstmscope-cli import-keras --help`.

`lstmscope-cli COMMAND --help` explains each command, with an example;
`lstmscope-cli --version` prints the version.
Exit status: 0 success, 1 a failed check, 2 a bad model, text or command line.
)";

}  // namespace

int main(int argc, char** argv) {
    lstmscope::keep_freed_memory_for_reuse();
    using namespace lstmscope::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "lstmscope-cli " << lstmscope::kVersion << '\n';
        return 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    try {
        if (command == "trace") return trace_command(args);
        if (command == "info") return info_command(args);
        if (command == "check") return check_command(args);
        if (command == "bench") return bench_command(args);
        if (command == "compare") return compare_command(args);
        if (command == "corpus") return corpus_command(args);
        if (command == "corpus-merge") return corpus_merge_command(args);
        if (command == "import-keras") return import_keras_command(args);
        std::cerr << "lstmscope-cli: unknown command '" << command << "'\n\n" << kUsage;
        return 2;
    } catch (const UsageError& e) {
        std::cerr << "lstmscope-cli " << command << ": " << e.what() << "\n(see lstmscope-cli " << command
                  << " --help)\n";
        return 2;
    } catch (const lstmscope::Error& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "lstmscope-cli " << command << ": out of memory\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "lstmscope-cli " << command << ": internal error: " << e.what() << '\n';
        return 2;
    }
}
