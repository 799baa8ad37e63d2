// Ops on values of a fixed number of rows (engine/shape.h, Rows::Fixed):
// attention_pool's hops, flatten, parameter, concat's repetition of a single
// row, log_softmax, the row kinds every builder keeps or refuses, an
// attention whose query has rows of its own, and unknown fields reported
// before the errors they cause. Expected numbers are plain double-precision
// re-implementations of the formulas in models/FORMAT.md, or worked out by
// hand where the comment says so.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/error.h"
#include "engine/intervention.h"
#include "published_model_support.h"
#include "test_support.h"

namespace {

using lstmscope::AttentionIntervention;
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
using Defined = std::vector<std::pair<std::string, Shape>>;

template <class Derived>
void expect_near(const Matrix& actual, const Eigen::MatrixBase<Derived>& expected_in, const std::string& what,
                 double tol = 1e-5) {
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
        s.row(r) = (s.row(r).array() - s.row(r).maxCoeff()).exp().matrix();
        s.row(r) /= s.row(r).sum();
    }
    return s;
}

std::string build_error(const json& node, const Defined& defined, const Tensors& t) {
    NodeHarness h(node, defined, t);
    try {
        h.build();
    } catch (const Error& e) {
        return e.what();
    }
    return "(built)";
}

void expect_rejected(const json& node, const Defined& defined, const Tensors& t, const std::string& part) {
    const std::string m = build_error(node, defined, t);
    SCOPED_TRACE(node.dump());
    EXPECT_NE(m.find("node '" + node.at("name").get<std::string>() + "'"), std::string::npos) << m;
    EXPECT_NE(m.find(part), std::string::npos) << m;
}

// ---------------------------------------------------------------- attention_pool hops

json pool_node(const std::string& score, int hops) {
    return {{"name", "pool"}, {"op", "attention_pool"}, {"input", "x"}, {"score", score}, {"hops", hops}};
}

TEST(AttentionPoolHops, EveryScoreSoftmaxesEachHopOverTheTokens) {
    const int T = 5, D = 4, A = 3, r = 3;
    const Matrix x = random_matrix(T, D, 1, 2.0f);
    const Matrix W = random_matrix(A, D, 2), b = random_matrix(1, A, 3), wa = random_matrix(r, A, 4, 2.0f),
                 wd = random_matrix(r, D, 5, 2.0f), cb = random_matrix(1, r, 6);
    for (const std::string score : {"tanh_proj", "tanh", "linear", "tanh_linear"}) {
        SCOPED_TRACE(score);
        Tensors t;
        MatrixD s(r, T);
        if (score == "tanh_proj") {
            t["pool.proj.weight"] = tensor(W);
            t["pool.proj.bias"] = tensor(std::vector<float>(b.data(), b.data() + A));
            t["pool.context.weight"] = tensor(wa);
            s = d(wa) * (d(W) * d(x).transpose() + d(b).transpose().replicate(1, T)).array().tanh().matrix();
        } else {
            t["pool.context.weight"] = tensor(wd);
            if (score == "tanh") {
                s = d(wd) * d(x).array().tanh().matrix().transpose();
            } else {
                t["pool.context.bias"] = tensor(std::vector<float>(cb.data(), cb.data() + r));
                s = d(wd) * d(x).transpose() + d(cb).transpose().replicate(1, T);  // b_k on hop k
                if (score == "tanh_linear") s = s.array().tanh().matrix();
            }
        }
        NodeHarness h(pool_node(score, r), {{"x", Shape{Rows::Tokens, D}}}, t);
        const auto built = h.build();
        EXPECT_EQ(built.output, (Shape{Rows::Fixed, D, r}));
        const NodeTrace out = run_op(*built.op, {&x}, true);
        const MatrixD a = softmax_rows(s);
        ASSERT_EQ(out.attention.size(), 1u);
        expect_near(out.attention[0], a, "A: r x T");
        ASSERT_EQ(out.scores.size(), 1u);
        expect_near(out.scores[0], s, "scores: r x T");
        EXPECT_EQ(out.attention_rows_total, r);
        EXPECT_FALSE(out.attention_partial());
        expect_near(out.value, a * d(x), "row k = sum_t A[k, t] h_t");
    }
}

