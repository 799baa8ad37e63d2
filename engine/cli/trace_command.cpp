#include <iostream>
#include <sstream>

#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/cli/text_errors.h"
#include "engine/runner.h"
#include "engine/trace_json.h"

namespace lstmscope::cli {

namespace {
constexpr const char* kHelp = R"(usage: lstmscope-cli trace MODEL.json (--text T | --text-file F | --text-file -) [--max-tokens N] [--threads N] [--details]

Runs the model on the text and prints the whole trace as JSON on standard
output (spec: models/FORMAT.md, "Trace"): tokens, every node's value, every
LSTM gate and state per layer and direction, every attention matrix, and the
output with labels and argmax. On a bad model or text, prints a message naming
the file and node/field/tensor on standard error, nothing on standard output,
and exits with status 2.

options:
  --text T          the text itself
  --text-file F     read the text from file F (UTF-8), or from standard input if F is -
  --max-tokens N    refuse texts longer than N tokens (default 20000)
  --threads N       use at most N threads (default: every core; 1: no extra threads)
  --details         also print what the step-by-step equations need: each LSTM
                    gate's pre-activation split into input part, recurrent part
                    and bias ("preactivation"), and each attention's scores
                    before the softmax ("scores"); see models/FORMAT.md

example:
  lstmscope-cli trace models/sentiment_en_bilstm_pool.json --text "good food but awful service"
)";
}  // namespace

int trace_command(const std::vector<std::string>& args) {
    const Options options = parse_options(args, {"text", "text-file", "max-tokens", "threads"}, 1, {"details"});
    if (options.help) {
        std::cout << kHelp;
        return 0;
    }
    if (options.model.empty()) throw UsageError("trace needs a model: lstmscope-cli trace MODEL.json --text T");
    RunOptions limits = run_options(options);
    limits.details = options.flag("details");
    const TextInput input = read_text_option(options);
    const Model model = Model::load(options.model);
    for (const auto& w : model.warnings) std::cerr << "warning: " << w << '\n';
    Trace trace;
    try {
        trace = run(model, input.text, limits);
    } catch (const Error& e) {
        throw with_text_source(e, input.source);
    }
    // Built in memory first so that a failure never leaves half a JSON document.
    std::ostringstream json;
    write_trace_json(json, trace);
    std::cout << json.str();
    std::cout.flush();
    return std::cout ? 0 : 2;
}

}  // namespace lstmscope::cli
