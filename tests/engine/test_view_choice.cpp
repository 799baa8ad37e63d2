// The Qt-free helpers behind the views: which node/layer/unit/head a view
// shows by default (view_choice), the reading order of the token strip,
// the class-by-class prediction comparison and the token links of compare
// mode. Run on golden models, so the traces are real.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/analysis/prediction_diff.h"
#include "engine/analysis/reading_order.h"
#include "engine/analysis/token_links.h"
#include "engine/analysis/view_choice.h"
#include "engine/model.h"
#include "engine/runner.h"

namespace analysis = lstmscope::analysis;
using lstmscope::Direction;

namespace {

lstmscope::Trace traceOf(const std::string& golden, const std::string& text) {
    const auto model = lstmscope::Model::load(std::string(LSTMSCOPE_TEST_DATA) + "/golden/" + golden + ".json");
    return lstmscope::run(model, text);
}

}  // namespace

TEST(ViewChoice, LstmFallbackIsTheFirstNodesLastLayerForward) {
    const auto trace = traceOf("lstm_3layer", "the movie was good");
    const auto c = analysis::resolve_lstm(trace, "", 0, Direction::Backward);
    EXPECT_EQ(c.node, "lstm");
    EXPECT_EQ(c.layer, 2);
    EXPECT_EQ(c.direction, Direction::Forward);
    EXPECT_TRUE(c.fallback);
    ASSERT_NE(c.gates, nullptr);
    EXPECT_EQ(c.gates->layer, 2);
    // A node of another model (compare mode) falls back the same way.
    EXPECT_EQ(analysis::resolve_lstm(trace, "enc", 1, Direction::Forward).layer, 2);
    // A known node keeps the layer, clamped, and a unidirectional node shows forward.
    const auto kept = analysis::resolve_lstm(trace, "lstm", 1, Direction::Backward);
    EXPECT_FALSE(kept.fallback);
    EXPECT_EQ(kept.layer, 1);
    EXPECT_EQ(kept.direction, Direction::Forward);
    EXPECT_EQ(analysis::resolve_lstm(trace, "lstm", 9, Direction::Forward).layer, 2);
    EXPECT_EQ(analysis::resolve_lstm(trace, "lstm", -3, Direction::Forward).layer, 0);
}

TEST(ViewChoice, BidirectionalKeepsTheDirectionAndNoLstmGivesNothing) {
    const auto trace = traceOf("lstm_2layer_bi", "the movie was good");
    const auto c = analysis::resolve_lstm(trace, "lstm", 0, Direction::Backward);
    EXPECT_EQ(c.direction, Direction::Backward);
    ASSERT_NE(c.gates, nullptr);
    EXPECT_EQ(c.gates->direction, Direction::Backward);
    const auto none = analysis::resolve_lstm(traceOf("dense_activations", "good movie"), "", 0, Direction::Forward);
    EXPECT_TRUE(none.node.empty());
    EXPECT_EQ(none.gates, nullptr);
}

TEST(ViewChoice, UnitFallbackIsTheMostVaryingUnit) {
    const auto trace = traceOf("seed_b", "I loved the acting, but the plot was too long.");
    const auto c = analysis::resolve_lstm(trace, "", 0, Direction::Forward);
    ASSERT_NE(c.gates, nullptr);
    int best = 0;
    for (int u = 1; u < c.gates->h.cols(); ++u)
        if (analysis::hidden_variance(*c.gates, u) > analysis::hidden_variance(*c.gates, best)) best = u;
    EXPECT_EQ(analysis::resolve_unit(*c.gates, -1), best);
    EXPECT_EQ(analysis::resolve_unit(*c.gates, 3), 3);
    EXPECT_EQ(analysis::resolve_unit(*c.gates, 999), best);
}

TEST(ViewChoice, SaturationAndVarianceByHand) {
    lstmscope::GateTrace g;
    g.i = lstmscope::Matrix(4, 2);
    g.i << 0.05f, 0.5f, 0.95f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f;
    g.f = g.i;
    g.o = lstmscope::Matrix::Constant(4, 2, 0.5f);
    g.h = lstmscope::Matrix(4, 2);
    g.h << 1, 0, -1, 0, 1, 0, -1, 0;
    // Unit 0: i and f saturate at 2 of 4 tokens each, h at all 4: (2+2+0+4)/16.
    EXPECT_DOUBLE_EQ(analysis::saturation(g, 0), 8.0 / 16.0);
    EXPECT_DOUBLE_EQ(analysis::saturation(g, 1), 0.0);
    EXPECT_DOUBLE_EQ(analysis::hidden_variance(g, 0), 1.0);
    EXPECT_DOUBLE_EQ(analysis::hidden_variance(g, 1), 0.0);
}

TEST(ViewChoice, AttentionFallbacksByKind) {
    const auto trace = traceOf("seed_a", "I loved the acting, but the plot was too long.");  // mha (8 heads?), attn
    const auto any = analysis::resolve_attention(trace, "", 0);
    EXPECT_EQ(any.name, "mha");
    EXPECT_TRUE(any.fallback);
    EXPECT_EQ(any.head, -1);  // a multi-head node opens on the average
    const auto chosen = analysis::resolve_attention(trace, "mha", 1);
    EXPECT_EQ(chosen.head, 1);
    EXPECT_EQ(analysis::resolve_attention(trace, "mha", 99).head, -1);
    EXPECT_EQ(analysis::resolve_attention(trace, "attn", 5).head, 0);  // one head
    // No pool in this model: the pool colouring finds nothing.
    EXPECT_EQ(analysis::resolve_attention(trace, "", 0, analysis::AttentionKind::Pool).node, nullptr);
    const auto pools = traceOf("pool_tanh_proj", "the movie was good");
    EXPECT_EQ(analysis::resolve_attention(pools, "att_nobias", 0, analysis::AttentionKind::Pool).name, "att_nobias");
    // A matrix colouring on a pool-only model takes the pool as the last resort.
    EXPECT_EQ(analysis::resolve_attention(pools, "", 0, analysis::AttentionKind::Matrix).name, "att");
}