// hops: 1 is the pooling as it always was: the same numbers, bit for bit,
// and the same 1 x D / 1 x T shapes.
TEST(AttentionPoolHops, OneHopIsTheSingleRowPooling) {
    const Matrix x = random_matrix(6, 4, 1, 2.0f);
    for (const std::string score : {"tanh_proj", "tanh", "linear", "tanh_linear"}) {
        SCOPED_TRACE(score);
        Tensors t;
        if (score == "tanh_proj") {
            t["pool.proj.weight"] = tensor(random_matrix(3, 4, 2));
            t["pool.context.weight"] = tensor(random_matrix(1, 3, 3));
        } else {
            t["pool.context.weight"] = tensor(random_matrix(1, 4, 3));
            if (score != "tanh") t["pool.context.bias"] = tensor(std::vector<float>{0.7f});
        }
        json plain = pool_node(score, 1);
        plain.erase("hops");
        NodeHarness with(pool_node(score, 1), {{"x", Shape{Rows::Tokens, 4}}}, t);
        NodeHarness without(plain, {{"x", Shape{Rows::Tokens, 4}}}, t);
        const auto a = with.build(), b = without.build();
        EXPECT_EQ(a.output, (Shape{Rows::One, 4}));
        EXPECT_EQ(b.output, (Shape{Rows::One, 4}));
        const NodeTrace ta = run_op(*a.op, {&x}, true), tb = run_op(*b.op, {&x}, true);
        EXPECT_EQ(ta.value, tb.value);
        ASSERT_EQ(ta.attention.size(), 1u);
        EXPECT_EQ(ta.attention[0].rows(), 1);
        EXPECT_EQ(ta.attention[0], tb.attention[0]);
        EXPECT_EQ(ta.scores[0], tb.scores[0]);
    }
}

TEST(AttentionPoolHops, Rejections) {
    const Defined defined = {{"x", Shape{Rows::Tokens, 4}}};
    Tensors two;
    two["pool.context.weight"] = tensor(random_matrix(2, 4, 1));
    for (const json& bad : {json(0), json(-1), json(1025), json(1.5), json("2"), json(true)})
        expect_rejected({{"name", "pool"}, {"op", "attention_pool"}, {"input", "x"}, {"score", "linear"}, {"hops", bad}},
                        defined, two, "field 'hops'");
    // One row of context for two hops, a bias of one number for two hops.
    expect_rejected(pool_node("linear", 2), defined, {{"pool.context.weight", tensor(random_matrix(1, 4, 1))}},
                    "tensor 'pool.context.weight'");
    Tensors t = two;
    t["pool.context.bias"] = tensor(std::vector<float>{0.5f});
    expect_rejected(pool_node("tanh_linear", 2), defined, t, "tensor 'pool.context.bias'");
    t = {{"pool.proj.weight", tensor(random_matrix(3, 4, 1))}, {"pool.context.weight", tensor(random_matrix(1, 3, 2))}};
    expect_rejected(pool_node("tanh_proj", 2), defined, t, "tensor 'pool.context.weight'");
    // Hops stay a pooling of a sequence.
    expect_rejected(pool_node("linear", 2), {{"x", Shape{Rows::Fixed, 4, 2}}}, two, "field 'input'");
}

NodeTrace run_intervened(const lstmscope::Op& op, const Matrix& x, const AttentionIntervention& iv) {
    RunContext ctx;
    ctx.node = iv.node;
    ctx.intervention = &iv;
    return run_op(op, {&x}, ctx);
}

