// The commands and analyses around the new shapes: `info` with a node of
// many inputs and one of none, `compare` and the corpus tests on an
// attention_pool of several hops and on an attention with a learned query,
// and a rerun that reuses a node with no inputs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "engine/corpus/text_analysis.h"
#include "engine/runner.h"
#include "published_model_support.h"

namespace {

namespace fs = std::filesystem;
using lstmscope::Matrix;
using lstmscope::Model;
using lstmscope::Trace;
using lstmscope::testing::add_recurrent;
using lstmscope::testing::embedding_tensors;
using lstmscope::testing::load_in_memory;
using lstmscope::testing::pattern_tensor;
using lstmscope::testing::pattern_vector;
using lstmscope::testing::published_manifest;
using lstmscope::testing::run_cli;
using lstmscope::testing::Tensors;
using nlohmann::json;

fs::path scratch(const std::string& name) {
    return fs::temp_directory_path() / ("lstmscope-fixed-rows-" + std::to_string(::getpid()) + "-" + name);
}

// Lin et al. 2017 (as in test_published_models.cpp): three hops.
json hops_manifest() {
    return published_manifest("classification", "probs", json::parse(R"([
      {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 3, "bidirectional": true},
      {"name": "pool", "op": "attention_pool", "input": "lstm", "score": "tanh_proj", "hops": 3},
      {"name": "flat", "op": "flatten", "input": "pool"},
      {"name": "probs", "op": "dense", "input": "flat", "activation": "softmax"}
    ])"));
}
Tensors hops_tensors() {
    Tensors t = embedding_tensors();
    add_recurrent(t, "lstm", 4, 1, 4, 3);
    t["pool.proj.weight"] = pattern_tensor("pool.proj.weight", 5, 6, 2.0);
    t["pool.context.weight"] = pattern_tensor("pool.context.weight", 3, 5, 4.0);
    t["probs.weight"] = pattern_tensor("probs.weight", 2, 18, 2.0);
    return t;
}

// A learned [1, 6] query over the BiLSTM.
json query_manifest() {
    return published_manifest("classification", "probs", json::parse(R"([
      {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 3, "bidirectional": true},
      {"name": "query", "op": "parameter"},
      {"name": "mha", "op": "multihead_attention", "query": "query", "key": "lstm", "num_heads": 2},
      {"name": "probs", "op": "dense", "input": "mha", "activation": "softmax"}
    ])"));
}
Tensors query_tensors() {
    Tensors t = embedding_tensors();
    add_recurrent(t, "lstm", 4, 1, 4, 3);
    t["query.weight"] = pattern_tensor("query.weight", 1, 6, 4.0);
    t["mha.in_proj_weight"] = pattern_tensor("mha.in_proj_weight", 18, 6);
    t["mha.out_proj.weight"] = pattern_tensor("mha.out_proj.weight", 6, 6);
    t["probs.weight"] = pattern_tensor("probs.weight", 2, 6, 2.0);
    return t;
}

std::vector<double> row_mean(const Matrix& m) {
    std::vector<double> out(static_cast<size_t>(m.cols()), 0.0);
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
        for (Eigen::Index r = 0; r < m.rows(); ++r) out[static_cast<size_t>(c)] += m(r, c);
        out[static_cast<size_t>(c)] /= static_cast<double>(m.rows());
    }
    return out;
}

// ---------------------------------------------------------------- info

TEST(InfoCommand, ManyInputsDoNotWidenTheTable) {
    json nodes = json::array();
    std::vector<std::string> names;
    for (int k = 0; k < 30; ++k) {
        names.push_back("input_" + std::to_string(100 + k));
        nodes.push_back({{"name", names.back()}, {"op", "dropout"}, {"input", "emb"}});
    }
    nodes.push_back({{"name", "q"}, {"op", "parameter"}});
    nodes.push_back({{"name", "cat"}, {"op", "concat"}, {"inputs", names}});
    Tensors t = embedding_tensors();
    t["q.weight"] = pattern_tensor("q.weight", 2, 3);
    const fs::path dir = scratch("info");
    const std::string file = lstmscope::testing::write_model_files(dir, published_manifest("regression", "cat", nodes), t);
    const auto r = run_cli({"info", file}, dir);
    fs::remove_all(dir);
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line, cat_line, q_line;
    std::vector<size_t> widths;
    bool table = false;
    while (std::getline(lines, line)) {
        if (line.rfind("node ", 0) == 0) table = true;
        if (!table || line.empty()) {
            if (table) break;
            continue;
        }
        widths.push_back(line.size());
        if (line.rfind("cat ", 0) == 0) cat_line = line;
        if (line.rfind("q ", 0) == 0) q_line = line;
    }
    ASSERT_EQ(widths.size(), 34u) << r.out;  // header, emb, 30 dropouts, q, cat
    for (size_t w : widths) EXPECT_EQ(w, widths.front()) << r.out;
    EXPECT_LT(widths.front(), 110u) << r.out;
    EXPECT_NE(cat_line.find("input_100, input_101"), std::string::npos) << cat_line;
    EXPECT_NE(cat_line.find(" ... (+"), std::string::npos) << cat_line;
    EXPECT_EQ(cat_line.find("input_129"), std::string::npos) << cat_line;
    EXPECT_NE(cat_line.find("T x 120"), std::string::npos) << cat_line;
    EXPECT_NE(q_line.find("parameter  -"), std::string::npos) << q_line;
    EXPECT_NE(q_line.find("2 x 3"), std::string::npos) << q_line;
}

// ---------------------------------------------------------------- compare

