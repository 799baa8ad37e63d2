// RunOptions::details: what the step-by-step views' equations read. The
// goldens (test_golden.cpp) hold these numbers against PyTorch on small
// models; here, on sizes the goldens do not reach (the two-thread BiLSTM
// path), the recorded parts must reproduce the recorded gates exactly as the
// equations say, a details run must not change any value a plain run
// records, and a plain run must record none of it.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "engine/runner.h"
#include "test_support.h"

namespace {

using lstmscope::GateTrace;
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

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// A BiLSTM big enough (T * H * H = 300 * 128 * 128 = 4.9e6) that the
// backward direction runs on its own thread (lstm.cpp, kThreadWork = 1e6).
struct BigBiLstm {
    static constexpr int T = 300, in = 12, H = 128;
    Tensors weights;
    Matrix x = random_matrix(T, in, 7);

    BigBiLstm() {
        for (const std::string sfx : {"_l0", "_l0_reverse"}) {
            const unsigned seed = sfx == "_l0" ? 11u : 23u;
            weights["lstm.weight_ih" + sfx] = tensor(random_matrix(4 * H, in, seed, 0.3f));
            weights["lstm.weight_hh" + sfx] = tensor(random_matrix(4 * H, H, seed + 1, 0.15f));
            const Matrix b = random_matrix(2, 4 * H, seed + 2, 0.5f);
            weights["lstm.bias_ih" + sfx] = tensor(std::vector<float>(b.row(0).begin(), b.row(0).end()));
            weights["lstm.bias_hh" + sfx] = tensor(std::vector<float>(b.row(1).begin(), b.row(1).end()));
        }
    }
    NodeTrace run(bool details) {
        const json node = {{"name", "lstm"}, {"op", "lstm"}, {"input", "x"}, {"hidden_size", H},
                           {"bidirectional", true}};
        NodeHarness h(node, {{"x", Shape{Rows::Tokens, in}}}, weights);
        const auto built = h.build();
        return run_op(*built.op, {&x}, details);
    }
};

TEST(RunDetails, PartsReproduceTheGatesOnTheThreadedBiLstm) {
    BigBiLstm m;
    const NodeTrace out = m.run(true);
    ASSERT_EQ(out.gates.size(), 2u);
    const int H = BigBiLstm::H, T = BigBiLstm::T;
    for (const GateTrace& g : out.gates) {
        const bool backward = g.direction == lstmscope::Direction::Backward;
        ASSERT_TRUE(g.has_details());
        ASSERT_EQ(g.pre_input.rows(), T);
        ASSERT_EQ(g.pre_input.cols(), 4 * H);
        ASSERT_EQ(g.pre_recurrent.rows(), T);
        ASSERT_EQ(g.bias.size(), 4 * H);
        // The direction's first step has no previous state.
        const int first = backward ? T - 1 : 0;
        EXPECT_EQ(g.pre_recurrent.row(first).cwiseAbs().maxCoeff(), 0.0f);
        for (int t = 0; t < T; ++t) {
            const int prev = backward ? t + 1 : t - 1;
            for (int u = 0; u < H; ++u) {
                auto z = [&](int gate) {
                    const int k = gate * H + u;
                    return double(g.pre_input(t, k)) + double(g.pre_recurrent(t, k)) + double(g.bias(k));
                };
                ASSERT_NEAR(g.i(t, u), sigmoid(z(0)), 2e-6) << "t " << t << " unit " << u;
                ASSERT_NEAR(g.f(t, u), sigmoid(z(1)), 2e-6) << "t " << t << " unit " << u;
                ASSERT_NEAR(g.g(t, u), std::tanh(z(2)), 2e-6) << "t " << t << " unit " << u;
                ASSERT_NEAR(g.o(t, u), sigmoid(z(3)), 2e-6) << "t " << t << " unit " << u;
                // c_t = f c_{t-1} + i g with the recorded numbers.
                const double c_prev = t == first ? 0.0 : double(g.c(prev, u));
                ASSERT_NEAR(g.c(t, u), g.f(t, u) * c_prev + g.i(t, u) * g.g(t, u), 2e-6);
            }
        }
        // The recurrent part is h_{t-1} W_hh^T of the recorded h (spot-check a few rows).
        const std::string sfx = backward ? "_l0_reverse" : "_l0";
        const auto& [shape, data] = m.weights.at("lstm.weight_hh" + sfx);
        const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> whh(
            data.data(), shape[0], shape[1]);
        for (const int t : {1, 150, 298}) {
            const int prev = backward ? t + 1 : t - 1;
            const Eigen::VectorXd expected = whh.cast<double>() * g.h.row(prev).transpose().cast<double>();
            for (int k = 0; k < 4 * H; ++k)
                ASSERT_NEAR(g.pre_recurrent(t, k), expected(k), 1e-4) << "t " << t << " column " << k;
        }
    }
}

TEST(RunDetails, DetailsChangeNoRecordedValueAndPlainRunsRecordNone) {
    BigBiLstm m;
    const NodeTrace plain = m.run(false);
    const NodeTrace detailed = m.run(true);
    ASSERT_EQ(plain.gates.size(), detailed.gates.size());
    for (size_t k = 0; k < plain.gates.size(); ++k) {
        EXPECT_FALSE(plain.gates[k].has_details());
        EXPECT_EQ(plain.gates[k].pre_recurrent.size(), 0);
        EXPECT_EQ(plain.gates[k].bias.size(), 0);
        const Matrix* a[] = {&plain.gates[k].i, &plain.gates[k].f, &plain.gates[k].g,
                             &plain.gates[k].o, &plain.gates[k].c, &plain.gates[k].h};
        const Matrix* b[] = {&detailed.gates[k].i, &detailed.gates[k].f, &detailed.gates[k].g,
                             &detailed.gates[k].o, &detailed.gates[k].c, &detailed.gates[k].h};
        for (int m2 = 0; m2 < 6; ++m2) EXPECT_LE((*a[m2] - *b[m2]).cwiseAbs().maxCoeff(), 1e-6f);
    }
    EXPECT_LE((plain.value - detailed.value).cwiseAbs().maxCoeff(), 1e-6f);
}

TEST(RunDetails, AttentionScoresSoftmaxToTheWeightsAndMaskedScoresAreMinusInfinity) {
    const int T = 9, D = 6;
    const Matrix x = random_matrix(T, D, 3);
    for (const std::string op : {"attention", "multihead_attention"}) {
        json node = {{"name", "a"}, {"op", op}, {"query", "x"}, {"causal", true}};
        Tensors t;
        if (op == "attention") {
            node["score"] = "scaled_dot";
        } else {
            node["num_heads"] = 2;
            t["a.in_proj_weight"] = tensor(random_matrix(3 * D, D, 5, 0.5f));
            t["a.out_proj.weight"] = tensor(random_matrix(D, D, 6, 0.5f));
        }
        NodeHarness h(node, {{"x", Shape{Rows::Tokens, D}}}, t);
        const auto built = h.build();
        EXPECT_TRUE(run_op(*built.op, {&x}).scores.empty()) << op;
        const NodeTrace out = run_op(*built.op, {&x}, true);
        ASSERT_EQ(out.scores.size(), out.attention.size()) << op;
        for (size_t k = 0; k < out.scores.size(); ++k) {
            const Matrix& s = out.scores[k];
            const Matrix& a = out.attention[k];
            for (int i = 0; i < T; ++i) {
                double top = -INFINITY, sum = 0;
                for (int j = 0; j <= i; ++j) top = std::max(top, double(s(i, j)));
                for (int j = 0; j <= i; ++j) sum += std::exp(double(s(i, j)) - top);
                for (int j = 0; j < T; ++j) {
                    if (j > i) {
                        EXPECT_TRUE(std::isinf(s(i, j)) && s(i, j) < 0) << op << " (" << i << ", " << j << ")";
                        continue;
                    }
                    EXPECT_NEAR(a(i, j), std::exp(double(s(i, j)) - top) / sum, 1e-6) << op;
                }
            }
        }
    }
}

TEST(RunDetails, PoolingScoresAreRecordedOnlyWhenAsked) {
    const int T = 5, D = 4;
    const Matrix x = random_matrix(T, D, 9);
    const json node = {{"name", "p"}, {"op", "attention_pool"}, {"input", "x"}, {"score", "linear"}};
    Tensors t;
    const Matrix w = random_matrix(1, D, 10);
    t["p.context.weight"] = tensor(w);
    NodeHarness h(node, {{"x", Shape{Rows::Tokens, D}}}, t);
    const auto built = h.build();
    EXPECT_TRUE(run_op(*built.op, {&x}).scores.empty());
    const NodeTrace out = run_op(*built.op, {&x}, true);
    ASSERT_EQ(out.scores.size(), 1u);
    ASSERT_EQ(out.scores[0].cols(), T);
    for (int j = 0; j < T; ++j) EXPECT_NEAR(out.scores[0](0, j), (x.row(j) * w.transpose())(0, 0), 1e-5);
}

}  // namespace
