// A loaded model: the manifest turned into typed structs and built ops. Once
// `Model::load` returns, every shape in the graph has been checked, so the
// model runs on any text.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/import_options.h"
#include "engine/op.h"
#include "engine/safetensors.h"
#include "engine/shape.h"
#include "engine/tokenizer.h"

namespace lstmscope {

enum class Task { Classification, Tagging, Regression };

struct Node {
    std::string name;
    OpKind op = OpKind::Dropout;
    std::vector<std::string> inputs;  // names, as written in the manifest
    Shape output;
    int64_t parameters = 0;           // number of weight values the node uses
    std::vector<std::string> tensors; // the names of the weights it uses, sorted
    // The node's manifest object as read (every field known to its op; the
    // teaching views read e.g. an attention's "score" from it).
    nlohmann::json config;
    std::unique_ptr<Op> impl;
};

struct Check {
    std::string text;
    std::vector<std::vector<double>> output;
    double tolerance = 1e-4;
};

struct Model {
    std::string manifest_path;
    std::string weights_path;
    std::string name;
    std::string description;
    Task task = Task::Classification;
    std::vector<std::string> labels;
    TokenizerConfig tokenizer;
    std::vector<Node> nodes;
    int output_node = -1;
    nlohmann::json metadata;              // free-form, shown not interpreted
    std::vector<Check> checks;
    std::vector<std::string> warnings;    // e.g. unused tensors

    // Throws Error naming the file and the node/field/tensor. `path` is a
    // manifest, or a Keras file (.h5 / .keras, found by its first bytes)
    // that is converted on the way in; `options` says where the parts a
    // Keras file lacks come from (vocabulary, architecture, custom layers).
    static Model load(const std::string& path, const ImportOptions& options = {});
    // A manifest already parsed, with its weights; `file` names it in
    // messages and places relative paths. Without weights (nullopt), the
    // file the manifest's "weights" field names is read.
    static Model from_manifest(const nlohmann::json& manifest, const std::string& file,
                               std::optional<WeightStore> weights);
    int64_t parameter_count() const;
};

std::string_view task_name(Task task);

}  // namespace lstmscope
