// `lstmscope-cli compare`: two models on one text, one model on two texts,
// or two models on two texts, side by side as one JSON object. All the
// numbers come from engine/analysis (the same functions the compare views
// use); this file only runs the models, pairs the nodes and prints.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "engine/analysis/distribution_metrics.h"
#include "engine/analysis/prediction_diff.h"
#include "engine/analysis/text_alignment.h"
#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/cli/text_errors.h"
#include "engine/runner.h"

namespace lstmscope::cli {

namespace {

// Ordered: the keys print in the order written, "a" before "b"
using json = nlohmann::ordered_json;
namespace an = lstmscope::analysis;

constexpr const char* kHelp = R"(usage: lstmscope-cli compare A.json [B.json] (--text T | --text-file F)
                             [--text-b T2 | --text-b-file F2] [--query OFFSET] [--top K] [--max-tokens N] [--threads N]

Compares two runs and prints one JSON object on standard output:
  * two models on one text:      compare A.json B.json --text T
  * one model on two texts:      compare A.json --text T --text-b T2
  * two models on two texts:     compare A.json B.json --text T --text-b T2
Two texts are aligned word by word (a diff); inserted and deleted words are
gaps. The object holds each run ("a", "b": tokens, labels, output, argmax),
the word alignment ("alignment", only when the texts differ), the prediction
class by class ("prediction"), and for every pair of attention pooling nodes
(one model: the same node on both texts) the two distributions on common
token groups with their Jensen-Shannon divergence (bits), Kendall tau-b and
top-3 overlap ("attention"). A pooling node with several rows (the hops of
an attention_pool, an attention over the tokens with a learned query) is
compared by the mean of its rows (and heads). NaN is printed as null. On a bad model, text or
command line, prints a message naming the file (or option) on standard
error, nothing on standard output, and exits with status 2.

options:
  --text T, --text-file F        text A (F may be - for standard input)
  --text-b T2, --text-b-file F2  text B (default: text A)
  --query OFFSET                 also compare the attention rows of the query token that contains
                                 code point OFFSET of text A (its counterpart in B is the first B token
                                 overlapping it), for every attention and multihead_attention node
                                 whose query rows are the tokens (heads averaged)
  --top K                        also compare the K largest groups of each side ("top_k_overlap",
                                 "top_a", "top_b"; default 3)
  --max-tokens N                 refuse texts longer than N tokens (default 20000)
  --threads N                    use at most N threads (default: every core; 1: no extra threads)
  --memory-budget MIB            refuse a text whose recorded attention weights would take more
                                 than MIB MiB (default 4096; 0: no limit)

example:
  lstmscope-cli compare models/sentiment_en_bilstm_pool.json --text "The food was good." \
      --text-b "The food was not good." --query 14
)";

// A float of the trace as the JSON number with the fewest digits that reads
// back as the same float (as in the trace JSON); null if not finite.
json float_json(double value) {
    const auto x = static_cast<float>(value);
    if (!std::isfinite(x)) return nullptr;
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
    *end = '\0';
    // The double nearest to the short decimal prints back as that decimal.
    return std::strtod(buf, nullptr);
}

// A computed double: shortest round-trip form, NaN as null.
json number_json(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

json span_json(const std::optional<an::CharSpan>& s) {
    if (!s) return nullptr;
    return json::array({s->start, s->end});
}

struct Run {
    const Model* model = nullptr;
    std::string file;
    TextInput text;
    Trace trace;
};

Run run_one(const Model& model, const std::string& file, const TextInput& text, const RunOptions& limits,
            bool name_model) {
    Run r{&model, file, text, {}};
    try {
        r.trace = run(model, text.text, limits);
    } catch (const Error& e) {
        throw with_text_source(e, name_model ? text.source + " (for " + file + ")" : text.source);
    }
    return r;
}

json run_json(const Run& r) {
    const Trace& t = r.trace;
    json tokens = json::array(), dropped = json::array(), output = json::array();
    for (const Token& k : t.tokens)
        tokens.push_back({{"text", k.text}, {"start", k.start}, {"end", k.end}, {"pad", k.pad}});
    for (const DroppedSpan& d : t.dropped) dropped.push_back({{"text", d.text}, {"start", d.start}, {"end", d.end}});
    const Matrix& y = t.output();
    for (Eigen::Index row = 0; row < y.rows(); ++row) {
        json values = json::array();
        for (Eigen::Index col = 0; col < y.cols(); ++col) values.push_back(float_json(y(row, col)));
        output.push_back(std::move(values));
    }
    return {{"model", t.model}, {"file", r.file},      {"text", t.text},     {"tokens", tokens},
            {"dropped", dropped}, {"labels", t.labels}, {"output", output}, {"argmax", t.argmax}};
}

json alignment_json(const an::TextAlignment& pair) {
    json out = json::array();
    for (const an::AlignedWord& w : pair.words())
        out.push_back({{"a", span_json(w.a)},
                       {"b", span_json(w.b)},
                       {"text_a", w.a ? json(w.text_a) : json(nullptr)},
                       {"text_b", w.b ? json(w.text_b) : json(nullptr)}});
    return out;
}

json prediction_json(const Trace& a, const Trace& b) {
    const an::PredictionDiff diff = an::compare_predictions(a, b);
    if (!diff.not_comparable.empty()) return {{"comparable", false}, {"reason", diff.not_comparable}};
    json classes = json::array();
    for (const an::ClassDiff& c : diff.classes)
        classes.push_back({{"label", c.label}, {"a", float_json(c.a)}, {"b", float_json(c.b)},
                           {"change", float_json(c.change())}});
    const auto label = [&](int k) { return k >= 0 ? json(diff.classes[static_cast<size_t>(k)].label) : json(nullptr); };
    return {{"comparable", true},
            {"classes", classes},
            {"argmax_a", label(diff.argmax_a)},
            {"argmax_b", label(diff.argmax_b)},
            {"same_decision", diff.same_decision()}};
}

std::vector<double> row_of(const Matrix& m, Eigen::Index row) {
    std::vector<double> out(static_cast<size_t>(m.cols()));
    for (Eigen::Index c = 0; c < m.cols(); ++c) out[static_cast<size_t>(c)] = m(row, c);
    return out;
}

// The distribution a node puts over the tokens: pooling weights (the mean
// of the rows: an attention_pool's hops, a learned query's rows; each row is
// a distribution, so their mean is one), or the query's row (heads averaged);
// nullopt when it does not fit the tokens.
std::optional<std::vector<double>> distribution(const NodeTrace& node, const Trace& trace, bool pool, int query) {
    if (node.attention.empty()) return std::nullopt;
    const Matrix m = node.op == OpKind::MultiheadAttention ? an::head_average(node.attention) : node.attention[0];
    if (m.rows() == 0 || m.cols() != static_cast<Eigen::Index>(trace.tokens.size())) return std::nullopt;
    if (pool) return row_of(Matrix(m.colwise().mean()), 0);
    if (query < 0 || query >= m.rows()) return std::nullopt;
    return row_of(m, query);
}

json metrics_json(const an::AlignedDistributions& d, int top) {
    json groups = json::array();
    std::vector<double> mass_a, mass_b;
    for (const an::AlignedGroup& g : d.groups) {
        const auto range = [](int first, int last) {
            return first < 0 ? json(nullptr) : json::array({first, last});
        };
        groups.push_back({{"text_a", g.first_a < 0 ? json(nullptr) : json(g.text_a)},
                          {"text_b", g.first_b < 0 ? json(nullptr) : json(g.text_b)},
                          {"tokens_a", range(g.first_a, g.last_a)},
                          {"tokens_b", range(g.first_b, g.last_b)},
                          {"a", number_json(g.mass_a)},
                          {"b", number_json(g.mass_b)}});
        mass_a.push_back(g.mass_a);
        mass_b.push_back(g.mass_b);
    }
    return {{"js_divergence", number_json(d.js_divergence)},
            {"kendall_tau", number_json(d.kendall_tau)},
            {"top3_overlap", number_json(d.top3_overlap)},
            {"top_k", top},
            {"top_k_overlap", number_json(an::top_k_overlap(mass_a, mass_b, top))},
            {"top_a", an::top_k_indices(mass_a, top)},
            {"top_b", an::top_k_indices(mass_b, top)},
            {"padding_mass_a", number_json(d.padding_mass_a)},
            {"padding_mass_b", number_json(d.padding_mass_b)},
            {"groups", groups}};
}

json query_json(const Trace& t, int token) {
    if (token < 0) return nullptr;
    const Token& k = t.tokens[static_cast<size_t>(token)];
    return {{"token", token}, {"text", k.text}, {"start", k.start}, {"end", k.end}};
}

bool is_row_attention(OpKind op) { return op == OpKind::Attention || op == OpKind::MultiheadAttention; }

// How a node's attention is compared: "pool" (one distribution over the
// tokens: an attention_pool, or an attention whose query rows are not the
// tokens, e.g. a learned `parameter` query), "row" (one row per query
// token) or not at all.
enum class Compared { No, Pool, Row };
Compared compared_as(const Model& model, const NodeTrace& node) {
    if (node.op == OpKind::AttentionPool) return Compared::Pool;
    if (!is_row_attention(node.op)) return Compared::No;
    for (const Node& n : model.nodes)
        if (n.name == node.name) return n.output.rows == Rows::Tokens ? Compared::Row : Compared::Pool;
    return Compared::No;
}

struct AttentionRequest {
    const Model* model_a = nullptr;
    const Model* model_b = nullptr;
    const an::TextAlignment* pair = nullptr;
    bool same_model = false;  // one model on two texts: pair nodes by name
    std::optional<int> query_a, query_b;  // token indices; query_b unset: no counterpart in B
    int top = 3;
};

json attention_json(const Trace& a, const Trace& b, const AttentionRequest& req) {
    json out = json::array();
    const auto compare = [&](const NodeTrace& na, const NodeTrace& nb, bool row) {
        json entry = {{"node_a", na.name}, {"node_b", nb.name}, {"kind", row ? "row" : "pool"}};
        if (row) entry["query"] = {{"a", query_json(a, *req.query_a)}, {"b", query_json(b, req.query_b.value_or(-1))}};
        const auto wa = distribution(na, a, !row, req.query_a.value_or(0));
        const auto wb = distribution(nb, b, !row, req.query_b.value_or(0));
        if (row && !req.query_b) {
            entry["skipped"] = "the query token has no counterpart in text B";
        } else if (!wa || !wb) {
            entry["skipped"] = "the attention does not run over the tokens of the text";
        } else {
            entry.update(metrics_json(an::align_distributions(a.tokens, *wa, b.tokens, *wb, *req.pair), req.top));
            out.push_back(std::move(entry));
            return;
        }
        // The same fields, empty, so that readers need not test for them.
        for (const char* key : {"js_divergence", "kendall_tau", "top3_overlap", "top_k_overlap"}) entry[key] = nullptr;
        entry["top_k"] = req.top;
        entry["groups"] = json::array();
        out.push_back(std::move(entry));
    };
    for (const bool row : {false, true}) {
        if (row && !req.query_a) break;
        const Compared kind = row ? Compared::Row : Compared::Pool;
        for (const NodeTrace& na : a.nodes) {
            if (compared_as(*req.model_a, na) != kind) continue;
            for (const NodeTrace& nb : b.nodes) {
                if (compared_as(*req.model_b, nb) != kind) continue;
                if (req.same_model && na.name != nb.name) continue;
                compare(na, nb, row);
            }
        }
    }
    return out;
}

}  // namespace

int compare_command(const std::vector<std::string>& args) {
    const Options options = parse_options(
        args, {"text", "text-file", "text-b", "text-b-file", "query", "top", "max-tokens", "threads"}, 2);
    if (options.help) {
        std::cout << kHelp;
        return 0;
    }
    if (options.positional.empty())
        throw UsageError("compare needs a model: lstmscope-cli compare A.json [B.json] --text T [--text-b T2]");
    const bool two_models = options.positional.size() == 2;
    const bool two_texts = options.get("text-b") || options.get("text-b-file");
    if (!two_models && !two_texts)
        throw UsageError("compare needs a second model (B.json), a second text (--text-b T2), or both");
    const RunOptions limits = run_options(options);
    const int top = options.integer("top", 3, 1);
    const std::optional<int> query_offset =
        options.get("query") ? std::optional<int>(options.integer("query", 0, 0)) : std::nullopt;
    if (options.get("text-file") == "-" && options.get("text-b-file") == "-")
        throw UsageError("only one of --text-file and --text-b-file can read standard input");

    const TextInput text_a = read_text_option(options);
    const TextInput text_b = two_texts ? read_text_option(options, "text-b") : text_a;
    const std::string& file_a = options.positional[0];
    const std::string& file_b = two_models ? options.positional[1] : file_a;
    const Model model_a = Model::load(file_a, import_options(options));
    for (const auto& w : model_a.warnings) std::cerr << "warning: " << file_a << ": " << w << '\n';
    std::optional<Model> loaded_b;
    if (two_models) {
        loaded_b = Model::load(file_b, import_options(options));
        for (const auto& w : loaded_b->warnings) std::cerr << "warning: " << file_b << ": " << w << '\n';
    }
    const Model& model_b = two_models ? *loaded_b : model_a;

    const Run a = run_one(model_a, file_a, text_a, limits, two_models);
    const Run b = run_one(model_b, file_b, text_b, limits, two_models);
    const an::TextAlignment pair =
        two_texts ? an::TextAlignment::align(text_a.text, text_b.text) : an::TextAlignment();

    AttentionRequest request;
    request.model_a = &model_a;
    request.model_b = &model_b;
    request.pair = &pair;
    request.same_model = !two_models;
    request.top = top;
    if (query_offset) {
        const std::vector<int> hit = an::tokens_overlapping(a.trace.tokens, {*query_offset, *query_offset + 1});
        if (hit.empty())
            throw UsageError("--query " + std::to_string(*query_offset) + ": no token of text A covers code point " +
                             std::to_string(*query_offset) + " (it is white space, dropped, or past the end)");
        request.query_a = hit.front();
        const Token& q = a.trace.tokens[static_cast<size_t>(hit.front())];
        if (const auto in_b = pair.a_to_b({q.start, q.end})) {
            const std::vector<int> counterpart = an::tokens_overlapping(b.trace.tokens, *in_b);
            if (!counterpart.empty()) request.query_b = counterpart.front();
        }
    }

    json out = {{"a", run_json(a)}, {"b", run_json(b)}};
    if (!pair.identity()) out["alignment"] = alignment_json(pair);
    out["prediction"] = prediction_json(a.trace, b.trace);
    out["attention"] = attention_json(a.trace, b.trace, request);
    // Built in memory first so that a failure never leaves half a JSON document.
    std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    std::cout.flush();
    return std::cout ? 0 : 2;
}

}  // namespace lstmscope::cli
