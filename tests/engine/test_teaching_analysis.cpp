// engine/analysis/computation_steps and equations: the walk the step bar
// takes, what each view may show at a step, and the numbers the cell and
// attention equation views typeset, checked against the trace they come from.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "engine/analysis/computation_steps.h"
#include "engine/analysis/equations.h"
#include "engine/runner.h"

namespace {

using namespace lstmscope;
using namespace lstmscope::analysis;

const std::string kGolden = std::string(LSTMSCOPE_TEST_DATA) + "/golden";

struct Loaded {
    Model model;
    Trace trace;
};

Loaded load_and_run(const std::string& name, const std::string& text, bool details = true) {
    Loaded l{Model::load(kGolden + "/" + name + ".json"), {}};
    RunOptions options;
    options.details = details;
    l.trace = run(l.model, text, options);
    return l;
}

int node_index(const Trace& t, const std::string& name) {
    for (size_t k = 0; k < t.nodes.size(); ++k)
        if (t.nodes[k].name == name) return static_cast<int>(k);
    return -1;
}

// seed_a: emb -> BiLSTM "lstm" -> dense "proj" -> 8-head "mha" -> dot "attn"
// -> dense "ff" -> mean pool -> dense "probs".
TEST(ComputationSteps, ForwardWalkThenEveryLaterNodeWithAttentionRowByRow) {
    const Loaded l = load_and_run("seed_a", "Great movie!");
    const int T = static_cast<int>(l.trace.tokens.size());
    const StepPlan plan = plan_steps(l.trace, "lstm", 0, Direction::Forward);
    ASSERT_EQ(plan.lstm_node, node_index(l.trace, "lstm"));
    // T timesteps, proj, T rows of mha, T rows of attn, ff, pool, probs.
    ASSERT_EQ(plan.size(), T + 1 + T + T + 3);
    for (int s = 0; s < T; ++s) {
        EXPECT_EQ(plan.steps[size_t(s)].kind, ComputationStep::Kind::LstmTimestep);
        EXPECT_EQ(plan.steps[size_t(s)].token, s);
    }
    EXPECT_EQ(plan.steps[size_t(T)].node, node_index(l.trace, "proj"));
    EXPECT_EQ(plan.steps[size_t(T + 1)].kind, ComputationStep::Kind::AttentionRow);
    EXPECT_EQ(plan.steps.back().node, node_index(l.trace, "probs"));
}

TEST(ComputationSteps, BackwardDirectionWalksRightToLeft) {
    const Loaded l = load_and_run("seed_a", "Great movie!");
    const int T = static_cast<int>(l.trace.tokens.size());
    const StepPlan plan = plan_steps(l.trace, "lstm", 0, Direction::Backward);
    EXPECT_EQ(plan.steps[0].token, T - 1);
    EXPECT_EQ(plan.steps[size_t(T - 1)].token, 0);
    const StepReveal r = reveal_at(plan, 0);
    EXPECT_EQ(r.lstm_first, T - 1);
    EXPECT_EQ(r.lstm_last, T - 1);
    EXPECT_EQ(r.current_token, T - 1);
    // Walking backward, the forward direction of the same layer is not shown.
    EXPECT_EQ(gates_reveal(plan, r, plan.lstm_node, 0, Direction::Forward), GatesReveal::None);
    EXPECT_EQ(gates_reveal(plan, r, plan.lstm_node, 0, Direction::Backward), GatesReveal::Partial);
}

TEST(ComputationSteps, RevealGrowsWithTheStepAndEverythingOutsideTheWalk) {
    const Loaded l = load_and_run("seed_a", "Great movie!");
    const int T = static_cast<int>(l.trace.tokens.size());
    const StepPlan plan = plan_steps(l.trace, "lstm", 0, Direction::Forward);
    const int lstm = plan.lstm_node, mha = node_index(l.trace, "mha"), probs = node_index(l.trace, "probs");

    const StepReveal outside = reveal_at(plan, -1);
    EXPECT_TRUE(outside.everything);
    EXPECT_TRUE(outside.node_done(probs));

    const StepReveal first = reveal_at(plan, 0);
    EXPECT_FALSE(first.everything);
    EXPECT_TRUE(first.node_done(0));  // the embedding came before
    EXPECT_FALSE(first.node_done(lstm));
    EXPECT_TRUE(first.node_started(lstm));
    EXPECT_FALSE(first.node_started(mha));
    EXPECT_FALSE(first.node_done(probs));
    EXPECT_EQ(first.lstm_first, 0);
    EXPECT_EQ(first.lstm_last, 0);

    // The second row of the multi-head attention.
    const StepReveal row = reveal_at(plan, T + 2);
    EXPECT_EQ(row.current_node, mha);
    EXPECT_EQ(row.current_row, 1);
    EXPECT_EQ(row.rows_done, 2);
    EXPECT_TRUE(row.node_done(lstm));
    EXPECT_FALSE(row.node_done(mha));
    EXPECT_EQ(gates_reveal(plan, row, lstm, 0, Direction::Backward), GatesReveal::All);

    const StepReveal last = reveal_at(plan, plan.size() - 1);
    EXPECT_FALSE(last.everything);
    EXPECT_TRUE(last.node_done(probs));

    const StepLabel label = step_label(l.trace, plan, T + 2);
    EXPECT_EQ(label.node, "mha");
    EXPECT_EQ(label.position, 2);
    EXPECT_EQ(label.count, T);
}

TEST(ComputationSteps, CellPhasesSplitEveryTimestepInFour) {
    const Loaded l = load_and_run("seed_a", "Great movie!");
    const int T = static_cast<int>(l.trace.tokens.size());
    const StepPlan whole = plan_steps(l.trace, "lstm", 0, Direction::Backward);
    const StepPlan split = plan_steps(l.trace, "lstm", 0, Direction::Backward, true);
    ASSERT_EQ(split.size(), whole.size() + 3 * T);
    for (int p = 0; p < CellPhases; ++p) {
        EXPECT_EQ(split.steps[size_t(p)].token, T - 1);
        EXPECT_EQ(split.steps[size_t(p)].phase, p);
        EXPECT_EQ(reveal_at(split, p).phase, p);
    }
    EXPECT_EQ(split.steps[4].token, T - 2);
    const StepLabel label = step_label(l.trace, split, 5);
    EXPECT_EQ(label.position, 2);
    EXPECT_EQ(label.phase, PhaseInput);
    EXPECT_EQ(split.steps[size_t(4 * T)].kind, whole.steps[size_t(T)].kind);
}

TEST(ComputationSteps, UnknownLstmWalksTheNodesOnly) {
    const Loaded l = load_and_run("seed_a", "Great movie!");
    const StepPlan plan = plan_steps(l.trace, "no_such_node", 0, Direction::Forward);
    EXPECT_EQ(plan.lstm_node, -1);
    ASSERT_GT(plan.size(), 0);
    EXPECT_NE(plan.steps[0].kind, ComputationStep::Kind::LstmTimestep);
}

TEST(CellEquation, NumbersAreTheTracesAndTheEquationsHold) {
    const Loaded l = load_and_run("lstm_bi_concat", "I loved the acting, but the plot was too long and very boring.");
    const NodeTrace* lstm = l.trace.find("lstm");
    ASSERT_NE(lstm, nullptr);
    for (const GateTrace& g : lstm->gates) {
        const int T = static_cast<int>(g.i.rows()), H = static_cast<int>(g.i.cols());
        for (int t = 0; t < T; ++t)
            for (int u = 0; u < H; ++u) {
                const auto e = cell_equation(g, t, u);
                ASSERT_TRUE(e);
                EXPECT_EQ(e->value[GateI], g.i(t, u));
                EXPECT_EQ(e->value[GateF], g.f(t, u));
                EXPECT_EQ(e->value[GateG], g.g(t, u));
                EXPECT_EQ(e->value[GateO], g.o(t, u));
                EXPECT_EQ(e->c, g.c(t, u));
                EXPECT_EQ(e->h, g.h(t, u));
                const bool backward = g.direction == Direction::Backward;
                const bool first = backward ? t == T - 1 : t == 0;
                EXPECT_EQ(e->prev_token, first ? -1 : (backward ? t + 1 : t - 1));
                if (!first) {
                    EXPECT_EQ(e->c_prev, g.c(e->prev_token, u));
                }
                EXPECT_NEAR(1.0 / (1.0 + std::exp(-double(e->z[GateI]))), e->value[GateI], 2e-6);
                EXPECT_NEAR(std::tanh(double(e->z[GateG])), e->value[GateG], 2e-6);
                EXPECT_NEAR(e->forget_term + e->input_term, e->c, 2e-6);
                EXPECT_NEAR(e->value[GateO] * e->tanh_c, e->h, 2e-6);
            }
    }
    EXPECT_FALSE(cell_equation(lstm->gates[0], -1, 0));
    EXPECT_FALSE(cell_equation(lstm->gates[0], 0, 99));
    // A plain run has no details to show.
    const Loaded plain = load_and_run("lstm_bi_concat", "good", false);
    EXPECT_FALSE(cell_equation(plain.trace.find("lstm")->gates[0], 0, 0));
}

// gru_2layer_bi: emb -> 2-layer BiGRU "gru" (5 units) -> dense "tags".
TEST(ComputationSteps, GruTimestepsAreWalkedLikeAnLstms) {
    const Loaded l = load_and_run("gru_2layer_bi", "the movie was not good at all", false);
    const int T = static_cast<int>(l.trace.tokens.size());
    const int gru = node_index(l.trace, "gru");
    const StepPlan plan = plan_steps(l.trace, "gru", 1, Direction::Backward);
    ASSERT_EQ(plan.lstm_node, gru);
    EXPECT_EQ(plan.op, OpKind::Gru);
    // T timesteps right to left, then the dense tagger.
    ASSERT_EQ(plan.size(), T + 1);
    for (int s = 0; s < T; ++s) {
        EXPECT_EQ(plan.steps[size_t(s)].kind, ComputationStep::Kind::LstmTimestep);
        EXPECT_EQ(plan.steps[size_t(s)].token, T - 1 - s);
    }
    const StepReveal r = reveal_at(plan, 2);
    EXPECT_EQ(r.current_token, T - 3);
    EXPECT_EQ(r.lstm_first, T - 3);
    EXPECT_EQ(gates_reveal(plan, r, gru, 1, Direction::Backward), GatesReveal::Partial);
    EXPECT_EQ(gates_reveal(plan, r, gru, 0, Direction::Forward), GatesReveal::All);  // the layer below is done
    EXPECT_EQ(gates_reveal(plan, r, gru, 1, Direction::Forward), GatesReveal::None);
    const StepLabel label = step_label(l.trace, plan, 2);
    EXPECT_EQ(label.op, OpKind::Gru);
    EXPECT_EQ(label.position, 3);
    EXPECT_EQ(label.count, T);
    // In stages: r, z, n, h of every timestep.
    const StepPlan split = plan_steps(l.trace, "gru", 1, Direction::Backward, true);
    ASSERT_EQ(split.size(), CellPhases * T + 1);
    EXPECT_EQ(split.steps[0].phase, PhaseReset);
    EXPECT_EQ(split.steps[3].phase, PhaseNewState);
    EXPECT_EQ(split.steps[4].token, T - 2);
    EXPECT_EQ(step_label(l.trace, split, 5).phase, PhaseUpdateGate);
    // An LSTM plan says so.
    const Loaded lstm = load_and_run("lstm_bi_concat", "good", false);
    EXPECT_EQ(plan_steps(lstm.trace, "lstm", 0, Direction::Forward).op, OpKind::Lstm);
}

TEST(GruEquation, NumbersAreTheTracesAndTheUpdateHolds) {
    // No details needed: a plain run has every number of a GRU's equation.
    for (const char* model : {"gru_2layer_bi", "gru_reset_before_bi"}) {
        const Loaded l = load_and_run(model, "I loved the acting, but the plot was too long and very boring.", false);
        const NodeTrace* gru = l.trace.find("gru");
        ASSERT_NE(gru, nullptr);
        for (const GateTrace& g : gru->gates) {
            const int T = static_cast<int>(g.h.rows()), H = static_cast<int>(g.h.cols());
            for (int t = 0; t < T; ++t)
                for (int u = 0; u < H; ++u) {
                    const auto e = gru_equation(g, t, u);
                    ASSERT_TRUE(e);
                    EXPECT_EQ(e->r, g.r(t, u));
                    EXPECT_EQ(e->z, g.z(t, u));
                    EXPECT_EQ(e->n, g.n(t, u));
                    EXPECT_EQ(e->h, g.h(t, u));
                    const bool backward = g.direction == Direction::Backward;
                    const bool first = backward ? t == T - 1 : t == 0;
                    EXPECT_EQ(e->prev_token, first ? -1 : (backward ? t + 1 : t - 1));
                    EXPECT_EQ(e->h_prev, first ? 0.0f : g.h(e->prev_token, u));
                    EXPECT_NEAR(e->new_term, (1.0 - e->z) * e->n, 1e-6);
                    EXPECT_NEAR(e->keep_term, e->z * e->h_prev, 1e-6);
                    EXPECT_NEAR(e->new_term + e->keep_term, e->h, 2e-6) << model << " t " << t << " u " << u;
                }
        }
        EXPECT_FALSE(gru_equation(gru->gates[0], -1, 0));
        EXPECT_FALSE(gru_equation(gru->gates[0], 0, 99));
    }
    // reset_after is read from the manifest, true by default.
    const Loaded before = load_and_run("gru_reset_before_bi", "good", false);
    const Loaded after = load_and_run("gru_2layer_bi", "good", false);
    EXPECT_FALSE(gru_reset_after(before.model.nodes[size_t(node_index(before.trace, "gru"))]));
    EXPECT_TRUE(gru_reset_after(after.model.nodes[size_t(node_index(after.trace, "gru"))]));
    // An LSTM's gates are no GRU's.
    const Loaded lstm = load_and_run("lstm_bi_concat", "good");
    EXPECT_FALSE(gru_equation(lstm.trace.find("lstm")->gates[0], 0, 0));
}

TEST(AttentionEquation, SoftmaxOfTheScoresIsTheRecordedRow) {
    const Loaded l = load_and_run("seed_a", "I loved the acting, but the plot was too long and very boring.");
    for (const char* name : {"mha", "attn"}) {
        const NodeTrace* n = l.trace.find(name);
        ASSERT_NE(n, nullptr);
        for (int head = 0; head < static_cast<int>(n->attention.size()); ++head)
            for (int row = 0; row < n->attention[size_t(head)].rows(); ++row) {
                const auto e = attention_equation(*n, head, row, 3);
                ASSERT_TRUE(e);
                ASSERT_EQ(e->top.size(), 3u);
                EXPECT_GE(e->terms[size_t(e->top[0])].weight, e->terms[size_t(e->top[1])].weight);
                EXPECT_NEAR(e->weight_sum, 1.0, 1e-5);
                for (const AttentionTerm& t : e->terms)
                    EXPECT_NEAR(t.shifted / e->denominator, t.weight, 1e-5) << name << " key " << t.key;
            }
    }
    EXPECT_FALSE(attention_equation(*l.trace.find("attn"), 1, 0, 3));  // one head only
}

TEST(AttentionEquation, CausalMaskedKeysAreCountedAndGetNoWeight) {
    const Loaded l = load_and_run("attn_scaled_dot_causal", "I loved the acting, but the plot was too long.");
    const NodeTrace& n = *std::find_if(l.trace.nodes.begin(), l.trace.nodes.end(),
                                       [](const NodeTrace& x) { return x.op == OpKind::Attention; });
    const auto e = attention_equation(n, 0, 2, 5);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->masked, static_cast<int>(e->terms.size()) - 3);
    for (const AttentionTerm& t : e->terms)
        if (t.key > 2) {
            EXPECT_TRUE(std::isinf(t.score));
            EXPECT_EQ(t.weight, 0.0f);
        }
}