TEST(AttentionPoolHops, InterventionsApplyToEveryHop) {
    const int T = 6, D = 3, r = 3;
    const Matrix x = random_matrix(T, D, 1, 2.0f);
    Tensors t;
    t["pool.context.weight"] = tensor(random_matrix(r, D, 2, 3.0f));
    NodeHarness h(pool_node("linear", r), {{"x", Shape{Rows::Tokens, D}}}, t);
    const auto built = h.build();
    const Matrix a = run_op(*built.op, {&x}).attention.at(0);

    AttentionIntervention iv;
    iv.node = 0;
    iv.kind = AttentionIntervention::Kind::Uniform;
    NodeTrace out = run_intervened(*built.op, x, iv);
    expect_near(out.attention.at(0), MatrixD::Constant(r, T, 1.0 / T), "every hop uniform");
    expect_near(out.value, d(x).colwise().mean().replicate(r, 1), "every row the mean");

    iv.kind = AttentionIntervention::Kind::Permute;
    iv.seed = 7;
    out = run_intervened(*built.op, x, iv);
    bool some_hop_moved = false;
    for (int k = 0; k < r; ++k) {
        std::vector<float> before(a.row(k).data(), a.row(k).data() + T);
        std::vector<float> after(out.attention[0].row(k).data(), out.attention[0].row(k).data() + T);
        some_hop_moved = some_hop_moved || before != after;
        std::sort(before.begin(), before.end());
        std::sort(after.begin(), after.end());
        EXPECT_EQ(before, after) << "hop " << k << " keeps its own weights, shuffled";
    }
    EXPECT_TRUE(some_hop_moved);
    expect_near(out.value, d(out.attention[0]) * d(x), "value from the shuffled weights");

    iv.kind = AttentionIntervention::Kind::ZeroKeys;
    iv.keys = {1, 4};
    out = run_intervened(*built.op, x, iv);
    for (int k = 0; k < r; ++k) {
        MatrixD expected = d(a).row(k);
        expected(0, 1) = expected(0, 4) = 0;
        expected /= expected.sum();
        expect_near(Matrix(out.attention[0].row(k)), expected, "hop " + std::to_string(k) + " renormalised");
    }

    iv.kind = AttentionIntervention::Kind::Given;
    iv.given = {random_matrix(r, T, 9)};
    out = run_intervened(*built.op, x, iv);
    EXPECT_EQ(out.attention[0], iv.given[0]);
}

// ---------------------------------------------------------------- flatten

TEST(Flatten, JoinsTheRowsInOrder) {
    Matrix m(3, 2);
    m << 1, 2, 3, 4, 5, 6;
    NodeHarness h({{"name", "flat"}, {"op", "flatten"}, {"input", "m"}}, {{"m", Shape{Rows::Fixed, 2, 3}}}, {});
    const auto built = h.build();
    EXPECT_EQ(built.output, (Shape{Rows::One, 6}));
    Matrix expected(1, 6);
    expected << 1, 2, 3, 4, 5, 6;  // torch: M.view(1, -1), row 0 first
    EXPECT_EQ(run_op(*built.op, {&m}).value, expected);

    NodeHarness one({{"name", "flat"}, {"op", "flatten"}, {"input", "v"}}, {{"v", Shape{Rows::One, 4}}}, {});
    const auto same = one.build();
    EXPECT_EQ(same.output, (Shape{Rows::One, 4}));
    const Matrix v = random_matrix(1, 4, 3);
    EXPECT_EQ(run_op(*same.op, {&v}).value, v);
}

TEST(Flatten, RefusesASequence) {
    expect_rejected({{"name", "flat"}, {"op", "flatten"}, {"input", "seq"}}, {{"seq", Shape{Rows::Tokens, 4}}}, {},
                    "field 'input'");
    const std::string m =
        build_error({{"name", "flat"}, {"op", "flatten"}, {"input", "seq"}}, {{"seq", Shape{Rows::Tokens, 4}}}, {});
    EXPECT_NE(m.find("fixed number of rows"), std::string::npos) << m;
}

// ---------------------------------------------------------------- parameter

