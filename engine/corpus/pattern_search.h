// Hidden-state patterns across a corpus, as LSTMVis does (Strobelt et al.
// 2018): the units of one LSTM or GRU layer and direction that stay above a
// threshold over a span the user selected become a query, and every span
// of the corpus where all of them are above the threshold is a match,
// ranked by how closely it fits. Also the threshold suggestion and each
// unit's top activating contexts (Karpathy et al. 2015).
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "engine/corpus/corpus_input.h"
#include "engine/model.h"
#include "engine/trace.h"

namespace lstmscope::corpus {

// Which hidden states: an lstm or gru node, its layer and direction.
struct StateRef {
    int node = -1;  // index into Model::nodes (an lstm or gru node)
    int layer = 0;
    Direction direction = Direction::Forward;
};

// The gate trace `ref` names in a finished run; null when the trace has none.
const GateTrace* find_states(const Trace& trace, const StateRef& ref);

// The value at `percentile` (0..1, linear between order statistics, as
// numpy.percentile) of every h value of the trace's states over the tokens
// [first, end): the suggested threshold for a query over that span.
double suggest_threshold(const GateTrace& states, int first, int end, double percentile = 0.8);

// The units whose h stays above `threshold` at every token of [first, end).
std::vector<int> units_above(const GateTrace& states, int first, int end, double threshold);

struct PatternQuery {
    StateRef states;
    std::vector<int> units;   // the query: all of them must be above the threshold
    double threshold = 0.3;
    int length = 1;           // the selected span's length: matches of this length rank first
};

struct PatternMatch {
    int text = 0;              // index of the text in the corpus
    int first = 0, end = 0;    // tokens [first, end)
    // Ranking: |length - query length| (smaller first), then the number of
    // units beyond the query that are on over the whole match (fewer
    // first, LSTMVis' "precise" matches), then the mean of the query units'
    // h over the match (larger first).
    int length_difference = 0;
    int extra_units = 0;
    double mean_activation = 0;
};

// Runs every text again (only summaries are kept between runs) on up to
// `threads` threads and returns the best `limit` matches in ranking order.
// Texts that cannot run are left out. Throws Cancelled when `cancel` rises.
std::vector<PatternMatch> search_patterns(const Model& model, const Corpus& corpus, const PatternQuery& query,
                                          int limit = 200, int threads = 0,
                                          const std::atomic<bool>* cancel = nullptr,
                                          const std::function<void(size_t, size_t)>& progress = {});

// The maximal spans of one run that match `query` (not ranked, not limited).
std::vector<PatternMatch> match_spans(const GateTrace& states, const PatternQuery& query, int text_index);

// Each unit's highest h in one text and where: what the corpus window keeps
// per text to list a unit's top activating contexts across the corpus.
struct UnitPeak {
    float value = 0;
    int token = 0;
};
std::vector<UnitPeak> unit_peaks(const GateTrace& states);

}  // namespace lstmscope::corpus