TEST(ScoreFormula, ReadFromTheManifestAndTheWeights) {
    struct Case {
        const char* model;
        OpKind op;
        ScoreForm form;
        bool scale;
    };
    for (const Case c : {Case{"attn_general_scale", OpKind::Attention, ScoreForm::General, true},
                         Case{"attn_dot", OpKind::Attention, ScoreForm::Dot, false},
                         Case{"attn_additive_kv", OpKind::Attention, ScoreForm::Additive, false},
                         Case{"pool_tanh_proj", OpKind::AttentionPool, ScoreForm::PoolTanhProj, false},
                         Case{"pool_linear", OpKind::AttentionPool, ScoreForm::PoolLinear, false},
                         Case{"mha_8head", OpKind::MultiheadAttention, ScoreForm::MultiHead, false}}) {
        const Model m = Model::load(kGolden + "/" + c.model + ".json");
        const auto node = std::find_if(m.nodes.begin(), m.nodes.end(), [&](const Node& n) { return n.op == c.op; });
        ASSERT_NE(node, m.nodes.end()) << c.model;
        const auto f = score_formula(m, *node);
        ASSERT_TRUE(f) << c.model;
        EXPECT_EQ(f->form, c.form) << c.model;
        EXPECT_EQ(f->learned_scale, c.scale) << c.model;
        if (c.form == ScoreForm::MultiHead) {
            EXPECT_EQ(f->heads, 8);
            EXPECT_GT(f->key_width, 0);
        }
    }
}

// The bias of a score is there only when the node has its tensor (the
// equation view writes "+ b" from this; it once did for every node).
TEST(ScoreFormula, HasABiasOnlyWhenTheNodeHasTheTensor) {
    struct Case {
        const char *model, *node;
        bool bias;
    };
    for (const Case c : {Case{"pool_tanh_proj", "att", true}, Case{"pool_tanh_proj", "att_nobias", false},
                         Case{"pool_linear", "att", true}, Case{"pool_linear", "att_nobias", false},
                         Case{"attn_additive_kv", "attn", true}, Case{"attn_additive_kv", "attn2", false}}) {
        const Model m = Model::load(kGolden + "/" + c.model + ".json");
        const auto node = std::find_if(m.nodes.begin(), m.nodes.end(), [&](const Node& n) { return n.name == c.node; });
        ASSERT_NE(node, m.nodes.end()) << c.model << " " << c.node;
        const auto f = score_formula(m, *node);
        ASSERT_TRUE(f) << c.model << " " << c.node;
        EXPECT_EQ(f->bias, c.bias) << c.model << " " << c.node;
    }
}

}  // namespace
