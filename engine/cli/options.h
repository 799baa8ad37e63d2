// A tiny argument parser shared by the subcommands: one positional model
// path and a few "--name value" options. Usage errors throw UsageError.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/import_options.h"
#include "engine/runner.h"

namespace lstmscope::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Options {
    std::string model;                    // the first positional argument
    std::vector<std::string> positional;  // all of them, model included
    std::map<std::string, std::string> values;
    std::set<std::string> flags;          // options without a value that were given ("--details")
    bool help = false;

    bool flag(const std::string& name) const { return flags.count(name) > 0; }

    std::optional<std::string> get(const std::string& name) const {
        auto it = values.find(name);
        if (it == values.end()) return std::nullopt;
        return it->second;
    }
    int integer(const std::string& name, int fallback, int min_value) const;
};

// `with_value`: options that take a value ("--text"); anything else starting
// with "--" is an error, and so is a positional argument beyond
// `max_positional` (compare takes two models, the others one). `flags`:
// options that take no value.
Options parse_options(const std::vector<std::string>& args, const std::set<std::string>& with_value,
                      size_t max_positional = 1, const std::set<std::string>& flags = {});

// --tokenizer F, --tokenizer-type T, --architecture F, --custom-layers F and
// --padding P, which every command that opens a model takes (they matter
// only for Keras files), as ImportOptions; kImportOptionsHelp describes them.
ImportOptions import_options(const Options& options);
inline constexpr const char* kImportOptionsHelp =
    "  --tokenizer F     a Keras model's vocabulary: its Tokenizer.to_json() file, or a text\n"
    "                    file with one token per line (line k is id k)\n"
    "  --tokenizer-type T  how a vocabulary text file splits text: word (default), char,\n"
    "                    whitespace, keras, keras_char\n"
    "  --architecture F  a weights-only Keras file's model.to_json() or to_yaml() output\n"
    "  --custom-layers F what a Keras model's custom layers compute (README, \"Custom Keras layers\")\n"
    "  --padding P       pad a fixed-length Keras model's input pre (default), post, or none\n";

// --max-tokens N, --threads N and --memory-budget MIB, which every command
// that runs a model takes, as RunOptions. Each command's help describes them
// in its own columns.
inline constexpr int kDefaultMemoryBudgetMiB = 4096;
RunOptions run_options(const Options& options);

// The text of --text or --text-file (F, or - for standard input), and a label
// for error messages ("--text" or the file name).
struct TextInput {
    std::string text;
    std::string source;
};
TextInput read_text_option(const Options& options);
// The same for another pair of options: `name` and `name`-file
// ("text-b" reads --text-b or --text-b-file).
TextInput read_text_option(const Options& options, const std::string& name);

}  // namespace lstmscope::cli