TEST(Parameter, IsItsWeightOnEveryText) {
    const Matrix w = random_matrix(3, 5, 1);
    NodeHarness h({{"name", "q"}, {"op", "parameter"}}, {}, {{"q.weight", tensor(w)}});
    const auto built = h.build();
    EXPECT_EQ(built.output, (Shape{Rows::Fixed, 5, 3}));
    EXPECT_EQ(run_op(*built.op, {}).value, w);

    NodeHarness one({{"name", "q"}, {"op", "parameter"}}, {}, {{"q.weight", tensor(random_matrix(1, 5, 2))}});
    EXPECT_EQ(one.build().output, (Shape{Rows::One, 5}));
}

TEST(Parameter, Rejections) {
    const json node = {{"name", "q"}, {"op", "parameter"}};
    expect_rejected(node, {}, {}, "tensor 'q.weight'");
    expect_rejected(node, {}, {{"q.weight", tensor(std::vector<float>{1, 2, 3})}}, "tensor 'q.weight'");
    json with_input = node;
    with_input["input"] = "x";
    expect_rejected(with_input, {{"x", Shape{Rows::Tokens, 3}}}, {{"q.weight", tensor(random_matrix(1, 3, 1))}},
                    "field 'input'");
}

// ---------------------------------------------------------------- log_softmax

// Worked out by hand: log(1 + e^-1 + e^-2) = 0.4076059644, so [1, 2, 3]
// gives [-2.4076059644, -1.4076059644, -0.4076059644]; shifting the row by
// 1000 changes nothing (the naive log(softmax) would give -inf / NaN), and
// [-1000, 0, 1000] is [-2000, -1000, 0] to float precision.
TEST(LogSoftmax, RowWiseAndStable) {
    Matrix x(3, 3);
    x << 1, 2, 3, 1001, 1002, 1003, -1000, 0, 1000;
    MatrixD expected(3, 3);
    expected << -2.4076059644, -1.4076059644, -0.4076059644, -2.4076059644, -1.4076059644, -0.4076059644, -2000, -1000,
        0;
    NodeHarness act({{"name", "a"}, {"op", "activation"}, {"input", "x"}, {"function", "log_softmax"}},
                    {{"x", Shape{Rows::Tokens, 3}}}, {});
    const auto built = act.build();
    expect_near(run_op(*built.op, {&x}).value, expected, "activation", 1e-4);

    Matrix eye = Matrix::Identity(3, 3);
    NodeHarness dense({{"name", "p"}, {"op", "dense"}, {"input", "x"}, {"activation", "log_softmax"}},
                      {{"x", Shape{Rows::Tokens, 3}}}, {{"p.weight", tensor(eye)}});
    expect_near(run_op(*dense.build().op, {&x}).value, expected, "dense", 1e-4);
}

// ---------------------------------------------------------------- concat

json concat_node(const std::vector<std::string>& inputs) {
    return {{"name", "cat"}, {"op", "concat"}, {"inputs", inputs}};
}

TEST(Concat, RepeatsASingleRowOnEveryRow) {
    const Defined defined = {{"seq", Shape{Rows::Tokens, 2}},
                             {"vec", Shape{Rows::One, 3}},
                             {"hops", Shape{Rows::Fixed, 2, 4}},
                             {"hops2", Shape{Rows::Fixed, 1, 4}}};
    const Matrix seq = random_matrix(5, 2, 1), vec = random_matrix(1, 3, 2), hops = random_matrix(4, 2, 3),
                 hops2 = random_matrix(4, 1, 4);
    const std::vector<const Matrix*> values = {&seq, &vec, &hops, &hops2};

    NodeHarness a(concat_node({"vec", "seq", "vec"}), defined, {});
    const auto built = a.build();
    EXPECT_EQ(built.output, (Shape{Rows::Tokens, 8}));
    const Matrix out = run_op(*built.op, values).value;
    ASSERT_EQ(out.rows(), 5);
    for (int t = 0; t < 5; ++t) {
        EXPECT_EQ(Matrix(out.row(t).leftCols(3)), vec);
        EXPECT_EQ(Matrix(out.row(t).segment(3, 2)), Matrix(seq.row(t)));
        EXPECT_EQ(Matrix(out.row(t).rightCols(3)), vec);
    }

    NodeHarness b(concat_node({"hops", "vec", "hops2"}), defined, {});
    const auto fixed = b.build();
    EXPECT_EQ(fixed.output, (Shape{Rows::Fixed, 6, 4}));
    const Matrix f = run_op(*fixed.op, values).value;
    ASSERT_EQ(f.rows(), 4);
    for (int k = 0; k < 4; ++k) EXPECT_EQ(Matrix(f.row(k).segment(2, 3)), vec);

    NodeHarness c(concat_node({"vec", "vec"}), defined, {});
    EXPECT_EQ(c.build().output, (Shape{Rows::One, 6}));
}

