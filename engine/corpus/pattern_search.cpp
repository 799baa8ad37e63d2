#include "engine/corpus/pattern_search.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "engine/corpus/ordered_parallel.h"
#include "engine/error.h"
#include "engine/parallel.h"
#include "engine/runner.h"

namespace lstmscope::corpus {
namespace {

bool ranks_before(const PatternMatch& a, const PatternMatch& b) {
    if (a.length_difference != b.length_difference) return a.length_difference < b.length_difference;
    if (a.extra_units != b.extra_units) return a.extra_units < b.extra_units;
    if (a.mean_activation != b.mean_activation) return a.mean_activation > b.mean_activation;
    if (a.text != b.text) return a.text < b.text;
    return a.first < b.first;
}

}  // namespace

const GateTrace* find_states(const Trace& trace, const StateRef& ref) {
    if (ref.node < 0 || ref.node >= static_cast<int>(trace.nodes.size())) return nullptr;
    for (const GateTrace& g : trace.nodes[static_cast<size_t>(ref.node)].gates)
        if (g.layer == ref.layer && g.direction == ref.direction) return &g;
    return nullptr;
}

double suggest_threshold(const GateTrace& states, int first, int end, double percentile) {
    first = std::clamp(first, 0, static_cast<int>(states.h.rows()));
    end = std::clamp(end, first, static_cast<int>(states.h.rows()));
    std::vector<double> v;
    v.reserve(static_cast<size_t>((end - first) * states.h.cols()));
    for (int t = first; t < end; ++t)
        for (Eigen::Index u = 0; u < states.h.cols(); ++u) v.push_back(states.h(t, u));
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const double pos = std::clamp(percentile, 0.0, 1.0) * static_cast<double>(v.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

std::vector<int> units_above(const GateTrace& states, int first, int end, double threshold) {
    std::vector<int> out;
    if (first < 0 || end > states.h.rows() || first >= end) return out;
    for (Eigen::Index u = 0; u < states.h.cols(); ++u) {
        bool on = true;
        for (int t = first; t < end && on; ++t) on = states.h(t, u) > threshold;
        if (on) out.push_back(static_cast<int>(u));
    }
    return out;
}

std::vector<PatternMatch> match_spans(const GateTrace& states, const PatternQuery& query, int text_index) {
    std::vector<PatternMatch> out;
    if (query.units.empty()) return out;
    const Eigen::Index T = states.h.rows(), H = states.h.cols();
    for (int u : query.units)
        if (u < 0 || u >= H) throw Error("pattern search: unit " + std::to_string(u) + " is not one of the " +
                                         std::to_string(H) + " units");
    auto all_on = [&](Eigen::Index t) {
        for (int u : query.units)
            if (!(states.h(t, u) > query.threshold)) return false;
        return true;
    };
    std::vector<char> in_query(static_cast<size_t>(H), 0);
    for (int u : query.units) in_query[static_cast<size_t>(u)] = 1;
    for (Eigen::Index t = 0; t < T;) {
        if (!all_on(t)) {
            ++t;
            continue;
        }
        Eigen::Index e = t;
        while (e < T && all_on(e)) ++e;
        PatternMatch m;
        m.text = text_index;
        m.first = static_cast<int>(t);
        m.end = static_cast<int>(e);
        m.length_difference = std::abs(static_cast<int>(e - t) - query.length);
        double sum = 0;
        for (Eigen::Index s = t; s < e; ++s)
            for (int u : query.units) sum += states.h(s, u);
        m.mean_activation = sum / static_cast<double>((e - t) * static_cast<Eigen::Index>(query.units.size()));
        for (Eigen::Index u = 0; u < H; ++u) {
            if (in_query[static_cast<size_t>(u)]) continue;
            bool on = true;
            for (Eigen::Index s = t; s < e && on; ++s) on = states.h(s, u) > query.threshold;
            m.extra_units += on;
        }
        out.push_back(m);
        t = e;
    }
    return out;
}

std::vector<PatternMatch> search_patterns(const Model& model, const Corpus& corpus, const PatternQuery& query,
                                          int limit, int threads, const std::atomic<bool>* cancel,
                                          const std::function<void(size_t, size_t)>& progress) {
    if (query.states.node < 0 || query.states.node >= static_cast<int>(model.nodes.size()) ||
        (model.nodes[static_cast<size_t>(query.states.node)].op != OpKind::Lstm &&
         model.nodes[static_cast<size_t>(query.states.node)].op != OpKind::Gru))
        throw Error(ErrorKind::input, model.manifest_path, "pattern search needs an lstm or gru node");
    RunOptions options;
    options.threads = 1;
    options.cancel = cancel;
    // Attention is not needed to find hidden-state patterns.
    options.attention_first = options.attention_end = 0;
    std::vector<PatternMatch> best;
    const size_t keep = static_cast<size_t>(std::max(1, limit));
    const std::function<std::vector<PatternMatch>(size_t)> work = [&](size_t i) {
        try {
            const Trace trace = run(model, corpus.texts[i].text, options);
            const GateTrace* states = find_states(trace, query.states);
            if (!states) return std::vector<PatternMatch>();
            return match_spans(*states, query, corpus.texts[i].index);
        } catch (const Error&) {
            return std::vector<PatternMatch>();  // a text that cannot run has no match
        }
    };
    const std::function<void(size_t, std::vector<PatternMatch>&)> take = [&](size_t i, std::vector<PatternMatch>& m) {
        best.insert(best.end(), m.begin(), m.end());
        // Trimmed now and then so a corpus full of matches stays small.
        if (best.size() > 4 * keep) {
            std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(keep), best.end(), ranks_before);
            best.resize(keep);
        }
        if (progress) progress(i + 1, corpus.texts.size());
    };
    ordered_parallel_map<std::vector<PatternMatch>>(corpus.texts.size(), resolve_threads(threads), work, take, cancel);
    std::sort(best.begin(), best.end(), ranks_before);
    if (best.size() > keep) best.resize(keep);
    return best;
}

std::vector<UnitPeak> unit_peaks(const GateTrace& states) {
    std::vector<UnitPeak> out(static_cast<size_t>(states.h.cols()));
    for (Eigen::Index u = 0; u < states.h.cols(); ++u) {
        Eigen::Index best = 0;
        const float v = states.h.rows() ? states.h.col(u).maxCoeff(&best) : 0.0f;
        out[static_cast<size_t>(u)] = {v, static_cast<int>(best)};
    }
    return out;
}

}  // namespace lstmscope::corpus
