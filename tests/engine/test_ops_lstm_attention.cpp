// Unit tests of the heavy ops (lstm, attention, attention_pool,
// multihead_attention) that need no PyTorch: closed forms, symmetries, a
// plain double-precision re-implementation of each formula in the spec, and
// every builder rejection naming its node and field or tensor.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/error.h"
#include "test_support.h"

namespace {

using lstmscope::Error;
using lstmscope::Matrix;
using lstmscope::NodeTrace;
using lstmscope::Rows;
using lstmscope::RunContext;
using lstmscope::Shape;
using lstmscope::testing::NodeHarness;
using lstmscope::testing::random_matrix;
using lstmscope::testing::run_op;
using lstmscope::testing::tensor;
using lstmscope::testing::Tensors;
using nlohmann::json;
using MatrixD = Eigen::MatrixXd;

constexpr double kTol = 1e-5;

// ---------------------------------------------------------------- helpers

// `expected` may be float or double; compared in double.
template <class Derived>
void expect_near(const Matrix& actual, const Eigen::MatrixBase<Derived>& expected_in, const std::string& what,
                 double tol = kTol) {
    const MatrixD expected = expected_in.template cast<double>();
    ASSERT_EQ(actual.rows(), expected.rows()) << what;
    ASSERT_EQ(actual.cols(), expected.cols()) << what;
    for (Eigen::Index r = 0; r < expected.rows(); ++r)
        for (Eigen::Index c = 0; c < expected.cols(); ++c)
            ASSERT_NEAR(actual(r, c), expected(r, c), tol) << what << " at (" << r << ", " << c << ")";
}

MatrixD d(const Matrix& m) { return m.cast<double>(); }

MatrixD softmax_rows(MatrixD s) {
    for (Eigen::Index r = 0; r < s.rows(); ++r) {
        const double top = s.row(r).maxCoeff();
        s.row(r) = (s.row(r).array() - top).exp().matrix();
        s.row(r) /= s.row(r).sum();
    }
    return s;
}

MatrixD causal_mask(MatrixD s) {
    for (Eigen::Index i = 0; i < s.rows(); ++i)
        for (Eigen::Index j = i + 1; j < s.cols(); ++j) s(i, j) = -INFINITY;
    return s;
}

MatrixD reversed_rows(const MatrixD& m) { return m.colwise().reverse(); }

// Builds must fail with a message naming the file, the node and `part`
// ("field 'x'" or "tensor 'node.w'").
void expect_rejected(NodeHarness& h, const std::string& part) {
    try {
        h.build();
        ADD_FAILURE() << "built, but expected an error naming " << part;
    } catch (const Error& e) {
        const std::string msg = e.what();
        const std::string node = "test.json: node '" + h.node.at("name").get<std::string>() + "'";
        EXPECT_NE(msg.find(node), std::string::npos) << msg;
        EXPECT_NE(msg.find(part), std::string::npos) << msg;
    }
}

// ---------------------------------------------------------------- LSTM

struct LstmWeights {
    Matrix wih, whh;         // [4H, in], [4H, H]
    std::vector<float> bih, bhh;
};

LstmWeights random_lstm_weights(int in, int hidden, unsigned seed) {
    LstmWeights w;
    w.wih = random_matrix(4 * hidden, in, seed, 0.5f);
    w.whh = random_matrix(4 * hidden, hidden, seed + 1, 0.5f);
    const Matrix b = random_matrix(2, 4 * hidden, seed + 2, 0.5f);
    w.bih.assign(b.row(0).data(), b.row(0).data() + 4 * hidden);
    w.bhh.assign(b.data() + 4 * hidden, b.data() + 8 * hidden);
    return w;
}

void add_lstm_weights(Tensors& t, const std::string& name, int layer, bool backward, const LstmWeights& w) {
    const std::string s = "_l" + std::to_string(layer) + (backward ? "_reverse" : "");
    t[name + ".weight_ih" + s] = tensor(w.wih);
    t[name + ".weight_hh" + s] = tensor(w.whh);
    t[name + ".bias_ih" + s] = tensor(w.bih);
    t[name + ".bias_hh" + s] = tensor(w.bhh);
}

struct RefGates {
    MatrixD i, f, g, o, c, h;
};

// The spec's equations, one position at a time, in double precision.
RefGates ref_lstm_direction(const MatrixD& x, const LstmWeights& w, bool backward, bool hard) {
    const Eigen::Index T = x.rows(), H = w.whh.cols();
    const MatrixD wih = d(w.wih), whh = d(w.whh);
    Eigen::VectorXd b(4 * H);
    for (Eigen::Index k = 0; k < 4 * H; ++k)
        b(k) = double(w.bih[size_t(k)]) + double(w.bhh[size_t(k)]);
    auto s = [hard](double v) { return hard ? std::clamp(0.2 * v + 0.5, 0.0, 1.0) : 1.0 / (1.0 + std::exp(-v)); };
    RefGates r;
    for (MatrixD* m : {&r.i, &r.f, &r.g, &r.o, &r.c, &r.h}) m->setZero(T, H);
    Eigen::VectorXd h = Eigen::VectorXd::Zero(H), c = Eigen::VectorXd::Zero(H);
    for (Eigen::Index step = 0; step < T; ++step) {
        const Eigen::Index t = backward ? T - 1 - step : step;
        const Eigen::VectorXd z = wih * x.row(t).transpose() + whh * h + b;
        for (Eigen::Index u = 0; u < H; ++u) {
            const double i = s(z(u)), f = s(z(H + u)), g = std::tanh(z(2 * H + u)), o = s(z(3 * H + u));
            c(u) = f * c(u) + i * g;
            h(u) = o * std::tanh(c(u));
            r.i(t, u) = i;
            r.f(t, u) = f;
            r.g(t, u) = g;
            r.o(t, u) = o;
            r.c(t, u) = c(u);
            r.h(t, u) = h(u);
        }
    }
    return r;
}

MatrixD ref_merge(const std::string& mode, const MatrixD& f, const MatrixD& b) {
    if (mode == "sum") return f + b;
    if (mode == "mul") return f.cwiseProduct(b);
    if (mode == "ave") return 0.5 * (f + b);
    MatrixD out(f.rows(), f.cols() + b.cols());
    out << f, b;
    return out;
}

void expect_gates(const lstmscope::GateTrace& g, const RefGates& r, const std::string& what, double tol = kTol) {
    expect_near(g.i, r.i, what + " i", tol);
    expect_near(g.f, r.f, what + " f", tol);
    expect_near(g.g, r.g, what + " g", tol);
    expect_near(g.o, r.o, what + " o", tol);
    expect_near(g.c, r.c, what + " c", tol);
    expect_near(g.h, r.h, what + " h", tol);
}

json lstm_node(int hidden) { return {{"name", "lstm"}, {"op", "lstm"}, {"input", "x"}, {"hidden_size", hidden}}; }

TEST(Lstm, ZeroWeightsGiveClosedFormGates) {
    // With W = 0 every gate is its bias alone, so c_t = i g (1 + f + ... + f^t).
    const int T = 5, in = 3, H = 4;
    const std::vector<float> bih = {0.5f, -1.0f, 0.2f, 0.0f,  2.0f, 0.1f, -0.3f, 1.0f,
                                    0.3f, -0.7f, 1.5f, 0.25f, -2.f, 0.4f, 0.9f,  -0.1f};
    const std::vector<float> bhh(16, 0.25f);  // added to bih before the activations
    Tensors t;
    t["lstm.weight_ih_l0"] = tensor(Matrix(Matrix::Zero(4 * H, in)));
    t["lstm.weight_hh_l0"] = tensor(Matrix(Matrix::Zero(4 * H, H)));
    t["lstm.bias_ih_l0"] = tensor(bih);
    t["lstm.bias_hh_l0"] = tensor(bhh);
    NodeHarness h(lstm_node(H), {{"x", Shape{Rows::Tokens, in}}}, t);
    const auto built = h.build();
    EXPECT_EQ(built.output, (Shape{Rows::Tokens, H}));
    const Matrix x = random_matrix(T, in, 7);
    const NodeTrace out = run_op(*built.op, {&x});

    ASSERT_EQ(out.gates.size(), 1u);
    const auto& g = out.gates[0];
    EXPECT_EQ(g.layer, 0);
    EXPECT_EQ(g.direction, lstmscope::Direction::Forward);
    auto sig = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
    for (int u = 0; u < H; ++u) {
        const double i = sig(bih[u] + 0.25), f = sig(bih[H + u] + 0.25), gg = std::tanh(bih[2 * H + u] + 0.25),
                     o = sig(bih[3 * H + u] + 0.25);
        for (int step = 0; step < T; ++step) {
            const double c = i * gg * (1 - std::pow(f, step + 1)) / (1 - f);
            EXPECT_NEAR(g.i(step, u), i, kTol);
            EXPECT_NEAR(g.f(step, u), f, kTol);
            EXPECT_NEAR(g.g(step, u), gg, kTol);
            EXPECT_NEAR(g.o(step, u), o, kTol);
            EXPECT_NEAR(g.c(step, u), c, kTol);
            EXPECT_NEAR(g.h(step, u), o * std::tanh(c), kTol);
            EXPECT_NEAR(out.value(step, u), o * std::tanh(c), kTol);
        }
    }
}

TEST(Lstm, HardSigmoidIsKeras2Clip) {
    // Biases chosen so that the gates hit both clip ends and the linear part.
    const int H = 3;
    const std::vector<float> bias = {-4.0f, 0.0f, 4.0f, -1.0f, 1.0f, 2.6f, 0.f, 0.f, 0.f, 0.5f, -0.5f, -2.6f};
    Tensors t;
    t["lstm.weight_ih_l0"] = tensor(Matrix(Matrix::Zero(4 * H, 2)));
    t["lstm.weight_hh_l0"] = tensor(Matrix(Matrix::Zero(4 * H, H)));
    t["lstm.bias_ih_l0"] = tensor(bias);
    json node = lstm_node(H);
    node["gate_activation"] = "hard_sigmoid";
    NodeHarness h(node, {{"x", Shape{Rows::Tokens, 2}}}, t);
    const Matrix x = random_matrix(2, 2, 3);
    const NodeTrace out = run_op(*h.build().op, {&x});
    const auto& g = out.gates[0];
    EXPECT_FLOAT_EQ(g.i(0, 0), 0.0f);
    EXPECT_FLOAT_EQ(g.i(0, 1), 0.5f);
    EXPECT_FLOAT_EQ(g.i(0, 2), 1.0f);
    EXPECT_FLOAT_EQ(g.f(1, 0), 0.3f);
    EXPECT_FLOAT_EQ(g.f(1, 1), 0.7f);
    EXPECT_FLOAT_EQ(g.f(1, 2), 1.0f);
    EXPECT_FLOAT_EQ(g.o(0, 0), 0.6f);
    EXPECT_FLOAT_EQ(g.o(0, 2), 0.0f);
}

struct LstmConfig {
    int layers;
    bool bidirectional;
    std::string merge;  // empty: not given
    bool hard;
    int T, in, H;
    // Against the double-precision reference: float sums over H terms and a
    // second layer's 2H inputs round further from it as H grows (at H = 128
    // the portable build's SSE tanh lands 1.04e-5 off in layer 2).
    double tol = kTol;
};

void check_against_reference(const LstmConfig& cfg) {
    SCOPED_TRACE("layers=" + std::to_string(cfg.layers) + " bi=" + std::to_string(cfg.bidirectional) +
                 " merge=" + cfg.merge + " hard=" + std::to_string(cfg.hard) + " T=" + std::to_string(cfg.T) +
                 " H=" + std::to_string(cfg.H));
    const int dirs = cfg.bidirectional ? 2 : 1;
    const int merged = cfg.bidirectional && (cfg.merge.empty() || cfg.merge == "concat") ? 2 * cfg.H : cfg.H;
    Tensors t;
    std::vector<LstmWeights> w;
    int width = cfg.in;
    for (int k = 0; k < cfg.layers; ++k) {
        for (int dir = 0; dir < dirs; ++dir) {
            w.push_back(random_lstm_weights(width, cfg.H, 100u * k + 10u * dir + 1u));
            add_lstm_weights(t, "lstm", k, dir == 1, w.back());
        }
        width = merged;
    }
    json node = lstm_node(cfg.H);
    node["num_layers"] = cfg.layers;
    if (cfg.bidirectional) node["bidirectional"] = true;
    if (!cfg.merge.empty()) node["merge"] = cfg.merge;
    if (cfg.hard) node["gate_activation"] = "hard_sigmoid";
    NodeHarness h(node, {{"x", Shape{Rows::Tokens, cfg.in}}}, t);
    const auto built = h.build();
    EXPECT_EQ(built.output, (Shape{Rows::Tokens, merged}));
    const Matrix x = random_matrix(cfg.T, cfg.in, 42);
    const NodeTrace out = run_op(*built.op, {&x});

    ASSERT_EQ(out.gates.size(), size_t(cfg.layers * dirs));
    MatrixD input = d(x);
    for (int k = 0; k < cfg.layers; ++k) {
        const RefGates f = ref_lstm_direction(input, w[size_t(k * dirs)], false, cfg.hard);
        const auto& gf = out.gates[size_t(k * dirs)];
        EXPECT_EQ(gf.layer, k);
        EXPECT_EQ(gf.direction, lstmscope::Direction::Forward);
        expect_gates(gf, f, "layer " + std::to_string(k) + " forward", cfg.tol);
        if (!cfg.bidirectional) {
            input = f.h;
            continue;
        }
        const RefGates b = ref_lstm_direction(input, w[size_t(k * dirs + 1)], true, cfg.hard);
        const auto& gb = out.gates[size_t(k * dirs + 1)];
        EXPECT_EQ(gb.layer, k);
        EXPECT_EQ(gb.direction, lstmscope::Direction::Backward);
        expect_gates(gb, b, "layer " + std::to_string(k) + " backward", cfg.tol);
        input = ref_merge(cfg.merge, f.h, b.h);
    }
    expect_near(out.value, input, "value", cfg.tol);
}

TEST(Lstm, MatchesPlainImplementationOfTheSpec) {
    check_against_reference({1, false, "", false, 6, 5, 4});
    check_against_reference({2, false, "", true, 6, 5, 4});
    check_against_reference({1, true, "", false, 7, 3, 5});
    check_against_reference({2, true, "concat", false, 7, 3, 5});
    check_against_reference({2, true, "sum", false, 4, 6, 3});
    check_against_reference({3, true, "mul", true, 4, 6, 3});
    check_against_reference({2, true, "ave", false, 1, 2, 2});
}

TEST(Lstm, LongBidirectionalRunUsesBothDirectionsCorrectly) {
    // Large enough (T * H * H >= 1e6) for the backward direction to run on
    // its own thread (lstm.cpp, kThreadWork).
    check_against_reference({2, true, "concat", false, 260, 16, 64});
}

// From H = 128 (a multiple of 32) the recurrent weights are kept as two
// halves of the units, each with its own packed columns of all four gates
// (lstm_direction.cpp): the gathered columns must still make the spec's
// gates, unidirectional (one thread: T * H * H is below the threshold) and
// bidirectional (run_op's two threads: H = 384 and T * H * H = 1.3e6 take
// the lockstep path, each direction's halves on two threads).
TEST(Lstm, HalvesOfTheUnitsMatchTheSpec) {
    check_against_reference({2, false, "", false, 30, 5, 128, 5e-5});
    check_against_reference({1, true, "concat", false, 9, 7, 384, 5e-5});
}

TEST(Lstm, BackwardRowsBelongToTheirToken) {
    // Same weights for both directions: the backward pass over x is the
    // forward pass over reversed x, recorded at the original positions.
    const int T = 6, in = 3, H = 4;
    const LstmWeights w = random_lstm_weights(in, H, 5);
    Tensors t;
    add_lstm_weights(t, "lstm", 0, false, w);
    add_lstm_weights(t, "lstm", 0, true, w);
    json node = lstm_node(H);
    node["bidirectional"] = true;
    NodeHarness h(node, {{"x", Shape{Rows::Tokens, in}}}, t);
    const auto built = h.build();
    const Matrix x = random_matrix(T, in, 9);
    const Matrix xr = x.colwise().reverse();
    const NodeTrace a = run_op(*built.op, {&x});
    const NodeTrace b = run_op(*built.op, {&xr});
    const auto& back = a.gates[1];
    const auto& fwd_of_reversed = b.gates[0];
    expect_near(back.i, reversed_rows(d(fwd_of_reversed.i)), "i");
    expect_near(back.f, reversed_rows(d(fwd_of_reversed.f)), "f");
    expect_near(back.g, reversed_rows(d(fwd_of_reversed.g)), "g");
    expect_near(back.o, reversed_rows(d(fwd_of_reversed.o)), "o");
    expect_near(back.c, reversed_rows(d(fwd_of_reversed.c)), "c");
    expect_near(back.h, reversed_rows(d(fwd_of_reversed.h)), "h");
    // The backward state at the last token has seen only that token.
    EXPECT_NEAR(back.c(T - 1, 0), fwd_of_reversed.c(0, 0), 1e-6);
}

TEST(Lstm, ReturnLastTakesForwardLastAndBackwardFirst) {
    const int T = 5, in = 3, H = 4;
    for (const std::string merge : {"concat", "sum", "mul", "ave"}) {
        SCOPED_TRACE(merge);
        Tensors t;
        for (int k = 0; k < 2; ++k)
            for (int dir = 0; dir < 2; ++dir)
                add_lstm_weights(t, "lstm", k, dir == 1,
                                 random_lstm_weights(k == 0 ? in : (merge == "concat" ? 2 * H : H), H, 10u * k + dir));
        json node = lstm_node(H);
        node["num_layers"] = 2;
        node["bidirectional"] = true;
        node["merge"] = merge;
        NodeHarness seq_h(node, {{"x", Shape{Rows::Tokens, in}}}, t);
        node["return"] = "last";
        NodeHarness last_h(node, {{"x", Shape{Rows::Tokens, in}}}, t);
        const auto seq_op = seq_h.build();
        const auto last_op = last_h.build();
        const int width = merge == "concat" ? 2 * H : H;
        EXPECT_EQ(last_op.output, (Shape{Rows::One, width}));
        const Matrix x = random_matrix(T, in, 11);
        const NodeTrace seq = run_op(*seq_op.op, {&x});
        const NodeTrace last = run_op(*last_op.op, {&x});
        const MatrixD hf = d(seq.gates[2].h.row(T - 1)), hb = d(seq.gates[3].h.row(0));
        expect_near(last.value, ref_merge(merge, hf, hb), "last");
        if (merge == "concat") {
            // In the sequence output the forward half of row T-1 and the
            // backward half of row 0.
            expect_near(last.value.leftCols(H), MatrixD(d(seq.value).row(T - 1).leftCols(H)), "fwd half");
            expect_near(last.value.rightCols(H), MatrixD(d(seq.value).row(0).rightCols(H)), "bwd half");
        }
        // Gates are recorded in full either way.
        ASSERT_EQ(last.gates.size(), 4u);
        expect_near(last.gates[3].h, seq.gates[3].h, "gates");
    }
}

TEST(Lstm, UnidirectionalReturnLastIsLastRow) {
    const int T = 4, in = 2, H = 3;
    Tensors t;
    add_lstm_weights(t, "lstm", 0, false, random_lstm_weights(in, H, 3));
    json node = lstm_node(H);
    node["return"] = "last";
    NodeHarness h(node, {{"x", Shape{Rows::Tokens, in}}}, t);
    const auto built = h.build();
    EXPECT_EQ(built.output, (Shape{Rows::One, H}));
    const Matrix x = random_matrix(T, in, 4);
    const NodeTrace out = run_op(*built.op, {&x});
    expect_near(out.value, Matrix(out.gates[0].h.row(T - 1)), "last");
}

TEST(Lstm, BiasesAreOptional) {
    const int T = 3, in = 2, H = 2;
    LstmWeights w = random_lstm_weights(in, H, 8);
    Tensors t;
    t["lstm.weight_ih_l0"] = tensor(w.wih);
    t["lstm.weight_hh_l0"] = tensor(w.whh);
    NodeHarness h(lstm_node(H), {{"x", Shape{Rows::Tokens, in}}}, t);
    const Matrix x = random_matrix(T, in, 4);
    const NodeTrace out = run_op(*h.build().op, {&x});
    std::fill(w.bih.begin(), w.bih.end(), 0.0f);
    std::fill(w.bhh.begin(), w.bhh.end(), 0.0f);
    expect_gates(out.gates[0], ref_lstm_direction(d(x), w, false, false), "no bias");
}

TEST(Lstm, Rejections) {
    const int in = 3, H = 2;
    Tensors one_layer;
    add_lstm_weights(one_layer, "lstm", 0, false, random_lstm_weights(in, H, 1));
    const std::vector<std::pair<std::string, Shape>> seq = {{"x", Shape{Rows::Tokens, in}}};
    auto reject = [&](json node, const Tensors& t, const std::string& part,
                      std::vector<std::pair<std::string, Shape>> defined) {
        SCOPED_TRACE(node.dump() + " -> " + part);
        NodeHarness h(node, defined, t);
        expect_rejected(h, part);
    };
    json n = lstm_node(H);
    n.erase("hidden_size");
    reject(n, one_layer, "field 'hidden_size'", seq);
    n = lstm_node(0);
    reject(n, one_layer, "field 'hidden_size'", seq);
    n = lstm_node(H);
    n["num_layers"] = 0;
    reject(n, one_layer, "field 'num_layers'", seq);
    n = lstm_node(H);
    n["merge"] = "sum";
    reject(n, one_layer, "field 'merge': merge needs bidirectional: true", seq);
    n = lstm_node(H);
    n["bidirectional"] = true;
    n["merge"] = "max";
    reject(n, one_layer, "field 'merge'", seq);
    n = lstm_node(H);
    n["return"] = "all";
    reject(n, one_layer, "field 'return'", seq);
    n = lstm_node(H);
    n["gate_activation"] = "tanh";
    reject(n, one_layer, "field 'gate_activation'", seq);
    n = lstm_node(H);
    n["bidirectional"] = "yes";
    reject(n, one_layer, "field 'bidirectional'", seq);
    n = lstm_node(H);
    n["hiden_size"] = 4;
    reject(n, one_layer, "field 'hiden_size'", seq);
    reject(lstm_node(H), one_layer, "field 'input'", {{"x", Shape{Rows::One, in}}});
    n = lstm_node(H);
    n["input"] = "nowhere";
    reject(n, one_layer, "field 'input'", seq);
    n = lstm_node(H);
    n["input"] = "tokens";
    reject(n, one_layer, "field 'input'", seq);
    // Weights.
    reject(lstm_node(H), one_layer, "tensor 'lstm.weight_ih_l0'", {{"x", Shape{Rows::Tokens, in + 1}}});
    Tensors t = one_layer;
    t.erase("lstm.weight_hh_l0");
    reject(lstm_node(H), t, "tensor 'lstm.weight_hh_l0'", seq);
    t = one_layer;
    t["lstm.bias_hh_l0"] = tensor(std::vector<float>(4 * H + 1, 0.0f));
    reject(lstm_node(H), t, "tensor 'lstm.bias_hh_l0'", seq);
    n = lstm_node(H);
    n["num_layers"] = 2;
    reject(n, one_layer, "tensor 'lstm.weight_ih_l1'", seq);
    n = lstm_node(H);
    n["bidirectional"] = true;
    reject(n, one_layer, "tensor 'lstm.weight_ih_l0_reverse'", seq);
    // Layer 1 of a concat bi-LSTM reads 2H features, not H.
    t = one_layer;
    add_lstm_weights(t, "lstm", 0, true, random_lstm_weights(in, H, 2));
    add_lstm_weights(t, "lstm", 1, false, random_lstm_weights(H, H, 3));
    add_lstm_weights(t, "lstm", 1, true, random_lstm_weights(H, H, 4));
    n = lstm_node(H);
    n["bidirectional"] = true;
    n["num_layers"] = 2;
    reject(n, t, "tensor 'lstm.weight_ih_l1'", seq);
    n["merge"] = "sum";  // ... while with sum, H is right
    NodeHarness ok(n, seq, t);
    EXPECT_EQ(ok.build().output, (Shape{Rows::Tokens, H}));
}

// ---------------------------------------------------------------- attention

json attention_node(const std::string& score) {
    return {{"name", "att"}, {"op", "attention"}, {"query", "q"}, {"score", score}};
}

TEST(Attention, DotByHand) {
    // q = k = v = I: S = I, each row softmax([1, 0]) in its own order.
    Matrix x(2, 2);
    x << 1, 0, 0, 1;
    NodeHarness h(attention_node("dot"), {{"q", Shape{Rows::Tokens, 2}}}, {});
    const auto built = h.build();
    EXPECT_EQ(built.output, (Shape{Rows::Tokens, 2}));
    const NodeTrace out = run_op(*built.op, {&x});
    const double e = std::exp(1.0);
    MatrixD a(2, 2);
    a << e / (e + 1), 1 / (e + 1), 1 / (e + 1), e / (e + 1);
    ASSERT_EQ(out.attention.size(), 1u);
    expect_near(out.attention[0], a, "A");
    expect_near(out.value, a, "value");
}

struct AttentionCase {
    std::string score;
    bool causal = false;
    bool scale = false;
    int tq = 4, tk = 4, dq = 3, dk = 3, dv = 5;
    bool separate_key = true;
};

void check_attention(const AttentionCase& c) {
    SCOPED_TRACE(c.score + (c.causal ? " causal" : "") + (c.scale ? " scale" : ""));
    const int A = 6;
    Tensors t;
    const Matrix W = random_matrix(c.dq, c.dk, 1), Wq = random_matrix(A, c.dq, 2), Wk = random_matrix(A, c.dk, 3),
                 bk = random_matrix(1, A, 4), v = random_matrix(1, A, 5);
    if (c.score == "general") t["att.weight"] = tensor(W);
    if (c.score == "additive") {
        t["att.query_proj.weight"] = tensor(Wq);
        t["att.key_proj.weight"] = tensor(Wk);
        t["att.key_proj.bias"] = tensor(std::vector<float>(bk.data(), bk.data() + A));
        t["att.v.weight"] = tensor(v);
    }
    if (c.scale) t["att.scale"] = tensor(std::vector<float>{-1.7f});
    json node = attention_node(c.score);
    node["key"] = "k";
    node["value"] = "v";
    if (c.causal) node["causal"] = true;
    const Rows qrows = c.tq == 1 && !c.causal ? Rows::One : Rows::Tokens;
    NodeHarness h(node,
                  {{"q", Shape{qrows, c.dq}}, {"k", Shape{Rows::Tokens, c.dk}}, {"v", Shape{Rows::Tokens, c.dv}}}, t);
    const auto built = h.build();
    EXPECT_EQ(built.output, (Shape{qrows, c.dv}));
    const Matrix q = random_matrix(c.tq, c.dq, 11), k = random_matrix(c.tk, c.dk, 12),
                 val = random_matrix(c.tk, c.dv, 13);
    const NodeTrace out = run_op(*built.op, {&q, &k, &val});

    const MatrixD Q = d(q), K = d(k);
    MatrixD S(c.tq, c.tk);
    for (int i = 0; i < c.tq; ++i)
        for (int j = 0; j < c.tk; ++j) {
            if (c.score == "dot") S(i, j) = Q.row(i).dot(K.row(j));
            if (c.score == "scaled_dot") S(i, j) = Q.row(i).dot(K.row(j)) / std::sqrt(double(c.dk));
            if (c.score == "general") S(i, j) = Q.row(i).dot(d(W) * K.row(j).transpose());
            if (c.score == "additive") {
                const Eigen::VectorXd e = d(Wq) * Q.row(i).transpose() + d(Wk) * K.row(j).transpose() +
                                          d(bk).transpose();
                S(i, j) = d(v).row(0).dot(e.array().tanh().matrix());
            }
        }
    if (c.scale) S *= -1.7;
    if (c.causal) S = causal_mask(S);
    const MatrixD attn = softmax_rows(S);
    ASSERT_EQ(out.attention.size(), 1u);
    expect_near(out.attention[0], attn, "A");
    expect_near(out.value, attn * d(val), "value");

    // Over the record limit (a long text in the GUI): nothing recorded, the
    // same value, and any rows recomputed exactly from the kept source; the
    // summary of a matrix smaller than its bins is the matrix.
    RunContext limited;
    limited.attention_record_limit = 0;
    const NodeTrace lim = run_op(*built.op, {&q, &k, &val}, limited);
    EXPECT_TRUE(lim.attention.empty());
    expect_near(lim.value, attn * d(val), "value, not recorded");
    ASSERT_TRUE(lim.attention_source);
    EXPECT_EQ(lim.attention_source->heads(), 1);
    EXPECT_EQ(lim.attention_source->rows(), c.tq);
    EXPECT_EQ(lim.attention_source->columns(), c.tk);
    expect_near(lim.attention_source->weights(0, 0, c.tq), attn, "source, every row");
    expect_near(lim.attention_source->weights(0, c.tq - 1, 1), attn.bottomRows(1), "source, last row");
    Matrix scores;
    lim.attention_source->scores(0, 0, c.tq, scores);
    for (int i = 0; i < c.tq; ++i)
        for (int j = 0; j < c.tk; ++j) {
            if (std::isinf(S(i, j))) EXPECT_EQ(scores(i, j), -std::numeric_limits<float>::infinity());
            else EXPECT_NEAR(scores(i, j), S(i, j), 1e-5 * (1 + std::abs(S(i, j))));
        }
    ASSERT_EQ(lim.attention_summary.heads.size(), 1u);
    expect_near(lim.attention_summary.heads[0], attn, "summary");
}

TEST(Attention, EveryScoreMatchesTheSpecFormula) {
    for (const std::string score : {"dot", "scaled_dot", "general", "additive"}) {
        check_attention({score});
        check_attention({score, true});
        check_attention({score, false, true});
        check_attention({score, true, true});
    }
    check_attention({"general", false, false, 3, 5, 2, 4, 3});
    check_attention({"additive", false, false, 3, 5, 2, 4, 3});
    check_attention({"scaled_dot", false, false, 1, 5, 4, 4, 2});  // one query row
}

TEST(Attention, GeneralWithIdentityIsDot) {
    Tensors t;
    t["att.weight"] = tensor(Matrix(Matrix::Identity(3, 3)));
    NodeHarness general(attention_node("general"), {{"q", Shape{Rows::Tokens, 3}}}, t);
    NodeHarness dot(attention_node("dot"), {{"q", Shape{Rows::Tokens, 3}}}, {});
    const Matrix x = random_matrix(5, 3, 1);
    const NodeTrace a = run_op(*general.build().op, {&x});
    const NodeTrace b = run_op(*dot.build().op, {&x});
    expect_near(a.attention[0], b.attention[0], "A");
    expect_near(a.value, b.value, "value");
}

TEST(Attention, CausalMaskZeroesTheFutureAndRowsSumToOne) {
    json node = attention_node("scaled_dot");
    node["causal"] = true;
    NodeHarness h(node, {{"q", Shape{Rows::Tokens, 4}}}, {});
    const Matrix x = random_matrix(6, 4, 2, 3.0f);
    const NodeTrace out = run_op(*h.build().op, {&x});
    const Matrix& a = out.attention[0];
    for (int i = 0; i < 6; ++i) {
        EXPECT_NEAR(a.row(i).sum(), 1.0, 1e-6);
        for (int j = i + 1; j < 6; ++j) EXPECT_EQ(a(i, j), 0.0f) << i << "," << j;
    }
    EXPECT_FLOAT_EQ(a(0, 0), 1.0f);
    // The first output row is the first value row alone.
    expect_near(Matrix(out.value.row(0)), Matrix(x.row(0)), "row 0");
}

TEST(Attention, ValueDefaultsToKey) {
    // Keras Attention()([q, v]): key = value.
    json node = attention_node("dot");
    node["key"] = "k";
    NodeHarness h(node, {{"q", Shape{Rows::Tokens, 3}}, {"k", Shape{Rows::Tokens, 3}}}, {});
    const Matrix q = random_matrix(2, 3, 1), k = random_matrix(4, 3, 2);
    const NodeTrace out = run_op(*h.build().op, {&q, &k});
    const MatrixD attn = softmax_rows(d(q) * d(k).transpose());
    expect_near(out.value, attn * d(k), "value");
}

TEST(Attention, Rejections) {
    const std::vector<std::pair<std::string, Shape>> defined = {{"q", Shape{Rows::Tokens, 3}},
                                                                {"k", Shape{Rows::Tokens, 4}},
                                                                {"one", Shape{Rows::One, 4}},
                                                                {"k3", Shape{Rows::Tokens, 3}}};
    auto reject = [&](json node, const Tensors& t, const std::string& part) {
        SCOPED_TRACE(node.dump() + " -> " + part);
        NodeHarness h(node, defined, t);
        expect_rejected(h, part);
    };
    json n = attention_node("dot");
    n.erase("score");
    reject(n, {}, "field 'score'");
    reject(attention_node("cosine"), {}, "field 'score'");
    n = attention_node("dot");
    n.erase("query");
    reject(n, {}, "field 'query'");
    n = attention_node("dot");
    n["key"] = "k";
    reject(n, {}, "field 'key'");  // widths 3 and 4
    n["score"] = "scaled_dot";
    reject(n, {}, "field 'key'");
    n = attention_node("general");
    n["key"] = "k";
    n["value"] = "one";
    reject(n, {{"att.weight", tensor(random_matrix(3, 4, 1))}}, "field 'value'");
    n = attention_node("dot");
    n["query"] = "one";
    n["key"] = "k";
    n["causal"] = true;
    reject(n, {}, "field 'causal'");
    n = attention_node("dot");
    n["causal"] = 1;
    reject(n, {}, "field 'causal'");
    n = attention_node("dot");
    n["mask"] = "causal";
    reject(n, {}, "field 'mask'");
    // general
    n = attention_node("general");
    n["key"] = "k";
    reject(n, {}, "tensor 'att.weight'");
    reject(n, {{"att.weight", tensor(random_matrix(4, 3, 1))}}, "tensor 'att.weight'");
    // additive
    Tensors add;
    add["att.query_proj.weight"] = tensor(random_matrix(5, 3, 1));
    add["att.key_proj.weight"] = tensor(random_matrix(5, 4, 2));
    add["att.v.weight"] = tensor(random_matrix(1, 5, 3));
    n = attention_node("additive");
    n["key"] = "k";
    NodeHarness ok(n, defined, add);
    EXPECT_EQ(ok.build().output, (Shape{Rows::Tokens, 4}));
    for (const std::string missing : {"query_proj.weight", "key_proj.weight", "v.weight"}) {
        Tensors t = add;
        t.erase("att." + missing);
        reject(n, t, "tensor 'att." + missing + "'");
    }
    Tensors t = add;
    t["att.key_proj.weight"] = tensor(random_matrix(5, 3, 2));
    reject(n, t, "tensor 'att.key_proj.weight'");
    t = add;
    t["att.v.weight"] = tensor(random_matrix(1, 4, 2));
    reject(n, t, "tensor 'att.v.weight'");
    t = add;
    t["att.key_proj.bias"] = tensor(std::vector<float>(4, 0.0f));
    reject(n, t, "tensor 'att.key_proj.bias'");
    t = add;
    t["att.query_proj.weight"] = tensor(std::vector<float>(3, 0.0f));
    reject(n, t, "tensor 'att.query_proj.weight'");
    t = add;
    t["att.scale"] = tensor(std::vector<float>{1.0f, 2.0f});
    reject(n, t, "tensor 'att.scale'");
}

// ---------------------------------------------------------------- attention_pool

json pool_node(const std::string& score) {
    return {{"name", "pool"}, {"op", "attention_pool"}, {"input", "x"}, {"score", score}};
}

TEST(AttentionPool, ZeroScoresGiveTheMean) {
    Tensors t;
    t["pool.context.weight"] = tensor(Matrix(Matrix::Zero(1, 3)));
    NodeHarness h(pool_node("linear"), {{"x", Shape{Rows::Tokens, 3}}}, t);
    const auto built = h.build();
    EXPECT_EQ(built.output, (Shape{Rows::One, 3}));
    const Matrix x = random_matrix(4, 3, 1);
    const NodeTrace out = run_op(*built.op, {&x});
    expect_near(out.attention[0], MatrixD(MatrixD::Constant(1, 4, 0.25)), "a");
    expect_near(out.value, Matrix(x.colwise().mean()), "mean");
}

TEST(AttentionPool, EveryScoreMatchesTheSpecFormula) {
    const int T = 5, D = 4, A = 3;
    const Matrix x = random_matrix(T, D, 1, 2.0f);
    const Matrix W = random_matrix(A, D, 2), b = random_matrix(1, A, 3), wa = random_matrix(1, A, 4),
                 wd = random_matrix(1, D, 5);
    const float cb = 0.3f;
    for (const std::string score : {"tanh_proj", "tanh", "linear", "tanh_linear", ""}) {
        SCOPED_TRACE(score);
        Tensors t;
        json node = pool_node(score);
        MatrixD s(1, T);
        if (score == "tanh_proj" || score.empty()) {
            if (score.empty()) node.erase("score");  // the default
            t["pool.proj.weight"] = tensor(W);
            t["pool.proj.bias"] = tensor(std::vector<float>(b.data(), b.data() + A));
            t["pool.context.weight"] = tensor(wa);
            s = d(wa) * (d(W) * d(x).transpose() + d(b).transpose().replicate(1, T)).array().tanh().matrix();
        } else {
            t["pool.context.weight"] = tensor(wd);
            if (score == "tanh") s = d(wd) * d(x).array().tanh().matrix().transpose();
            if (score != "tanh") {
                t["pool.context.bias"] = tensor(std::vector<float>{cb});
                s = (d(wd) * d(x).transpose()).array() + double(cb);
            }
            if (score == "tanh_linear") s = s.array().tanh();
        }
        NodeHarness h(node, {{"x", Shape{Rows::Tokens, D}}}, t);
        const NodeTrace out = run_op(*h.build().op, {&x});
        const MatrixD a = softmax_rows(s);
        ASSERT_EQ(out.attention.size(), 1u);
        expect_near(out.attention[0], a, "a");
        expect_near(out.value, a * d(x), "value");
    }
}

TEST(AttentionPool, Rejections) {
    const std::vector<std::pair<std::string, Shape>> defined = {{"x", Shape{Rows::Tokens, 4}},
                                                                {"one", Shape{Rows::One, 4}}};
    auto reject = [&](json node, const Tensors& t, const std::string& part) {
        SCOPED_TRACE(node.dump() + " -> " + part);
        NodeHarness h(node, defined, t);
        expect_rejected(h, part);
    };
    Tensors ok;
    ok["pool.context.weight"] = tensor(random_matrix(1, 4, 1));
    json n = pool_node("linear");
    n["input"] = "one";
    reject(n, ok, "field 'input'");
    reject(pool_node("softmax"), ok, "field 'score'");
    reject(pool_node("linear"), {}, "tensor 'pool.context.weight'");
    reject(pool_node("linear"), {{"pool.context.weight", tensor(random_matrix(1, 3, 1))}},
           "tensor 'pool.context.weight'");
    reject(pool_node("tanh"), {{"pool.context.weight", tensor(random_matrix(4, 1, 1))}},
           "tensor 'pool.context.weight'");
    Tensors t = ok;
    t["pool.context.bias"] = tensor(std::vector<float>{1.0f, 2.0f});
    reject(pool_node("tanh_linear"), t, "tensor 'pool.context.bias'");
    reject(pool_node("tanh_proj"), ok, "tensor 'pool.proj.weight'");
    t = {{"pool.proj.weight", tensor(random_matrix(3, 4, 1))}};
    reject(pool_node("tanh_proj"), t, "tensor 'pool.context.weight'");
    t["pool.context.weight"] = tensor(random_matrix(1, 4, 1));  // must be [1, A] = [1, 3]
    reject(pool_node("tanh_proj"), t, "tensor 'pool.context.weight'");
    t = {{"pool.proj.weight", tensor(random_matrix(3, 5, 1))}, {"pool.context.weight", tensor(random_matrix(1, 3, 1))}};
    reject(pool_node("tanh_proj"), t, "tensor 'pool.proj.weight'");
    n = pool_node("linear");
    n["heads"] = 2;
    reject(n, ok, "field 'heads'");
}

// ---------------------------------------------------------------- multihead_attention

json mha_node(int heads) {
    return {{"name", "mha"}, {"op", "multihead_attention"}, {"query", "x"}, {"num_heads", heads}};
}

TEST(MultiheadAttention, OneHeadWithIdentityProjectionsIsScaledDot) {
    const int E = 4, T = 5;
    Matrix in_proj(3 * E, E);
    in_proj << Matrix::Identity(E, E), Matrix::Identity(E, E), Matrix::Identity(E, E);
    Tensors t;
    t["mha.in_proj_weight"] = tensor(in_proj);
    t["mha.out_proj.weight"] = tensor(Matrix(Matrix::Identity(E, E)));
    NodeHarness mha(mha_node(1), {{"x", Shape{Rows::Tokens, E}}}, t);
    NodeHarness att(json{{"name", "att"}, {"op", "attention"}, {"query", "x"}, {"score", "scaled_dot"}},
                    {{"x", Shape{Rows::Tokens, E}}}, {});
    const auto built = mha.build();
    EXPECT_EQ(built.output, (Shape{Rows::Tokens, E}));
    const Matrix x = random_matrix(T, E, 3, 2.0f);
    const NodeTrace a = run_op(*built.op, {&x});
    const NodeTrace b = run_op(*att.build().op, {&x});
    ASSERT_EQ(a.attention.size(), 1u);
    expect_near(a.attention[0], b.attention[0], "A");
    expect_near(a.value, b.value, "value");
}

// torch.nn.MultiheadAttention's forward written out in double precision.
struct MhaRef {
    std::vector<MatrixD> attention;
    MatrixD value;
};

MhaRef ref_mha(const MatrixD& q, const MatrixD& k, const MatrixD& v, const MatrixD& wq, const MatrixD& bq,
               const MatrixD& wk, const MatrixD& bk, const MatrixD& wv, const MatrixD& bv, const MatrixD& wo,
               const MatrixD& bo, int heads, bool causal) {
    const MatrixD Q = (q * wq.transpose()).rowwise() + bq.row(0);
    const MatrixD K = (k * wk.transpose()).rowwise() + bk.row(0);
    const MatrixD V = (v * wv.transpose()).rowwise() + bv.row(0);
    const int hd = int(Q.cols()) / heads;
    MhaRef r;
    MatrixD joined(q.rows(), Q.cols());
    for (int h = 0; h < heads; ++h) {
        MatrixD s = Q.middleCols(h * hd, hd) * K.middleCols(h * hd, hd).transpose() / std::sqrt(double(hd));
        if (causal) s = causal_mask(s);
        r.attention.push_back(softmax_rows(s));
        joined.middleCols(h * hd, hd) = r.attention.back() * V.middleCols(h * hd, hd);
    }
    r.value = (joined * wo.transpose()).rowwise() + bo.row(0);
    return r;
}

TEST(MultiheadAttention, SeparateProjectionsMatchTheFormula) {
    const int Tq = 4, Tk = 6, dq = 5, dk = 3, dv = 7, heads = 2, hd = 3, dout = 4, P = heads * hd;
    const Matrix wq = random_matrix(P, dq, 1), wk = random_matrix(P, dk, 2), wv = random_matrix(P, dv, 3),
                 wo = random_matrix(dout, P, 4), bq = random_matrix(1, P, 5), bk = random_matrix(1, P, 6),
                 bv = random_matrix(1, P, 7), bo = random_matrix(1, dout, 8);
    auto vec = [](const Matrix& m) { return tensor(std::vector<float>(m.data(), m.data() + m.size())); };
    Tensors t = {{"mha.q_proj.weight", tensor(wq)}, {"mha.k_proj.weight", tensor(wk)},
                 {"mha.v_proj.weight", tensor(wv)}, {"mha.out_proj.weight", tensor(wo)},
                 {"mha.q_proj.bias", vec(bq)},      {"mha.k_proj.bias", vec(bk)},
                 {"mha.v_proj.bias", vec(bv)},      {"mha.out_proj.bias", vec(bo)}};
    for (bool given_head_dim : {false, true}) {
        json node = mha_node(heads);
        node["key"] = "k";
        node["value"] = "v";
        if (given_head_dim) node["head_dim"] = hd;
        NodeHarness h(node,
                      {{"x", Shape{Rows::Tokens, dq}}, {"k", Shape{Rows::Tokens, dk}}, {"v", Shape{Rows::Tokens, dv}}},
                      t);
        const auto built = h.build();
        EXPECT_EQ(built.output, (Shape{Rows::Tokens, dout}));
        const Matrix q = random_matrix(Tq, dq, 11), k = random_matrix(Tk, dk, 12), v = random_matrix(Tk, dv, 13);
        const NodeTrace out = run_op(*built.op, {&q, &k, &v});
        const MhaRef r = ref_mha(d(q), d(k), d(v), d(wq), d(bq), d(wk), d(bk), d(wv), d(bv), d(wo), d(bo), heads, false);
        ASSERT_EQ(out.attention.size(), size_t(heads));
        for (int hh = 0; hh < heads; ++hh) expect_near(out.attention[size_t(hh)], r.attention[size_t(hh)], "A_h");
        expect_near(out.value, r.value, "value");
    }
}

TEST(MultiheadAttention, PackedEqualsSeparateAndCausalMasksEveryHead) {
    const int E = 6, heads = 3, T = 5;
    const Matrix w = random_matrix(3 * E, E, 1), b = random_matrix(1, 3 * E, 2), wo = random_matrix(E, E, 3),
                 bo = random_matrix(1, E, 4);
    auto vec = [](const Matrix& m) { return tensor(std::vector<float>(m.data(), m.data() + m.size())); };
    Tensors packed = {{"mha.in_proj_weight", tensor(w)},
                      {"mha.in_proj_bias", vec(b)},
                      {"mha.out_proj.weight", tensor(wo)},
                      {"mha.out_proj.bias", vec(bo)}};
    Tensors separate = {{"mha.out_proj.weight", tensor(wo)}, {"mha.out_proj.bias", vec(bo)}};
    const char* names[3] = {"q_proj", "k_proj", "v_proj"};
    for (int p = 0; p < 3; ++p) {
        separate[std::string("mha.") + names[p] + ".weight"] = tensor(Matrix(w.middleRows(p * E, E)));
        separate[std::string("mha.") + names[p] + ".bias"] = vec(Matrix(b.middleCols(p * E, E)));
    }
    json node = mha_node(heads);
    node["causal"] = true;
    NodeHarness hp(node, {{"x", Shape{Rows::Tokens, E}}}, packed);
    NodeHarness hs(node, {{"x", Shape{Rows::Tokens, E}}}, separate);
    const Matrix x = random_matrix(T, E, 9, 2.0f);
    const NodeTrace a = run_op(*hp.build().op, {&x});
    const NodeTrace s = run_op(*hs.build().op, {&x});
    ASSERT_EQ(a.attention.size(), size_t(heads));
    const MhaRef r = ref_mha(d(x), d(x), d(x), d(w.topRows(E)), d(b.leftCols(E)), d(w.middleRows(E, E)),
                             d(b.middleCols(E, E)), d(w.bottomRows(E)), d(b.rightCols(E)), d(wo), d(bo), heads, true);
    for (int hh = 0; hh < heads; ++hh) {
        const Matrix& A = a.attention[size_t(hh)];
        expect_near(A, s.attention[size_t(hh)], "packed vs separate");
        expect_near(A, r.attention[size_t(hh)], "A_h");
        for (int i = 0; i < T; ++i) {
            EXPECT_NEAR(A.row(i).sum(), 1.0, 1e-6);
            for (int j = i + 1; j < T; ++j) EXPECT_EQ(A(i, j), 0.0f);
        }
    }
    expect_near(a.value, r.value, "value");
    expect_near(a.value, s.value, "packed vs separate value");
}

TEST(MultiheadAttention, Rejections) {
    const int E = 4;
    const std::vector<std::pair<std::string, Shape>> defined = {{"x", Shape{Rows::Tokens, E}},
                                                                {"k", Shape{Rows::Tokens, E + 1}},
                                                                {"one", Shape{Rows::One, E}}};
    auto reject = [&](json node, const Tensors& t, const std::string& part) {
        SCOPED_TRACE(node.dump() + " -> " + part);
        NodeHarness h(node, defined, t);
        expect_rejected(h, part);
    };
    const Tensors packed = {{"mha.in_proj_weight", tensor(random_matrix(3 * E, E, 1))},
                            {"mha.out_proj.weight", tensor(random_matrix(E, E, 2))}};
    const Tensors separate = {{"mha.q_proj.weight", tensor(random_matrix(E, E, 1))},
                              {"mha.k_proj.weight", tensor(random_matrix(E, E, 2))},
                              {"mha.v_proj.weight", tensor(random_matrix(E, E, 3))},
                              {"mha.out_proj.weight", tensor(random_matrix(2, E, 4))}};
    {
        NodeHarness ok(mha_node(2), defined, separate);
        EXPECT_EQ(ok.build().output, (Shape{Rows::Tokens, 2}));
    }
    json n = mha_node(2);
    n.erase("num_heads");
    reject(n, packed, "field 'num_heads'");
    reject(mha_node(0), packed, "field 'num_heads'");
    reject(mha_node(3), packed, "field 'num_heads'");    // 4 not divisible by 3
    reject(mha_node(3), separate, "field 'num_heads'");
    n = mha_node(2);
    n["head_dim"] = 3;
    reject(n, packed, "field 'head_dim'");
    n["head_dim"] = 0;
    reject(n, packed, "field 'head_dim'");
    n = mha_node(2);
    n["head_dim"] = 3;  // separate weights are [4, d]
    reject(n, separate, "field 'head_dim'");
    Tensors both = packed;
    both.insert(separate.begin(), separate.end());
    reject(mha_node(2), both, "tensor 'mha.in_proj_weight'");
    reject(mha_node(2), {{"mha.out_proj.weight", tensor(random_matrix(E, E, 2))}}, "tensor 'mha.in_proj_weight'");
    Tensors t = separate;
    t.erase("mha.v_proj.weight");
    reject(mha_node(2), t, "tensor 'mha.v_proj.weight'");
    t = separate;
    t["mha.k_proj.weight"] = tensor(random_matrix(E, E + 1, 2));
    reject(mha_node(2), t, "tensor 'mha.k_proj.weight'");
    t = separate;
    t["mha.q_proj.bias"] = tensor(std::vector<float>(E + 1, 0.0f));
    reject(mha_node(2), t, "tensor 'mha.q_proj.bias'");
    t = separate;
    t.erase("mha.out_proj.weight");
    reject(mha_node(2), t, "tensor 'mha.out_proj.weight'");
    t = separate;
    t["mha.out_proj.weight"] = tensor(random_matrix(2, E + 2, 4));
    reject(mha_node(2), t, "tensor 'mha.out_proj.weight'");
    t = packed;
    t["mha.in_proj_weight"] = tensor(random_matrix(3 * E, E + 1, 1));
    reject(mha_node(2), t, "tensor 'mha.in_proj_weight'");
    t = packed;
    t["mha.in_proj_bias"] = tensor(std::vector<float>(E, 0.0f));
    reject(mha_node(2), t, "tensor 'mha.in_proj_bias'");
    // Packed projections need key and value as wide as the query.
    n = mha_node(2);
    n["key"] = "k";
    reject(n, packed, "field 'key'");
    n = mha_node(2);
    n["value"] = "k";
    reject(n, packed, "field 'value'");
    n = mha_node(2);
    n["key"] = "one";
    n["value"] = "x";
    reject(n, separate, "field 'value'");
    n = mha_node(2);
    n["query"] = "one";
    n["key"] = "x";
    n["causal"] = true;
    reject(n, separate, "field 'causal'");
    n = mha_node(2);
    n["dropout"] = 0.1;
    reject(n, separate, "field 'dropout'");
}

}  // namespace
