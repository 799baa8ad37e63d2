#include "engine/corpus/corpus_run.h"

#include <algorithm>
#include <cmath>

#include "engine/corpus/ordered_parallel.h"
#include "engine/error.h"
#include "engine/parallel.h"

namespace lstmscope::corpus {
namespace {

using json = nlohmann::ordered_json;

json figure(double x) {
    if (!std::isfinite(x)) return nullptr;
    return std::round(x * 1e6) / 1e6;
}

json figures(const std::vector<double>& xs) {
    json out = json::array();
    for (double x : xs) out.push_back(figure(x));
    return out;
}

// B's class k is A's class map[k]: by label name when both name them.
std::vector<int> class_map(const Model& a, const Model& b) {
    std::vector<int> map;
    if (a.labels.size() != b.labels.size())
        throw Error(ErrorKind::input, b.manifest_path, "model B has " + std::to_string(b.labels.size()) + " classes, model A " +
                    std::to_string(a.labels.size()) + "; a corpus comparison needs the same classes");
    for (size_t k = 0; k < b.labels.size(); ++k) {
        const auto it = std::find(a.labels.begin(), a.labels.end(), b.labels[k]);
        if (it == a.labels.end())
            throw Error(ErrorKind::input, b.manifest_path, "model B's label '" + b.labels[k] + "' is not one of model A's labels");
        map.push_back(static_cast<int>(it - a.labels.begin()));
    }
    return map;
}

void remap(TextResult& r, const std::vector<int>& map) {
    if (!r.error.empty()) return;
    std::vector<double> p(r.probabilities.size());
    for (size_t k = 0; k < map.size(); ++k) p[static_cast<size_t>(map[k])] = r.probabilities[k];
    r.probabilities = std::move(p);
    r.predicted = map[static_cast<size_t>(r.predicted)];
}

}  // namespace

int resolve_label(const std::string& label, const std::vector<std::string>& labels) {
    for (size_t k = 0; k < labels.size(); ++k)
        if (labels[k] == label) return static_cast<int>(k);
    try {
        size_t used = 0;
        const int k = std::stoi(label, &used);
        if (used == label.size() && k >= 0 && k < static_cast<int>(labels.size())) return k;
    } catch (const std::exception&) {
    }
    return -1;
}

std::vector<int> resolve_labels(const Corpus& corpus, const Model& model) {
    std::vector<int> out;
    out.reserve(corpus.texts.size());
    for (const CorpusText& t : corpus.texts) {
        if (!t.label) {
            out.push_back(-1);
            continue;
        }
        const int k = resolve_label(*t.label, model.labels);
        if (k < 0) {
            std::string names;
            for (const auto& l : model.labels) names += (names.empty() ? "" : ", ") + l;
            throw Error(ErrorKind::input, corpus.file, "line " + std::to_string(t.line) + ": label '" + *t.label +
                        "' is neither one of the model's labels (" + names + ") nor a class number 0-" +
                        std::to_string(model.labels.size() - 1));
        }
        out.push_back(k);
    }
    return out;
}

CorpusSummary run_corpus(const Corpus& corpus, const ModelPlan& a, const ModelPlan* b, const CorpusRunOptions& options,
                         const std::function<void(const CorpusItem&)>& deliver) {
    if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count)
        throw Error("--shard: " + std::to_string(options.shard_index) + "/" + std::to_string(options.shard_count) +
                    " is not a shard I/N with 0 <= I < N");
    const std::vector<int> labels = resolve_labels(corpus, *a.model);
    std::vector<int> map;
    if (b) map = class_map(*a.model, *b->model);

    SummarySettings settings;
    settings.model = a.model->name;
    settings.model_b = b ? b->model->name : std::string();
    settings.labels = a.model->labels;
    if (a.attention_node >= 0) settings.attention_node = a.model->nodes[static_cast<size_t>(a.attention_node)].name;
    settings.faithfulness = options.analysis.faithfulness && a.attention_node >= 0;
    settings.permutations = settings.faithfulness ? options.analysis.permutations : 0;
    settings.seed = settings.faithfulness ? options.analysis.seed : 0;
    settings.faithfulness_max_tokens = settings.faithfulness ? options.analysis.faithfulness_max_tokens : 0;
    CorpusSummary summary(settings);

