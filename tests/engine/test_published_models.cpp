// Published PyTorch attention-LSTM models mapped onto the format without
// rewriting their maths (GitHub issue 13): Lin et al. 2017's multi-hop
// self-attention (attention_pool hops + flatten), a learned query over a
// BiLSTM (parameter + multihead_attention + log_softmax), and the final
// state of a recurrent node next to its sequence (pool final + concat
// repetition). Every expected number was computed with /usr/bin/python3 and
// torch 1.13 (the script is at the end of this file), from the same pattern
// weights (published_model_support.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/runner.h"
#include "published_model_support.h"

namespace {

using lstmscope::Error;
using lstmscope::Matrix;
using lstmscope::Model;
using lstmscope::Rows;
using lstmscope::Shape;
using lstmscope::Trace;
using lstmscope::testing::add_recurrent;
using lstmscope::testing::embedding_tensors;
using lstmscope::testing::load_in_memory;
using lstmscope::testing::pattern_tensor;
using lstmscope::testing::pattern_vector;
using lstmscope::testing::published_manifest;
using lstmscope::testing::Tensors;
using nlohmann::json;
using Rows2 = std::vector<std::vector<double>>;

const std::string kText = "good food bad service";
constexpr double kTorchTol = 2e-6;

void expect_matrix(const Matrix& actual, const Rows2& expected, const std::string& what, double tol = kTorchTol) {
    ASSERT_EQ(actual.rows(), static_cast<Eigen::Index>(expected.size())) << what;
    for (size_t r = 0; r < expected.size(); ++r) {
        ASSERT_EQ(actual.cols(), static_cast<Eigen::Index>(expected[r].size())) << what;
        for (size_t c = 0; c < expected[r].size(); ++c)
            EXPECT_NEAR(actual(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)), expected[r][c], tol)
                << what << " at (" << r << ", " << c << ")";
    }
}

// ---------------------------------------------------------------- torch numbers

const Rows2 kLinAttention = {
    {0.177635148, 0.142677858, 0.136290267, 0.543396771},
    {0.0723474845, 0.117779814, 0.277352512, 0.532520175},
};
const Rows2 kLinPooled = {
    {0.200280711, 0.0376976654, -0.0183018576, 0.105261438, 0.1740399, 0.159374699},
    {0.224765718, 0.0370420143, -0.0228496119, 0.0956867859, 0.171423942, 0.155770198},
};
const Rows2 kLinProbs = {{0.475405604, 0.524594367}};
const Rows2 kQueryAttention = {
    {0.304207802, 0.248993561, 0.184358597, 0.262440026},
    {0.303451926, 0.252099365, 0.190702349, 0.253746361},
};
const Rows2 kQueryOutput = {{0.76458782, -0.259048432, -1.14171231, 0.4993366, -0.897703886, -0.950778842}};
const Rows2 kQueryLogProbs = {{-0.144835532, -2.00370073}};
const Rows2 kLstmFinal = {{0.105497263, -0.0814251527, -0.214588284, 0.205423295, 0.459459484, 0.253560901}};
const Rows2 kAttentiveTags = {
    {-0.720695496, -0.173923105, 0.135571063},
    {-0.700572491, -0.237038761, 0.149408489},
    {-0.671451867, -0.320016265, 0.164935231},
    {-0.621805072, -0.463820904, 0.192664862},
};
const Rows2 kGruFinal = {{0.357628763, 0.493329316, 0.355340451, -0.211238548, 0.251820922, 0.0114080012}};

// ---------------------------------------------------------------- Lin et al. 2017

json lin_nodes() {
    return json::parse(R"([
      {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 3, "bidirectional": true},
      {"name": "pool", "op": "attention_pool", "input": "lstm", "score": "tanh_proj", "hops": 2},
      {"name": "flat", "op": "flatten", "input": "pool"},
      {"name": "probs", "op": "dense", "input": "flat", "activation": "softmax"}
    ])");
}

