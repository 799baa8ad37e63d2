#include "engine/keras/keras_import.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

#include "engine/keras/custom_layers.h"
#include "engine/keras/hdf5_file.h"
#include "engine/keras/keras_archive.h"
#include "engine/keras/keras_config.h"
#include "engine/keras/keras_tokenizer.h"
#include "engine/keras/keras_weights.h"
#include "engine/keras/keras_yaml.h"
#include "engine/keras/layer_converters.h"

namespace lstmscope::keras {

using nlohmann::json;

namespace {

std::string read_file(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::model, path, std::string("cannot open the ") + what + " (" + std::strerror(errno) + ")");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// The architecture from --architecture: to_json() output, or to_yaml()
// output (possibly YAML-encoded twice, as some projects saved it).
ModelConfig read_architecture(const std::string& path) {
    const std::string text = read_file(path, "architecture file");
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '{') return parse_model_config(text, path);
    return parse_model_config(keras_yaml_to_json(text, path), path);
}

using Converter_fn = std::function<Syms(Converter&, const Layer&, const Syms&, const json&)>;

template <Syms (*F)(Converter&, const Layer&, const Syms&)>
Syms plain(Converter& cv, const Layer& l, const Syms& in, const json&) {
    return F(cv, l, in);
}

Syms pass_through(Converter& cv, const Layer& l, const Syms& in, const json&) { return {single_input(cv, l, in)}; }

// Every Keras class lstmscope maps, by class_name. Anything else is a
// custom layer (custom_layers.h) or, for Keras' own classes listed in
// kUnsupported, a clear refusal.
const std::map<std::string, Converter_fn>& converters() {
    static const std::map<std::string, Converter_fn> table{
        {"Embedding", plain<convert_embedding>},
        {"Dense", plain<convert_dense>},
        {"TimeDistributed", plain<convert_time_distributed>},
        {"Activation", plain<convert_activation>},
        {"Softmax", plain<convert_softmax>},
        {"Concatenate", plain<convert_merge>},
        {"Add", plain<convert_merge>},
        {"GlobalMaxPooling1D", plain<convert_global_pool>},
        {"GlobalMaxPool1D", plain<convert_global_pool>},
        {"GlobalAveragePooling1D", plain<convert_global_pool>},
        {"GlobalAvgPool1D", plain<convert_global_pool>},
        {"Flatten", plain<convert_flatten>},
        {"Reshape", plain<convert_flatten>},
        {"LayerNormalization", plain<convert_normalization>},
        {"BatchNormalization", plain<convert_normalization>},
        {"BatchNormalizationV1", plain<convert_normalization>},
        {"BatchNormalizationV2", plain<convert_normalization>},
        {"LSTM", plain<convert_recurrent>},
        {"UnifiedLSTM", plain<convert_recurrent>},
        {"LSTMV2", plain<convert_recurrent>},
        {"GRU", plain<convert_recurrent>},
        {"UnifiedGRU", plain<convert_recurrent>},
        {"GRUV2", plain<convert_recurrent>},
        {"CuDNNLSTM", plain<convert_recurrent>},
        {"CuDNNGRU", plain<convert_recurrent>},
        {"Bidirectional", plain<convert_recurrent>},
        {"Permute", plain<convert_permute>},
        {"Dot", plain<convert_dot>},
        {"Attention", convert_attention_layer},
        {"AdditiveAttention", convert_attention_layer},
        {"MultiHeadAttention", convert_multihead_attention},
        // Identity at inference.
        {"Dropout", pass_through},
        {"SpatialDropout1D", pass_through},
        {"GaussianNoise", pass_through},
        {"GaussianDropout", pass_through},
        {"AlphaDropout", pass_through},
        {"ActivityRegularization", pass_through},
    };
    return table;
}

const char* const kUnsupported[] = {"Multiply", "Subtract", "Average", "Maximum", "Minimum", "RepeatVector",
                                    "Conv1D", "MaxPooling1D", "AveragePooling1D", "SimpleRNN", "ConvLSTM1D",
                                    "Masking", "Cropping1D", "ZeroPadding1D", "UpSampling1D", "Functional",
                                    "Sequential", "Model", "RNN", "StackedRNNCells", "TextVectorization"};

// The model's input length, when training fixed it (InputLayer batch_shape
// [null, L], or Keras 2's batch_input_shape / Embedding input_length).
std::optional<int> fixed_length(const ModelConfig& config) {
    for (const Layer& l : config.layers) {
        for (const char* key : {"batch_shape", "batch_input_shape"}) {
            const json s = l.config.value(key, json());
            if (s.is_array() && s.size() == 2 && s[1].is_number_integer() && s[1].get<int>() > 0) return s[1].get<int>();
        }
        if (l.class_name == "Embedding") {
            const json n = l.config.value("input_length", json());
            if (n.is_number_integer() && n.get<int>() > 0) return n.get<int>();
            break;
        }
    }
    return std::nullopt;
}

std::string ref_key(const TensorRef& r) { return r.layer + ":" + std::to_string(r.node) + ":" + std::to_string(r.tensor); }

struct Source {
    std::optional<Hdf5File> hdf5;
    std::string config_text;   // empty: weights only
    std::string keras_version;
};

Source open_source(const std::string& path) {
    Source s;
    if (looks_like_zip(path)) {
        KerasArchive archive = read_keras_archive(path);
        s.config_text = archive.config_json;
        s.hdf5.emplace(Hdf5File::from_memory(std::move(archive.weights_h5), path + "!model.weights.h5"));
        if (!archive.metadata_json.empty()) {
            try {
                s.keras_version = json::parse(archive.metadata_json).value("keras_version", "3");
            } catch (const json::exception&) {
                s.keras_version = "3";
            }
        }
        if (s.keras_version.empty()) s.keras_version = "3";
        return s;
    }
    s.hdf5.emplace(path);
    const Hdf5File& f = *s.hdf5;
    s.config_text = f.string_attribute("/", "model_config").value_or("");
    s.keras_version = f.string_attribute("/", "keras_version").value_or("");
    if (s.keras_version.empty() && f.is_group("/model_weights"))
        s.keras_version = f.string_attribute("/model_weights", "keras_version").value_or("");
    return s;
}

// A binary classifier's Dense(1, sigmoid) as Dense(2, softmax) with a zero
// first row: softmax([0, z]) = [1 - sigmoid(z), sigmoid(z)], the same
// probability, now as the two classes every view, the trace's arg-max and
// the corpus accuracy understand (one column would always "predict" 0).
void two_class_output(Converter& cv, const std::string& node) {
    for (auto& n : cv.nodes())
        if (n["name"] == node) n["activation"] = "softmax";
    auto& t = cv.tensors();
    StoredTensor& w = t.at(node + ".weight");
    std::vector<float> weight(w.data.size(), 0.0f);
    weight.insert(weight.end(), w.data.begin(), w.data.end());
    w.shape = {2, w.shape[1]};
    w.data = std::move(weight);
    if (auto b = t.find(node + ".bias"); b != t.end()) {
        b->second.shape = {2};
        b->second.data = {0.0f, b->second.data.at(0)};
    }
    cv.note("the output Dense(1, sigmoid) is shown as two classes, 0 and 1, with probabilities 1 - p and p "
            "(p: the model's own output, now column 1)");
}

}  // namespace

