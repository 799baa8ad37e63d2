// Threads and cancellation. Threads (engine/parallel.h, RunOptions::threads): run_parallel runs every
// task once, rethrows a task's exception after joining instead of aborting,
// and really runs tasks side by side; the threaded paths of the ops (the two
// directions of a BiLSTM layer, the heads of a multi-head attention), on
// sizes past their thresholds, give bit for bit what one thread gives; and a
// whole model run is the same with 1 and 2 threads. Cancellation
// (RunOptions::cancel): a raised flag stops a run with Cancelled, also from
// inside the LSTM time loop and the attention heads, on any thread.
#include <atomic>
#include <chrono>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/model.h"
#include "engine/parallel.h"
#include "engine/runner.h"
#include "test_support.h"

namespace {

using lstmscope::Matrix;
using lstmscope::NodeTrace;
using lstmscope::Rows;
using lstmscope::Shape;
using lstmscope::testing::NodeHarness;
using lstmscope::testing::random_matrix;
using lstmscope::testing::run_op;
using lstmscope::testing::tensor;
using lstmscope::testing::Tensors;
using nlohmann::json;

TEST(RunParallel, EveryTaskRunsOnce) {
    for (int threads : {1, 2, 3, 8}) {
        std::vector<std::atomic<int>> runs(17);
        std::vector<std::function<void()>> tasks;
        for (size_t k = 0; k < runs.size(); ++k) tasks.emplace_back([&runs, k] { ++runs[k]; });
        lstmscope::run_parallel(tasks, threads);
        for (size_t k = 0; k < runs.size(); ++k) EXPECT_EQ(runs[k].load(), 1) << "task " << k << ", " << threads;
    }
}

TEST(RunParallel, OneThreadRunsOnTheCaller) {
    const auto caller = std::this_thread::get_id();
    std::set<std::thread::id> seen;
    std::vector<std::function<void()>> tasks(4, [&] { seen.insert(std::this_thread::get_id()); });
    lstmscope::run_parallel(tasks, 1);
    EXPECT_EQ(seen, std::set<std::thread::id>{caller});
}

// Two tasks that each wait for the other can only finish side by side.
TEST(RunParallel, TwoThreadsRunTasksSideBySide) {
    std::atomic<int> arrived{0};
    std::atomic<bool> timed_out{false};
    auto meet = [&] {
        ++arrived;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (arrived.load() < 2)
            if (std::chrono::steady_clock::now() > deadline) {
                timed_out = true;
                return;
            }
    };
    const std::vector<std::function<void()>> tasks = {meet, meet};
    lstmscope::run_parallel(tasks, 2);
    EXPECT_FALSE(timed_out.load());
}

// An exception in a task (std::bad_alloc under a memory limit, say) reaches
// the caller once every thread is joined; it must not std::terminate.
TEST(RunParallel, ATaskExceptionReachesTheCaller) {
    for (int threads : {1, 2}) {
        std::atomic<int> finished{0};
        const std::vector<std::function<void()>> tasks = {
            [&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                ++finished;
            },
            [] { throw std::bad_alloc(); },
        };
        EXPECT_THROW(lstmscope::run_parallel(tasks, threads), std::bad_alloc) << threads << " threads";
        EXPECT_LE(finished.load(), 1);
    }
}

TEST(RunParallel, ZeroMeansEveryCore) {
    EXPECT_GE(lstmscope::resolve_threads(0), 1);
    EXPECT_EQ(lstmscope::resolve_threads(3), 3);
}

void expect_identical(const Matrix& a, const Matrix& b, const std::string& what) {
    ASSERT_EQ(a.rows(), b.rows()) << what;
    ASSERT_EQ(a.cols(), b.cols()) << what;
    EXPECT_TRUE((a.array() == b.array()).all()) << what << ": max difference " << (a - b).cwiseAbs().maxCoeff();
}

void expect_identical(const NodeTrace& a, const NodeTrace& b) {
    expect_identical(a.value, b.value, "value");
    ASSERT_EQ(a.gates.size(), b.gates.size());
    for (size_t k = 0; k < a.gates.size(); ++k)
        for (auto m : {&lstmscope::GateTrace::i, &lstmscope::GateTrace::f, &lstmscope::GateTrace::g,
                       &lstmscope::GateTrace::o, &lstmscope::GateTrace::c, &lstmscope::GateTrace::h})
            expect_identical(a.gates[k].*m, b.gates[k].*m, "gates " + std::to_string(k));
    ASSERT_EQ(a.attention.size(), b.attention.size());
    for (size_t k = 0; k < a.attention.size(); ++k)
        expect_identical(a.attention[k], b.attention[k], "attention " + std::to_string(k));
    ASSERT_EQ(a.scores.size(), b.scores.size());
    for (size_t k = 0; k < a.scores.size(); ++k)
        expect_identical(a.scores[k], b.scores[k], "scores " + std::to_string(k));
}

// 2 layers, T * H * H = 300 * 128 * 128 = 4.9e6: past lstm.cpp's kThreadWork
// (1e6), so with two threads the backward direction runs on its own.
TEST(Threads, TwoLayerBiLstmIsTheSameOnOneAndTwoThreads) {
    const int T = 300, in = 12, H = 128;
    Tensors w;
    unsigned seed = 5;
    for (const std::string layer : {"_l0", "_l1"})
        for (const std::string dir : {"", "_reverse"}) {
            const int width = layer == "_l0" ? in : 2 * H;
            w["lstm.weight_ih" + layer + dir] = tensor(random_matrix(4 * H, width, ++seed, 0.2f));
            w["lstm.weight_hh" + layer + dir] = tensor(random_matrix(4 * H, H, ++seed, 0.15f));
            const Matrix b = random_matrix(1, 4 * H, ++seed, 0.5f);
            w["lstm.bias_ih" + layer + dir] = tensor(std::vector<float>(b.row(0).begin(), b.row(0).end()));
        }
    const json node = {{"name", "lstm"}, {"op", "lstm"},         {"input", "x"},
                       {"hidden_size", H}, {"num_layers", 2}, {"bidirectional", true}};
    NodeHarness h(node, {{"x", Shape{Rows::Tokens, in}}}, w);
    const auto built = h.build();
    const Matrix x = random_matrix(T, in, 3);
    for (bool details : {false, true}) {
        SCOPED_TRACE(details ? "details" : "plain");
        const NodeTrace one = run_op(*built.op, {&x}, details, 1);
        const NodeTrace two = run_op(*built.op, {&x}, details, 2);
        expect_identical(one, two);
        ASSERT_EQ(one.gates.size(), 4u);
    }
}

// Lockstep (lstm_direction.cpp): two threads each run half of the units of
// one direction and meet after every step. A unidirectional LSTM takes it
// from H = 128 (T * H * H = 100 * 128 * 128 = 1.6e6 past the threshold), a
// BiLSTM from H = 384 (one direction after the other). Bit for bit what
// one thread gives, with and without details.
TEST(Threads, LockstepHalvesAreTheSameOnOneAndTwoThreads) {
    struct Case {
        int T, in, H, layers;
        bool bidirectional;
    };
    for (const Case c : {Case{100, 12, 128, 2, false}, Case{20, 9, 384, 1, true}}) {
        SCOPED_TRACE("H=" + std::to_string(c.H));
        Tensors w;
        unsigned seed = 50;
        const int dirs = c.bidirectional ? 2 : 1;
        for (int k = 0; k < c.layers; ++k)
            for (int d = 0; d < dirs; ++d) {
                const std::string suffix = "_l" + std::to_string(k) + (d == 1 ? "_reverse" : "");
                const int width = k == 0 ? c.in : dirs * c.H;
                w["lstm.weight_ih" + suffix] = tensor(random_matrix(4 * c.H, width, ++seed, 0.2f));
                w["lstm.weight_hh" + suffix] = tensor(random_matrix(4 * c.H, c.H, ++seed, 0.1f));
                const Matrix b = random_matrix(1, 4 * c.H, ++seed, 0.5f);
                w["lstm.bias_hh" + suffix] = tensor(std::vector<float>(b.row(0).begin(), b.row(0).end()));
            }
        const json node = {{"name", "lstm"},      {"op", "lstm"},           {"input", "x"},
                           {"hidden_size", c.H}, {"num_layers", c.layers}, {"bidirectional", c.bidirectional}};
        NodeHarness h(node, {{"x", Shape{Rows::Tokens, c.in}}}, w);
        const auto built = h.build();
        const Matrix x = random_matrix(c.T, c.in, 7);
        for (bool details : {false, true}) {
            SCOPED_TRACE(details ? "details" : "plain");
            const NodeTrace one = run_op(*built.op, {&x}, details, 1);
            const NodeTrace two = run_op(*built.op, {&x}, details, 2);
            expect_identical(one, two);
            ASSERT_EQ(one.gates.size(), static_cast<size_t>(c.layers * dirs));
        }
    }
}

// 8 heads of 16 over 300 tokens: 300 * 300 * 16 * 8 = 1.2e7 multiply-adds in
// Q K^T, past multihead_attention.cpp's threshold (2e6).
TEST(Threads, MultiheadAttentionIsTheSameOnOneAndTwoThreads) {
    const int T = 300, E = 128, heads = 8;
    Tensors w;
    w["mha.in_proj_weight"] = tensor(random_matrix(3 * E, E, 41, 0.2f));
    const Matrix b = random_matrix(1, 3 * E, 42, 0.1f);
    w["mha.in_proj_bias"] = tensor(std::vector<float>(b.row(0).begin(), b.row(0).end()));
    w["mha.out_proj.weight"] = tensor(random_matrix(E, E, 43, 0.2f));
    for (bool causal : {false, true}) {
        SCOPED_TRACE(causal ? "causal" : "full");
        const json node = {{"name", "mha"}, {"op", "multihead_attention"}, {"query", "x"},
                           {"num_heads", heads}, {"causal", causal}};
        NodeHarness h(node, {{"x", Shape{Rows::Tokens, E}}}, w);
        const auto built = h.build();
        const Matrix x = random_matrix(T, E, 44, 1.0f);
        for (bool details : {false, true}) {
            const NodeTrace one = run_op(*built.op, {&x}, details, 1);
            const NodeTrace two = run_op(*built.op, {&x}, details, 2);
            expect_identical(one, two);
            ASSERT_EQ(one.attention.size(), static_cast<size_t>(heads));
        }
    }
}

// A whole bundled model (BiLSTM + 8-head attention) on a long text, through
// run(): RunOptions::threads changes the time, never a number.
TEST(Threads, WholeRunIsTheSameOnOneAndTwoThreads) {
    const auto model = lstmscope::Model::load(std::string(LSTMSCOPE_MODELS_DIR) + "/seed_a_sms_spam.json");
    std::string text;
    for (int k = 0; k < 60; ++k) text += "free entry to win a prize, call now or text me when you get home. ";
    lstmscope::RunOptions one, two;
    one.threads = 1;
    two.threads = 2;
    const auto a = lstmscope::run(model, text, one);
    const auto b = lstmscope::run(model, text, two);
    ASSERT_GT(a.tokens.size(), 500u);
    ASSERT_EQ(a.nodes.size(), b.nodes.size());
    for (size_t k = 0; k < a.nodes.size(); ++k) {
        SCOPED_TRACE(a.nodes[k].name);
        expect_identical(a.nodes[k], b.nodes[k]);
    }
}

// A long text's run records no attention but builds summaries, with the
// single-head attention's blocks of rows spread over threads as the heads
// are: the summaries (whose row bins straddle blocks) and every value come
// out with the same bits on one and two threads.
TEST(Threads, AttentionSummariesAreTheSameOnOneAndTwoThreads) {
    const auto model = lstmscope::Model::load(std::string(LSTMSCOPE_MODELS_DIR) + "/seed_a_sms_spam.json");
    std::string text;
    for (int k = 0; k < 50; ++k) text += "free entry to win a prize, call now or text me when you get home. ";
    lstmscope::RunOptions one, two;
    one.threads = 1;
    two.threads = 2;
    for (auto* o : {&one, &two}) {
        o->attention_first = o->attention_end = 0;  // record none: summaries and sources
        o->attention_block_floats = 40000;          // blocks of ~57 rows across ~2.7-row bins
    }
    const auto a = lstmscope::run(model, text, one);
    const auto b = lstmscope::run(model, text, two);
    ASSERT_GT(a.tokens.size(), 600u);
    int summaries = 0;
    for (size_t k = 0; k < a.nodes.size(); ++k) {
        SCOPED_TRACE(a.nodes[k].name);
        expect_identical(a.nodes[k].value, b.nodes[k].value, "value");
        const auto& sa = a.nodes[k].attention_summary;
        const auto& sb = b.nodes[k].attention_summary;
        ASSERT_EQ(sa.heads.size(), sb.heads.size());
        for (size_t h = 0; h < sa.heads.size(); ++h) {
            expect_identical(sa.heads[h], sb.heads[h], "summary head " + std::to_string(h));
            // Each row of a summary is a share of attention: it sums to 1.
            EXPECT_NEAR(sa.heads[h].rowwise().sum().minCoeff(), 1.0, 1e-4);
            EXPECT_NEAR(sa.heads[h].rowwise().sum().maxCoeff(), 1.0, 1e-4);
            ++summaries;
        }
    }
    EXPECT_EQ(summaries, 9);  // the 8 heads of `mha` and the one of `attn`
}

TEST(Cancel, ARaisedFlagStopsTheRunBeforeAnyNode) {
    const auto model = lstmscope::Model::load(std::string(LSTMSCOPE_MODELS_DIR) + "/seed_a_sms_spam.json");
    std::atomic<bool> cancel{true};
    lstmscope::RunOptions options;
    options.cancel = &cancel;
    EXPECT_THROW(lstmscope::run(model, "call now to claim your prize", options), lstmscope::Cancelled);
    cancel = false;
    EXPECT_NO_THROW(lstmscope::run(model, "call now to claim your prize", options));
}

// Inside an op: the LSTM checks in its time loop, the multi-head attention
// in each head, on one thread and on two (the exception crosses threads).
TEST(Cancel, OpsStopFromInsideTheirLoops) {
    const int T = 300, in = 12, H = 128;
    Tensors w;
    for (const std::string dir : {"", "_reverse"}) {
        w["lstm.weight_ih_l0" + dir] = tensor(random_matrix(4 * H, in, 1, 0.2f));
        w["lstm.weight_hh_l0" + dir] = tensor(random_matrix(4 * H, H, 2, 0.15f));
    }
    NodeHarness lstm({{"name", "lstm"}, {"op", "lstm"}, {"input", "x"}, {"hidden_size", H}, {"bidirectional", true}},
                     {{"x", Shape{Rows::Tokens, in}}}, w);
    // Unidirectional, H = 128: on two threads, the lockstep halves.
    NodeHarness forward({{"name", "lstm"}, {"op", "lstm"}, {"input", "x"}, {"hidden_size", H}},
                        {{"x", Shape{Rows::Tokens, in}}}, w);
    Tensors m;
    m["mha.in_proj_weight"] = tensor(random_matrix(3 * 64, 64, 3, 0.2f));
    m["mha.out_proj.weight"] = tensor(random_matrix(64, 64, 4, 0.2f));
    NodeHarness mha({{"name", "mha"}, {"op", "multihead_attention"}, {"query", "x"}, {"num_heads", 8}},
                    {{"x", Shape{Rows::Tokens, 64}}}, m);
    const Matrix x = random_matrix(T, in, 5), y = random_matrix(T, 64, 6);
    const auto lstm_op = lstm.build(), mha_op = mha.build(), forward_op = forward.build();
    const std::pair<const lstmscope::Op*, const Matrix*> cases[] = {
        {lstm_op.op.get(), &x}, {mha_op.op.get(), &y}, {forward_op.op.get(), &x}};
    std::atomic<bool> cancel{true};
    for (int threads : {1, 2}) {
        for (const auto& [op, input] : cases) {
            std::vector<int32_t> ids(T, 0);
            lstmscope::RunContext ctx;
            ctx.ids = ids;
            ctx.threads = threads;
            ctx.cancel = &cancel;
            ctx.values = {nullptr, input};
            NodeTrace out;
            EXPECT_THROW(op->run(ctx, out), lstmscope::Cancelled) << threads << " threads";
        }
    }
}

// Raised while a lockstep LSTM runs (two threads meeting after every
// step): both threads stop, the run ends with Cancelled well before it
// would have finished (20,000 steps take ~100 ms here) and nothing hangs.
TEST(Cancel, ALockstepRunStopsMidwayOnBothThreads) {
    const int T = 20000, in = 4, H = 128;
    Tensors w;
    w["lstm.weight_ih_l0"] = tensor(random_matrix(4 * H, in, 1, 0.2f));
    w["lstm.weight_hh_l0"] = tensor(random_matrix(4 * H, H, 2, 0.15f));
    NodeHarness lstm({{"name", "lstm"}, {"op", "lstm"}, {"input", "x"}, {"hidden_size", H}},
                     {{"x", Shape{Rows::Tokens, in}}}, w);
    const auto built = lstm.build();
    const Matrix x = random_matrix(T, in, 5);
    std::vector<int32_t> ids(T, 0);
    std::atomic<bool> cancel{false};
    lstmscope::RunContext ctx;
    ctx.ids = ids;
    ctx.threads = 2;
    ctx.cancel = &cancel;
    ctx.values = {nullptr, &x};
    std::thread raiser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        cancel = true;
    });
    NodeTrace out;
    EXPECT_THROW(built.op->run(ctx, out), lstmscope::Cancelled);
    raiser.join();
}

}  // namespace
