#include "engine/keras/keras_graph.h"

#include <set>

#include "engine/error.h"

namespace lstmscope::keras {

int Sym::keras_rank() const {
    switch (kind) {
        case Kind::Tokens: return 2;
        case Kind::Value: return sequence ? 3 : 2;
        case Kind::ScoreColumn:
        case Kind::PoolWeights: return flat ? 2 : 3;
        default: return 3;
    }
}

std::string Sym::describe() const {
    switch (kind) {
        case Kind::Tokens: return "the token ids";
        case Kind::Value:
            return sequence ? "a sequence of " + std::to_string(width) + " features per token"
                            : "a vector of " + std::to_string(width) + " features";
        case Kind::ScoreColumn: return "one score per token";
        case Kind::PoolWeights: return "attention weights over the tokens (a softmax over time)";
        case Kind::PoolWeightsT: return "transposed attention weights";
        case Kind::Transposed: return "a transposed sequence (features x tokens)";
        case Kind::PairScores: return "query-key scores (tokens x tokens)";
        case Kind::PairWeights: return "a matrix of attention weights (tokens x tokens)";
    }
    return "?";
}

Converter::Converter(const ModelConfig& config, const KerasWeights& weights, std::string file,
                     std::string keras_version)
    : config_(config), weights_(weights), file_(std::move(file)), keras_version_(std::move(keras_version)) {}

bool Converter::keras3() const {
    // Keras 3 weight files have no ":0" and a version 3.x; tf.keras 2.x and
    // Keras 2.x wrote "2." versions.
    return !keras_version_.empty() && keras_version_[0] >= '3';
}

std::string Converter::unique_name(const std::string& base) {
    // A '.' would split "<node>.<weight>" tensor names in the wrong place.
    std::string stem = base.empty() ? "node" : base;
    for (char& c : stem)
        if (c == '.') c = '_';
    if (stem == "tokens") stem = "tokens_layer";
    auto taken = [&](const std::string& n) {
        for (const auto& node : nodes_)
            if (node["name"] == n) return true;
        return false;
    };
    if (!taken(stem)) return stem;
    for (int k = 1;; ++k)
        if (!taken(stem + "_" + std::to_string(k))) return stem + "_" + std::to_string(k);
}

void Converter::add_node(nlohmann::json node) { nodes_.push_back(std::move(node)); }

void Converter::add_tensor(const std::string& name, std::vector<int64_t> shape, std::vector<float> data) {
    StoredTensor t;
    t.shape = std::move(shape);
    t.data = std::move(data);
    tensors_[name] = std::move(t);
}

std::vector<NamedWeight> Converter::weights_of(const Layer& layer) const { return weights_.layer(layer.name); }

const Sym& Converter::value_input(const Layer& layer, const Sym& sym) const {
    if (sym.is_value()) return sym;
    if (sym.kind == Sym::Kind::Tokens)
        fail(layer, "reads the token ids directly; only an Embedding can (lstmscope models start with one)");
    fail(layer, "reads " + sym.describe() + " made by layer '" + sym.made_by +
                    "', which lstmscope only understands as part of an attention (softmax, then Dot with the "
                    "values); use it that way, or map the attention with a custom-layer file");
}

Sym Converter::value(std::string node, bool sequence, int width, std::string made_by) {
    Sym s;
    s.kind = Sym::Kind::Value;
    s.node = std::move(node);
    s.sequence = sequence;
    s.width = width;
    s.made_by = std::move(made_by);
    return s;
}

void Converter::fail(const Layer& layer, const std::string& message) const {
    throw Error(ErrorKind::model, file_, "layer '" + layer.name + "' (" + layer.class_name + "): " + message);
}

namespace {
// The names a node reads: "input", "query"/"key"/"value", "inputs".
std::vector<std::string> inputs_of(const nlohmann::json& node) {
    std::vector<std::string> out;
    for (const char* key : {"input", "query", "key", "value"})
        if (auto it = node.find(key); it != node.end() && it->is_string()) out.push_back(*it);
    if (auto it = node.find("inputs"); it != node.end())
        for (const auto& n : *it) out.push_back(n.get<std::string>());
    return out;
}
}  // namespace

void Converter::prune(const std::string& output) {
    std::set<std::string> needed{output};
    for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it)
        if (needed.count((*it)["name"].get<std::string>()))
            for (const auto& in : inputs_of(*it)) needed.insert(in);
    nlohmann::json kept = nlohmann::json::array();
    std::set<std::string> dropped;
    for (auto& node : nodes_) {
        const std::string name = node["name"].get<std::string>();
        if (needed.count(name)) kept.push_back(std::move(node));
        else dropped.insert(name);
    }
    nodes_ = std::move(kept);
    for (auto it = tensors_.begin(); it != tensors_.end();) {
        const auto dot = it->first.find('.');
        if (dropped.count(it->first.substr(0, dot))) it = tensors_.erase(it);
        else ++it;
    }
}

std::vector<float> transposed(const Hdf5Array& a) {
    if (a.shape.size() != 2) return a.values;
    const int64_t rows = a.shape[0], cols = a.shape[1];
    std::vector<float> out(a.values.size());
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) out[static_cast<size_t>(c * rows + r)] = a.values[static_cast<size_t>(r * cols + c)];
    return out;
}

std::vector<float> slice_rows(const std::vector<float>& data, int64_t cols, int64_t first, int64_t count) {
    const auto begin = data.begin() + static_cast<ptrdiff_t>(first * cols);
    return std::vector<float>(begin, begin + static_cast<ptrdiff_t>(count * cols));
}

}  // namespace lstmscope::keras
