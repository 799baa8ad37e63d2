#include "engine/keras/custom_layers.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/error.h"

namespace lstmscope::keras {

using nlohmann::json;

namespace {

const char* kHowToMap =
    "describe what it computes in a custom-layer mapping file and pass it with --custom-layers FILE "
    "(README, \"Custom Keras layers\")";

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t k = 0; k < shape.size(); ++k) s += (k ? ", " : "") + std::to_string(shape[k]);
    return s + "]";
}

std::string weights_text(const std::vector<NamedWeight>& w) {
    if (w.empty()) return "no weights";
    std::string s;
    for (const auto& nw : w) s += (s.empty() ? "" : ", ") + short_weight_name(nw.name) + " " + shape_text(nw.array.shape);
    return s;
}

// The weight a mapping entry names: a Keras weight name or a position.
const NamedWeight& pick(const Converter& cv, const Layer& layer, const std::vector<NamedWeight>& w, const json& ref,
                        const std::string& target) {
    if (ref.is_number_integer()) {
        const int k = ref.get<int>();
        if (k < 0 || k >= static_cast<int>(w.size()))
            cv.fail(layer, "the mapping for '" + target + "' names weight #" + std::to_string(k) + ", the layer has " +
                               weights_text(w));
        return w[static_cast<size_t>(k)];
    }
    if (!ref.is_string()) cv.fail(layer, "the mapping for '" + target + "' must name a weight or its position");
    const std::string want = ref.get<std::string>();
    for (const auto& nw : w)
        if (nw.name == want || short_weight_name(nw.name) == want) return nw;
    cv.fail(layer, "the mapping for '" + target + "' names weight '" + want + "', the layer has " + weights_text(w));
}

Sym emit_custom_pool(Converter& cv, const Layer& layer, const Sym& x, const std::string& score,
                     const std::map<std::string, StoredTensor>& tensors) {
    const std::string name = cv.unique_name(layer.name);
    cv.add_node({{"name", name}, {"op", "attention_pool"}, {"input", x.node}, {"score", score}});
    for (const auto& [suffix, t] : tensors) cv.add_tensor(name + "." + suffix, t.shape, t.data);
    return Converter::value(name, false, x.width, layer.name);
}

StoredTensor as_row(const Hdf5Array& a) {
    StoredTensor t;
    t.shape = {1, static_cast<int64_t>(a.values.size())};
    t.data = a.values;
    return t;
}

StoredTensor as_vector(const Hdf5Array& a) {
    StoredTensor t;
    t.shape = {static_cast<int64_t>(a.values.size())};
    t.data = a.values;
    return t;
}

Sym emit_feature_attention(Converter& cv, const Layer& layer, const Sym& x,
                           const std::map<std::string, StoredTensor>& tensors) {
    const std::string name = cv.unique_name(layer.name);
    cv.add_node({{"name", name}, {"op", "feature_attention"}, {"input", x.node}});
    for (const auto& [suffix, t] : tensors) cv.add_tensor(name + "." + suffix, t.shape, t.data);
    return Converter::value(name, false, x.width, layer.name);
}

Syms from_mapping(Converter& cv, const Layer& layer, const Sym& x, const json& spec, const std::string& map_file) {
    const auto w = cv.weights_of(layer);
    const std::string op = spec.value("op", "");
    if (op != "attention_pool" && op != "feature_attention")
        cv.fail(layer, "is mapped by " + map_file + " to op '" + op +
                           "'; a custom layer can be an attention_pool or a feature_attention");
    const std::string score = spec.value("score", "tanh_proj");
    std::map<std::string, StoredTensor> tensors;
    const json weights = spec.value("weights", json::object());
    if (!weights.is_object()) cv.fail(layer, map_file + ": 'weights' must map tensor suffixes to Keras weights");
    for (const auto& [target, ref] : weights.items()) {
        const bool transpose = ref.is_object() && ref.value("transpose", false);
        const NamedWeight& nw = pick(cv, layer, w, ref.is_object() ? ref.value("from", json()) : ref, target);
        if (transpose) {
            if (nw.array.shape.size() != 2) cv.fail(layer, "the mapping transposes '" + nw.name + "', which is not 2-D");
            StoredTensor t;
            t.shape = {nw.array.shape[1], nw.array.shape[0]};
            t.data = transposed(nw.array);
            tensors[target] = std::move(t);
        } else if (target == "context.weight") {
            tensors[target] = as_row(nw.array);  // Keras' [D, 1] is our [1, D]
        } else if (nw.array.shape.size() == 2 && target.find("weight") != std::string::npos) {
            StoredTensor t;
            t.shape = nw.array.shape;
            t.data = nw.array.values;
            tensors[target] = std::move(t);
        } else {
            tensors[target] = as_vector(nw.array);
        }
    }
    if (op == "feature_attention") {
        cv.note("layer '" + layer.name + "' (" + layer.class_name + "): mapped by " + map_file + " to feature_attention");
        return {emit_feature_attention(cv, layer, x, tensors)};
    }
    cv.note("layer '" + layer.name + "' (" + layer.class_name + "): mapped by " + map_file + " to attention_pool, score " + score);
    return {emit_custom_pool(cv, layer, x, score, tensors)};
}

}  // namespace

