#include "engine/corpus/text_analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/analysis/distribution_metrics.h"
#include "engine/corpus/statistics.h"
#include "engine/error.h"
#include "engine/intervention.h"

namespace lstmscope::corpus {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_attention(OpKind op) {
    return op == OpKind::Attention || op == OpKind::MultiheadAttention || op == OpKind::AttentionPool;
}

int argmax(const std::vector<double>& p) {
    return static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
}

std::vector<SaturationCounts> count_saturation(const Trace& trace) {
    std::vector<SaturationCounts> out;
    std::vector<char> real(trace.tokens.size());
    for (size_t t = 0; t < trace.tokens.size(); ++t) real[t] = !trace.tokens[t].pad;
    for (const NodeTrace& node : trace.nodes) {
        if (node.op != OpKind::Lstm && node.op != OpKind::Gru) continue;
        for (const GateTrace& g : node.gates) {
            SaturationCounts s;
            s.node = node.name;
            s.op = node.op;
            s.layer = g.layer;
            s.backward = g.direction == Direction::Backward;
            const Eigen::Index units = g.h.cols();
            const bool gru = node.op == OpKind::Gru;
            const Matrix* gates[3] = {gru ? &g.r : &g.i, gru ? &g.z : &g.f, gru ? nullptr : &g.o};
            const int count = s.gate_count();
            for (int k = 0; k < count; ++k) {
                s.low[k].assign(static_cast<size_t>(units), 0);
                s.high[k].assign(static_cast<size_t>(units), 0);
            }
            for (Eigen::Index t = 0; t < g.h.rows(); ++t) {
                if (!real[static_cast<size_t>(t)]) continue;
                ++s.steps;
                for (int k = 0; k < count; ++k)
                    for (Eigen::Index u = 0; u < units; ++u) {
                        const float v = (*gates[k])(t, u);
                        s.low[k][static_cast<size_t>(u)] += v < 0.1f;
                        s.high[k][static_cast<size_t>(u)] += v > 0.9f;
                    }
            }
            out.push_back(std::move(s));
        }
    }
    return out;
}

std::vector<double> output_of(const Model& model, const Trace& base, const AttentionIntervention& iv,
                              const RunOptions& options) {
    return output_distribution(run_output_from(model, base, iv.node, options, &iv));
}

double js(const std::vector<double>& p, const std::vector<double>& q) {
    return analysis::jensen_shannon_divergence(p, q);
}

Faithfulness test_faithfulness(const ModelPlan& plan, const Trace& base, const std::vector<double>& p,
                               const std::vector<double>& attention, int index, const AnalysisSettings& settings) {
    const Model& model = *plan.model;
    const int decision = argmax(p);
    const int T = static_cast<int>(base.tokens.size());
    Faithfulness f;
    std::vector<int> real;  // positions that are text, not padding
    for (int t = 0; t < T; ++t)
        if (!base.tokens[static_cast<size_t>(t)].pad) real.push_back(t);

    // Leave one out: the whole model again without the token.
    f.leave_one_out.assign(static_cast<size_t>(T), kNaN);
    if (real.size() >= 2)
        for (int t : real)
            f.leave_one_out[static_cast<size_t>(t)] =
                total_variation(p, output_distribution(run_without_token(model, base, t, settings.run).output()));
    std::vector<double> a, l;
    for (int t : real) {
        a.push_back(attention[static_cast<size_t>(t)]);
        l.push_back(f.leave_one_out[static_cast<size_t>(t)]);
    }
    f.kendall_tau = real.size() >= 2 ? analysis::kendall_tau_b(a, l) : kNaN;

    // A node of several query rows that are not tokens (an attention_pool's
    // hops, a learned query's rows) is intervened on every row alike: every
    // hop uniform, every hop permuted with its own permutation, a token
    // zeroed in every hop. `attention` (what orders the tokens for erasure
    // and what tau compares) is the mean of those rows (token_attention).
    AttentionIntervention iv;
    iv.node = plan.attention_node;
    iv.kind = AttentionIntervention::Kind::Uniform;
    std::vector<double> q = output_of(model, base, iv, settings.run);
    f.uniform_tvd = total_variation(p, q);
    f.uniform_flipped = argmax(q) != decision;

    iv.kind = AttentionIntervention::Kind::Permute;
    std::vector<double> tvds;
    for (int k = 0; k < settings.permutations; ++k) {
        iv.seed = SplitMix64::mix(SplitMix64::mix(settings.seed, static_cast<uint64_t>(index)), static_cast<uint64_t>(k));
        q = output_of(model, base, iv, settings.run);
        tvds.push_back(total_variation(p, q));
        f.permutation_flips += argmax(q) != decision;
    }
    f.permutations = settings.permutations;
    f.permutation_median_tvd = median(tvds);

    // Erasure of attention weights, most attended first.
    iv.kind = AttentionIntervention::Kind::ZeroKeys;
    std::vector<int> order = real;
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
        return attention[static_cast<size_t>(x)] > attention[static_cast<size_t>(y)];
    });
    f.flip_fraction = kNaN;
    if (order.size() >= 2) {
        f.top_token = order[0];
        SplitMix64 rng(SplitMix64::mix(settings.seed ^ 0x5eedULL, static_cast<uint64_t>(index)));
        f.random_token = order[1 + rng.below(order.size() - 1)];
        iv.keys = {f.top_token};
        q = output_of(model, base, iv, settings.run);
        f.top_js = js(p, q);
        f.top_flipped = argmax(q) != decision;
        iv.keys = {f.random_token};
        q = output_of(model, base, iv, settings.run);
        f.random_js = js(p, q);
        f.random_flipped = argmax(q) != decision;
        iv.keys.clear();
        for (size_t k = 0; k + 1 < order.size(); ++k) {
            iv.keys.push_back(order[k]);
            if (k == 0 ? f.top_flipped : argmax(output_of(model, base, iv, settings.run)) != decision) {
                f.flip_after = static_cast<int>(k + 1);
                f.flip_fraction = static_cast<double>(k + 1) / static_cast<double>(order.size());
                break;
            }
        }
    } else {
        f.top_js = f.random_js = kNaN;
    }
    return f;
}

}  // namespace