TEST(Concat, OtherRowMismatchesStayErrors) {
    const Defined defined = {{"seq", Shape{Rows::Tokens, 2}},
                             {"two", Shape{Rows::Fixed, 2, 2}},
                             {"three", Shape{Rows::Fixed, 2, 3}}};
    for (const auto& inputs : {std::vector<std::string>{"seq", "two"}, std::vector<std::string>{"two", "three"}}) {
        const std::string m = build_error(concat_node(inputs), defined, {});
        EXPECT_NE(m.find("field 'inputs'"), std::string::npos) << m;
        EXPECT_NE(m.find("same number of rows"), std::string::npos) << m;
    }
}

// ---------------------------------------------------------------- row kinds

TEST(RowKinds, ElementwiseOpsKeepAFixedRowCount) {
    const Shape in{Rows::Fixed, 4, 3};
    const Defined defined = {{"x", in}, {"y", in}};
    struct Case {
        json node;
        Tensors t;
        Shape out;
    };
    const std::vector<Case> cases = {
        {{{"name", "n"}, {"op", "dense"}, {"input", "x"}}, {{"n.weight", tensor(random_matrix(2, 4, 1))}},
         Shape{Rows::Fixed, 2, 3}},
        {{{"name", "n"}, {"op", "layer_norm"}, {"input", "x"}},
         {{"n.weight", tensor(std::vector<float>(4, 1))}, {"n.bias", tensor(std::vector<float>(4, 0))}}, in},
        {{{"name", "n"}, {"op", "activation"}, {"input", "x"}, {"function", "tanh"}}, {}, in},
        {{{"name", "n"}, {"op", "dropout"}, {"input", "x"}}, {}, in},
        {{{"name", "n"}, {"op", "batch_norm"}, {"input", "x"}},
         {{"n.running_mean", tensor(std::vector<float>(4, 0))}, {"n.running_var", tensor(std::vector<float>(4, 1))}},
         in},
        {{{"name", "n"}, {"op", "add"}, {"inputs", {"x", "y"}}}, {}, in},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.node.dump());
        NodeHarness h(c.node, defined, c.t);
        EXPECT_EQ(h.build().output, c.out);
    }
    // add: three rows and two rows are not one shape.
    expect_rejected({{"name", "n"}, {"op", "add"}, {"inputs", {"x", "z"}}}, {{"x", in}, {"z", Shape{Rows::Fixed, 4, 2}}},
                    {}, "field 'inputs'");
}

TEST(RowKinds, SequenceOpsRefuseFixedRows) {
    const Defined defined = {{"x", Shape{Rows::Fixed, 4, 3}}};
    expect_rejected({{"name", "n"}, {"op", "lstm"}, {"input", "x"}, {"hidden_size", 2}}, defined, {}, "field 'input'");
    expect_rejected({{"name", "n"}, {"op", "gru"}, {"input", "x"}, {"hidden_size", 2}}, defined, {}, "field 'input'");
    expect_rejected({{"name", "n"}, {"op", "pool"}, {"input", "x"}, {"mode", "mean"}}, defined, {}, "field 'input'");
    expect_rejected({{"name", "n"}, {"op", "feature_attention"}, {"input", "x"}}, defined, {}, "field 'input'");
}

// ---------------------------------------------------------------- a query of its own