TEST(ViewChoice, HeadAverageRowsSumToOne) {
    const auto trace = traceOf("mha_8head", "the movie was good but too long");
    const auto c = analysis::resolve_attention(trace, "mha", -1);
    ASSERT_NE(c.node, nullptr);
    const lstmscope::Matrix avg = analysis::attention_matrix(c);
    ASSERT_EQ(avg.rows(), c.node->attention[0].rows());
    for (int r = 0; r < avg.rows(); ++r) {
        EXPECT_NEAR(avg.row(r).sum(), 1.0, 1e-5);
        double mean = 0;
        for (const auto& h : c.node->attention) mean += h(r, 0);
        EXPECT_NEAR(avg(r, 0), mean / c.node->attention.size(), 1e-6);
    }
}

TEST(ReadingOrder, PaddingCollapsesAndDroppedTextSitsWhereItWasTyped) {
    const auto trace = traceOf("unk_drop", "the zzz movie was qqq good");
    const auto order = analysis::reading_order(trace, -1, false);
    std::vector<std::string> texts;
    for (const auto& item : order.items) texts.push_back(item.text);
    // Dropped words between the tokens where they were typed.
    ASSERT_GE(order.items.size(), 6u);
    EXPECT_EQ(texts[0], "the");
    EXPECT_EQ(order.items[1].kind, analysis::ReadingItem::Kind::Dropped);
    EXPECT_EQ(texts[1], "zzz");
    for (size_t t = 0; t < trace.tokens.size(); ++t) {
        ASSERT_GE(order.item_of_token[t], 0);
        EXPECT_EQ(order.items[order.item_of_token[t]].token <= static_cast<int>(t), true);
    }
    const auto padded = traceOf("pad_post", "good movie");
    const auto collapsed = analysis::reading_order(padded, -1, false);
    const auto expanded = analysis::reading_order(padded, -1, true);
    ASSERT_FALSE(collapsed.items.empty());
    EXPECT_EQ(collapsed.items.back().kind, analysis::ReadingItem::Kind::PadGroup);
    EXPECT_EQ(collapsed.items.back().count, static_cast<int>(padded.tokens.size()) - 2);
    EXPECT_EQ(expanded.items.size(), padded.tokens.size());
}

TEST(PredictionDiff, ClassesMatchByLabelAndTaggersAreNotCompared) {
    const auto a = traceOf("pool_tanh", "the movie was good");
    const auto b = traceOf("pool_tanh", "the movie was not good");
    const auto diff = analysis::compare_predictions(a, b);
    ASSERT_TRUE(diff.not_comparable.empty());
    ASSERT_EQ(diff.classes.size(), static_cast<size_t>(a.output().cols()));
    for (size_t k = 0; k < diff.classes.size(); ++k) {
        EXPECT_EQ(diff.classes[k].a, a.output()(0, k));
        EXPECT_EQ(diff.classes[k].b, b.output()(0, k));
        EXPECT_DOUBLE_EQ(diff.classes[k].change(), diff.classes[k].b - diff.classes[k].a);
    }
    // Labels in another order still meet their own class.
    auto swapped = b;
    std::swap(swapped.labels[0], swapped.labels[1]);
    swapped.nodes[swapped.output_node].value = b.output().rowwise().reverse();
    const auto matched = analysis::compare_predictions(a, swapped);
    for (size_t k = 0; k < matched.classes.size(); ++k) EXPECT_FLOAT_EQ(matched.classes[k].b, diff.classes[k].b);
    const auto tagger = traceOf("seed_b", "great movie");
    EXPECT_FALSE(analysis::compare_predictions(tagger, tagger).not_comparable.empty());
}

TEST(TokenLinks, SameTokensAndCounterparts) {
    const auto a = traceOf("unk_token", "the movie was not good");
    const auto b = traceOf("unk_token", "the movie was good");
    EXPECT_TRUE(analysis::same_tokens(a.tokens, a.tokens));
    EXPECT_FALSE(analysis::same_tokens(a.tokens, b.tokens));
    const auto pair = analysis::TextAlignment::align(a.text, b.text);
    const auto links = analysis::counterpart_tokens(a.tokens, b.tokens, pair);
    ASSERT_EQ(links.size(), 5u);
    EXPECT_EQ(links[0], 0);
    EXPECT_EQ(links[2], 2);
    EXPECT_EQ(links[3], -1);  // "not": B does not have it
    EXPECT_EQ(links[4], 3);   // "good"
}

TEST(TokenLinks, LongTextsLinkEveryToken) {
    // 20,000 tokens each side (the bisection's edge cases: first, last, gaps).
    std::vector<lstmscope::Token> a, b;
    for (int k = 0; k < 20000; ++k) {
        a.push_back({"w", 1, 2 * k, 2 * k + 1, false});
        b.push_back({"w", 1, 2 * k, 2 * k + 1, false});
    }
    b.erase(b.begin() + 5000);  // a token only A has
    const auto links = analysis::counterpart_tokens(a, b);
    ASSERT_EQ(links.size(), a.size());
    EXPECT_EQ(links.front(), 0);
    EXPECT_EQ(links[4999], 4999);
    EXPECT_EQ(links[5000], -1);
    EXPECT_EQ(links[5001], 5000);
    EXPECT_EQ(links.back(), 19998);
}