CustomLayerMap read_custom_layer_map(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::model, path, std::string("cannot open the custom-layer mapping file (") + std::strerror(errno) + ")");
    std::stringstream buffer;
    buffer << in.rdbuf();
    json doc;
    try {
        doc = json::parse(buffer.str(), [](int depth, json::parse_event_t, json&) {
            if (depth > 64) throw Error("nested more than 64 levels deep");
            return true;
        });
    } catch (const json::exception& e) {
        throw Error(ErrorKind::model, path, std::string("the custom-layer mapping file is not valid JSON (") + e.what() + ")");
    } catch (const Error& e) {
        throw Error(ErrorKind::model, path, e.what());
    }
    if (!doc.is_object() || !doc.contains("layers") || !doc["layers"].is_object())
        throw Error(ErrorKind::model, path, "a custom-layer mapping file is an object with \"layers\": {\"ClassName\": {...}}");
    CustomLayerMap map;
    map.file = path;
    for (const auto& [cls, spec] : doc["layers"].items()) {
        if (!spec.is_object()) throw Error(ErrorKind::model, path, "layers." + cls + ": must be an object with \"op\"");
        map.classes[cls] = spec;
    }
    return map;
}

Syms convert_custom_layer(Converter& cv, const Layer& layer, const Syms& in, const CustomLayerMap& map) {
    if (layer.class_name == "Lambda")
        cv.fail(layer, "is a Lambda layer: its Python code is not in the file, so lstmscope cannot run it; rebuild the "
                       "model with stock layers, or replace the Lambda with a custom layer and " + std::string(kHowToMap));
    const Sym& x = cv.value_input(layer, single_input(cv, layer, in));
    if (auto it = map.classes.find(layer.class_name); it != map.classes.end())
        return from_mapping(cv, layer, x, it->second, map.file);
    const auto w = cv.weights_of(layer);
    const int64_t d = x.width;
    auto shape_is = [](const Hdf5Array& a, std::vector<int64_t> s) { return a.shape == s; };
    if (x.sequence && (w.size() == 1 || w.size() == 2) && shape_is(w[0].array, {d, 1}) &&
        (w.size() == 1 || w[1].array.values.size() == 1)) {
        std::map<std::string, StoredTensor> t{{"context.weight", as_row(w[0].array)}};
        if (w.size() == 2) t["context.bias"] = as_vector(w[1].array);
        cv.note("layer '" + layer.name + "' (" + layer.class_name + ", " + weights_text(w) +
                "): recognised as attention pooling a = softmax(tanh(x W + b)), output sum a x; if the layer computes "
                "something else, " + kHowToMap);
        return {emit_custom_pool(cv, layer, x, "tanh_linear", t)};
    }
    if (x.sequence && (w.size() == 2 || w.size() == 3) && w[0].array.shape.size() == 2 && w[0].array.shape[0] == d) {
        const int64_t a = w[0].array.shape[1];
        const Hdf5Array& u = w.back().array;
        const bool has_bias = w.size() == 3 && w[1].array.values.size() == static_cast<size_t>(a);
        if (a > 1 && u.values.size() == static_cast<size_t>(a) && (w.size() == 2 || has_bias)) {
            StoredTensor proj;
            proj.shape = {a, d};
            proj.data = transposed(w[0].array);
            std::map<std::string, StoredTensor> t{{"proj.weight", proj}, {"context.weight", as_row(u)}};
            if (has_bias) t["proj.bias"] = as_vector(w[1].array);
            cv.note("layer '" + layer.name + "' (" + layer.class_name + ", " + weights_text(w) +
                    "): recognised as attention pooling a = softmax(u . tanh(x W + b)), output sum a x; if the layer "
                    "computes something else, " + kHowToMap);
            return {emit_custom_pool(cv, layer, x, "tanh_proj", t)};
        }
    }
    // W [T, T] and b [T] over the model's T positions: attention over time
    // taken per feature (feature_attention).
    if (x.sequence && cv.fixed_length && (w.size() == 1 || w.size() == 2)) {
        const int64_t t = *cv.fixed_length;
        if (shape_is(w[0].array, {t, t}) && (w.size() == 1 || w[1].array.values.size() == static_cast<size_t>(t))) {
            StoredTensor weight;
            weight.shape = {t, t};
            weight.data = w[0].array.values;
            std::map<std::string, StoredTensor> tensors{{"weight", weight}};
            if (w.size() == 2) tensors["bias"] = as_vector(w[1].array);
            cv.note("layer '" + layer.name + "' (" + layer.class_name + ", " + weights_text(w) +
                    "): recognised as attention over the " + std::to_string(t) +
                    " positions taken per feature, a = softmax over time of tanh(x^T W + b), output sum a x; if the "
                    "layer computes something else, " + kHowToMap);
            return {emit_feature_attention(cv, layer, x, tensors)};
        }
    }
    cv.fail(layer, "is a custom layer (" + weights_text(w) + ") that lstmscope does not recognise; " + kHowToMap);
}

}  // namespace lstmscope::keras
