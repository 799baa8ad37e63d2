// Manifest loading: JSON -> typed structs -> built ops, every check done here
// so that a model that loads runs on any text (models/FORMAT.md).
#include "engine/model.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "engine/error.h"
#include "engine/json_excerpt.h"
#include "engine/keras/keras_import.h"
#include "engine/keras/manifest_weights.h"
#include "engine/safetensors.h"

namespace lstmscope {

namespace {

const std::set<std::string> kTopLevelFields{"format",  "format_version", "name",   "description",
                                            "weights", "tokenizer",      "task",   "labels",
                                            "output",  "nodes",          "metadata", "checks"};

[[noreturn]] void fail_field(const std::string& file, const std::string& field, const std::string& message) {
    ErrorParts parts;
    parts.file = file;
    parts.field = field;  // may be a key from the file: Error quotes it short
    throw Error(std::move(parts), message);
}

// A problem with one node of the manifest: a field of it or a tensor.
[[noreturn]] void fail_node(const std::string& file, const std::string& node, const std::string& field,
                            const std::string& tensor, const std::string& message) {
    ErrorParts parts;
    parts.kind = tensor.empty() ? ErrorKind::model : ErrorKind::weights;
    parts.file = file;
    parts.node = node;
    parts.field = field;
    parts.tensor = tensor;
    throw Error(std::move(parts), message);
}

// A manifest is kilobytes, a few megabytes with a large vocabulary; reading
// something far bigger whole (`info /dev/zero` never ended) only costs memory.
constexpr uintmax_t kMaxManifestBytes = uintmax_t{256} << 20;
// Manifests nest a handful of levels; copying or printing a json value
// recurses once per level, so 100,000 levels crashed the loader (the
// parser itself does not recurse, so it can count them first).
constexpr int kMaxManifestDepth = 256;
struct TooDeep {};

nlohmann::json read_json(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!ec && fs::exists(status) && !fs::is_regular_file(status))
        throw Error(ErrorKind::model, path, "the manifest is not a regular file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::model, path, std::string("cannot open the manifest (") + std::strerror(errno) + ")");
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) throw Error(ErrorKind::model, path, "cannot open the manifest (" + ec.message() + ")");
    if (size > kMaxManifestBytes)
        throw Error(ErrorKind::model, path,
                    "the manifest is " + std::to_string(size) + " bytes, more than the limit of 256 MiB");
    std::string text(static_cast<size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<size_t>(in.gcount()));
    try {
        return nlohmann::json::parse(text, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            if (depth > kMaxManifestDepth) throw TooDeep{};
            return true;
        });
    } catch (const nlohmann::json::parse_error& e) {
        // nlohmann quotes the token it last read, which may be a huge string.
        throw Error(ErrorKind::model, path, "not valid JSON: " + text_excerpt(e.what(), 300));
    } catch (const nlohmann::json::exception& e) {
        // Valid JSON that nlohmann cannot hold ("format_version": 1e999 is
        // out_of_range): still this file's fault, not an internal error.
        throw Error(ErrorKind::model, path, "cannot read the manifest: " + text_excerpt(e.what(), 300));
    } catch (const TooDeep&) {
        throw Error(ErrorKind::model, path,
                    "the manifest nests arrays and objects more than " + std::to_string(kMaxManifestDepth) +
                        " levels deep");
    }
}

const nlohmann::json& required(const std::string& file, const nlohmann::json& doc, const std::string& key) {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) fail_field(file, key, "missing required field");
    return *it;
}

std::string required_string(const std::string& file, const nlohmann::json& doc, const std::string& key) {
    const auto& v = required(file, doc, key);
    if (!v.is_string()) fail_field(file, key, "must be a string, got " + json_excerpt(v));
    return v.get<std::string>();
}

std::string optional_string(const std::string& file, const nlohmann::json& doc, const std::string& key,
                            const std::string& fallback) {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return fallback;
    if (!it->is_string()) fail_field(file, key, "must be a string, got " + json_excerpt(*it));
    return it->get<std::string>();
}

Task parse_task(const std::string& file, const std::string& value) {
    if (value == "classification") return Task::Classification;
    if (value == "tagging") return Task::Tagging;
    if (value == "regression") return Task::Regression;
    fail_field(file, "task", quoted_excerpt(value) + " is not one of 'classification', 'tagging', 'regression'");
}

// Names the manifest uses for a node's inputs, for display (model view, info).
std::vector<std::string> input_names(const nlohmann::json& node) {
    std::vector<std::string> names;
    for (const char* key : {"input", "query", "key", "value"})
        if (auto it = node.find(key); it != node.end() && it->is_string()) names.push_back(it->get<std::string>());
    if (auto it = node.find("inputs"); it != node.end() && it->is_array())
        for (const auto& n : *it)
            if (n.is_string()) names.push_back(n.get<std::string>());
    return names;
}