bool is_keras_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char head[8] = {};
    if (!in.read(head, 8)) return false;
    static const char hdf5[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
    return std::memcmp(head, hdf5, 8) == 0 || std::memcmp(head, "PK\x03\x04", 4) == 0;
}

MissingParts missing_parts(const std::string& path, const ImportOptions& options) {
    MissingParts m;
    m.vocabulary = options.tokenizer.empty();
    if (options.architecture.empty() && !looks_like_zip(path)) {
        try {
            const Hdf5File f(path);
            m.architecture = !f.has_attribute("/", "model_config");
        } catch (const Error&) {
        }
    }
    return m;
}

ImportedModel import_keras(const std::string& path, const ImportOptions& options) {
    Source source = open_source(path);
    ModelConfig config;
    if (!options.architecture.empty()) config = read_architecture(options.architecture);
    else if (!source.config_text.empty()) config = parse_model_config(source.config_text, path);
    else
        throw NeedsArchitecture(ErrorKind::model, path,
                                "the file holds weights only (saved with save_weights, no model_config); "
                                "give the architecture with --architecture FILE (model.to_json() or "
                                "model.to_yaml() output)");
    std::optional<CustomLayerMap> custom;
    if (!options.custom_layers.empty()) custom = read_custom_layer_map(options.custom_layers);
    const CustomLayerMap no_map;

    const KerasWeights weights(*source.hdf5, config);
    Converter cv(config, weights, path, source.keras_version);
    cv.fixed_length = fixed_length(config);
    std::map<std::string, Sym> syms;
    Sym tokens;
    tokens.kind = Sym::Kind::Tokens;
    tokens.made_by = "the input";
    for (const Layer& layer : config.layers) {
        if (layer.class_name == "InputLayer") {
            syms[ref_key({layer.name, 0, 0})] = tokens;
            continue;
        }
        std::vector<std::vector<TensorRef>> calls = layer.calls;
        std::vector<json> kwargs = layer.call_kwargs;
        if (calls.empty()) {  // a Sequential's first layer reads the model input
            calls = {{}};
            kwargs = {json()};
        }
        for (size_t k = 0; k < calls.size(); ++k) {
            Syms in;
            for (const TensorRef& r : calls[k]) {
                auto it = syms.find(ref_key(r));
                if (it == syms.end())
                    cv.fail(layer, "reads output " + std::to_string(r.tensor) + " of layer '" + r.layer +
                                       "', which lstmscope did not get from it (a layer with several outputs?)");
                in.push_back(it->second);
            }
            if (in.empty()) in.push_back(tokens);
            const json& kw = k < kwargs.size() ? kwargs[k] : json();
            Syms out;
            if (auto c = converters().find(layer.class_name); c != converters().end()) {
                out = c->second(cv, layer, in, kw);
            } else {
                for (const char* name : kUnsupported)
                    if (layer.class_name == name)
                        cv.fail(layer, "is a Keras layer lstmscope does not map yet (README, \"Keras models\", lists "
                                       "what it maps)");
                out = convert_custom_layer(cv, layer, in, custom ? *custom : no_map);
            }
            for (size_t t = 0; t < out.size(); ++t) syms[ref_key({layer.name, static_cast<int>(k), static_cast<int>(t)})] = out[t];
        }
    }

    if (config.outputs.size() != 1)
        throw Error(ErrorKind::model, path, "the model has " + std::to_string(config.outputs.size()) +
                    " outputs; lstmscope shows models with one");
    const auto out_it = syms.find(ref_key(config.outputs[0]));
    if (out_it == syms.end()) throw Error(ErrorKind::model, path, "the output layer '" + config.outputs[0].layer + "' was not converted");
    const Layer* out_layer = config.find(config.outputs[0].layer);
    const Sym& out = cv.value_input(*out_layer, out_it->second);
    cv.prune(out.node);

    // The prediction: probabilities (a softmax or sigmoid at the end) are a
    // classification, one row per token a tagging, anything else a regression.
    std::string task = "regression";
    std::string last_activation;
    for (const auto& node : cv.nodes())
        if (node["name"] == out.node) last_activation = node.value("activation", node.value("function", std::string()));
    if (out.sequence) task = "tagging";
    else if (last_activation == "softmax" || last_activation == "log_softmax" || last_activation == "sigmoid")
        task = "classification";
    if (task == "classification" && last_activation == "sigmoid" && out.width == 1) two_class_output(cv, out.node);

    ImportedModel result;
    TokenizerRequest request{path, cv.embedding_rows, cv.fixed_length, cv.mask_zero};
    const json tokenizer = keras_tokenizer_manifest(options, request, cv.notes());
    const std::string stem = std::filesystem::path(path).stem().string();
    result.manifest = {
        {"format", "lstmscope-model"},
        {"format_version", 1},
        {"name", config.name.empty() ? stem : config.name},
        {"description", "Imported from the Keras " + (source.keras_version.empty() ? std::string("") : source.keras_version + " ") +
                            "file " + std::filesystem::path(path).filename().string()},
        {"weights", stem + ".safetensors"},
        {"tokenizer", tokenizer},
        {"task", task},
        {"output", out.node},
        {"nodes", cv.nodes()},
        {"metadata", {{"imported_from", std::filesystem::path(path).filename().string()},
                      {"keras_version", source.keras_version}}},
    };
    // Shown with the model (the GUI's model panel lists its metadata).
    if (!cv.notes().empty()) result.manifest["metadata"]["import_notes"] = cv.notes();
    result.tensors = std::move(cv.tensors());
    result.notes = std::move(cv.notes());
    return result;
}

}  // namespace lstmscope::keras