Tensors lin_tensors() {
    Tensors t = embedding_tensors();
    add_recurrent(t, "lstm", 4, 1, 4, 3);
    t["pool.proj.weight"] = pattern_tensor("pool.proj.weight", 5, 6, 2.0);        // W_s1 [d_a, 2u], no bias
    t["pool.context.weight"] = pattern_tensor("pool.context.weight", 2, 5, 4.0);  // W_s2 [r, d_a]
    t["probs.weight"] = pattern_tensor("probs.weight", 2, 12);
    t["probs.bias"] = pattern_vector("probs.bias", 2);
    return t;
}

TEST(PublishedModels, LinEtAl2017MultiHopSelfAttentionMatchesTorch) {
    const Model model = load_in_memory(published_manifest("classification", "probs", lin_nodes()), lin_tensors());
    EXPECT_EQ(model.nodes[2].output, (Shape{Rows::Fixed, 6, 2}));
    EXPECT_EQ(model.nodes[3].output, (Shape{Rows::One, 12}));
    lstmscope::RunOptions options;
    options.details = true;
    const Trace trace = lstmscope::run(model, kText, options);
    const auto* pool = trace.find("pool");
    ASSERT_EQ(pool->attention.size(), 1u);
    expect_matrix(pool->attention[0], kLinAttention, "A (one row per hop)");
    ASSERT_EQ(pool->scores.size(), 1u);
    EXPECT_EQ(pool->scores[0].rows(), 2);
    EXPECT_EQ(pool->attention_rows_total, 2);
    expect_matrix(pool->value, kLinPooled, "M = A H");
    expect_matrix(trace.find("flat")->value, {{kLinPooled[0][0], kLinPooled[0][1], kLinPooled[0][2],
                                               kLinPooled[0][3], kLinPooled[0][4], kLinPooled[0][5],
                                               kLinPooled[1][0], kLinPooled[1][1], kLinPooled[1][2],
                                               kLinPooled[1][3], kLinPooled[1][4], kLinPooled[1][5]}},
                  "M.view(1, -1)");
    expect_matrix(trace.output(), kLinProbs, "probs");
}

// ---------------------------------------------------------------- learned query

TEST(PublishedModels, LearnedQueryMultiheadAttentionOverBiLstmMatchesTorch) {
    const json nodes = json::parse(R"([
      {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 3, "bidirectional": true},
      {"name": "query", "op": "parameter"},
      {"name": "mha", "op": "multihead_attention", "query": "query", "key": "lstm", "num_heads": 2},
      {"name": "probs", "op": "dense", "input": "mha", "activation": "log_softmax"}
    ])");
    Tensors t = embedding_tensors();
    add_recurrent(t, "lstm", 4, 1, 4, 3);
    t["query.weight"] = pattern_tensor("query.weight", 1, 6, 4.0);
    t["mha.in_proj_weight"] = pattern_tensor("mha.in_proj_weight", 18, 6);
    t["mha.in_proj_bias"] = pattern_vector("mha.in_proj_bias", 18);
    t["mha.out_proj.weight"] = pattern_tensor("mha.out_proj.weight", 6, 6);
    t["mha.out_proj.bias"] = pattern_vector("mha.out_proj.bias", 6);
    t["probs.weight"] = pattern_tensor("probs.weight", 2, 6);
    t["probs.bias"] = pattern_vector("probs.bias", 2);
    const Model model = load_in_memory(published_manifest("classification", "probs", nodes), t);
    EXPECT_EQ(model.nodes[2].output, (Shape{Rows::One, 6}));
    EXPECT_TRUE(model.nodes[2].inputs.empty());
    EXPECT_EQ(model.nodes[3].output, (Shape{Rows::One, 6}));
    const Trace trace = lstmscope::run(model, kText);
    const auto* mha = trace.find("mha");
    ASSERT_EQ(mha->attention.size(), 2u);
    expect_matrix(mha->attention[0], {kQueryAttention[0]}, "head 0 (1 x T)");
    expect_matrix(mha->attention[1], {kQueryAttention[1]}, "head 1 (1 x T)");
    expect_matrix(mha->value, kQueryOutput, "attn_output");
    expect_matrix(trace.output(), kQueryLogProbs, "log_softmax");
}

// ---------------------------------------------------------------- final state

