#include "engine/cli/options.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "engine/error.h"

namespace lstmscope::cli {

RunOptions run_options(const Options& options) {
    RunOptions run;
    run.max_tokens = options.integer("max-tokens", run.max_tokens, 1);
    run.threads = options.integer("threads", 0, 1);  // 0 (all cores) when not given
    // In MiB; 0: no budget. 4 GiB by default: a hostile manifest (64 heads)
    // or a long text costs a message, not the machine.
    const int budget_mib = options.integer("memory-budget", kDefaultMemoryBudgetMiB, 0);
    run.memory_budget = budget_mib == 0 ? -1 : int64_t{budget_mib} << 20;
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
    // Every command that runs texts (it takes --max-tokens) has a memory budget.
    if (with_value.count("max-tokens")) with_value.insert("memory-budget");
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

namespace {

// A text file is read whole before it is tokenized, so its size is capped:
// a book is a few megabytes, while /dev/zero or a runaway pipe never ends.
constexpr std::uintmax_t kMaxTextBytes = std::uintmax_t{64} << 20;

[[noreturn]] void text_too_long(const std::string& source) {
    throw Error(ErrorKind::text, source, "the text is longer than the limit of 64 MiB");
}

// Reads at most kMaxTextBytes (a pipe's size is not known in advance).
std::string read_capped(std::istream& in, const std::string& source) {
    std::string text;
    char chunk[1 << 16];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        text.append(chunk, static_cast<size_t>(in.gcount()));
        if (text.size() > kMaxTextBytes) text_too_long(source);
    }
    return text;
}

}  // namespace

TextInput read_text_option(const Options& options, const std::string& name) {
    const auto text = options.get(name);
    const auto file = options.get(name + "-file");
    if (text && file) throw UsageError("give either --" + name + " or --" + name + "-file, not both");
    if (text) return {*text, "--" + name};
    if (!file)
        throw UsageError("give the text with --" + name + " T or --" + name + "-file F (- for standard input)");
    if (*file == "-") return {read_capped(std::cin, "standard input"), "standard input"};
    // Devices and directories are refused; a pipe (`--text-file <(cmd)`)
    // is read up to the cap, as standard input is.
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(*file, ec);
    if (!ec && (fs::is_directory(status) || fs::is_character_file(status) || fs::is_block_file(status)))
        throw Error(ErrorKind::text, *file, "the text file is not a regular file");
    if (!ec && fs::is_regular_file(status)) {
        const std::uintmax_t size = fs::file_size(*file, ec);
        if (!ec && size > kMaxTextBytes) text_too_long(*file);
    }
    std::ifstream in(*file, std::ios::binary);
    if (!in) throw UsageError(*file + ": cannot read the text file (" + std::strerror(errno) + ")");
    return {read_capped(in, *file), *file};
}

}  // namespace lstmscope::cli
