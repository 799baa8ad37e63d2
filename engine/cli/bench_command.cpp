#include <algorithm>
#include <chrono>
#include <iostream>

#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/cli/text_errors.h"
#include "engine/runner.h"

namespace lstmscope::cli {

namespace {
constexpr const char* kHelp = R"(usage: lstmscope-cli bench MODEL.json (--text T | --text-file F) [--repeat N] [--max-tokens N]

Times the full traced forward pass: tokenize + run every node + record every
gate, state and attention matrix (the same work as `trace`, minus loading the
model and printing JSON). One untimed warm-up run, then N timed runs
(default 20). The last line is one JSON object:
  {"runs": N, "tokens": T, "median_ms": x, "min_ms": y}

example:
  lstmscope-cli bench models/sentiment_en_bilstm_pool.json --text-file review.txt --repeat 50
)";
}  // namespace

int bench_command(const std::vector<std::string>& args) {
    const Options options = parse_options(args, {"text", "text-file", "repeat", "max-tokens"});
    if (options.help) {
        std::cout << kHelp;
        return 0;
    }
    if (options.model.empty()) throw UsageError("bench needs a model: lstmscope-cli bench MODEL.json --text T");
    const int repeat = options.integer("repeat", 20, 1);
    RunOptions limits;
    limits.max_tokens = options.integer("max-tokens", limits.max_tokens, 1);
    const TextInput input = read_text_option(options);
    const Model model = Model::load(options.model);

    size_t tokens = 0;
    std::vector<double> ms;
    try {
        tokens = run(model, input.text, limits).tokens.size();  // warm-up: page in weights, size caches
        for (int k = 0; k < repeat; ++k) {
            const auto start = std::chrono::steady_clock::now();
            Trace trace = run(model, input.text, limits);
            const auto stop = std::chrono::steady_clock::now();
            ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
        }
    } catch (const Error& e) {
        throw with_text_source(e, input.source);
    }
    std::sort(ms.begin(), ms.end());
    const size_t n = ms.size();
    const double median = n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]);
    std::cout << model.name << ": " << tokens << " tokens, " << n << " runs\n";
    std::cout << "{\"runs\": " << n << ", \"tokens\": " << tokens << ", \"median_ms\": " << median
              << ", \"min_ms\": " << ms.front() << "}\n";
    return 0;
}

}  // namespace lstmscope::cli
