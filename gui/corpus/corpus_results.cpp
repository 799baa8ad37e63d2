#include "gui/corpus/corpus_results.h"

#include <algorithm>

#include "engine/corpus/corpus_run.h"

CorpusRow compactRow(const lstmscope::corpus::CorpusItem& item) {
    CorpusRow row;
    row.index = item.text->index;
    row.label = item.label;
    const auto& a = item.a;
    if (!a.error.empty()) return row;
    row.tokens = a.tokens;
    row.predicted = a.predicted;
    row.confidence = static_cast<float>(a.probabilities.at(static_cast<size_t>(a.predicted)));
    if (a.faithfulness) row.tau = static_cast<float>(a.faithfulness->kendall_tau);
    if (item.b && item.b->error.empty()) {
        row.predictedB = item.b->predicted;
        row.confidenceB = static_cast<float>(item.b->probabilities.at(static_cast<size_t>(item.b->predicted)));
    }
    return row;
}

void TopContexts::add(int text, const std::vector<std::vector<lstmscope::corpus::UnitPeak>>& peaks) {
    if (lists_.size() < peaks.size()) lists_.resize(peaks.size());
    const auto higher = [](float value, const UnitContext& c) { return value > c.value; };
    for (size_t s = 0; s < peaks.size(); ++s) {
        auto& units = lists_[s];
        if (units.size() < peaks[s].size()) units.resize(peaks[s].size());
        for (size_t u = 0; u < peaks[s].size(); ++u) {
            auto& list = units[u];
            const float v = peaks[s][u].value;
            if (static_cast<int>(list.size()) >= keep_ && !(v > list.back().value)) continue;
            // After the entries of equal value: texts arrive in file order,
            // so the earlier text stays first.
            const auto at = std::upper_bound(list.begin(), list.end(), v, higher);
            list.insert(at, UnitContext{v, text, peaks[s][u].token});
            if (static_cast<int>(list.size()) > keep_) list.pop_back();
        }
    }
}

const std::vector<UnitContext>& TopContexts::of(int state, int unit) const {
    static const std::vector<UnitContext> none;
    if (state < 0 || state >= static_cast<int>(lists_.size())) return none;
    const auto& units = lists_[static_cast<size_t>(state)];
    if (unit < 0 || unit >= static_cast<int>(units.size())) return none;
    return units[static_cast<size_t>(unit)];
}

const std::string& CorpusResults::text(int index) const {
    static const std::string none;
    if (!corpus || index < 0 || index >= static_cast<int>(corpus->texts.size())) return none;
    return corpus->texts[static_cast<size_t>(index)].text;
}
