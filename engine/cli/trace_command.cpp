#include <algorithm>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/cli/text_errors.h"
#include "engine/runner.h"
#include "engine/trace_json.h"

namespace lstmscope::cli {

namespace {
constexpr const char* kHelp = R"(usage: lstmscope-cli trace MODEL.json (--text T | --text-file F | --text-file -) [--max-tokens N] [--threads N] [--details]
                             [--nodes A,B,...] [--no-attention | --attention-rows FIRST:END]

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
  --memory-budget MIB
                    refuse a text whose recorded attention weights (and scores)
                    would take more than MIB MiB (default 4096; 0: no limit)
  --details         also print what the step-by-step equations need: each LSTM
                    gate's pre-activation split into input part, recurrent part
                    and bias ("preactivation"), and each attention's scores
                    before the softmax ("scores"); see models/FORMAT.md
  --nodes A,B,...   print only these nodes under "nodes" (the output is always printed)
  --no-attention    record and print no attention matrix (the model still runs its
                    attention; a long text then needs no T x T memory at all)
  --attention-rows FIRST:END
                    record and print only query rows FIRST..END-1 of every attention
                    and multihead_attention matrix; those nodes get
                    "attention_rows": [FIRST, END]; attention_pool keeps all its rows (one per hop)

The JSON is written as it is produced (a long text's trace is never held
twice in memory); it starts only after the run succeeded, so a bad model or
text still prints nothing on standard output.

example:
  lstmscope-cli trace models/sentiment_en_bilstm_pool.json --text "good food but awful service"
)";
// "A:B" with 0 <= A < B.
std::pair<int, int> parse_row_range(const std::string& text) {
    const auto colon = text.find(':');
    try {
        if (colon != std::string::npos) {
            size_t used_a = 0, used_b = 0;
            const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
            const int first = std::stoi(a, &used_a), end = std::stoi(b, &used_b);
            if (used_a == a.size() && used_b == b.size() && first >= 0 && end > first) return {first, end};
        }
    } catch (const std::exception&) {
    }
    throw UsageError("--attention-rows needs FIRST:END with 0 <= FIRST < END, got '" + text + "'");
}

// Comma-separated node names, each one of the model's.
std::set<std::string> parse_node_list(const std::string& text, const Model& model) {
    std::set<std::string> names;
    std::stringstream ss(text);
    for (std::string name; std::getline(ss, name, ',');) {
        if (name.empty()) continue;
        const bool known = std::any_of(model.nodes.begin(), model.nodes.end(),
                                       [&](const Node& n) { return n.name == name; });
        if (!known) {
            std::string all;
            for (const Node& n : model.nodes) all += (all.empty() ? "" : ", ") + n.name;
            throw UsageError("--nodes: the model has no node '" + name + "' (its nodes: " + all + ")");
        }
        names.insert(name);
    }
    if (names.empty()) throw UsageError("--nodes needs at least one node name");
    return names;
}

}  // namespace

int trace_command(const std::vector<std::string>& args) {
    const Options options = parse_options(args, {"text", "text-file", "max-tokens", "threads", "nodes", "attention-rows"}, 1,
                                          {"details", "no-attention"});
    if (options.help) {
        std::cout << kHelp;
        return 0;
    }
    if (options.model.empty()) throw UsageError("trace needs a model: lstmscope-cli trace MODEL.json --text T");
    RunOptions limits = run_options(options);
    limits.details = options.flag("details");
    if (options.flag("no-attention") && options.get("attention-rows"))
        throw UsageError("--no-attention and --attention-rows exclude each other");
    if (options.flag("no-attention")) limits.attention_first = limits.attention_end = 0;
    if (const auto rows = options.get("attention-rows")) {
        const auto [first, end] = parse_row_range(*rows);
        limits.attention_first = first;
        limits.attention_end = end;
    }
    const TextInput input = read_text_option(options);
    const Model model = Model::load(options.model, import_options(options));
    for (const auto& w : model.warnings) std::cerr << "warning: " << w << '\n';
    TraceJsonOptions json_options;
    if (const auto nodes = options.get("nodes")) json_options.nodes = parse_node_list(*nodes, model);
    Trace trace;
    try {
        trace = run(model, input.text, limits);
    } catch (const Error& e) {
        throw with_text_source(e, input.source);
    }
    // Streamed: the run has succeeded, so only a write error (a full disk, a
    // closed pipe) can stop it half way, and then the exit status says so.
    write_trace_json(std::cout, trace, json_options);
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "lstmscope-cli trace: error writing the trace to standard output\n";
        return 2;
    }
    return 0;
}

}  // namespace lstmscope::cli
