// What a corpus run computes for one text: the prediction, the attention
// the model paid to each token, the gate saturation counts and, when asked,
// the attention-faithfulness tests (Jain & Wallace 2019, Serrano & Smith
// 2019) built from forward runs with tokens deleted and attention replaced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/corpus/pattern_search.h"
#include "engine/model.h"
#include "engine/runner.h"

namespace lstmscope::corpus {

// The model side of a corpus run, checked once: a classifier with one
// output row, its labels, and the attention node whose weights are tested.
struct ModelPlan {
    const Model* model = nullptr;
    // The node whose weights "explain" the prediction: by default the last
    // attention, multihead_attention or attention_pool node (the one
    // nearest to the output); -1 when the model has none.
    int attention_node = -1;
};

// Throws Error (naming the model file) for a model that is not a
// classifier with one output row, or an `attention` name that is not an
// attention node of the model.
ModelPlan plan_model(const Model& model, const std::string& attention = {});

struct AnalysisSettings {
    RunOptions run;            // per text; threads = 1 when texts run in parallel
    bool faithfulness = false;
    int permutations = 10;     // K random permutations of the attention per text
    uint64_t seed = 1;         // permutations and the random erasure token, mixed with the text's index
    int top_tokens = 3;
    // Leave one out costs one run of the model per token, so a text's cost
    // grows with the square of its length: texts over this many tokens get
    // no faithfulness figures (TextResult::faithfulness_skipped says why).
    int faithfulness_max_tokens = 1000;
};

struct TokenWeight {
    int index = 0;
    std::string token;
    double weight = 0;
};

struct Faithfulness {
    // Per token: the total variation distance between the output with the
    // token deleted and the full output (NaN for padding).
    std::vector<double> leave_one_out;
    // Kendall's tau-b between the attention and leave_one_out over the
    // tokens (NaN for a one-token text or a constant side).
    double kendall_tau = 0;
    // Uniform attention (every row attends equally to what it may see).
    double uniform_tvd = 0;
    bool uniform_flipped = false;
    // K random permutations of the weights within each row.
    double permutation_median_tvd = 0;
    int permutation_flips = 0, permutations = 0;
    // Serrano & Smith: the weight of the most attended token zeroed (the
    // rest renormalised) against that of a random other token: the
    // Jensen-Shannon divergence (bits) of the outputs and whether the
    // decision flips. Token -1 when the text has one token.
    int top_token = -1, random_token = -1;
    double top_js = 0, random_js = 0;
    bool top_flipped = false, random_flipped = false;
    // Tokens zeroed in decreasing attention order until the decision flips
    // (-1: it never flips before one token is left), and that count over
    // the tokens.
    int flip_after = -1;
    double flip_fraction = 0;  // NaN when it never flips
};

// Steps of one LSTM or GRU layer and direction whose gate value is below
// 0.1 or above 0.9, per unit, for the sigmoid gates (Karpathy et al. 2015):
// i, f, o of an LSTM, r, z of a GRU.
struct SaturationCounts {
    std::string node;
    OpKind op = OpKind::Lstm;  // Lstm or Gru
    int layer = 0;
    bool backward = false;
    int64_t steps = 0;
    // One count per unit for gates i, f, o (LSTM) or r, z (GRU: the third
    // stays empty).
    std::vector<int64_t> low[3], high[3];
    int gate_count() const { return op == OpKind::Gru ? 2 : 3; }
    // "i", "f", "o" or "r", "z"; gate < gate_count().
    const char* gate_name(int gate) const;
};

struct TextResult {
    int index = 0, line = 0;
    std::string error;     // set when the text could not be run (then nothing else is)
    int tokens = 0;
    std::vector<std::string> token_texts;
    std::vector<double> probabilities;
    int predicted = -1;
    std::vector<double> attention;  // per token, empty without an attention node
    double attention_entropy = 0;   // bits
    std::vector<TokenWeight> top;
    std::optional<Faithfulness> faithfulness;
    std::string faithfulness_skipped;  // why a text asked for them has none
    std::vector<SaturationCounts> saturation;
    // Per LSTM or GRU layer and direction (in the order of `saturation`): each
    // unit's highest h in the text and where, for top activating contexts.
    std::vector<std::vector<UnitPeak>> peaks;
};

// The attention each token receives in a finished run: the mean over
// heads and query rows of the node's recorded matrices (each key's share of
// all the attention paid): attention_pool's one row, the mean of its hops
// when it has several (each hop is a distribution over the tokens, so their
// mean is one too), the mean over the query rows of an attention matrix,
// including the fixed rows of a learned query. Throws Error when the node's
// keys are not the text's tokens.
std::vector<double> token_attention(const Trace& trace, int node);

// The output row as a distribution: itself when it is one (non-negative,
// summing to 1 within 1e-3), otherwise its softmax (a model whose output
// is scores).
std::vector<double> output_distribution(const Matrix& output);

// The trace of `base`'s text with token `position` deleted (a pad token
// added at the padding side when the model pads to a fixed length), run
// again. Throws Error for the only token of a text.
Trace run_without_token(const Model& model, const Trace& base, int position, const RunOptions& options);

// Everything above for one text. Errors of the text (empty, too long,
// nothing known) are returned in TextResult::error; Cancelled and
// std::bad_alloc propagate.
TextResult analyse_text(const ModelPlan& plan, const std::string& text, int index, const AnalysisSettings& settings);

}  // namespace lstmscope::corpus
