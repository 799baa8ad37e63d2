// Attention computed a block of rows at a time, and recorded for some rows
// only (RunOptions::attention_first/end/block_floats), with `trace`'s
// --attention-rows, --no-attention and --nodes on top: the values never
// change, the recorded rows are the full matrix's rows, and the JSON says
// which rows it holds.
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "engine/analysis/view_choice.h"
#include "engine/attention_source.h"
#include "engine/model.h"
#include "engine/ops/activations.h"
#include "engine/runner.h"
#include "test_support.h"

namespace {

using lstmscope::Matrix;
using lstmscope::RunOptions;
using lstmscope::Trace;
using lstmscope::testing::run_cli;

const std::string kModel = std::string(LSTMSCOPE_MODELS_DIR) + "/seed_a_sms_spam.json";

std::string long_text() {
    std::string t;
    for (int k = 0; k < 30; ++k) t += "free entry to win a prize, call now or text me when you get home. ";
    return t;
}

void expect_close(const Matrix& a, const Matrix& b, const std::string& what) {
    ASSERT_EQ(a.rows(), b.rows()) << what;
    ASSERT_EQ(a.cols(), b.cols()) << what;
    EXPECT_LE((a - b).cwiseAbs().maxCoeff(), 1e-6f * (1 + b.cwiseAbs().maxCoeff())) << what;
}

TEST(AttentionRows, BlocksAndRecordedRowsChangeNoValue) {
    const auto model = lstmscope::Model::load(kModel);
    const std::string text = long_text();
    const Trace full = lstmscope::run(model, text);
    ASSERT_GT(full.tokens.size(), 300u);  // more than 64-row blocks below
    RunOptions part;
    part.attention_block_floats = 1000;  // 64-row blocks (the least)
    part.attention_first = 70;
    part.attention_end = 200;  // crosses block boundaries at 128 and 192
    const Trace t = lstmscope::run(model, text, part);
    bool saw_matrix = false;
    for (size_t k = 0; k < full.nodes.size(); ++k) {
        const auto& a = full.nodes[k];
        const auto& b = t.nodes[k];
        SCOPED_TRACE(a.name);
        expect_close(b.value, a.value, "value");
        ASSERT_EQ(a.attention.size(), b.attention.size());
        if (a.op == lstmscope::OpKind::AttentionPool) {
            EXPECT_FALSE(b.attention_partial());
            continue;
        }
        for (size_t h = 0; h < a.attention.size(); ++h) {
            saw_matrix = true;
            EXPECT_TRUE(b.attention_partial());
            EXPECT_EQ(b.attention_first_row, 70);
            EXPECT_EQ(b.attention_rows_total, a.attention[h].rows());
            expect_close(b.attention[h], a.attention[h].middleRows(70, 130), "attention");
        }
    }
    EXPECT_TRUE(saw_matrix);
    EXPECT_EQ(t.argmax, full.argmax);
}

TEST(AttentionRows, AnEmptyRangeRecordsNoAttention) {
    const auto model = lstmscope::Model::load(kModel);
    RunOptions none;
    none.attention_first = none.attention_end = 0;
    const Trace full = lstmscope::run(model, "call now to claim your prize");
    const Trace t = lstmscope::run(model, "call now to claim your prize", none);
    for (size_t k = 0; k < t.nodes.size(); ++k) {
        EXPECT_TRUE(t.nodes[k].attention.empty()) << t.nodes[k].name;
        EXPECT_TRUE((t.nodes[k].value.array() == full.nodes[k].value.array()).all()) << t.nodes[k].name;
    }
}

// The CLI on top: the rows it prints, what it leaves out, and its errors.
class TraceFilters : public ::testing::Test {
protected:
    lstmscope::testing::CliResult trace(std::vector<std::string> extra) {
        std::vector<std::string> args = {"trace", kModel, "--text", "call now to claim your free prize today"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_cli(args, std::filesystem::temp_directory_path());
    }
};

TEST_F(TraceFilters, AttentionRowsPrintsThoseRowsAndSaysWhich) {
    const auto full = trace({});
    const auto part = trace({"--attention-rows", "1:3"});
    ASSERT_EQ(part.status, 0) << part.err;
    const auto a = nlohmann::json::parse(full.out), b = nlohmann::json::parse(part.out);
    for (const auto& [name, node] : b["nodes"].items()) {
        if (node["op"] == "multihead_attention") {
            EXPECT_EQ(node["attention_rows"], nlohmann::json::array({1, 3}));
            ASSERT_EQ(node["attention"].size(), a["nodes"][name]["attention"].size());
            for (size_t h = 0; h < node["attention"].size(); ++h) {
                ASSERT_EQ(node["attention"][h].size(), 2u);
                EXPECT_EQ(node["attention"][h][0], a["nodes"][name]["attention"][h][1]);
            }
        } else if (node["op"] == "attention") {
            EXPECT_EQ(node["attention_rows"], nlohmann::json::array({1, 3}));
            EXPECT_EQ(node["attention"].size(), 2u);
        } else {
            EXPECT_FALSE(node.contains("attention_rows")) << name;
        }
    }
    EXPECT_EQ(b["output"], a["output"]);
}

TEST_F(TraceFilters, NoAttentionAndNodesLeaveThingsOut) {
    const auto none = trace({"--no-attention"});
    ASSERT_EQ(none.status, 0) << none.err;
    // Named: a range-for over a member of a temporary reads freed memory (ASan).
    const auto parsed = nlohmann::json::parse(none.out);
    for (const auto& [name, node] : parsed["nodes"].items()) EXPECT_FALSE(node.contains("attention")) << name;
    const auto some = trace({"--nodes", "probs"});
    ASSERT_EQ(some.status, 0) << some.err;
    const auto j = nlohmann::json::parse(some.out);
    ASSERT_EQ(j["nodes"].size(), 1u);
    EXPECT_TRUE(j["nodes"].contains("probs"));
    EXPECT_EQ(j["output"]["node"], "probs");
}

TEST_F(TraceFilters, BadFiltersAreUsageErrorsThatSayWhy) {
    const auto unknown = trace({"--nodes", "probs,nope"});
    EXPECT_EQ(unknown.status, 2);
    EXPECT_TRUE(unknown.out.empty());
    EXPECT_NE(unknown.err.find("no node 'nope'"), std::string::npos) << unknown.err;
    EXPECT_NE(unknown.err.find("probs"), std::string::npos) << unknown.err;
    for (const std::string bad : {"3:1", "x:2", "-1:4", "5"}) {
        const auto r = trace({"--attention-rows", bad});
        EXPECT_EQ(r.status, 2) << bad;
        EXPECT_NE(r.err.find("--attention-rows"), std::string::npos) << r.err;
    }
    const auto both = trace({"--no-attention", "--attention-rows", "0:2"});
    EXPECT_EQ(both.status, 2);
}

}  // namespace

// ---- a long text's attention: not recorded, recomputed on demand ------------

// `bench --no-attention` times what the application runs for a long text
// (no weights recorded, a summary and a source kept): it runs, reports the
// tokens, and is a flag, not an option with a value.
TEST(BenchCommand, NoAttentionRunsAndReportsTheRun) {
    const auto r = run_cli({"bench", kModel, "--text", "call now to claim your free prize today", "--repeat", "2",
                            "--no-attention"},
                           std::filesystem::temp_directory_path());
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string last = r.out.substr(r.out.rfind('{'));
    const auto j = nlohmann::json::parse(last);
    EXPECT_EQ(j["runs"], 2);
    EXPECT_EQ(j["tokens"], 8);
    const auto help = run_cli({"bench", "--help"}, std::filesystem::temp_directory_path());
    EXPECT_NE(help.out.find("--no-attention"), std::string::npos);
}

TEST(AttentionSummaryBins, EveryIndexFallsInTheBinThatStartsBeforeIt) {
    using lstmscope::AttentionSummary;
    for (int n : {1, 5, 10, 257, 20000})
        for (int bins : {1, 3, 4, 256}) {
            if (bins > n) continue;
            EXPECT_EQ(AttentionSummary::bin_first(0, n, bins), 0);
            EXPECT_EQ(AttentionSummary::bin_first(bins, n, bins), n);
            for (int i = 0; i < n; i += std::max(1, n / 50)) {
                const int b = AttentionSummary::bin_of(i, n, bins);
                ASSERT_GE(b, 0);
                ASSERT_LT(b, bins);
                EXPECT_LE(AttentionSummary::bin_first(b, n, bins), i) << n << " " << bins << " " << i;
                EXPECT_GT(AttentionSummary::bin_first(b + 1, n, bins), i) << n << " " << bins << " " << i;
            }
        }
}

// A run without an intervention takes its softmax and the summary's sums in
// one pass (SummaryBuilder::softmax_and_add); with one, the softmax, the
// intervention and then add(). Without the intervention both must give the
// same weights and the same summary, bit for bit: blocks cut row bins in two,
// come from two heads and arrive out of order, and a row is all masked.
TEST(AttentionSummaryBins, SummingInTheSoftmaxGivesTheBitsOfAddingAfterIt) {
    const int rows = 37, columns = 45, bins = 8;
    const Matrix scores = lstmscope::testing::random_matrix(rows, columns, 5u, 4.0f);
    lstmscope::SummaryBuilder after(2, rows, columns, bins), during(2, rows, columns, bins);
    struct Block {
        int r0, r1;
    };
    for (int head : {1, 0})
        for (const Block& blk : {Block{30, rows}, Block{0, 5}, Block{13, 21}, Block{5, 13}, Block{21, 30}}) {
            const int r0 = blk.r0, r1 = blk.r1;
            Matrix a = scores.middleRows(r0, r1 - r0) * static_cast<float>(head + 1);
            if (r0 == 13) a.row(2).setConstant(-std::numeric_limits<float>::infinity());
            Matrix b = a;
            lstmscope::ops::softmax_rows(a);
            after.add(head, a, r0);
            during.softmax_and_add(head, b, r0);
            EXPECT_TRUE((a.array() == b.array()).all()) << "weights, head " << head << " rows from " << r0;
        }
    const lstmscope::AttentionSummary s = after.finish(), t = during.finish();
    ASSERT_EQ(s.heads.size(), t.heads.size());
    for (size_t h = 0; h < s.heads.size(); ++h)
        EXPECT_TRUE((s.heads[h].array() == t.heads[h].array()).all()) << "summary of head " << h;
}

TEST(AttentionRecordLimit, OverTheLimitKeepsASourceAndASummaryThatGiveTheRecordedNumbers) {
    namespace an = lstmscope::analysis;
    const auto model = lstmscope::Model::load(kModel);
    const std::string text = long_text();
    const Trace full = lstmscope::run(model, text);
    const int T = static_cast<int>(full.tokens.size());
    RunOptions limited;
    limited.attention_record_limit = int64_t{8} * 100 * 100;  // below 8 heads x T x T and 1 x T x T
    limited.attention_summary_bins = 16;
    limited.attention_block_floats = 1000;  // several blocks feed the summary
    const Trace t = lstmscope::run(model, text, limited);
    EXPECT_EQ(t.argmax, full.argmax);
    int summarized = 0;
    for (size_t k = 0; k < full.nodes.size(); ++k) {
        const auto& a = full.nodes[k];
        const auto& b = t.nodes[k];
        SCOPED_TRACE(a.name);
        expect_close(b.value, a.value, "value");
        if (a.attention.empty()) continue;
        if (a.op == lstmscope::OpKind::AttentionPool) {
            EXPECT_TRUE(b.attention_complete());  // one row: far below any limit
            continue;
        }
        ++summarized;
        EXPECT_TRUE(b.attention.empty());
        ASSERT_TRUE(b.attention_source);
        const int heads = static_cast<int>(a.attention.size());
        EXPECT_EQ(b.attention_source->heads(), heads);
        EXPECT_EQ(b.attention_source->rows(), T);
        // Any rows, any head, recomputed: the recorded run's numbers.
        for (int h = 0; h < heads; ++h) {
            expect_close(b.attention_source->weights(h, 0, T), a.attention[static_cast<size_t>(h)], "all rows");
            expect_close(b.attention_source->weights(h, 131, 7), a.attention[static_cast<size_t>(h)].middleRows(131, 7),
                         "rows 131-137");
        }
        // The summary against bins made by hand from the recorded weights.
        ASSERT_EQ(b.attention_summary.heads.size(), static_cast<size_t>(heads));
        EXPECT_EQ(b.attention_summary.row_bins(), 16);
        for (int h = 0; h < heads; ++h) {
            const Matrix& w = a.attention[static_cast<size_t>(h)];
            const Matrix& s = b.attention_summary.heads[static_cast<size_t>(h)];
            for (int r = 0; r < 16; ++r) {
                const int r0 = lstmscope::AttentionSummary::bin_first(r, T, 16);
                const int r1 = lstmscope::AttentionSummary::bin_first(r + 1, T, 16);
                for (int c = 0; c < 16; ++c) {
                    const int c0 = lstmscope::AttentionSummary::bin_first(c, T, 16);
                    const int c1 = lstmscope::AttentionSummary::bin_first(c + 1, T, 16);
                    const double want = w.block(r0, c0, r1 - r0, c1 - c0).cast<double>().sum() / (r1 - r0);
                    EXPECT_NEAR(s(r, c), want, 1e-5) << "head " << h << " cell " << r << "," << c;
                }
                EXPECT_NEAR(s.row(r).sum(), 1.0, 1e-4);
            }
        }
        // What the views ask: the node is listed with its full size, and
        // rows of the head average come from the source.
        const auto choice = an::resolve_attention(t, a.name, -1);
        ASSERT_EQ(choice.node, &b);
        EXPECT_TRUE(an::attention_matrix(choice).size() == 0);
        const Matrix avg = an::attention_rows(choice, 200, 3);
        const Matrix want = an::attention_rows(an::resolve_attention(full, a.name, -1), 200, 3);
        expect_close(avg, want, "head-average rows");
        expect_close(an::attention_summary(choice), b.attention_summary.head_average(), "summary average");
    }
    EXPECT_EQ(summarized, 2);  // the 8-head self-attention and the dot attention
    for (const auto& s : an::attention_nodes(t))
        if (s.op != lstmscope::OpKind::AttentionPool) {
            EXPECT_TRUE(s.summarized) << s.name;
            EXPECT_EQ(s.rows, T) << s.name;
        }
}

// Over the limit the 8-head attention (8 dimensions a head) takes its rows a
// few at a time through scores, softmax and weighted sum while they are in
// the cache (ops/multihead_attention.cpp, run_fused_head); recorded, it
// takes the whole matrix through each step in turn. Every value has the
// same bits either way, on one thread and on two.
TEST(AttentionRecordLimit, TheFusedRowsGiveTheBitsOfTheRecordedMatrix) {
    const auto model = lstmscope::Model::load(kModel);
    const std::string text = long_text();
    for (int threads : {1, 2}) {
        RunOptions recorded, limited;
        recorded.threads = limited.threads = threads;
        limited.attention_record_limit = 0;
        const Trace full = lstmscope::run(model, text, recorded);
        const Trace t = lstmscope::run(model, text, limited);
        ASSERT_EQ(full.nodes.size(), t.nodes.size());
        bool saw_summary = false;
        for (size_t k = 0; k < full.nodes.size(); ++k) {
            SCOPED_TRACE(full.nodes[k].name + ", threads " + std::to_string(threads));
            EXPECT_TRUE((full.nodes[k].value.array() == t.nodes[k].value.array()).all());
            saw_summary = saw_summary || !t.nodes[k].attention_summary.empty();
        }
        EXPECT_TRUE(saw_summary);
        EXPECT_EQ(full.argmax, t.argmax);
    }
}

TEST(AttentionRecordLimit, UnderTheLimitNothingChanges) {
    const auto model = lstmscope::Model::load(kModel);
    RunOptions generous;
    generous.attention_record_limit = int64_t{1} << 40;
    const Trace t = lstmscope::run(model, "call now to claim your prize", generous);
    for (const auto& n : t.nodes) {
        EXPECT_FALSE(n.attention_source) << n.name;
        EXPECT_TRUE(n.attention_summary.empty()) << n.name;
        if (!n.attention.empty()) {
            EXPECT_TRUE(n.attention_complete()) << n.name;
        }
    }
}

// ---- a run in progress shows its trace so far ---------------------------------

TEST(NodeProgress, EachNodeReportsTheTraceSoFarAndTheEndIsComplete) {
    const auto model = lstmscope::Model::load(kModel);
    std::vector<Trace> seen;
    RunOptions watch;
    watch.on_node_done = [&](const Trace& t) { seen.push_back(t); };
    const Trace t = lstmscope::run(model, "call now to claim your prize", watch);
    EXPECT_TRUE(t.complete());
    ASSERT_EQ(seen.size(), model.nodes.size());
    for (size_t k = 0; k < seen.size(); ++k) {
        const Trace& p = seen[k];
        EXPECT_EQ(p.nodes_run, static_cast<int>(k + 1));
        EXPECT_EQ(p.complete(), false);
        EXPECT_EQ(p.tokens.size(), t.tokens.size());
        EXPECT_EQ(p.output_node, t.output_node);
        EXPECT_TRUE(p.argmax.empty());
        for (size_t j = 0; j < p.nodes.size(); ++j) {
            EXPECT_EQ(p.nodes[j].name, t.nodes[j].name);
            EXPECT_EQ(p.node_done(j), j <= k);
            if (j <= k) {
                EXPECT_TRUE((p.nodes[j].value.array() == t.nodes[j].value.array()).all()) << j;
            } else {
                EXPECT_EQ(p.nodes[j].value.size(), 0) << j;
            }
        }
    }
}