TEST(AttentionWithFixedQuery, OutputHasTheQueryRows) {
    const int T = 5, D = 4;
    const Matrix q = random_matrix(2, D, 1), k = random_matrix(T, D, 2), v = random_matrix(T, 3, 3);
    const Defined defined = {{"q", Shape{Rows::Fixed, D, 2}}, {"k", Shape{Rows::Tokens, D}}, {"v", Shape{Rows::Tokens, 3}}};
    NodeHarness h({{"name", "att"}, {"op", "attention"}, {"score", "scaled_dot"}, {"query", "q"}, {"key", "k"},
                   {"value", "v"}},
                  defined, {});
    const auto built = h.build();
    EXPECT_EQ(built.output, (Shape{Rows::Fixed, 3, 2}));
    const NodeTrace out = run_op(*built.op, {&q, &k, &v});
    const MatrixD a = softmax_rows(d(q) * d(k).transpose() / std::sqrt(double(D)));
    expect_near(out.attention.at(0), a, "2 x T weights");
    expect_near(out.value, a * d(v), "2 x d_v output");

    // Key and value of different fixed row counts, a causal mask over rows
    // that are not the keys' positions.
    const Defined mismatched = {{"q", Shape{Rows::One, D}}, {"k", Shape{Rows::Fixed, D, 2}}, {"v", Shape{Rows::Fixed, 3, 3}}};
    expect_rejected({{"name", "att"}, {"op", "attention"}, {"score", "dot"}, {"query", "q"}, {"key", "k"}, {"value", "v"}},
                    mismatched, {}, "field 'value'");
    expect_rejected({{"name", "att"}, {"op", "attention"}, {"score", "dot"}, {"query", "q"}, {"key", "k"},
                     {"causal", true}},
                    defined, {}, "field 'causal'");
}

// ---------------------------------------------------------------- unknown fields first

std::string load_error(const json& nodes, const Tensors& t, const std::string& task = "regression") {
    try {
        lstmscope::testing::load_in_memory(
            lstmscope::testing::published_manifest(task, nodes.back()["name"].get<std::string>(), nodes), t);
    } catch (const Error& e) {
        return e.what();
    }
    return "(loaded)";
}

TEST(UnknownFields, AreReportedBeforeTheWeightErrorsTheyCause) {
    Tensors t = lstmscope::testing::embedding_tensors();
    // A misspelt hidden_size: without the field check first, the message
    // would be "field 'hidden_size': missing required field".
    std::string m = load_error(json::array({{{"name", "lstm"}, {"op", "lstm"}, {"input", "emb"}, {"hiden_size", 3}}}), t);
    EXPECT_NE(m.find("field 'hiden_size'"), std::string::npos) << m;
    EXPECT_NE(m.find("unknown field"), std::string::npos) << m;

    // An unknown field and a weight of the wrong shape: the field is named.
    t["pool.context.weight"] = tensor(random_matrix(2, 3, 1));  // [2, 3] for a width of 4
    m = load_error(json::array({{{"name", "pool"}, {"op", "attention_pool"}, {"input", "emb"}, {"score", "linear"},
                                 {"hopz", 2}}}),
                   t);
    EXPECT_NE(m.find("field 'hopz'"), std::string::npos) << m;
    EXPECT_EQ(m.find("tensor"), std::string::npos) << m;
}

TEST(TaskRows, ClassificationNeedsExactlyOneRow) {
    Tensors t = lstmscope::testing::embedding_tensors();
    t["q.weight"] = tensor(random_matrix(2, 3, 1));
    const json nodes = json::array({{{"name", "q"}, {"op", "parameter"}}});
    const std::string m = load_error(nodes, t, "classification");
    EXPECT_NE(m.find("field 'output'"), std::string::npos) << m;
    EXPECT_NE(m.find("2 x 3"), std::string::npos) << m;
    EXPECT_EQ(load_error(nodes, t, "regression"), "(loaded)");
    EXPECT_NE(load_error(nodes, t, "tagging").find("one row per token"), std::string::npos);
}

}  // namespace