json final_nodes(const std::string& op, int layers) {
    return json::array({{{"name", "rnn"}, {"op", op}, {"input", "emb"}, {"hidden_size", 3}, {"num_layers", layers},
                         {"bidirectional", true}},
                        {{"name", "final"}, {"op", "pool"}, {"input", "rnn"}, {"mode", "final"}}});
}

TEST(PublishedModels, FinalStateOfTheTopLayerMatchesTorchHn) {
    Tensors t = embedding_tensors();
    add_recurrent(t, "rnn", 4, 2, 4, 3, "lstm2");  // the name the torch script gave it
    json nodes = final_nodes("lstm", 2);
    nodes.push_back({{"name", "joined"}, {"op", "concat"}, {"inputs", {"rnn", "final"}}});
    nodes.push_back({{"name", "tags"}, {"op", "dense"}, {"input", "joined"}});
    t["tags.weight"] = pattern_tensor("tags.weight", 3, 12);
    t["tags.bias"] = pattern_vector("tags.bias", 3);
    const Model model = load_in_memory(published_manifest("tagging", "tags", nodes), t);
    EXPECT_EQ(model.nodes[2].output, (Shape{Rows::One, 6}));
    EXPECT_EQ(model.nodes[3].output, (Shape{Rows::Tokens, 12}));
    const Trace trace = lstmscope::run(model, kText);
    expect_matrix(trace.find("final")->value, kLstmFinal, "cat(h_n[-2], h_n[-1])");
    // The attentive RNN: every row of the sequence joined with the final state.
    const Matrix& joined = trace.find("joined")->value;
    const Matrix& seq = trace.find("rnn")->value;
    ASSERT_EQ(joined.rows(), 4);
    for (Eigen::Index r = 0; r < 4; ++r) {
        EXPECT_EQ(Matrix(joined.row(r).leftCols(6)), Matrix(seq.row(r))) << r;
        EXPECT_EQ(Matrix(joined.row(r).rightCols(6)), trace.find("final")->value) << r;
    }
    expect_matrix(trace.output(), kAttentiveTags, "tags");
}

TEST(PublishedModels, FinalStateOfABiGruMatchesTorchHn) {
    Tensors t = embedding_tensors();
    add_recurrent(t, "gru", 3, 1, 4, 3);
    json nodes = final_nodes("gru", 1);
    nodes[0]["name"] = "gru";
    nodes[1]["input"] = "gru";
    const Model model = load_in_memory(published_manifest("regression", "final", nodes), t);
    expect_matrix(lstmscope::run(model, kText).output(), kGruFinal, "cat(h_n[-2], h_n[-1])");
}

// The same node with return: last is h_n as well: the two agree exactly.
TEST(PublishedModels, FinalStateEqualsReturnLastOfTheSameWeights) {
    for (const bool bidirectional : {false, true})
        for (const std::string op : {"lstm", "gru"}) {
            SCOPED_TRACE(op + (bidirectional ? " bidirectional" : ""));
            Tensors t = embedding_tensors();
            add_recurrent(t, "seq", op == "lstm" ? 4 : 3, 1, 4, 3);
            add_recurrent(t, "last", op == "lstm" ? 4 : 3, 1, 4, 3);
            for (auto& [name, data] : t)
                if (name.rfind("last.", 0) == 0) data = t.at("seq." + name.substr(5));
            if (!bidirectional)
                for (auto it = t.begin(); it != t.end();)
                    it = it->first.find("_reverse") != std::string::npos ? t.erase(it) : std::next(it);
            json nodes = json::array();
            for (const std::string name : {"seq", "last"}) {
                json n = {{"name", name}, {"op", op}, {"input", "emb"}, {"hidden_size", 3},
                          {"bidirectional", bidirectional}};
                if (name == "last") n["return"] = "last";
                nodes.push_back(n);
            }
            nodes.push_back({{"name", "final"}, {"op", "pool"}, {"input", "seq"}, {"mode", "final"}});
            const Model model = load_in_memory(published_manifest("regression", "final", nodes), t);
            const Trace trace = lstmscope::run(model, "good food bad service good");
            EXPECT_EQ(trace.find("final")->value, trace.find("last")->value);
            if (!bidirectional) {
                EXPECT_EQ(trace.find("final")->value, Matrix(trace.find("seq")->value.bottomRows(1)));
            }
        }
}

