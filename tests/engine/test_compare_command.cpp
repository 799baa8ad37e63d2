// `lstmscope-cli compare` as a subprocess on the bundled and golden models:
// the JSON it prints must carry exactly the numbers the analysis library
// computes on the same runs, and bad input must end with status 2 and a
// message naming the file or option.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "engine/analysis/distribution_metrics.h"
#include "engine/analysis/text_alignment.h"
#include "engine/runner.h"

namespace lstmscope::analysis {
namespace {

namespace fs = std::filesystem;
using lstmscope::testing::CliResult;
using lstmscope::testing::run_cli;
using nlohmann::json;
using Strings = std::vector<std::string>;

const std::string kModels = LSTMSCOPE_MODELS_DIR;
const std::string kGolden = std::string(LSTMSCOPE_TEST_DATA) + "/golden";
const std::string kPoolEn = kModels + "/sentiment_en_bilstm_pool.json";
const std::string kLastEn = kModels + "/sentiment_en_lstm_last.json";
const std::string kSelfAttnZh = kModels + "/sentiment_zh_char_bilstm_selfattn.json";
const std::string kSpam = kModels + "/seed_a_sms_spam.json";
const std::string kTagger = kModels + "/seed_b_lookup_tagger.json";

CliResult compare(const Strings& args) {
    Strings all{"compare"};
    all.insert(all.end(), args.begin(), args.end());
    return run_cli(all, fs::temp_directory_path());
}

json parse_ok(const CliResult& r) {
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out.find("NaN"), std::string::npos) << "JSON has no NaN";
    try {
        return json::parse(r.out);
    } catch (const json::exception& e) {
        ADD_FAILURE() << e.what() << "\n" << r.out.substr(0, 300);
        return json::object();
    }
}

// A metric as printed: null stands for NaN.
void expect_metric(const json& printed, double computed, const std::string& what) {
    if (std::isnan(computed)) {
        EXPECT_TRUE(printed.is_null()) << what << ": " << printed;
    } else {
        ASSERT_TRUE(printed.is_number()) << what << ": " << printed;
        EXPECT_EQ(printed.get<double>(), computed) << what;  // shortest round-trip: exact
    }
}

void expect_entry_matches(const json& entry, const AlignedDistributions& d) {
    expect_metric(entry.at("js_divergence"), d.js_divergence, "js_divergence");
    expect_metric(entry.at("kendall_tau"), d.kendall_tau, "kendall_tau");
    expect_metric(entry.at("top3_overlap"), d.top3_overlap, "top3_overlap");
    const json& groups = entry.at("groups");
    ASSERT_EQ(groups.size(), d.groups.size());
    for (size_t k = 0; k < groups.size(); ++k) {
        const AlignedGroup& g = d.groups[k];
        expect_metric(groups[k].at("a"), g.mass_a, "group " + std::to_string(k) + " a");
        expect_metric(groups[k].at("b"), g.mass_b, "group " + std::to_string(k) + " b");
        if (g.first_a >= 0) EXPECT_EQ(groups[k].at("text_a"), g.text_a);
        else EXPECT_TRUE(groups[k].at("text_a").is_null());
        if (g.first_b >= 0) EXPECT_EQ(groups[k].at("text_b"), g.text_b);
        else EXPECT_TRUE(groups[k].at("text_b").is_null());
    }
}

std::vector<double> pool_weights(const Trace& t, const std::string& node) {
    const Matrix& m = t.find(node)->attention.at(0);
    return std::vector<double>(m.data(), m.data() + m.size());
}

std::vector<double> row_weights(const Trace& t, const std::string& node, int query) {
    const NodeTrace* n = t.find(node);
    const Matrix m = n->op == OpKind::MultiheadAttention ? head_average(n->attention) : n->attention.at(0);
    std::vector<double> out;
    for (Eigen::Index c = 0; c < m.cols(); ++c) out.push_back(m(query, c));
    return out;
}

TEST(CompareCommand, OneModelOnTwoTexts) {
    const std::string ta = "The food was good.", tb = "The food was not good.";
    const json out = parse_ok(compare({kPoolEn, "--text", ta, "--text-b", tb}));
    EXPECT_EQ(out.at("a").at("file"), kPoolEn);
    EXPECT_EQ(out.at("b").at("text"), tb);
    const json& alignment = out.at("alignment");
    ASSERT_EQ(alignment.size(), 6u);
    EXPECT_TRUE(alignment[3].at("a").is_null());
    EXPECT_EQ(alignment[3].at("text_b"), "not");
    EXPECT_EQ(alignment[4].at("a"), json::array({13, 17}));
    EXPECT_EQ(alignment[4].at("b"), json::array({17, 21}));

    const Model model = Model::load(kPoolEn);
    const Trace a = run(model, ta), b = run(model, tb);
    const json& attention = out.at("attention");
    ASSERT_EQ(attention.size(), 1u);  // one model: the node with itself only
    EXPECT_EQ(attention[0].at("node_a"), "att");
    EXPECT_EQ(attention[0].at("kind"), "pool");
    const auto d = align_distributions(a.tokens, pool_weights(a, "att"), b.tokens, pool_weights(b, "att"),
                                       TextAlignment::align(ta, tb));
    expect_entry_matches(attention[0], d);
    EXPECT_TRUE(attention[0].at("groups")[3].at("text_a").is_null());  // "not" is a gap

    const json& prediction = out.at("prediction");
    ASSERT_TRUE(prediction.at("comparable").get<bool>());
    ASSERT_EQ(prediction.at("classes").size(), 2u);
    EXPECT_EQ(prediction.at("classes")[1].at("label"), "positive");
    EXPECT_EQ(prediction.at("classes")[1].at("a").get<float>(), a.output()(0, 1));
    EXPECT_EQ(prediction.at("classes")[1].at("b").get<float>(), b.output()(0, 1));
    EXPECT_EQ(out.at("a").at("output")[0][1].get<float>(), a.output()(0, 1));
}

TEST(CompareCommand, TwoModelsOnOneTextHaveNoAlignment) {
    const json out = parse_ok(compare({kPoolEn, kLastEn, "--text", "the service was awful"}));
    EXPECT_FALSE(out.contains("alignment"));
    EXPECT_EQ(out.at("b").at("file"), kLastEn);
    EXPECT_TRUE(out.at("attention").empty());  // the last-state model has no attention
    const json& classes = out.at("prediction").at("classes");
    ASSERT_EQ(classes.size(), 2u);
    EXPECT_EQ(classes[0].at("label"), "negative");
    const Trace b = run(Model::load(kLastEn), "the service was awful");
    EXPECT_EQ(classes[0].at("b").get<float>(), b.output()(0, 0));
}

TEST(CompareCommand, WordModelAgainstCharacterModelGroupsCharacters) {
    const std::string text = "good food but awful service";
    const std::string chars = kGolden + "/tok_char_chinese.json";
    const json out = parse_ok(compare({kPoolEn, chars, "--text", text}));
    const json& attention = out.at("attention");
    ASSERT_EQ(attention.size(), 1u);
    const Trace a = run(Model::load(kPoolEn), text), b = run(Model::load(chars), text);
    const auto d = align_distributions(a.tokens, pool_weights(a, "att"), b.tokens, pool_weights(b, "att"));
    ASSERT_EQ(d.groups.size(), 5u);
    EXPECT_EQ(d.groups[4].text_b, "service");
    expect_entry_matches(attention[0], d);
}

TEST(CompareCommand, QueryRowsForEveryAttentionPair) {
    // Word model (multihead + attention) against a character model (attention),
    // on two texts; the query "free" at offset 0 maps to "f" in B.
    const std::string ta = "free prize call now", tb = "win a free prize call now";
    const json out = parse_ok(compare({kSpam, kSelfAttnZh, "--text", ta, "--text-b", tb, "--query", "2", "--top", "2"}));
    const json& attention = out.at("attention");
    ASSERT_EQ(attention.size(), 2u);  // mha x self_attn, attn x self_attn
    const Trace a = run(Model::load(kSpam), ta), b = run(Model::load(kSelfAttnZh), tb);
    const auto pair = TextAlignment::align(ta, tb);
    const Strings nodes_a{"mha", "attn"};
    for (size_t k = 0; k < 2; ++k) {
        const json& e = attention[k];
        EXPECT_EQ(e.at("kind"), "row");
        EXPECT_EQ(e.at("node_a"), nodes_a[k]);
        EXPECT_EQ(e.at("node_b"), "self_attn");
        EXPECT_EQ(e.at("query").at("a").at("token"), 0);
        EXPECT_EQ(e.at("query").at("a").at("text"), "free");
        EXPECT_EQ(e.at("query").at("b").at("text"), "f");
        EXPECT_EQ(e.at("query").at("b").at("start"), 6);
        const int qb = e.at("query").at("b").at("token").get<int>();
        const auto d = align_distributions(a.tokens, row_weights(a, nodes_a[k], 0), b.tokens,
                                           row_weights(b, "self_attn", qb), pair);
        expect_entry_matches(e, d);
        EXPECT_EQ(e.at("top_k"), 2);
        std::vector<double> ma, mb;
        for (const auto& g : d.groups) ma.push_back(g.mass_a), mb.push_back(g.mass_b);
        expect_metric(e.at("top_k_overlap"), top_k_overlap(ma, mb, 2), "top_k_overlap");
        EXPECT_EQ(e.at("top_a").get<std::vector<int>>(), top_k_indices(ma, 2));
    }
}

TEST(CompareCommand, QueryWithoutCounterpartIsReportedNotFatal) {
    // "prize" is deleted in B: the query has no counterpart there.
    const json out = parse_ok(compare({kSpam, "--text", "free prize now", "--text-b", "free now", "--query", "6"}));
    const json& attention = out.at("attention");
    ASSERT_EQ(attention.size(), 2u);  // mha with mha, attn with attn
    for (const json& e : attention) {
        EXPECT_EQ(e.at("node_a"), e.at("node_b"));
        EXPECT_TRUE(e.at("query").at("b").is_null());
        EXPECT_TRUE(e.at("js_divergence").is_null());
        EXPECT_TRUE(e.contains("skipped"));
    }
}

TEST(CompareCommand, UndefinedMetricsPrintAsNull) {
    // One token on each side: Kendall's tau is undefined.
    const json out = parse_ok(compare({kPoolEn, kPoolEn, "--text", "good"}));
    const json& e = out.at("attention").at(0);
    EXPECT_TRUE(e.at("kendall_tau").is_null());
    EXPECT_EQ(e.at("js_divergence").get<double>(), 0.0);
    EXPECT_EQ(e.at("top3_overlap").get<double>(), 1.0);
}

TEST(CompareCommand, TaggerPredictionsAreNotComparedClassByClass) {
    const json out = parse_ok(compare({kTagger, "--text", "a 1 b 2", "--text-b", "a 1 b 3"}));
    EXPECT_FALSE(out.at("prediction").at("comparable").get<bool>());
    EXPECT_NE(out.at("prediction").at("reason").get<std::string>().find("tagging"), std::string::npos);
    EXPECT_EQ(out.at("a").at("output").size(), out.at("a").at("tokens").size());
}

TEST(CompareCommand, HelpHasAnExample) {
    const CliResult r = compare({"--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("example:"), std::string::npos);
    EXPECT_NE(r.out.find("--text-b"), std::string::npos);
}

// The contract for every failure: status 2, nothing on stdout, a message
// naming the culprit, no "internal error".
void expect_rejected(const CliResult& r, const std::string& must_name) {
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out.substr(0, 200);
    EXPECT_NE(r.err.find(must_name), std::string::npos) << "'" << must_name << "' not in: " << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
}

TEST(CompareCommand, MissingModelFileNamesIt) {
    const std::string missing = (fs::temp_directory_path() / "no-such-model-b.json").string();
    expect_rejected(compare({kPoolEn, missing, "--text", "good"}), missing);
    expect_rejected(compare({missing, kPoolEn, "--text", "good"}), missing);
}

TEST(CompareCommand, EmptyTextsAreRejected) {
    expect_rejected(compare({kPoolEn, kLastEn, "--text", "   "}), "--text");
    expect_rejected(compare({kPoolEn, "--text", "good", "--text-b", ""}), "--text-b");
}

TEST(CompareCommand, CommandLineMistakesAreRejected) {
    expect_rejected(compare({kPoolEn, "--text", "good"}), "second");  // nothing to compare with
    expect_rejected(compare({"--text", "good"}), "model");
    expect_rejected(compare({kPoolEn, kLastEn, kSpam, "--text", "good"}), "unexpected argument");
    expect_rejected(compare({kPoolEn, kLastEn, "--text", "good", "--query", "40"}), "--query 40");
    expect_rejected(compare({kPoolEn, kLastEn, "--text", "good food", "--query", "4"}), "--query 4");  // a space
    expect_rejected(compare({kPoolEn, kLastEn, "--text", "good", "--top", "0"}), "--top");
}

}  // namespace
}  // namespace lstmscope::analysis
