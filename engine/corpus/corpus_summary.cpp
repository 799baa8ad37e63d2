#include "engine/corpus/corpus_summary.h"

#include <cmath>

#include "engine/error.h"

namespace lstmscope::corpus {
namespace {

using json = nlohmann::ordered_json;


// Figures are rounded to 6 decimals for reading; NaN becomes null. The
// exact state is written separately.
json figure(double x) {
    if (!std::isfinite(x)) return nullptr;
    return std::round(x * 1e6) / 1e6;
}

json fixed_state(const FixedSum& s) { return json::array({s.count, s.skipped, s.sum, s.sum_squares}); }
FixedSum fixed_from(const json& j) {
    FixedSum s;
    s.count = j.at(0).get<int64_t>();
    s.skipped = j.at(1).get<int64_t>();
    s.sum = j.at(2).get<int64_t>();
    s.sum_squares = j.at(3).get<int64_t>();
    return s;
}

json mean_figures(const FixedSum& s) {
    return {{"mean", figure(s.mean())}, {"n", s.count}};
}

json side_state(const SideCounts& s) {
    return {{"run", s.run}, {"correct", s.correct}, {"confusion", s.confusion}, {"predicted", s.predicted}};
}
SideCounts side_from(const json& j) {
    SideCounts s;
    s.run = j.at("run").get<int64_t>();
    s.correct = j.at("correct").get<int64_t>();
    s.confusion = j.at("confusion").get<std::vector<std::vector<int64_t>>>();
    s.predicted = j.at("predicted").get<std::vector<int64_t>>();
    return s;
}

json settings_json(const SummarySettings& s) {
    return {{"model", s.model},
            {"model_b", s.model_b},
            {"labels", s.labels},
            {"attention_node", s.attention_node},
            {"faithfulness", s.faithfulness},
            {"permutations", s.permutations},
            {"seed", s.seed},
            {"faithfulness_max_tokens", s.faithfulness_max_tokens}};
}
SummarySettings settings_from(const json& j) {
    SummarySettings s;
    s.model = j.at("model").get<std::string>();
    s.model_b = j.at("model_b").get<std::string>();
    s.labels = j.at("labels").get<std::vector<std::string>>();
    s.attention_node = j.at("attention_node").get<std::string>();
    s.faithfulness = j.at("faithfulness").get<bool>();
    s.permutations = j.at("permutations").get<int>();
    s.seed = j.at("seed").get<uint64_t>();
    s.faithfulness_max_tokens = j.at("faithfulness_max_tokens").get<int>();
    return s;
}

json side_figures(const SideCounts& s, int64_t labelled, const std::vector<std::string>& labels) {
    json predicted = json::object();
    for (size_t k = 0; k < labels.size(); ++k) predicted[labels[k]] = s.predicted[k];
    json out = {{"predicted", predicted}};
    if (labelled > 0) {
        out["accuracy"] = figure(static_cast<double>(s.correct) / static_cast<double>(labelled));
        out["correct"] = s.correct;
        json per_class = json::object();
        for (size_t k = 0; k < labels.size(); ++k) {
            int64_t support = 0, predicted_k = 0;
            for (size_t p = 0; p < labels.size(); ++p) support += s.confusion[k][p];
            for (size_t t = 0; t < labels.size(); ++t) predicted_k += s.confusion[t][k];
            const double tp = static_cast<double>(s.confusion[k][k]);
            per_class[labels[k]] = {
                {"precision", figure(predicted_k ? tp / static_cast<double>(predicted_k) : NAN)},
                {"recall", figure(support ? tp / static_cast<double>(support) : NAN)},
                {"support", support}};
        }
        out["per_class"] = per_class;
        out["confusion"] = {{"rows", "label"}, {"columns", "prediction"}, {"labels", labels}, {"matrix", s.confusion}};
    }
    return out;
}

// Adds one text's (or one shard's) saturation counts to the totals; the
// first counts seen become the totals.
void add_saturation(std::vector<SaturationCounts>& totals, const std::vector<SaturationCounts>& more) {
    if (totals.empty()) {
        totals = more;
        return;
    }
    for (size_t k = 0; k < totals.size() && k < more.size(); ++k) {
        totals[k].steps += more[k].steps;
        for (int g = 0; g < 3; ++g)
            for (size_t u = 0; u < totals[k].low[g].size() && u < more[k].low[g].size(); ++u) {
                totals[k].low[g][u] += more[k].low[g][u];
                totals[k].high[g][u] += more[k].high[g][u];
            }
    }
}

json histogram_json(const Histogram& h) { return {{"low", h.low}, {"high", h.high}, {"counts", h.counts}}; }

}  // namespace

void SideCounts::merge(const SideCounts& o) {
    run += o.run;
    correct += o.correct;
    for (size_t r = 0; r < confusion.size() && r < o.confusion.size(); ++r)
        for (size_t c = 0; c < confusion[r].size() && c < o.confusion[r].size(); ++c) confusion[r][c] += o.confusion[r][c];
    for (size_t k = 0; k < predicted.size() && k < o.predicted.size(); ++k) predicted[k] += o.predicted[k];
}

CorpusSummary::CorpusSummary(SummarySettings settings) : settings_(std::move(settings)) {
    const size_t c = settings_.labels.size();
    a_.confusion.assign(c, std::vector<int64_t>(c, 0));
    a_.predicted.assign(c, 0);
    if (!settings_.model_b.empty()) b_ = a_;
}

double CorpusSummary::accuracy() const {
    return labelled_ ? static_cast<double>(a_.correct) / static_cast<double>(labelled_) : NAN;
}

void CorpusSummary::add(const TextResult& a, const TextResult* b, int label) {
    ++texts_;
    // A text either side could not run is left out of both, so that the two
    // sides are always compared on the same texts.
    if (!a.error.empty() || (b && !b->error.empty())) {
        ++skipped_;
        return;
    }
    auto count_side = [&](SideCounts& s, const TextResult& r) {
        ++s.run;
        ++s.predicted[static_cast<size_t>(r.predicted)];
        if (label >= 0) {
            s.correct += r.predicted == label;
            ++s.confusion[static_cast<size_t>(label)][static_cast<size_t>(r.predicted)];
        }
    };
    if (label >= 0) ++labelled_;
    count_side(a_, a);
    if (b && b_) {
        count_side(*b_, *b);
        ++agreement_.texts;
        agreement_.same_prediction += a.predicted == b->predicted;
        if (label >= 0) {
            const bool ra = a.predicted == label, rb = b->predicted == label;
            agreement_.both_right += ra && rb;
            agreement_.a_only += ra && !rb;
            agreement_.b_only += !ra && rb;
            agreement_.both_wrong += !ra && !rb;
        }
    }
    if (!a.attention.empty()) entropy_.add(a.attention_entropy);
    add_saturation(saturation_, a.saturation);
    faith_.too_long += !a.faithfulness_skipped.empty();
    if (const auto& f = a.faithfulness) {
        ++faith_.texts;
        faith_.kendall_tau.add(f->kendall_tau);
        faith_.tau_histogram.add(f->kendall_tau);
        faith_.uniform_tvd.add(f->uniform_tvd);
        faith_.uniform_flips += f->uniform_flipped;
        faith_.permutation_median_tvd.add(f->permutation_median_tvd);
        faith_.permutation_flips += f->permutation_flips;
        faith_.permutation_runs += f->permutations;
        if (f->top_token >= 0) {
            ++faith_.erasure_texts;
            faith_.top_js.add(f->top_js);
            faith_.random_js.add(f->random_js);
            faith_.top_flips += f->top_flipped;
            faith_.random_flips += f->random_flipped;
            if (f->flip_after < 0) {
                ++faith_.never_flipped;
            } else {
                faith_.flip_fraction.add(f->flip_fraction);
                faith_.flip_fraction_histogram.add(f->flip_fraction);
            }
        }
    }
}

void CorpusSummary::merge(const CorpusSummary& o, const std::string& what) {
    if (!(o.settings_ == settings_))
        throw Error(ErrorKind::input, what, "its summary is of another run (model, labels, attention node, faithfulness, "
                           "permutations, seed or model B differ)");
    texts_ += o.texts_;
    skipped_ += o.skipped_;
    labelled_ += o.labelled_;
    a_.merge(o.a_);
    if (b_ && o.b_) b_->merge(*o.b_);
    agreement_.texts += o.agreement_.texts;
    agreement_.same_prediction += o.agreement_.same_prediction;
    agreement_.both_right += o.agreement_.both_right;
    agreement_.a_only += o.agreement_.a_only;
    agreement_.b_only += o.agreement_.b_only;
    agreement_.both_wrong += o.agreement_.both_wrong;
    entropy_.merge(o.entropy_);
    if (!saturation_.empty() && !o.saturation_.empty() && o.saturation_.size() != saturation_.size())
        throw Error(ErrorKind::input, what, "its saturation counts are for other LSTM or GRU layers");
    add_saturation(saturation_, o.saturation_);
    FaithfulnessTotals& f = faith_;
    const FaithfulnessTotals& g = o.faith_;
    f.texts += g.texts;
    f.too_long += g.too_long;
    f.kendall_tau.merge(g.kendall_tau);
    f.tau_histogram.merge(g.tau_histogram);
    f.uniform_tvd.merge(g.uniform_tvd);
    f.permutation_median_tvd.merge(g.permutation_median_tvd);
    f.uniform_flips += g.uniform_flips;
    f.permutation_flips += g.permutation_flips;
    f.permutation_runs += g.permutation_runs;
    f.erasure_texts += g.erasure_texts;
    f.top_flips += g.top_flips;
    f.random_flips += g.random_flips;
    f.never_flipped += g.never_flipped;
    f.top_js.merge(g.top_js);
    f.random_js.merge(g.random_js);
    f.flip_fraction.merge(g.flip_fraction);
    f.flip_fraction_histogram.merge(g.flip_fraction_histogram);
}

json CorpusSummary::to_json() const {
    const SummarySettings& s = settings_;
    json out;
    out["model"] = s.model;
    out["texts"] = texts_;
    out["run"] = texts_ - skipped_;
    out["skipped"] = skipped_;
    out["labelled"] = labelled_;
    json a = side_figures(a_, labelled_, s.labels);
    for (auto it = a.begin(); it != a.end(); ++it) out[it.key()] = it.value();
    if (!s.attention_node.empty())
        out["attention"] = {{"node", s.attention_node}, {"entropy_bits", mean_figures(entropy_)}};

    json sat = json::array();
    for (const SaturationCounts& c : saturation_) {
        json one = {{"node", c.node},
                    {"op", c.op == OpKind::Gru ? "gru" : "lstm"},
                    {"layer", c.layer},
                    {"direction", c.backward ? "backward" : "forward"},
                    {"steps", c.steps},
                    {"below", 0.1},
                    {"above", 0.9}};
        for (int g = 0; g < c.gate_count(); ++g) {
            json low = json::array(), high = json::array();
            for (size_t u = 0; u < c.low[g].size(); ++u) {
                const double n = static_cast<double>(std::max<int64_t>(1, c.steps));
                low.push_back(figure(static_cast<double>(c.low[g][u]) / n));
                high.push_back(figure(static_cast<double>(c.high[g][u]) / n));
            }
            one[c.gate_name(g)] = {{"below", low}, {"above", high}};
        }
        sat.push_back(one);
    }
    out["saturation"] = sat;

    if (s.faithfulness) {
        const FaithfulnessTotals& f = faith_;
        auto rate = [](int64_t k, int64_t n) { return figure(n ? static_cast<double>(k) / static_cast<double>(n) : NAN); };
        out["faithfulness"] = {
            {"texts", f.texts},
            {"too_long", f.too_long},
            {"kendall_tau",
             {{"mean", figure(f.kendall_tau.mean())},
              {"ci95", {figure(f.kendall_tau.ci95_low()), figure(f.kendall_tau.ci95_high())}},
              {"n", f.kendall_tau.count},
              {"undefined", f.kendall_tau.skipped},
              {"histogram", histogram_json(f.tau_histogram)}}},
            {"uniform", {{"mean_tvd", figure(f.uniform_tvd.mean())}, {"flip_rate", rate(f.uniform_flips, f.texts)}}},
            {"permutation",
             {{"permutations", s.permutations},
              {"mean_median_tvd", figure(f.permutation_median_tvd.mean())},
              {"flip_rate", rate(f.permutation_flips, f.permutation_runs)}}},
            {"erasure",
             {{"texts", f.erasure_texts},
              {"top", {{"mean_js", figure(f.top_js.mean())}, {"flip_rate", rate(f.top_flips, f.erasure_texts)}}},
              {"random", {{"mean_js", figure(f.random_js.mean())}, {"flip_rate", rate(f.random_flips, f.erasure_texts)}}},
              {"flip_fraction",
               {{"mean", figure(f.flip_fraction.mean())},
                {"flipped", f.flip_fraction.count},
                {"never", f.never_flipped},
                {"histogram", histogram_json(f.flip_fraction_histogram)}}}}}};
    }
    if (b_) {
        out["b"] = side_figures(*b_, labelled_, s.labels);
        out["b"]["model"] = s.model_b;
        const Agreement& g = agreement_;
        out["agreement"] = {{"texts", g.texts},
                            {"same_prediction", g.same_prediction},
                            {"same_prediction_rate", figure(g.texts ? static_cast<double>(g.same_prediction) /
                                                                          static_cast<double>(g.texts)
                                                                    : NAN)}};
        if (labelled_ > 0) {
            out["agreement"]["table"] = {{"both_right", g.both_right},
                                         {"a_right_b_wrong", g.a_only},
                                         {"a_wrong_b_right", g.b_only},
                                         {"both_wrong", g.both_wrong}};
            const McNemar m = mcnemar(g.a_only, g.b_only);
            out["mcnemar"] = {{"b", g.a_only},
                              {"c", g.b_only},
                              {"statistic", figure(m.statistic)},
                              {"p_value", m.p_value},
                              {"exact_p_value", m.exact_p_value}};
        }
    }

    json sat_state = json::array();
    for (const SaturationCounts& c : saturation_) {
        json low = json::array(), high = json::array();
        for (int g = 0; g < c.gate_count(); ++g) {
            low.push_back(c.low[g]);
            high.push_back(c.high[g]);
        }
        sat_state.push_back({{"node", c.node},
                             {"op", c.op == OpKind::Gru ? "gru" : "lstm"},
                             {"layer", c.layer},
                             {"backward", c.backward},
                             {"steps", c.steps},
                             {"low", low},
                             {"high", high}});
    }
    const FaithfulnessTotals& f = faith_;
    out["state"] = {
        {"version", 1},
        {"settings", settings_json(s)},
        {"texts", texts_},
        {"skipped", skipped_},
        {"labelled", labelled_},
        {"a", side_state(a_)},
        {"b", b_ ? side_state(*b_) : json()},
        {"agreement",
         {agreement_.texts, agreement_.same_prediction, agreement_.both_right, agreement_.a_only, agreement_.b_only,
          agreement_.both_wrong}},
        {"entropy", fixed_state(entropy_)},
        {"saturation", sat_state},
        {"faithfulness",
         {{"texts", f.texts},
          {"too_long", f.too_long},
          {"kendall_tau", fixed_state(f.kendall_tau)},
          {"tau_histogram", f.tau_histogram.counts},
          {"uniform_tvd", fixed_state(f.uniform_tvd)},
          {"permutation_median_tvd", fixed_state(f.permutation_median_tvd)},
          {"flips", {f.uniform_flips, f.permutation_flips, f.permutation_runs, f.erasure_texts, f.top_flips,
                     f.random_flips, f.never_flipped}},
          {"top_js", fixed_state(f.top_js)},
          {"random_js", fixed_state(f.random_js)},
          {"flip_fraction", fixed_state(f.flip_fraction)},
          {"flip_fraction_histogram", f.flip_fraction_histogram.counts}}}};
    return {{"summary", out}};
}

CorpusSummary CorpusSummary::from_json(const json& j, const std::string& file) {
    try {
        const json& st = j.at("summary").at("state");
        if (st.at("version").get<int>() != 1) throw Error(ErrorKind::input, file, "summary state version is not 1");
        CorpusSummary s(settings_from(st.at("settings")));
        s.texts_ = st.at("texts").get<int64_t>();
        s.skipped_ = st.at("skipped").get<int64_t>();
        s.labelled_ = st.at("labelled").get<int64_t>();
        s.a_ = side_from(st.at("a"));
        if (!st.at("b").is_null()) s.b_ = side_from(st.at("b"));
        const auto g = st.at("agreement").get<std::vector<int64_t>>();
        if (g.size() != 6) throw Error(ErrorKind::input, file, "summary state: 'agreement' needs 6 counts");
        s.agreement_ = {g[0], g[1], g[2], g[3], g[4], g[5]};
        s.entropy_ = fixed_from(st.at("entropy"));
        for (const json& c : st.at("saturation")) {
            SaturationCounts k;
            k.node = c.at("node").get<std::string>();
            k.layer = c.at("layer").get<int>();
            k.backward = c.at("backward").get<bool>();
            k.steps = c.at("steps").get<int64_t>();
            // Written before GRUs counted: no "op", an lstm.
            if (c.contains("op")) {
                const std::string op = c.at("op").get<std::string>();
                if (op != "lstm" && op != "gru")
                    throw Error(ErrorKind::input, file, "summary state: saturation 'op' is '" + op + "', not lstm or gru");
                k.op = op == "gru" ? OpKind::Gru : OpKind::Lstm;
            }
            for (int gate = 0; gate < k.gate_count(); ++gate) {
                k.low[gate] = c.at("low").at(static_cast<size_t>(gate)).get<std::vector<int64_t>>();
                k.high[gate] = c.at("high").at(static_cast<size_t>(gate)).get<std::vector<int64_t>>();
            }
            s.saturation_.push_back(std::move(k));
        }
        const json& f = st.at("faithfulness");
        FaithfulnessTotals& t = s.faith_;
        t.texts = f.at("texts").get<int64_t>();
        t.too_long = f.at("too_long").get<int64_t>();
        t.kendall_tau = fixed_from(f.at("kendall_tau"));
        t.tau_histogram.counts = f.at("tau_histogram").get<std::vector<int64_t>>();
        t.uniform_tvd = fixed_from(f.at("uniform_tvd"));
        t.permutation_median_tvd = fixed_from(f.at("permutation_median_tvd"));
        const auto flips = f.at("flips").get<std::vector<int64_t>>();
        if (flips.size() != 7) throw Error(ErrorKind::input, file, "summary state: 'flips' needs 7 counts");
        t.uniform_flips = flips[0];
        t.permutation_flips = flips[1];
        t.permutation_runs = flips[2];
        t.erasure_texts = flips[3];
        t.top_flips = flips[4];
        t.random_flips = flips[5];
        t.never_flipped = flips[6];
        t.top_js = fixed_from(f.at("top_js"));
        t.random_js = fixed_from(f.at("random_js"));
        t.flip_fraction = fixed_from(f.at("flip_fraction"));
        t.flip_fraction_histogram.counts = f.at("flip_fraction_histogram").get<std::vector<int64_t>>();
        const size_t c = s.settings_.labels.size();
        auto square = [c](const SideCounts& side) {
            if (side.predicted.size() != c || side.confusion.size() != c) return false;
            for (const auto& row : side.confusion)
                if (row.size() != c) return false;
            return true;
        };
        if (!square(s.a_) || (s.b_ && !square(*s.b_)))
            throw Error(ErrorKind::input, file, "summary state: the confusion counts do not match the " + std::to_string(c) +
                        " labels");
        return s;
    } catch (const json::exception& e) {
        throw Error(ErrorKind::input, file, "the last line is not a corpus summary with its state (" + std::string(e.what()) + ")");
    }
}

}  // namespace lstmscope::corpus