std::vector<Check> parse_checks(const std::string& file, const nlohmann::json& value) {
    if (!value.is_array()) fail_field(file, "checks", "must be a list of {text, output, tolerance}");
    std::vector<Check> checks;
    for (size_t k = 0; k < value.size(); ++k) {
        const auto& item = value[k];
        const std::string where = "checks[" + std::to_string(k) + "]";
        if (!item.is_object()) fail_field(file, where, "must be an object {text, output, tolerance}");
        for (const auto& [key, v] : item.items())
            if (key != "text" && key != "output" && key != "tolerance")
                fail_field(file, where + "." + key, "unknown field");
        Check check;
        check.text = required_string(file, item, "text");
        const auto& out = required(file, item, "output");
        if (!out.is_array() || out.empty()) fail_field(file, where + ".output", "must be a non-empty list of rows");
        for (const auto& row : out) {
            if (!row.is_array()) fail_field(file, where + ".output", "must be a list of rows (lists of numbers)");
            std::vector<double> r;
            for (const auto& x : row) {
                if (!x.is_number())
                    fail_field(file, where + ".output", "must hold only numbers, got " + json_excerpt(x));
                r.push_back(x.get<double>());
            }
            check.output.push_back(std::move(r));
        }
        if (auto it = item.find("tolerance"); it != item.end()) {
            if (!it->is_number() || it->get<double>() <= 0)
                fail_field(file, where + ".tolerance", "must be a positive number");
            check.tolerance = it->get<double>();
        }
        checks.push_back(std::move(check));
    }
    return checks;
}

}  // namespace

std::string_view task_name(Task task) {
    switch (task) {
    case Task::Classification: return "classification";
    case Task::Tagging: return "tagging";
    case Task::Regression: return "regression";
    }
    return "?";
}

int64_t Model::parameter_count() const {
    int64_t total = 0;
    for (const auto& n : nodes) total += n.parameters;
    return total;
}

Model Model::load(const std::string& path, const ImportOptions& options) {
    if (keras::is_keras_file(path)) {
        keras::ImportedModel imported = keras::import_keras(path, options);
        Model model = from_manifest(imported.manifest, path,
                                    WeightStore::from_tensors(std::move(imported.tensors), path));
        model.weights_path = path;
        for (auto& note : imported.notes) model.warnings.push_back(path + ": " + note);
        return model;
    }
    const std::string& file = path;
    const nlohmann::json doc = read_json(file);
    return from_manifest(doc, file, std::nullopt);
}

