// The corpus analysis pieces on their own: reading datasets, the exact
// statistics (McNemar against SciPy), summaries that merge exactly, the
// ordered parallel map, and the hidden-state pattern search.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine/corpus/corpus_input.h"
#include "engine/corpus/corpus_run.h"
#include "engine/corpus/corpus_summary.h"
#include "engine/corpus/ordered_parallel.h"
#include "engine/corpus/pattern_search.h"
#include "engine/corpus/statistics.h"
#include "engine/error.h"
#include "error_of.h"
#include "engine/runner.h"

namespace lstmscope::corpus {
namespace {

const std::string kModels = LSTMSCOPE_MODELS_DIR;
const std::string kCorpusData = std::string(LSTMSCOPE_TEST_DATA) + "/corpus";

using lstmscope::testing::error_of;

// --- reading datasets ------------------------------------------------------

TEST(CorpusInput, TsvWithAHeaderFindsTheTextAndLabelColumns) {
    const Corpus c = parse_corpus("id\tlabel\ttext\n1\tpositive\tGood.\n\n2\tnegative\tBad.\r\n", "d.tsv");
    EXPECT_EQ(c.format, InputFormat::Tsv);
    ASSERT_EQ(c.texts.size(), 2u);
    EXPECT_TRUE(c.labelled);
    EXPECT_EQ(c.texts[0].text, "Good.");
    EXPECT_EQ(*c.texts[1].label, "negative");
    EXPECT_EQ(c.texts[1].line, 4);
    EXPECT_EQ(c.texts[1].index, 1);
}

TEST(CorpusInput, TsvWithoutAHeaderTakesColumnNumbers) {
    InputOptions o;
    o.header = false;
    o.text_column = "1";
    o.label_column = "2";
    const Corpus c = parse_corpus("A very slow movie.  \t0\nGreat!\t1\n", "imdb.txt", o);
    EXPECT_EQ(c.format, InputFormat::Lines);  // by extension; the caller says tsv:
    o.format = InputFormat::Tsv;
    const Corpus t = parse_corpus("A very slow movie.  \t0\nGreat!\t1\n", "imdb.txt", o);
    ASSERT_EQ(t.texts.size(), 2u);
    EXPECT_EQ(t.texts[0].text, "A very slow movie.  ");
    EXPECT_EQ(*t.texts[1].label, "1");
}

TEST(CorpusInput, CsvQuotesHoldCommasQuotesAndLineBreaks) {
    const Corpus c = parse_corpus("label,review\n1,\"Clean room, \"\"nice\"\" staff\nand view\"\n0,房间很差\n", "h.csv",
                                  InputOptions{InputFormat::Auto, "review", "", true});
    ASSERT_EQ(c.texts.size(), 2u);
    EXPECT_EQ(c.texts[0].text, "Clean room, \"nice\" staff\nand view");
    EXPECT_EQ(c.texts[1].text, "房间很差");
    EXPECT_EQ(c.texts[1].line, 4);
    EXPECT_EQ(*c.texts[0].label, "1");
}

TEST(CorpusInput, JsonLinesTakeStringOrIntegerLabels) {
    const Corpus c = parse_corpus("{\"text\": \"good\", \"label\": 1}\n\n{\"text\": \"bad\", \"label\": \"negative\"}\n",
                                  "d.jsonl");
    ASSERT_EQ(c.texts.size(), 2u);
    EXPECT_EQ(*c.texts[0].label, "1");
    EXPECT_EQ(c.texts[1].line, 3);
}

TEST(CorpusInput, BadFilesAreNamedWithTheLine) {
    EXPECT_EQ(error_of([] { parse_corpus("text,label\n\"open,1\n", "d.csv"); }),
              "d.csv: line 2: a quoted field is never closed");
    EXPECT_EQ(error_of([] { parse_corpus("a\tb\nx\ty\n", "d.tsv"); }),
              "d.tsv: line 1: no column 'text' for --text-column (the header has 'a', 'b')");
    EXPECT_EQ(error_of([] { parse_corpus("text\tlabel\nonly text\n", "d.tsv"); }),
              "d.tsv: line 2: has 1 field, the text and label need 2");
    EXPECT_EQ(error_of([] { parse_corpus("{\"text\": 3}\n", "d.jsonl"); }), "d.jsonl: line 1: has no string field 'text'");
    EXPECT_NE(error_of([] { parse_corpus("{\"text\": \"a\"\n", "d.jsonl"); }).find("d.jsonl: line 1: not valid JSON"),
              std::string::npos);
    // A hostile line nested far deeper than any dataset is refused, not
    // parsed into a structure whose destruction recurses.
    const std::string deep = "{\"text\": " + std::string(100000, '[') + std::string(100000, ']') + "}\n";
    EXPECT_EQ(error_of([&] { parse_corpus(deep, "d.jsonl"); }), "d.jsonl: line 1: nested more than 64 levels deep");
    EXPECT_NE(error_of([] { read_corpus("/nonexistent/d.tsv"); }).find("/nonexistent/d.tsv: cannot read"),
              std::string::npos);
}

TEST(CorpusInput, LabelsAreNamesOrClassNumbers) {
    const std::vector<std::string> labels{"negative", "positive"};
    EXPECT_EQ(resolve_label("positive", labels), 1);
    EXPECT_EQ(resolve_label("0", labels), 0);
    EXPECT_EQ(resolve_label("2", labels), -1);
    EXPECT_EQ(resolve_label("pos", labels), -1);
    // Digits that are label names win over class numbers.
    EXPECT_EQ(resolve_label("1", {"0", "2", "1"}), 2);
}

// --- statistics ------------------------------------------------------------

TEST(CorpusStatistics, McNemarMatchesSciPy) {
    std::ifstream in(kCorpusData + "/statistics_golden.json");
    const auto golden = nlohmann::json::parse(in);
    ASSERT_GE(golden["mcnemar"].size(), 10u);
    for (const auto& c : golden["mcnemar"]) {
        const McNemar m = mcnemar(c["b"].get<int64_t>(), c["c"].get<int64_t>());
        SCOPED_TRACE(c.dump());
        EXPECT_NEAR(m.statistic, c["statistic"].get<double>(), 1e-12);
        EXPECT_NEAR(m.p_value, c["p_value"].get<double>(), 1e-12 + 1e-9 * c["p_value"].get<double>());
        EXPECT_NEAR(m.exact_p_value, c["exact_p_value"].get<double>(),
                    1e-12 + 1e-9 * c["exact_p_value"].get<double>());
    }
}

TEST(CorpusStatistics, FixedSumsMergeExactlyInAnyOrder) {
    std::vector<double> v;
    for (int k = 0; k < 1000; ++k) v.push_back(std::sin(k * 0.37) * 0.999);
    FixedSum whole, a, b;
    for (double x : v) whole.add(x);
    for (size_t k = 0; k < v.size(); ++k) (k % 3 ? a : b).add(v[v.size() - 1 - k]);
    b.merge(a);
    EXPECT_EQ(b.sum, whole.sum);
    EXPECT_EQ(b.sum_squares, whole.sum_squares);
    EXPECT_EQ(b.count, whole.count);
    double mean = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    EXPECT_NEAR(whole.mean(), mean, 1e-9);
    whole.add(std::nan(""));
    EXPECT_EQ(whole.skipped, 1);
    EXPECT_LT(whole.ci95_low(), whole.mean());
    EXPECT_GT(whole.ci95_high(), whole.mean());
}

TEST(CorpusStatistics, MedianTotalVariationAndEntropy) {
    EXPECT_EQ(median({3, 1, 2}), 2);
    EXPECT_EQ(median({4, 1, 2, 3}), 2.5);
    EXPECT_TRUE(std::isnan(median({})));
    EXPECT_DOUBLE_EQ(total_variation({0.2, 0.8}, {0.6, 0.4}), 0.4);
    EXPECT_DOUBLE_EQ(entropy_bits({0.5, 0.5, 0}), 1.0);
    Histogram h(-1, 1, 4);
    for (double x : {-1.0, -0.6, 0.0, 0.99, 1.0, std::nan("")}) h.add(x);
    EXPECT_EQ(h.counts, (std::vector<int64_t>{2, 0, 1, 2}));
}

// --- the ordered parallel map ------------------------------------------------

TEST(OrderedParallel, DeliversInOrderWhateverFinishesFirst) {
    std::vector<size_t> seen;
    const std::function<size_t(size_t)> work = [](size_t i) {
        std::this_thread::sleep_for(std::chrono::microseconds((i * 7919) % 300));
        return i * i;
    };
    const std::function<void(size_t, size_t&)> deliver = [&](size_t i, size_t& r) {
        EXPECT_EQ(r, i * i);
        seen.push_back(i);
    };
    ordered_parallel_map<size_t>(500, 3, work, deliver, nullptr, 8);
    ASSERT_EQ(seen.size(), 500u);
    for (size_t k = 0; k < seen.size(); ++k) EXPECT_EQ(seen[k], k);
}

TEST(OrderedParallel, ErrorsAndCancellationStopTheRun) {
    const std::function<int(size_t)> failing = [](size_t i) {
        if (i == 37) throw Error("text 37 broke");
        return static_cast<int>(i);
    };
    size_t delivered = 0;
    const std::function<void(size_t, int&)> count = [&](size_t, int&) { ++delivered; };
    EXPECT_EQ(error_of([&] { ordered_parallel_map<int>(200, 2, failing, count); }), "text 37 broke");
    EXPECT_LE(delivered, 37u);

    std::atomic<bool> cancel{false};
    delivered = 0;
    const std::function<void(size_t, int&)> cancel_at_10 = [&](size_t i, int&) {
        ++delivered;
        if (i == 10) cancel = true;
    };
    const std::function<int(size_t)> plain = [](size_t i) { return static_cast<int>(i); };
    EXPECT_THROW(ordered_parallel_map<int>(100000, 2, plain, cancel_at_10, &cancel), Cancelled);
    EXPECT_LT(delivered, 100000u);
}

// --- summaries ---------------------------------------------------------------

TEST(CorpusSummaryTest, JsonStateRoundTripsAndRefusesOtherRuns) {
    const Model model = Model::load(kModels + "/sentiment_en_bilstm_pool.json");
    const ModelPlan plan = plan_model(model);
    Corpus corpus = parse_corpus("text\tlabel\nGood film.\tpositive\nAwful.\tnegative\n\t0\nNot bad at all.\t1\n", "d.tsv");
    CorpusRunOptions options;
    options.analysis.faithfulness = true;
    options.analysis.permutations = 3;
    options.threads = 1;
    const CorpusSummary s = run_corpus(corpus, plan, nullptr, options, [](const CorpusItem&) {});
    EXPECT_EQ(s.texts(), 4);
    EXPECT_EQ(s.skipped(), 1);  // the empty text
    const auto j = s.to_json();
    const CorpusSummary back = CorpusSummary::from_json(j, "s.jsonl");
    EXPECT_EQ(back.to_json().dump(), j.dump());
    CorpusSummary other = back;
    SummarySettings changed = s.settings();
    changed.permutations = 4;
    CorpusSummary different(changed);
    EXPECT_NE(error_of([&] { other.merge(different, "b.jsonl"); }).find("b.jsonl: its summary is of another run"),
              std::string::npos);
    EXPECT_NE(error_of([] { CorpusSummary::from_json(nlohmann::ordered_json{{"summary", {{"model", "x"}}}}, "x.jsonl"); })
                  .find("x.jsonl: the last line is not a corpus summary"),
              std::string::npos);
}

TEST(CorpusSummaryTest, ModelsThatAreNotClassifiersOrLackAttentionAreExplained) {
    const Model tagger = Model::load(kModels + "/memory_bracket_depth_lstm.json");
    EXPECT_NE(error_of([&] { plan_model(tagger); }).find("corpus runs need a classification model; this one is a tagging"),
              std::string::npos);
    const Model pool = Model::load(kModels + "/sentiment_en_bilstm_pool.json");
    EXPECT_NE(error_of([&] { plan_model(pool, "lstm"); }).find("node 'lstm' is lstm, not an attention"),
              std::string::npos);
    EXPECT_NE(error_of([&] { plan_model(pool, "nope"); }).find("there is no node 'nope'"), std::string::npos);
    const Model last = Model::load(kModels + "/sentiment_en_lstm_last.json");
    EXPECT_EQ(plan_model(last).attention_node, -1);
    const Model spam = Model::load(kModels + "/seed_a_sms_spam.json");
    EXPECT_EQ(spam.nodes[static_cast<size_t>(plan_model(spam).attention_node)].name, "attn");  // the last one
}

// --- GRU layers ----------------------------------------------------------------

// The bundled BiGRU: its saturation counts are of r and z, counted by hand
// from the trace, in the order of the peaks.
TEST(CorpusSaturation, GruCountsItsResetAndUpdateGates) {
    const Model model = Model::load(kModels + "/sentiment_en_bigru_attn.json");
    const ModelPlan plan = plan_model(model);
    AnalysisSettings settings;
    settings.run.threads = 1;
    const std::string text = "The food was good but the service was slow.";
    const TextResult r = analyse_text(plan, text, 0, settings);
    ASSERT_TRUE(r.error.empty()) << r.error;
    const Trace trace = run(model, text, settings.run);
    const NodeTrace* gru = trace.find("gru");
    ASSERT_NE(gru, nullptr);
    ASSERT_EQ(r.saturation.size(), gru->gates.size());  // forward and backward
    EXPECT_EQ(r.peaks.size(), r.saturation.size());
    int64_t saturated = 0;
    for (size_t k = 0; k < r.saturation.size(); ++k) {
        const SaturationCounts& s = r.saturation[k];
        const GateTrace& g = gru->gates[k];
        EXPECT_EQ(s.node, "gru");
        EXPECT_EQ(s.op, OpKind::Gru);
        EXPECT_EQ(s.backward, g.direction == Direction::Backward);
        EXPECT_EQ(s.gate_count(), 2);
        EXPECT_STREQ(s.gate_name(0), "r");
        EXPECT_STREQ(s.gate_name(1), "z");
        EXPECT_TRUE(s.low[2].empty() && s.high[2].empty());
        EXPECT_EQ(s.steps, g.h.rows());
        const Matrix* gates[2] = {&g.r, &g.z};
        for (int gate = 0; gate < 2; ++gate) {
            ASSERT_EQ(s.low[gate].size(), static_cast<size_t>(g.h.cols()));
            for (Eigen::Index u = 0; u < g.h.cols(); ++u) {
                int64_t low = 0, high = 0;
                for (Eigen::Index t = 0; t < g.h.rows(); ++t) {
                    low += (*gates[gate])(t, u) < 0.1f;
                    high += (*gates[gate])(t, u) > 0.9f;
                }
                EXPECT_EQ(s.low[gate][static_cast<size_t>(u)], low);
                EXPECT_EQ(s.high[gate][static_cast<size_t>(u)], high);
                saturated += low + high;
            }
        }
    }
    EXPECT_GT(saturated, 0);  // a trained GRU has gates at the rails
}

TEST(CorpusSummaryTest, GruSaturationIsReportedAndMergesAsLstmsDo) {
    const Model model = Model::load(kModels + "/sentiment_en_bigru_attn.json");
    const ModelPlan plan = plan_model(model);
    const Corpus corpus = parse_corpus(
        "text\tlabel\nGood film.\tpositive\nAwful service, cold food.\tnegative\nNot bad at all.\tpositive\n", "d.tsv");
    CorpusRunOptions options;
    options.threads = 1;
    const CorpusSummary s = run_corpus(corpus, plan, nullptr, options, [](const CorpusItem&) {});
    ASSERT_EQ(s.saturation().size(), 2u);
    const auto j = s.to_json();
    const auto& sat = j["summary"]["saturation"];
    ASSERT_EQ(sat.size(), 2u);
    for (const auto& one : sat) {
        EXPECT_EQ(one["op"], "gru");
        EXPECT_EQ(one["node"], "gru");
        for (const char* gate : {"r", "z"}) {
            ASSERT_TRUE(one.contains(gate)) << gate;
            EXPECT_EQ(one[gate]["below"].size(), static_cast<size_t>(model.nodes[2].config["hidden_size"].get<int>()));
        }
        for (const char* gate : {"i", "f", "o"}) EXPECT_FALSE(one.contains(gate)) << gate;
    }
    EXPECT_EQ(sat[1]["direction"], "backward");
    // The state keeps the kind: it reads back to the same summary, and
    // merging adds the counts.
    const CorpusSummary back = CorpusSummary::from_json(j, "s.jsonl");
    EXPECT_EQ(back.to_json().dump(), j.dump());
    EXPECT_EQ(back.saturation()[0].op, OpKind::Gru);
    CorpusSummary twice = back;
    twice.merge(back, "again.jsonl");
    EXPECT_EQ(twice.saturation()[1].steps, 2 * s.saturation()[1].steps);
    EXPECT_EQ(twice.saturation()[0].high[1], [&] {
        auto v = s.saturation()[0].high[1];
        for (auto& x : v) x *= 2;
        return v;
    }());
}

TEST(CorpusSummaryTest, LstmSaturationKeepsItsKeysAndOldStatesRead) {
    const Model model = Model::load(kModels + "/sentiment_en_bilstm_pool.json");
    const Corpus corpus = parse_corpus("text\tlabel\nGood film.\tpositive\nAwful.\tnegative\n", "d.tsv");
    CorpusRunOptions options;
    options.threads = 1;
    const CorpusSummary s = run_corpus(corpus, plan_model(model), nullptr, options, [](const CorpusItem&) {});
    auto j = s.to_json();
    for (const auto& one : j["summary"]["saturation"]) {
        EXPECT_EQ(one["op"], "lstm");
        for (const char* gate : {"i", "f", "o"}) EXPECT_TRUE(one.contains(gate)) << gate;
        for (const char* gate : {"r", "z"}) EXPECT_FALSE(one.contains(gate)) << gate;
    }
    // A state written before GRUs were counted has no "op": an LSTM's.
    for (auto& one : j["summary"]["state"]["saturation"]) one.erase("op");
    const CorpusSummary old = CorpusSummary::from_json(j, "old.jsonl");
    EXPECT_EQ(old.to_json().dump(), s.to_json().dump());
    j["summary"]["state"]["saturation"][0]["op"] = "rnn";
    EXPECT_NE(error_of([&] { CorpusSummary::from_json(j, "bad.jsonl"); }).find("bad.jsonl: summary state: saturation 'op'"),
              std::string::npos);
}

TEST(PatternSearch, GruStatesAreSearchedToo) {
    const Model model = Model::load(kModels + "/sentiment_en_bigru_attn.json");
    Corpus corpus = read_corpus(kCorpusData + "/sentiment_en_test.tsv");
    corpus.texts.resize(30);
    const std::string text = corpus.texts[5].text;
    const Trace trace = run(model, text, RunOptions{});
    ASSERT_EQ(model.nodes[2].name, "gru");
    const StateRef ref{2, 0, Direction::Backward};
    const GateTrace* states = find_states(trace, ref);
    ASSERT_NE(states, nullptr);
    PatternQuery q;
    q.states = ref;
    q.length = 2;
    q.threshold = suggest_threshold(*states, 0, 2, 0.8);
    q.units = units_above(*states, 0, 2, q.threshold);
    ASSERT_FALSE(q.units.empty());
    const auto matches = search_patterns(model, corpus, q, 50, 1);
    bool found = false;
    for (const auto& m : matches) found = found || (m.text == 5 && m.first <= 0 && m.end >= 2);
    EXPECT_TRUE(found);
    // A node that is neither an lstm nor a gru is refused.
    q.states.node = 3;  // att
    EXPECT_NE(error_of([&] { search_patterns(model, corpus, q); }).find("pattern search needs an lstm or gru node"),
              std::string::npos);
}

// --- pattern search --------------------------------------------------------

TEST(PatternSearch, TheSelectedSpanFindsItselfFirst) {
    const Model model = Model::load(kModels + "/sentiment_en_bilstm_pool.json");
    Corpus corpus = read_corpus(kCorpusData + "/sentiment_en_test.tsv");
    corpus.texts.resize(60);
    const std::string text = corpus.texts[17].text;
    const Trace trace = run(model, text, RunOptions{});
    StateRef ref{2, 0, Direction::Forward};
    ASSERT_EQ(model.nodes[2].name, "lstm");
    const GateTrace* states = find_states(trace, ref);
    ASSERT_NE(states, nullptr);
    const int first = 1, end = 3;
    PatternQuery q;
    q.states = ref;
    q.length = end - first;
    q.threshold = suggest_threshold(*states, first, end, 0.8);
    q.units = units_above(*states, first, end, q.threshold);
    ASSERT_FALSE(q.units.empty()) << "threshold " << q.threshold;
    // Every query unit is on over the span; the span lies inside one match.
    const auto own = match_spans(*states, q, 17);
    bool covered = false;
    for (const auto& m : own) covered = covered || (m.first <= first && m.end >= end);
    EXPECT_TRUE(covered);
    const auto matches = search_patterns(model, corpus, q, 50, 2);
    ASSERT_FALSE(matches.empty());
    bool found = false;
    for (const auto& m : matches) found = found || (m.text == 17 && m.first <= first && m.end >= end);
    EXPECT_TRUE(found);
    for (size_t k = 1; k < matches.size(); ++k)
        EXPECT_LE(matches[k - 1].length_difference, matches[k].length_difference);
}

TEST(PatternSearch, ThresholdIsAPercentileAsNumpyHasIt) {
    GateTrace g;
    g.h.resize(2, 2);
    g.h << 0.1f, 0.4f, 0.2f, 0.3f;
    // numpy.percentile([0.1, 0.4, 0.2, 0.3], 80) = 0.34
    EXPECT_NEAR(suggest_threshold(g, 0, 2, 0.8), 0.34, 1e-6);
    EXPECT_EQ(units_above(g, 0, 2, 0.25), (std::vector<int>{1}));
    const auto peaks = unit_peaks(g);
    EXPECT_EQ(peaks[0].token, 1);
    EXPECT_FLOAT_EQ(peaks[1].value, 0.4f);
}

}  // namespace
}  // namespace lstmscope::corpus