TEST(CompareCommand, SeveralRowsArePooledByTheirMean) {
    const fs::path dir = scratch("compare");
    const std::string hops = lstmscope::testing::write_model_files(dir / "hops", hops_manifest(), hops_tensors());
    const std::string query = lstmscope::testing::write_model_files(dir / "query", query_manifest(), query_tensors());
    const std::string text = "good food bad service";
    const auto r = run_cli({"compare", hops, query, "--text", text, "--query", "0"}, dir);
    fs::remove_all(dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const json out = json::parse(r.out);
    const Trace a = lstmscope::run(load_in_memory(hops_manifest(), hops_tensors()), text);
    const Trace b = lstmscope::run(load_in_memory(query_manifest(), query_tensors()), text);
    const std::vector<double> wa = row_mean(a.find("pool")->attention.at(0));
    const std::vector<double> wb =
        row_mean((b.find("mha")->attention.at(0) + b.find("mha")->attention.at(1)) / 2.0f);
    ASSERT_EQ(out["attention"].size(), 1u) << out["attention"].dump();  // no "row" entry for a learned query
    const json& e = out["attention"][0];
    EXPECT_EQ(e["node_a"], "pool");
    EXPECT_EQ(e["node_b"], "mha");
    EXPECT_EQ(e["kind"], "pool");
    ASSERT_EQ(e["groups"].size(), 4u) << e.dump();
    for (size_t k = 0; k < 4; ++k) {
        EXPECT_NEAR(e["groups"][k]["a"].get<double>(), wa[k], 1e-6) << k;
        EXPECT_NEAR(e["groups"][k]["b"].get<double>(), wb[k], 1e-6) << k;
    }
}

// ---------------------------------------------------------------- trace

TEST(TraceCommand, HopsAreRowsOfTheAttention) {
    const fs::path dir = scratch("trace");
    const std::string file = lstmscope::testing::write_model_files(dir, hops_manifest(), hops_tensors());
    const auto r = run_cli({"trace", file, "--text", "good food bad service", "--details"}, dir);
    fs::remove_all(dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const json pool = json::parse(r.out)["nodes"]["pool"];
    ASSERT_EQ(pool["attention"].size(), 3u);  // one row per hop
    ASSERT_EQ(pool["scores"].size(), 3u);
    for (const auto& row : pool["attention"]) EXPECT_EQ(row.size(), 4u);
    EXPECT_EQ(pool["value"].size(), 3u);
    EXPECT_FALSE(pool.contains("attention_rows"));
    const json flat = json::parse(r.out)["nodes"]["flat"]["value"];
    ASSERT_EQ(flat.size(), 1u);
    EXPECT_EQ(flat[0].size(), 18u);
}

// ---------------------------------------------------------------- corpus

TEST(CorpusAnalysis, HopsReadAsTheirMeanAndAreIntervenedAlike) {
    const Model model = load_in_memory(hops_manifest(), hops_tensors());
    const auto plan = lstmscope::corpus::plan_model(model);
    EXPECT_EQ(plan.attention_node, 2);
    const Trace trace = lstmscope::run(model, "good food bad service");
    const std::vector<double> w = lstmscope::corpus::token_attention(trace, plan.attention_node);
    const std::vector<double> mean = row_mean(trace.find("pool")->attention.at(0));
    ASSERT_EQ(w.size(), 4u);
    for (size_t k = 0; k < 4; ++k) EXPECT_NEAR(w[k], mean[k], 1e-12);

    lstmscope::corpus::AnalysisSettings settings;
    settings.faithfulness = true;
    settings.permutations = 3;
    const auto result = lstmscope::corpus::analyse_text(plan, "good food bad service", 0, settings);
    ASSERT_TRUE(result.error.empty()) << result.error;
    ASSERT_TRUE(result.faithfulness.has_value());
    // Uniform attention on every hop: each pooled row is the mean of the
    // sequence, so the output is that of a flattened [mean, mean, mean].
    lstmscope::AttentionIntervention iv;
    iv.node = plan.attention_node;
    iv.kind = lstmscope::AttentionIntervention::Kind::Uniform;
    const Matrix uniform = lstmscope::run_output_from(model, trace, iv.node, {}, &iv);
    const Matrix& seq = trace.find("lstm")->value;
    const Matrix m = seq.colwise().mean();
    Matrix flat(1, 18);
    flat << m, m, m;
    const Matrix W = lstmscope::testing::pattern("probs.weight", 2, 18, 2.0);
    const Matrix logits = flat * W.transpose();
    const double p1 = 1.0 / (1.0 + std::exp(double(logits(0, 0)) - double(logits(0, 1))));
    EXPECT_NEAR(uniform(0, 1), p1, 1e-5);
    const auto p = lstmscope::corpus::output_distribution(trace.output());
    EXPECT_NEAR(result.faithfulness->uniform_tvd, std::abs(p[1] - uniform(0, 1)), 1e-5);
}

// A rerun from the attention reuses the parameter before it: the same
// output as a rerun of the whole graph.
TEST(Interventions, ReuseANodeWithoutInputs) {
    const Model model = load_in_memory(query_manifest(), query_tensors());
    const Trace trace = lstmscope::run(model, "good food bad service");
    lstmscope::AttentionIntervention iv;
    iv.node = 3;  // mha
    iv.kind = lstmscope::AttentionIntervention::Kind::Uniform;
    const Matrix from_mha = lstmscope::run_output_from(model, trace, 3, {}, &iv);
    const Matrix from_start = lstmscope::run_output_from(model, trace, 0, {}, &iv);
    ASSERT_EQ(from_mha.cols(), 2);
    for (Eigen::Index c = 0; c < 2; ++c) {
        EXPECT_NEAR(from_mha(0, c), from_start(0, c), 1e-6) << c;
        EXPECT_GT(std::abs(from_mha(0, c) - trace.output()(0, c)), 1e-4) << "the intervention changed the output";
    }
}

}  // namespace