const char* SaturationCounts::gate_name(int gate) const {
    static const char* const lstm[3] = {"i", "f", "o"};
    static const char* const gru[2] = {"r", "z"};
    if (gate < 0 || gate >= gate_count()) return "";
    return op == OpKind::Gru ? gru[gate] : lstm[gate];
}

ModelPlan plan_model(const Model& model, const std::string& attention) {
    if (model.task != Task::Classification)
        throw Error(ErrorKind::input, model.manifest_path, "corpus runs need a classification model; this one is a " +
                    std::string(task_name(model.task)) + " model");
    const Node& out = model.nodes.at(static_cast<size_t>(model.output_node));
    if (out.output.rows != Rows::One)
        throw Error(ErrorKind::input, model.manifest_path, "node '" + out.name +
                    "': corpus runs need one output row per text, but the output has one row per token");
    ModelPlan plan;
    plan.model = &model;
    if (!attention.empty()) {
        for (size_t k = 0; k < model.nodes.size(); ++k)
            if (model.nodes[k].name == attention) {
                if (!is_attention(model.nodes[k].op))
                    throw Error(ErrorKind::input, model.manifest_path, "node '" + attention + "' is " +
                                std::string(op_kind_name(model.nodes[k].op)) +
                                ", not an attention, multihead_attention or attention_pool node");
                plan.attention_node = static_cast<int>(k);
                return plan;
            }
        throw Error(ErrorKind::input, model.manifest_path, "there is no node '" + attention + "' (--attention)");
    }
    for (size_t k = model.nodes.size(); k-- > 0;)
        if (is_attention(model.nodes[k].op)) {
            plan.attention_node = static_cast<int>(k);
            break;
        }
    return plan;
}