    std::vector<size_t> mine;  // this shard's texts
    for (size_t i = 0; i < corpus.texts.size(); ++i)
        if (static_cast<int>(i % static_cast<size_t>(options.shard_count)) == options.shard_index) mine.push_back(i);

    AnalysisSettings per_text = options.analysis;
    per_text.run.threads = 1;
    per_text.run.cancel = options.cancel;
    per_text.faithfulness = settings.faithfulness;
    AnalysisSettings per_text_b = per_text;
    per_text_b.faithfulness = false;

    const std::function<CorpusItem(size_t)> work = [&](size_t k) {
        const size_t i = mine[k];
        CorpusItem item;
        item.text = &corpus.texts[i];
        item.label = labels[i];
        item.a = analyse_text(a, item.text->text, static_cast<int>(i), per_text);
        item.a.line = item.text->line;
        if (b) {
            item.b = analyse_text(*b, item.text->text, static_cast<int>(i), per_text_b);
            item.b->line = item.text->line;
            remap(*item.b, map);
        }
        return item;
    };
    const std::function<void(size_t, CorpusItem&)> take = [&](size_t k, CorpusItem& item) {
        summary.add(item.a, item.b ? &*item.b : nullptr, item.label);
        deliver(item);
        if (options.progress) options.progress(k + 1, mine.size());
    };
    ordered_parallel_map<CorpusItem>(mine.size(), resolve_threads(options.threads), work, take, options.cancel);
    return summary;
}

json item_json(const CorpusItem& item, const Model& a) {
    json j;
    j["index"] = item.text->index;
    j["line"] = item.text->line;
    j["text"] = item.text->text;
    const std::vector<std::string>& labels = a.labels;
    if (item.label >= 0) j["label"] = labels[static_cast<size_t>(item.label)];
    const TextResult& r = item.a;
    if (!r.error.empty()) {
        j["error"] = r.error;
        return j;
    }
    j["tokens"] = r.tokens;
    j["prediction"] = labels[static_cast<size_t>(r.predicted)];
    j["probabilities"] = figures(r.probabilities);
    if (item.label >= 0) j["correct"] = r.predicted == item.label;
    if (!r.attention.empty()) {
        json top = json::array();
        for (const TokenWeight& t : r.top) top.push_back({{"index", t.index}, {"token", t.token}, {"weight", figure(t.weight)}});
        j["attention"] = {{"entropy_bits", figure(r.attention_entropy)}, {"top", top}};
    }
    if (const auto& f = r.faithfulness) {
        auto token = [](int t) { return t < 0 ? json(nullptr) : json(t); };
        j["faithfulness"] = {
            {"token_texts", r.token_texts},
            {"attention", figures(r.attention)},
            {"leave_one_out", figures(f->leave_one_out)},
            {"kendall_tau", figure(f->kendall_tau)},
            {"uniform", {{"tvd", figure(f->uniform_tvd)}, {"flipped", f->uniform_flipped}}},
            {"permutation",
             {{"median_tvd", figure(f->permutation_median_tvd)}, {"flips", f->permutation_flips}, {"of", f->permutations}}},
            {"erasure",
             {{"top", {{"token", token(f->top_token)}, {"js", figure(f->top_js)}, {"flipped", f->top_flipped}}},
              {"random", {{"token", token(f->random_token)}, {"js", figure(f->random_js)}, {"flipped", f->random_flipped}}},
              {"flip_after", token(f->flip_after)},
              {"flip_fraction", figure(f->flip_fraction)}}}};
    }
    if (!r.faithfulness_skipped.empty()) j["faithfulness"] = {{"skipped", r.faithfulness_skipped}};
    if (item.b) {
        const TextResult& rb = *item.b;
        if (!rb.error.empty()) {
            j["b"] = {{"error", rb.error}};
        } else {
            j["b"] = {{"prediction", labels[static_cast<size_t>(rb.predicted)]}, {"probabilities", figures(rb.probabilities)}};
            if (item.label >= 0) j["b"]["correct"] = rb.predicted == item.label;
            j["agree"] = rb.predicted == r.predicted;
        }
    }
    return j;
}

}  // namespace lstmscope::corpus
