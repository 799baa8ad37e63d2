// `lstmscope-cli corpus-merge`: the outputs of `corpus --shard I/N` for every
// I, combined into exactly what one whole run writes: the text lines in
// index order, then the summaries added up (their counts are integers, so
// the order of the shards does not matter).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/corpus/corpus_summary.h"
#include "engine/error.h"

namespace lstmscope::cli {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* kHelp = R"(usage: lstmscope-cli corpus-merge SHARD.jsonl... [--output FILE]

Combines the outputs of `lstmscope-cli corpus ... --shard I/N` (one file per
shard, I = 0 .. N-1, in any order) into the output one whole run writes: the
per-text lines sorted by index, then one summary whose counts, sums and
figures equal the whole run's exactly. Refuses files from different runs
(model, labels, options), a missing or repeated shard, and repeated texts.

options:
  --output FILE   write to FILE instead of standard output

example (GNU parallel, four shards on the local cores or with -S on other machines):
  parallel lstmscope-cli corpus model.json --input data.tsv --shard {}/4 --threads 1 \
      --output part{}.jsonl ::: 0 1 2 3
  lstmscope-cli corpus-merge part*.jsonl > all.jsonl
)";

struct Line {
    int64_t index;
    std::string text;
};

}  // namespace

int corpus_merge_command(const std::vector<std::string>& args) {
    const Options opt = parse_options(args, {"output"}, 100000);
    if (opt.help) {
        std::cout << kHelp;
        return 0;
    }
    if (opt.positional.empty()) throw UsageError("give the shard outputs: lstmscope-cli corpus-merge PART.jsonl...");
    std::vector<Line> lines;
    std::optional<corpus::CorpusSummary> merged;
    std::set<int> shards;
    int shard_count = -1;
    for (const std::string& path : opt.positional) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw Error(ErrorKind::input, path, "cannot read the shard output");
        std::string row, last;
        int line_no = 0, summary_line = 0;
        std::optional<json> summary;
        while (std::getline(in, row)) {
            ++line_no;
            if (row.empty()) continue;
            if (summary) throw Error(ErrorKind::input, path, "line " + std::to_string(line_no) + ": text after the summary line");
            json j;
            try {
                j = json::parse(row);
            } catch (const json::exception& e) {
                throw Error(ErrorKind::input, path, "line " + std::to_string(line_no) + ": not valid JSON (" + e.what() + ")");
            }
            if (j.contains("summary")) {
                summary = std::move(j);
                summary_line = line_no;
                continue;
            }
            if (!j.contains("index") || !j["index"].is_number_integer())
                throw Error(ErrorKind::input, path, "line " + std::to_string(line_no) + ": a text line without an integer \"index\"");
            lines.push_back({j["index"].get<int64_t>(), row});
        }
        if (!summary) throw Error(ErrorKind::input, path, "no summary line (was the corpus run cut short?)");
        const json& s = (*summary)["summary"];
        int index = 0, count = 1;
        if (s.contains("shard")) {
            index = s["shard"].value("index", -1);
            count = s["shard"].value("count", -1);
        }
        if (shard_count >= 0 && count != shard_count)
            throw Error(ErrorKind::input, path, "line " + std::to_string(summary_line) + ": shard of " + std::to_string(count) +
                        ", the other files are shards of " + std::to_string(shard_count));
        shard_count = count;
        if (!shards.insert(index).second)
            throw Error(ErrorKind::input, path, "shard " + std::to_string(index) + "/" + std::to_string(count) + " is given twice");
        corpus::CorpusSummary part = corpus::CorpusSummary::from_json(*summary, path);
        if (merged) merged->merge(part, path);
        else merged = std::move(part);
    }
    if (static_cast<int>(shards.size()) != shard_count) {
        std::string missing;
        for (int k = 0; k < shard_count; ++k)
            if (!shards.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
        throw Error("corpus-merge: shard" + std::string(shard_count - static_cast<int>(shards.size()) > 1 ? "s " : " ") +
                    missing + " of " + std::to_string(shard_count) + " missing");
    }
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.index < b.index; });
    for (size_t k = 1; k < lines.size(); ++k)
        if (lines[k].index == lines[k - 1].index)
            throw Error("corpus-merge: text " + std::to_string(lines[k].index) + " appears in more than one file");

    std::ofstream file;
    if (const auto o = opt.get("output")) {
        file.open(*o, std::ios::binary);
        if (!file) throw UsageError(*o + ": cannot write the output file");
    }
    std::ostream& out = file.is_open() ? file : std::cout;
    for (const Line& l : lines) out << l.text << '\n';
    out << merged->to_json().dump() << '\n';
    out.flush();
    return out ? 0 : 2;
}

}  // namespace lstmscope::cli