std::vector<double> token_attention(const Trace& trace, int node) {
    const NodeTrace& n = trace.nodes.at(static_cast<size_t>(node));
    const Eigen::Index T = static_cast<Eigen::Index>(trace.tokens.size());
    if (n.attention.empty() || n.attention.front().cols() != T) {
        ErrorParts parts;
        parts.kind = ErrorKind::usage;
        parts.node = n.name;
        throw Error(std::move(parts), "its attention is not over the text's " + std::to_string(T) +
                                          " tokens, so it cannot be read as weights of the tokens");
    }
    std::vector<double> w(static_cast<size_t>(T), 0.0);
    double rows = 0;
    for (const Matrix& m : n.attention) {
        for (Eigen::Index i = 0; i < m.rows(); ++i)
            for (Eigen::Index j = 0; j < T; ++j) w[static_cast<size_t>(j)] += m(i, j);
        rows += static_cast<double>(m.rows());
    }
    for (double& x : w) x /= rows;
    return w;
}

std::vector<double> output_distribution(const Matrix& output) {
    std::vector<double> p(static_cast<size_t>(output.cols()));
    double sum = 0;
    bool non_negative = true;
    for (Eigen::Index k = 0; k < output.cols(); ++k) {
        p[static_cast<size_t>(k)] = output(0, k);
        sum += p[static_cast<size_t>(k)];
        non_negative = non_negative && p[static_cast<size_t>(k)] >= 0;
    }
    if (non_negative && std::abs(sum - 1.0) <= 1e-3) return p;
    const double top = *std::max_element(p.begin(), p.end());
    sum = 0;
    for (double& x : p) sum += (x = std::exp(x - top));
    for (double& x : p) x /= sum;
    return p;
}

Trace run_without_token(const Model& model, const Trace& base, int position, const RunOptions& options) {
    Trace t;
    t.text = base.text;
    t.tokens = base.tokens;
    if (position < 0 || position >= static_cast<int>(t.tokens.size()) || t.tokens.size() < 2)
        throw Error(ErrorKind::text, "",
                    "cannot delete token " + std::to_string(position) + " of " + std::to_string(t.tokens.size()));
    t.tokens.erase(t.tokens.begin() + position);
    if (model.tokenizer.pad_to) {
        Token pad;
        pad.id = model.tokenizer.pad_id;
        pad.pad = true;
        if (model.tokenizer.padding == PaddingSide::Pre) t.tokens.insert(t.tokens.begin(), pad);
        else t.tokens.push_back(pad);
    }
    return run_tokens(model, std::move(t), options);
}

TextResult analyse_text(const ModelPlan& plan, const std::string& text, int index, const AnalysisSettings& settings) {
    TextResult r;
    r.index = index;
    Trace trace;
    try {
        trace = run(*plan.model, text, settings.run);
    } catch (const Error& e) {
        r.error = e.what();
        return r;
    }
    r.tokens = static_cast<int>(trace.tokens.size());
    r.token_texts.reserve(trace.tokens.size());
    for (const Token& t : trace.tokens) r.token_texts.push_back(t.pad ? std::string() : t.text);
    r.probabilities = output_distribution(trace.output());
    r.predicted = argmax(r.probabilities);
    r.saturation = count_saturation(trace);
    for (const NodeTrace& node : trace.nodes)
        for (const GateTrace& g : node.gates) r.peaks.push_back(unit_peaks(g));
    if (plan.attention_node < 0) return r;
    r.attention = token_attention(trace, plan.attention_node);
    r.attention_entropy = entropy_bits(r.attention);
    std::vector<int> order(r.attention.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
        return r.attention[static_cast<size_t>(x)] > r.attention[static_cast<size_t>(y)];
    });
    for (int k : order) {
        if (static_cast<int>(r.top.size()) >= settings.top_tokens) break;
        if (trace.tokens[static_cast<size_t>(k)].pad) continue;
        r.top.push_back({k, trace.tokens[static_cast<size_t>(k)].text, r.attention[static_cast<size_t>(k)]});
    }
    if (settings.faithfulness && r.tokens > settings.faithfulness_max_tokens)
        r.faithfulness_skipped = std::to_string(r.tokens) + " tokens is more than the " +
                                 std::to_string(settings.faithfulness_max_tokens) +
                                 " the faithfulness tests take (leave-one-out runs the model once per token)";
    else if (settings.faithfulness)
        r.faithfulness = test_faithfulness(plan, trace, r.probabilities, r.attention, index, settings);
    return r;
}

}  // namespace lstmscope::corpus
