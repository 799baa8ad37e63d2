// `lstmscope-cli corpus`: a dataset through a model, one JSON line per text
// and a summary line at the end (README.md, "Corpus analysis"). The analysis lives in
// engine/corpus; this file reads the options, streams the lines and draws
// the progress bar.
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/cli/progress_bar.h"
#include "engine/corpus/corpus_run.h"
#include "engine/model.h"

namespace lstmscope::cli {
namespace {

constexpr const char* kHelp = R"(usage: lstmscope-cli corpus MODEL.json --input FILE [options]

Runs a classification model over a dataset and writes JSON Lines on standard
output: one object per text, in file order (prediction, probabilities, label
and whether it is right, attention entropy and the most attended tokens),
then one {"summary": ...} object: accuracy, confusion matrix, per-class
precision and recall, gate saturation per LSTM layer, direction, gate and
unit (fraction of steps below 0.1 and above 0.9), mean attention entropy.
A text that cannot run (empty, too long, every token unknown) gets an
"error" line and is counted as skipped. A progress bar goes to standard
error when it is a terminal; standard output holds nothing but JSON Lines.

input:
  --input FILE           the dataset (- for standard input)
  --format F             auto (default: .tsv, .csv, .jsonl/.ndjson by extension, else lines),
                         lines (one text per line), tsv, csv (RFC 4180 quoting), jsonl
  --text-column C        TSV/CSV: the text column's name in the header row, or its number
                         (1, 2, ...) with --no-header; JSONL: the key (default "text")
  --label-column C       the same for labels (default "label" when present); a label is one of
                         the model's label names or a class number 0..C-1
  --no-header            TSV/CSV: the first row is a text, not column names

attention faithfulness:
  --faithfulness         per text also: leave-one-out importance of every token (total variation
                         distance of the output with the token deleted), Kendall tau between it
                         and the attention, the output change under uniform attention and (median)
                         under K permutations, and erasure (Serrano & Smith 2019): the most
                         attended vs a random token's weight zeroed, and how many tokens, zeroed
                         in attention order, until the decision flips; the summary gets the mean
                         tau with a 95% interval and the rates
  --attention NODE       the attention node tested (default: the last attention, multihead_attention
                         or attention_pool node); a node over T x T reads as the attention each token
                         receives, averaged over heads and query rows, an attention_pool of several
                         hops as the mean of its hops (interventions change every hop alike)
  --permutations K       random permutations per text (default 10)
  --seed S               seed of the permutations and the random token (default 1)
  --faithfulness-max-tokens N
                         leave longer texts out of the faithfulness tests (default 1000: leave one
                         out runs the model once per token); their lines say so

two models:
  --compare B.json       also run model B (same labels): its predictions per text, and in the
                         summary its accuracy, the agreement table and McNemar's test

sharding (any batch runner distributes the work; see the README, "Corpus analysis"):
  --shard I/N            run only the texts whose 0-based index i has i % N == I; combine the
                         shards' outputs with `lstmscope-cli corpus-merge`

output:
  --output FILE          write the JSON Lines to FILE instead of standard output
  --summary-only         write only the summary line
  --no-progress          no progress bar even on a terminal
  --max-tokens N         skip texts longer than N tokens (default 20000)
  --threads N            texts analysed at once (default: every core)
  --memory-budget MIB    refuse a text whose recorded attention weights would take more
                         than MIB MiB (default 4096; 0: no limit)

example:
  lstmscope-cli corpus models/sentiment_en_bilstm_pool.json --input reviews.tsv \
      --no-header --text-column 1 --label-column 2 --faithfulness > reviews.jsonl
)";

std::pair<int, int> parse_shard(const std::string& s) {
    const auto slash = s.find('/');
    try {
        if (slash != std::string::npos) {
            size_t u1 = 0, u2 = 0;
            const int i = std::stoi(s.substr(0, slash), &u1);
            const int n = std::stoi(s.substr(slash + 1), &u2);
            if (u1 == slash && u2 == s.size() - slash - 1 && n >= 1 && i >= 0 && i < n) return {i, n};
        }
    } catch (const std::exception&) {
    }
    throw UsageError("--shard needs I/N with 0 <= I < N (for example 0/4), got '" + s + "'");
}

uint64_t parse_seed(const std::string& s) {
    try {
        size_t used = 0;
        const unsigned long long v = std::stoull(s, &used);
        if (used == s.size() && s[0] != '-') return v;
    } catch (const std::exception&) {
    }
    throw UsageError("--seed needs a non-negative integer, got '" + s + "'");
}

}  // namespace