Model Model::from_manifest(const nlohmann::json& doc, const std::string& file, std::optional<WeightStore> loaded) {
    if (!doc.is_object()) throw Error(ErrorKind::model, file, "the manifest must be a JSON object");
    for (const auto& [key, v] : doc.items())
        if (!kTopLevelFields.count(key)) fail_field(file, key, "unknown field");

    const auto& format = required(file, doc, "format");
    if (format != "lstmscope-model")
        fail_field(file, "format", "must be \"lstmscope-model\", got " + json_excerpt(format));
    const auto& version = required(file, doc, "format_version");
    if (!version.is_number_integer() || version.get<int64_t>() != 1)
        fail_field(file, "format_version", "this engine reads version 1, got " + json_excerpt(version));

    Model model;
    model.manifest_path = file;
    const std::filesystem::path manifest_dir = std::filesystem::path(file).parent_path();
    model.name = optional_string(file, doc, "name", std::filesystem::path(file).stem().string());
    model.description = optional_string(file, doc, "description", "");
    model.task = parse_task(file, required_string(file, doc, "task"));
    if (auto it = doc.find("metadata"); it != doc.end() && !it->is_null()) {
        if (!it->is_object()) fail_field(file, "metadata", "must be an object");
        model.metadata = *it;
    }
    if (auto it = doc.find("labels"); it != doc.end() && !it->is_null()) {
        if (!it->is_array()) fail_field(file, "labels", "must be a list of strings");
        for (const auto& l : *it) {
            if (!l.is_string()) fail_field(file, "labels", "must be a list of strings, got " + json_excerpt(l));
            model.labels.push_back(l.get<std::string>());
        }
    }
    model.tokenizer = parse_tokenizer(required(file, doc, "tokenizer"), file);

    const std::string weights_name = required_string(file, doc, "weights");
    model.weights_path = (manifest_dir / weights_name).string();
    // Loaded here, after the cheaper checks, so a manifest error is reported
    // before a missing weights file.
    // A Keras weights file (a subclassed Keras model): converted by the
    // nodes' ops, each node named after its Keras layer.
    WeightStore weights = loaded ? std::move(*loaded)
                          : keras::is_keras_file(model.weights_path)
                              ? WeightStore::from_tensors(
                                    keras::manifest_tensors_from_keras(doc, file, model.weights_path), model.weights_path)
                              : WeightStore::load(model.weights_path);

    const auto& nodes = required(file, doc, "nodes");
    if (!nodes.is_array() || nodes.empty()) fail_field(file, "nodes", "must be a non-empty list of nodes");
    std::vector<std::pair<std::string, Shape>> defined;
    std::vector<const nlohmann::json*> specs;  // the manifest object of each node of `defined`
    for (size_t k = 0; k < nodes.size(); ++k) {
        const auto& spec = nodes[k];
        const std::string where = "nodes[" + std::to_string(k) + "]";
        if (!spec.is_object()) fail_field(file, where, "must be an object");
        auto name_it = spec.find("name");
        if (name_it == spec.end() || !name_it->is_string() || name_it->get<std::string>().empty())
            fail_field(file, where + ".name", "every node needs a non-empty string name");
        const std::string name = name_it->get<std::string>();
        if (name == "tokens")
            fail_node(file, name, "name", "", "'tokens' is the graph input and cannot name a node");
        for (const auto& d : defined)
            if (d.first == name) fail_node(file, name, "name", "", "the name is used twice");
        auto op_it = spec.find("op");
        if (op_it == spec.end() || !op_it->is_string()) fail_node(file, name, "op", "", "missing required field");
        const auto kind = op_kind_from_name(op_it->get<std::string>());
        if (!kind) fail_node(file, name, "op", "", "unknown op " + quoted_excerpt(op_it->get<std::string>()));

        std::vector<bool> used_before;
        for (const auto& [tn, t] : weights.tensors()) used_before.push_back(t.used);

        BuildContext ctx(file, spec, name, defined, weights, specs);
        BuiltOp built = build_node(*kind, ctx);

        Node node;
        node.name = name;
        node.op = *kind;
        node.inputs = input_names(spec);
        node.config = spec;
        node.output = built.output;
        node.impl = std::move(built.op);
        // The node's parameters are the tensors its builder claimed.
        size_t i = 0;
        for (const auto& [tn, t] : weights.tensors()) {
            if (t.used && !used_before[i]) {
                node.parameters += static_cast<int64_t>(t.data.size());
                node.tensors.push_back(tn);
            }
            ++i;
        }
        if (*kind == OpKind::Embedding) {
            const auto rows = weights.find(name + ".weight")->shape[0];
            if (rows < static_cast<int64_t>(model.tokenizer.vocab.size()))
                fail_node(file, name, "", name + ".weight",
                          "has " + std::to_string(rows) + " rows but the tokenizer vocabulary has " +
                              std::to_string(model.tokenizer.vocab.size()) + " entries");
        }
        defined.emplace_back(name, node.output);
        specs.push_back(&spec);
        model.nodes.push_back(std::move(node));
    }

    const std::string output = required_string(file, doc, "output");
    for (size_t k = 0; k < model.nodes.size(); ++k)
        if (model.nodes[k].name == output) model.output_node = static_cast<int>(k);
    const std::string shown_output = quoted_excerpt(output, kMaxNameCodePoints);
    if (model.output_node < 0) fail_field(file, "output", shown_output + " is not a node of the graph");
    const Shape out_shape = model.nodes[static_cast<size_t>(model.output_node)].output;
    if (model.task == Task::Classification && out_shape.rows != Rows::One)
        fail_field(file, "output", "task 'classification' needs a 1-row output, but " + shown_output + " is " +
                                       out_shape.to_string());
    if (model.task == Task::Tagging && out_shape.rows != Rows::Tokens)
        fail_field(file, "output", "task 'tagging' needs one row per token, but " + shown_output + " is " +
                                       out_shape.to_string());
    if (!model.labels.empty() && static_cast<int>(model.labels.size()) != out_shape.cols)
        fail_field(file, "labels", "has " + std::to_string(model.labels.size()) + " names but the output " +
                                       shown_output + " has " + std::to_string(out_shape.cols) + " columns");

    if (auto it = doc.find("checks"); it != doc.end() && !it->is_null()) model.checks = parse_checks(file, *it);

    for (const auto& name : weights.unused())
        model.warnings.push_back(model.weights_path + ": tensor " + quoted_excerpt(name, kMaxNameCodePoints) +
                                 " is not used by any node");
    return model;
}

}  // namespace lstmscope
