// What the corpus window keeps of a run: one compact row per text (never a
// trace: a text's full trace is recomputed when it is opened), each unit's
// top activating contexts, the LSTM states the run saw, and the engine's
// summary once the run is complete. No widgets; the job fills it, the
// panels read it.
#pragma once

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/corpus/corpus_input.h"
#include "engine/corpus/corpus_summary.h"
#include "engine/corpus/pattern_search.h"
#include "engine/model.h"

namespace lstmscope::corpus {
struct CorpusItem;
}

// One text of the corpus, as small as the table needs it (about 40 bytes,
// so 100,000 texts take 4 MB): the text itself stays in the Corpus.
struct CorpusRow {
    static constexpr float kNone = std::numeric_limits<float>::quiet_NaN();
    int index = 0;          // the text's index in the corpus (file order)
    int tokens = 0;
    int label = -1;         // class of model A; -1 without a label
    int predicted = -1;     // -1: the text could not run
    float confidence = kNone;  // the probability of the predicted class
    float tau = kNone;      // Kendall tau of attention and leave-one-out (faithfulness runs)
    int predictedB = -1;    // model B's class, in A's labels; -1 without B (or B could not run)
    float confidenceB = kNone;

    bool ran() const { return predicted >= 0; }
    bool labelled() const { return label >= 0; }
    bool right() const { return ran() && labelled() && predicted == label; }
    bool wrong() const { return ran() && labelled() && predicted != label; }
    bool hasB() const { return predictedB >= 0; }
    bool disagrees() const { return ran() && hasB() && predictedB != predicted; }
};

// The compact row of a delivered item.
CorpusRow compactRow(const lstmscope::corpus::CorpusItem& item);

// An LSTM or GRU layer and direction of model A, in the order of the run's
// saturation counts and peaks.
struct CorpusState {
    std::string node;
    lstmscope::OpKind op = lstmscope::OpKind::Lstm;  // Lstm or Gru: which gates were counted
    int nodeIndex = -1;  // into Model::nodes
    int layer = 0;
    bool backward = false;
    int units = 0;
};

// Where one unit peaked in one text.
struct UnitContext {
    float value = 0;
    int text = 0;
    int token = 0;
};

// Each unit's top activating contexts across the corpus (Karpathy et al.
// 2015): of every text's peak (TextResult::peaks, its highest h and the
// token), the `keep` highest per unit. Kept as they arrive, so a 100,000-text
// corpus holds units x keep entries, not units x texts.
class TopContexts {
public:
    explicit TopContexts(int keep = 10) : keep_(keep) {}
    // One text's peaks, one list per state (TextResult::peaks).
    void add(int text, const std::vector<std::vector<lstmscope::corpus::UnitPeak>>& peaks);
    // Highest first; among equal values the earlier text first. Empty for
    // an unknown state or unit.
    const std::vector<UnitContext>& of(int state, int unit) const;
    int keep() const { return keep_; }

private:
    int keep_;
    std::vector<std::vector<std::vector<UnitContext>>> lists_;  // [state][unit]
};

// What a run was asked to do.
struct CorpusRunSettings {
    std::string dataset;
    lstmscope::corpus::InputOptions input;
    bool ignoreLabels = false;   // the user chose no label column although "label" exists
    std::string modelA, modelB;  // model paths; modelB empty: one model
    // For Keras files: their vocabularies etc. (read on the GUI thread, gui/workspace/import_sources.h).
    lstmscope::ImportOptions importA, importB;
    bool faithfulness = false;
    int permutations = 10;
    int threads = 0;             // texts at once; 0: every core
};

struct CorpusResults {
    enum class State { Empty, Running, Done, Cancelled, Failed };
    State state = State::Empty;
    std::string error;  // Failed: the engine's message (file, line, column)
    CorpusRunSettings settings;
    std::shared_ptr<const lstmscope::corpus::Corpus> corpus;
    std::shared_ptr<const lstmscope::Model> modelA, modelB;
    int attentionNode = -1;                  // the node the faithfulness tests read; -1: none
    std::vector<CorpusState> states;
    std::vector<CorpusRow> rows;             // in file order: rows[k].index == k
    std::unordered_map<int, std::string> errors;  // why a text could not run, by index
    TopContexts contexts;
    std::optional<lstmscope::corpus::CorpusSummary> summary;  // only for a complete run
    size_t total = 0;                         // texts in the corpus

    std::vector<std::string> labels() const { return modelA ? modelA->labels : std::vector<std::string>(); }
    const std::string& text(int index) const;
    bool comparing() const { return modelB != nullptr; }
};
