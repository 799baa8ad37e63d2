// A whole corpus through one model (and optionally a second one): every
// text analysed on all cores, the results delivered in file order, and the
// summary. What `lstmscope-cli corpus` and the corpus window both run.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/corpus/corpus_input.h"
#include "engine/corpus/corpus_summary.h"
#include "engine/corpus/text_analysis.h"

namespace lstmscope::corpus {

struct CorpusRunOptions {
    AnalysisSettings analysis;  // analysis.run.threads is ignored: each text runs on one thread
    int threads = 0;            // texts analysed at once; 0: every core
    // This run covers the texts whose index i has i % shard_count ==
    // shard_index (round robin, so shards get alike mixes of lengths).
    int shard_index = 0, shard_count = 1;
    const std::atomic<bool>* cancel = nullptr;
    // Called on the calling thread after each text: (done, of this shard's).
    std::function<void(size_t, size_t)> progress;
};

struct CorpusItem {
    const CorpusText* text = nullptr;
    int label = -1;  // index into model A's labels, -1 without one
    TextResult a;
    std::optional<TextResult> b;  // with a second model; classes mapped to A's labels
};

// The class a label names: a label name of the model, else a class number
// 0..C-1; -1 when it is neither.
int resolve_label(const std::string& label, const std::vector<std::string>& labels);

// Every text's label as a class of `model`; throws Error naming the file and
// line of the first label that is neither a label name nor a class number.
std::vector<int> resolve_labels(const Corpus& corpus, const Model& model);

// Runs the corpus and returns its summary; `deliver` sees each text's
// results in order. Throws Error for a model B whose labels are not A's,
// Cancelled when options.cancel is raised.
CorpusSummary run_corpus(const Corpus& corpus, const ModelPlan& a, const ModelPlan* b, const CorpusRunOptions& options,
                         const std::function<void(const CorpusItem&)>& deliver);

// One JSON Lines record of a text (the README, "Corpus analysis", lists the fields).
nlohmann::ordered_json item_json(const CorpusItem& item, const Model& a);

}  // namespace lstmscope::corpus