int corpus_command(const std::vector<std::string>& args) {
    const Options opt = parse_options(
        args,
        {"input", "format", "text-column", "label-column", "attention", "permutations", "seed", "faithfulness-max-tokens", "compare", "shard",
         "output", "max-tokens", "threads"},
        1, {"faithfulness", "no-header", "summary-only", "no-progress"});
    if (opt.help) {
        std::cout << kHelp;
        return 0;
    }
    if (opt.model.empty()) throw UsageError("give the model: lstmscope-cli corpus MODEL.json --input FILE");
    const auto input = opt.get("input");
    if (!input) throw UsageError("give the dataset with --input FILE (- for standard input)");

    corpus::InputOptions in;
    in.format = corpus::format_from_name(opt.get("format").value_or("auto"));
    in.text_column = opt.get("text-column").value_or("");
    in.label_column = opt.get("label-column").value_or("");
    in.header = !opt.flag("no-header");

    corpus::CorpusRunOptions run;
    run.analysis.run = run_options(opt);
    run.threads = run.analysis.run.threads;
    run.analysis.faithfulness = opt.flag("faithfulness");
    run.analysis.permutations = opt.integer("permutations", 10, 1);
    run.analysis.faithfulness_max_tokens =
        opt.integer("faithfulness-max-tokens", run.analysis.faithfulness_max_tokens, 1);
    if (const auto s = opt.get("seed")) run.analysis.seed = parse_seed(*s);
    if (const auto s = opt.get("shard")) std::tie(run.shard_index, run.shard_count) = parse_shard(*s);

    const Model model = Model::load(opt.model, import_options(opt));
    const corpus::ModelPlan plan = corpus::plan_model(model, opt.get("attention").value_or(""));
    if (run.analysis.faithfulness && plan.attention_node < 0)
        throw Error(ErrorKind::input, opt.model, "--faithfulness tests an attention node, and this model has none");
    std::optional<Model> model_b;
    std::optional<corpus::ModelPlan> plan_b;
    if (const auto b = opt.get("compare")) {
        model_b = Model::load(*b, import_options(opt));
        plan_b = corpus::plan_model(*model_b);
    }

    corpus::Corpus data;
    if (*input == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        data = corpus::parse_corpus(buffer.str(), "standard input", in);
    } else {
        data = corpus::read_corpus(*input, in);
    }

    std::ofstream file;
    if (const auto out = opt.get("output")) {
        file.open(*out, std::ios::binary);
        if (!file) throw UsageError(*out + ": cannot write the output file");
    }
    std::ostream& out = file.is_open() ? file : std::cout;
    const bool lines = !opt.flag("summary-only");

    std::optional<ProgressBar> bar;
    if (!opt.flag("no-progress")) bar.emplace("texts");
    if (bar) run.progress = [&bar](size_t done, size_t total) { bar->update(done, total); };
    corpus::CorpusSummary summary =
        corpus::run_corpus(data, plan, plan_b ? &*plan_b : nullptr, run, [&](const corpus::CorpusItem& item) {
            if (lines) out << corpus::item_json(item, model).dump() << '\n';
        });
    bar.reset();
    nlohmann::ordered_json s = summary.to_json();
    if (run.shard_count > 1) s["summary"]["shard"] = {{"index", run.shard_index}, {"count", run.shard_count}};
    out << s.dump() << '\n';
    out.flush();
    if (!out)
        throw Error(ErrorKind::usage, opt.get("output") ? *opt.get("output") : std::string("standard output"),
                    "writing the results failed");
    return 0;
}

}  // namespace lstmscope::cli
