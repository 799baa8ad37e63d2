#include "engine/cli/options.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace lstmscope::cli {

RunOptions run_options(const Options& options) {
    RunOptions run;
    run.max_tokens = options.integer("max-tokens", run.max_tokens, 1);
    run.threads = options.integer("threads", 0, 1);  // 0 (all cores) when not given
    return run;
}

namespace {
const std::set<std::string> kImportOptionNames{"tokenizer", "tokenizer-type", "architecture", "custom-layers",
                                               "padding"};
}  // namespace

ImportOptions import_options(const Options& options) {
    ImportOptions o;
    o.tokenizer = options.get("tokenizer").value_or("");
    o.tokenizer_type = options.get("tokenizer-type").value_or("");
    o.architecture = options.get("architecture").value_or("");
    o.custom_layers = options.get("custom-layers").value_or("");
    o.padding = options.get("padding");
    return o;
}

Options parse_options(const std::vector<std::string>& args, const std::set<std::string>& with_value_in,
                      size_t max_positional, const std::set<std::string>& flags) {
    // Every command that opens a model accepts the Keras import options.
    std::set<std::string> with_value = with_value_in;
    with_value.insert(kImportOptionNames.begin(), kImportOptionNames.end());
    Options options;
    for (size_t k = 0; k < args.size(); ++k) {
        const std::string& a = args[k];
        if (a == "--help" || a == "-h") {
            options.help = true;
        } else if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string name = a.substr(2), value;
            if (flags.count(name)) {
                options.flags.insert(name);
                continue;
            }
            const auto eq = name.find('=');
            if (eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                if (!with_value.count(name)) throw UsageError("unknown option --" + name);
            } else {
                if (!with_value.count(name)) throw UsageError("unknown option --" + name);
                if (k + 1 >= args.size()) throw UsageError("option --" + name + " needs a value");
                value = args[++k];
            }
            options.values[name] = value;
        } else if (options.positional.size() < max_positional) {
            if (options.positional.empty()) options.model = a;
            options.positional.push_back(a);
        } else {
            throw UsageError("unexpected argument '" + a + "'");
        }
    }
    return options;
}

int Options::integer(const std::string& name, int fallback, int min_value) const {
    const auto v = get(name);
    if (!v) return fallback;
    try {
        size_t used = 0;
        const int x = std::stoi(*v, &used);
        if (used == v->size() && x >= min_value) return x;
    } catch (const std::exception&) {
    }
    throw UsageError("--" + name + " needs an integer >= " + std::to_string(min_value) + ", got '" + *v + "'");
}

TextInput read_text_option(const Options& options) { return read_text_option(options, "text"); }

TextInput read_text_option(const Options& options, const std::string& name) {
    const auto text = options.get(name);
    const auto file = options.get(name + "-file");
    if (text && file) throw UsageError("give either --" + name + " or --" + name + "-file, not both");
    if (text) return {*text, "--" + name};
    if (!file)
        throw UsageError("give the text with --" + name + " T or --" + name + "-file F (- for standard input)");
    if (*file == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        return {buffer.str(), "standard input"};
    }
    std::ifstream in(*file, std::ios::binary);
    if (!in) throw UsageError(*file + ": cannot read the text file (" + std::strerror(errno) + ")");
    return {std::string(std::istreambuf_iterator<char>(in), {}), *file};
}

}  // namespace lstmscope::cli
