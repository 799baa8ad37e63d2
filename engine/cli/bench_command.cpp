#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>

#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/cli/text_errors.h"
#include "engine/parallel.h"
#include "engine/runner.h"

namespace lstmscope::cli {

namespace {
constexpr const char* kHelp = R"(usage: lstmscope-cli bench MODEL.json (--text T | --text-file F) [--repeat N] [--max-tokens N]
                            [--threads N] [--memory-budget MIB] [--details] [--no-attention]

Times the full traced forward pass: tokenize + run every node + record every
gate, state and attention matrix (the same work as `trace`, minus loading the
model and printing JSON). One untimed warm-up run, then N timed runs
(default 20). --threads N uses at most N threads (default: every core; 1: no
extra threads). --memory-budget MIB refuses a text whose recorded attention
weights would take more than MIB MiB (default 4096; 0: no limit). --details also records what the step-by-step views need (as
`trace --details`; the application does so while they are shown).
--no-attention records no attention matrix but keeps, as the application does
for a long text, what produces any row on demand and the summary the views
show (as `trace --no-attention`). The last
line is one JSON object, with the wall-clock median and minimum and the
process CPU time per run (all threads together):
  {"runs": N, "tokens": T, "threads": N, "median_ms": x, "min_ms": y, "cpu_ms": z}

example:
  lstmscope-cli bench models/sentiment_en_bilstm_pool.json --text-file review.txt --repeat 50
)";
}  // namespace

int bench_command(const std::vector<std::string>& args) {
    const Options options =
        parse_options(args, {"text", "text-file", "repeat", "max-tokens", "threads"}, 1, {"details", "no-attention"});
    if (options.help) {
        std::cout << kHelp;
        return 0;
    }
    if (options.model.empty()) throw UsageError("bench needs a model: lstmscope-cli bench MODEL.json --text T");
    const int repeat = options.integer("repeat", 20, 1);
    RunOptions limits = run_options(options);
    limits.details = options.flag("details");
    if (options.flag("no-attention")) limits.attention_first = limits.attention_end = 0;
    const TextInput input = read_text_option(options);
    const Model model = Model::load(options.model, import_options(options));

    size_t tokens = 0;
    std::clock_t cpu_start = 0;
    std::vector<double> ms;
    try {
        tokens = run(model, input.text, limits).tokens.size();  // warm-up: page in weights, size caches
        cpu_start = std::clock();
        for (int k = 0; k < repeat; ++k) {
            const auto start = std::chrono::steady_clock::now();
            Trace trace = run(model, input.text, limits);
            const auto stop = std::chrono::steady_clock::now();
            ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
        }
    } catch (const Error& e) {
        throw with_text_source(e, input.source);
    }
    // std::clock is the CPU time of the whole process, every thread included.
    const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC / repeat;
    std::sort(ms.begin(), ms.end());
    const size_t n = ms.size();
    const double median = n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]);
    std::cout << model.name << ": " << tokens << " tokens, " << n << " runs\n";
    std::cout << "{\"runs\": " << n << ", \"tokens\": " << tokens << ", \"threads\": " << resolve_threads(limits.threads)
              << ", \"median_ms\": " << median << ", \"min_ms\": " << ms.front() << ", \"cpu_ms\": " << cpu_ms
              << "}\n";
    return 0;
}

}  // namespace lstmscope::cli
