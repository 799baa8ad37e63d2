#include <iomanip>
#include <iostream>
#include <sstream>

#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/model.h"

namespace lstmscope::cli {

namespace {
constexpr const char* kHelp = R"(usage: lstmscope-cli info MODEL.json

Prints what the model is: name, task, labels, tokenizer, and every node with
its op, inputs (a long list cut to 'a, b, ... (+N)'), output shape (T = number
of tokens) and parameter count, then the total. Warnings (e.g. unused tensors)
go to standard error.

example:
  lstmscope-cli info models/sentiment_en_bilstm_pool.json
)";

std::string thousands(int64_t n) {
    std::string s = std::to_string(n);
    for (int k = static_cast<int>(s.size()) - 3; k > 0; k -= 3) s.insert(static_cast<size_t>(k), ",");
    return s;
}

std::string tokenizer_summary(const TokenizerConfig& t) {
    static const char* types[] = {"word", "char", "whitespace", "keras", "keras_char"};
    std::ostringstream s;
    s << types[static_cast<int>(t.type)] << (t.lowercase ? ", lowercase" : "") << ", vocabulary "
      << thousands(static_cast<int64_t>(t.vocab.size()));
    if (t.unk_id) s << ", unknown -> '" << t.vocab[static_cast<size_t>(*t.unk_id)] << "'";
    else s << ", unknown tokens dropped";
    if (t.pad_to)
        s << ", padded/truncated to " << *t.pad_to << " (" << (t.padding == PaddingSide::Pre ? "pre" : "post")
          << ", pad '" << t.vocab[static_cast<size_t>(t.pad_id)] << "')";
    return s.str();
}

std::string join(const std::vector<std::string>& names) {
    std::string s;
    for (size_t k = 0; k < names.size(); ++k) s += (k ? ", " : "") + names[k];
    return s;
}

// The inputs column: a concat of 30 nodes would otherwise widen every row
// of the table. Names are listed while they fit in kInputsWidth bytes, then
// how many more there are: "a, b, c, ... (+27)". A node without inputs (a
// parameter) shows "-".
constexpr size_t kInputsWidth = 40;
std::string inputs_cell(const std::vector<std::string>& names) {
    if (names.empty()) return "-";
    const std::string all = join(names);
    if (all.size() <= kInputsWidth) return all;
    std::string s;
    size_t shown = 0;
    for (; shown < names.size(); ++shown) {
        const std::string more = " ... (+" + std::to_string(names.size() - shown - 1) + ")";
        const std::string next = s + (shown ? ", " : "") + names[shown];
        if (shown > 0 && next.size() + more.size() > kInputsWidth) break;
        s = next;
    }
    if (shown == names.size()) return s;  // one long name: shown whole
    return s + " ... (+" + std::to_string(names.size() - shown) + ")";
}
}  // namespace

int info_command(const std::vector<std::string>& args) {
    const Options options = parse_options(args, {});
    if (options.help) {
        std::cout << kHelp;
        return 0;
    }
    if (options.model.empty()) throw UsageError("info needs a model: lstmscope-cli info MODEL.json");
    const Model model = Model::load(options.model, import_options(options));
    for (const auto& w : model.warnings) std::cerr << "warning: " << w << '\n';

    std::cout << "name:        " << model.name << '\n';
    if (!model.description.empty()) std::cout << "description: " << model.description << '\n';
    std::cout << "manifest:    " << model.manifest_path << '\n'
              << "weights:     " << model.weights_path << '\n'
              << "task:        " << task_name(model.task) << '\n';
    if (!model.labels.empty()) std::cout << "labels:      " << join(model.labels) << '\n';
    std::cout << "tokenizer:   " << tokenizer_summary(model.tokenizer) << '\n'
              << "output:      " << model.nodes[static_cast<size_t>(model.output_node)].name << '\n'
              << "checks:      " << model.checks.size() << "\n\n";

    size_t name_w = 4, op_w = 2, in_w = 6;
    for (const auto& n : model.nodes) {
        name_w = std::max(name_w, n.name.size());
        op_w = std::max(op_w, op_kind_name(n.op).size());
        in_w = std::max(in_w, inputs_cell(n.inputs).size());
    }
    auto row = [&](const std::string& name, const std::string& op, const std::string& in, const std::string& shape,
                   const std::string& params) {
        std::cout << std::left << std::setw(static_cast<int>(name_w) + 2) << name << std::setw(static_cast<int>(op_w) + 2)
                  << op << std::setw(static_cast<int>(in_w) + 2) << in << std::setw(12) << shape << std::right
                  << std::setw(12) << params << '\n';
    };
    row("node", "op", "inputs", "output", "parameters");
    for (const auto& n : model.nodes)
        row(n.name, std::string(op_kind_name(n.op)), inputs_cell(n.inputs), n.output.to_string(),
            thousands(n.parameters));
    std::cout << "\ntotal parameters: " << thousands(model.parameter_count()) << '\n';
    return 0;
}

}  // namespace lstmscope::cli