std::string load_error(const json& nodes, const Tensors& t) {
    try {
        load_in_memory(published_manifest("regression", nodes.back()["name"].get<std::string>(), nodes), t);
    } catch (const Error& e) {
        return e.what();
    }
    return "(loaded)";
}

TEST(PublishedModels, FinalStateRefusals) {
    Tensors t = embedding_tensors();
    add_recurrent(t, "rnn", 4, 1, 4, 3);
    json nodes = final_nodes("lstm", 1);
    nodes[0]["merge"] = "sum";
    std::string m = load_error(nodes, t);
    EXPECT_NE(m.find("node 'final'"), std::string::npos) << m;
    EXPECT_NE(m.find("'merge'"), std::string::npos) << m;

    nodes = final_nodes("lstm", 1);
    nodes[0]["return"] = "last";
    m = load_error(nodes, t);
    EXPECT_NE(m.find("field 'input'"), std::string::npos) << m;
    EXPECT_NE(m.find("return: 'sequence'"), std::string::npos) << m;

    nodes = final_nodes("lstm", 1);
    const json proj = {{"name", "proj"}, {"op", "dense"}, {"input", "rnn"}};
    nodes.insert(nodes.begin() + 1, proj);
    nodes[2]["input"] = "proj";
    t["proj.weight"] = pattern_tensor("proj.weight", 2, 6);
    m = load_error(nodes, t);
    EXPECT_NE(m.find("field 'mode'"), std::string::npos) << m;
    EXPECT_NE(m.find("a dense node"), std::string::npos) << m;
}

}  // namespace

/* The torch script (run with /usr/bin/python3, torch 1.13):

import math, torch, torch.nn as nn
def pattern(name, shape, amp=0.5):
    s = sum(name.encode()); n = math.prod(shape)
    return torch.tensor([amp * math.sin(0.37 * k + 0.013 * s) for k in range(n)], dtype=torch.float32).reshape(shape)
ids = torch.tensor([[2, 4, 3, 5]]); E, H = 4, 3
def embed(name): return pattern(name + ".weight", (6, E))[ids]
def rnn(name, layers=1, cls=nn.LSTM):
    m = cls(E, H, num_layers=layers, bidirectional=True, batch_first=True)
    with torch.no_grad():
        for pname, p in m.named_parameters(): p.copy_(pattern(name + "." + pname, tuple(p.shape)))
    return m
with torch.no_grad():
    x = embed("emb"); h, _ = rnn("lstm")(x)
    Ws1 = pattern("pool.proj.weight", (5, 6), 2.0); Ws2 = pattern("pool.context.weight", (2, 5), 4.0)
    A = torch.softmax(Ws2 @ torch.tanh(Ws1 @ h[0].T), dim=1); M = A @ h[0]          # kLinAttention, kLinPooled
    probs = torch.softmax(M.view(1, -1) @ pattern("probs.weight", (2, 12)).T + pattern("probs.bias", (2,)), 1)
    q = pattern("query.weight", (1, 6), 4.0); mha = nn.MultiheadAttention(6, 2, batch_first=True)
    for pname, p in mha.named_parameters(): p.copy_(pattern("mha." + pname, tuple(p.shape)))
    out, w = mha(q.unsqueeze(0), h, h, average_attn_weights=False)             # kQueryOutput, kQueryAttention
    logp = torch.log_softmax(out[0] @ pattern("probs.weight", (2, 6)).T + pattern("probs.bias", (2,)), 1)
    seq2, (hn, cn) = rnn("lstm2", layers=2)(x); final = torch.cat([hn[-2], hn[-1]], 1)   # kLstmFinal
    joined = torch.cat([seq2[0], final.expand(4, -1)], 1)
    tags = joined @ pattern("tags.weight", (3, 12)).T + pattern("tags.bias", (3,))      # kAttentiveTags
    gseq, ghn = rnn("gru", cls=nn.GRU)(x); gru_final = torch.cat([ghn[-2], ghn[-1]], 1)  # kGruFinal
*/
