// The summary of a corpus run: accuracy, confusion matrix, gate saturation,
// attention entropy, the faithfulness figures and, with a second model, the
// agreement table with McNemar's test. Everything is kept as integer counts
// and fixed-point sums (engine/corpus/statistics.h), so the summaries of
// shards merge into exactly the summary of one whole run; the JSON carries
// that state next to the figures derived from it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/corpus/statistics.h"
#include "engine/corpus/text_analysis.h"

namespace lstmscope::corpus {

// What must be equal for two summaries to be merged.
struct SummarySettings {
    std::string model, model_b;          // manifest names; model_b empty without --compare
    std::vector<std::string> labels;
    std::string attention_node;          // empty: the model has none
    bool faithfulness = false;
    int permutations = 0;
    uint64_t seed = 0;
    int faithfulness_max_tokens = 0;
    bool operator==(const SummarySettings&) const = default;
};

struct SideCounts {
    int64_t run = 0, correct = 0;          // texts run; right among the labelled
    std::vector<std::vector<int64_t>> confusion;  // [label][prediction]
    std::vector<int64_t> predicted;        // per class
    void merge(const SideCounts& o);
};

struct Agreement {
    int64_t texts = 0, same_prediction = 0;                // both sides ran
    int64_t both_right = 0, a_only = 0, b_only = 0, both_wrong = 0;  // labelled texts
};

struct FaithfulnessTotals {
    int64_t texts = 0;
    int64_t too_long = 0;  // texts over AnalysisSettings::faithfulness_max_tokens
    FixedSum kendall_tau;
    Histogram tau_histogram{-1.0, 1.0, 20};
    FixedSum uniform_tvd, permutation_median_tvd;
    int64_t uniform_flips = 0, permutation_flips = 0, permutation_runs = 0;
    int64_t erasure_texts = 0, top_flips = 0, random_flips = 0, never_flipped = 0;
    FixedSum top_js, random_js, flip_fraction;
    Histogram flip_fraction_histogram{0.0, 1.0, 10};
};

class CorpusSummary {
public:
    CorpusSummary() = default;
    explicit CorpusSummary(SummarySettings settings);

    // One text of the corpus: model A's result, model B's (compare), and
    // the label (-1 when the text has none).
    void add(const TextResult& a, const TextResult* b, int label);
    // Adds another summary of the same settings (throws Error otherwise).
    void merge(const CorpusSummary& other, const std::string& what);

    // {"summary": {...}}: the figures, and "state" for corpus-merge.
    nlohmann::ordered_json to_json() const;
    // Reads a summary written by to_json (from its "state"); throws Error
    // naming `file` when it is not one.
    static CorpusSummary from_json(const nlohmann::ordered_json& summary, const std::string& file);

    const SummarySettings& settings() const { return settings_; }
    int64_t texts() const { return texts_; }
    int64_t skipped() const { return skipped_; }
    int64_t labelled() const { return labelled_; }
    const SideCounts& side_a() const { return a_; }
    const std::optional<SideCounts>& side_b() const { return b_; }
    const Agreement& agreement() const { return agreement_; }
    const FaithfulnessTotals& faithfulness() const { return faith_; }
    const std::vector<SaturationCounts>& saturation() const { return saturation_; }
    const FixedSum& entropy() const { return entropy_; }
    // Accuracy over the labelled texts that ran; NaN without any.
    double accuracy() const;

private:
    SummarySettings settings_;
    int64_t texts_ = 0, skipped_ = 0, labelled_ = 0;
    SideCounts a_;
    std::optional<SideCounts> b_;
    Agreement agreement_;
    FixedSum entropy_;
    std::vector<SaturationCounts> saturation_;
    FaithfulnessTotals faith_;
};

}  // namespace lstmscope::corpus
