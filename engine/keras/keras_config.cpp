#include "engine/keras/keras_config.h"

#include "engine/error.h"

namespace lstmscope::keras {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& file, const std::string& message) {
    throw Error(ErrorKind::model, file, "model_config: " + message);
}

// Keras 2: ["layer", node, tensor] or ["layer", node, tensor, {kwargs}].
bool is_history(const json& j) {
    return j.is_array() && j.size() >= 3 && j[0].is_string() && j[1].is_number_integer() && j[2].is_number_integer();
}

TensorRef history_ref(const json& j) { return {j[0].get<std::string>(), j[1].get<int>(), j[2].get<int>()}; }

// Keras 3: every {"class_name": "__keras_tensor__", "config": {"keras_history": [...]}}
// anywhere in a call's args, in order (a list argument such as Concatenate's
// or Dot's inputs holds several).
void collect_keras3(const json& j, std::vector<TensorRef>& out) {
    if (j.is_object()) {
        if (j.value("class_name", "") == "__keras_tensor__") {
            const json& h = j.at("config").at("keras_history");
            if (!is_history(h)) throw json::type_error::create(302, "keras_history is not [layer, node, tensor]", &j);
            out.push_back(history_ref(h));
            return;
        }
        for (const auto& [k, v] : j.items()) collect_keras3(v, out);
    } else if (j.is_array()) {
        for (const json& v : j) collect_keras3(v, out);
    }
}

void read_calls(Layer& layer, const json& inbound, const std::string& file) {
    if (inbound.is_null()) return;
    if (!inbound.is_array()) fail(file, "layer '" + layer.name + "': 'inbound_nodes' is not a list");
    for (const json& node : inbound) {
        std::vector<TensorRef> refs;
        json kwargs;
        if (node.is_object()) {  // Keras 3
            collect_keras3(node.value("args", json::array()), refs);
            kwargs = node.value("kwargs", json());
            // Attention layers are often called by keyword (mha(query=x,
            // value=x)): those tensors follow the positional ones, in the
            // layers' own argument order.
            if (kwargs.is_object())
                for (const char* key : {"query", "value", "key"})
                    if (auto it = kwargs.find(key); it != kwargs.end()) collect_keras3(*it, refs);
        } else if (node.is_array()) {  // Keras 2: a list of histories
            for (const json& h : node) {
                if (!is_history(h))
                    fail(file, "layer '" + layer.name + "': an inbound node entry is not [layer, node, tensor]");
                refs.push_back(history_ref(h));
                if (h.size() >= 4 && h[3].is_object() && !h[3].empty()) kwargs = h[3];
            }
        } else {
            fail(file, "layer '" + layer.name + "': an inbound node is neither a list nor an object");
        }
        layer.calls.push_back(std::move(refs));
        layer.call_kwargs.push_back(std::move(kwargs));
    }
}

// input_layers / output_layers: [["a", 0, 0], ...] or, for one tensor in
// Keras 3, just ["a", 0, 0].
std::vector<TensorRef> read_endpoints(const json& config, const char* key, const std::string& file) {
    std::vector<TensorRef> out;
    const auto it = config.find(key);
    if (it == config.end() || it->is_null()) return out;
    if (is_history(*it)) return {history_ref(*it)};
    if (!it->is_array()) fail(file, std::string("'") + key + "' is not a list");
    for (const json& h : *it) {
        if (!is_history(h)) fail(file, std::string("an entry of '") + key + "' is not [layer, node, tensor]");
        out.push_back(history_ref(h));
    }
    return out;
}

}  // namespace

const Layer* ModelConfig::find(const std::string& layer) const {
    for (const Layer& l : layers)
        if (l.name == layer) return &l;
    return nullptr;
}

ModelConfig parse_model_config(const json& root, const std::string& file) {
    try {
        if (!root.is_object()) fail(file, "is not a JSON object");
        ModelConfig m;
        m.class_name = root.value("class_name", "");
        if (m.class_name.empty()) fail(file, "has no 'class_name'");
        const json& config = root.at("config");
        // Keras 2.2 wrote a Sequential's config as the bare list of layers.
        const json& layers = config.is_array() ? config : config.at("layers");
        if (config.is_object()) m.name = config.value("name", "");
        if (!layers.is_array()) fail(file, "'layers' is not a list");
        const bool sequential = m.class_name == "Sequential";
        for (const json& l : layers) {
            Layer layer;
            layer.class_name = l.value("class_name", "");
            layer.config = l.value("config", json::object());
            layer.name = l.contains("name") && l["name"].is_string() ? l["name"].get<std::string>()
                                                                     : layer.config.value("name", "");
            if (layer.class_name.empty()) fail(file, "a layer has no 'class_name'");
            if (layer.name.empty()) fail(file, "a " + layer.class_name + " layer has no name");
            if (m.find(layer.name)) fail(file, "layer name '" + layer.name + "' is used twice");
            if (!sequential) read_calls(layer, l.value("inbound_nodes", json()), file);
            m.layers.push_back(std::move(layer));
        }
        if (m.layers.empty()) fail(file, "has no layers");
        if (sequential) {
            // Each layer reads the one before it; the first reads the input.
            for (size_t k = 1; k < m.layers.size(); ++k)
                if (m.layers[k].class_name != "InputLayer") {
                    size_t prev = k - 1;
                    m.layers[k].calls = {{TensorRef{m.layers[prev].name, 0, 0}}};
                    m.layers[k].call_kwargs = {json()};
                }
            m.outputs = {TensorRef{m.layers.back().name, 0, 0}};
            if (m.layers.front().class_name == "InputLayer") m.inputs = {TensorRef{m.layers.front().name, 0, 0}};
        } else {
            m.inputs = read_endpoints(config, "input_layers", file);
            m.outputs = read_endpoints(config, "output_layers", file);
            for (const Layer& layer : m.layers)
                for (const auto& call : layer.calls)
                    for (const TensorRef& r : call)
                        if (!m.find(r.layer))
                            fail(file, "layer '" + layer.name + "' reads '" + r.layer + "', which is not a layer");
            for (const TensorRef& r : m.outputs)
                if (!m.find(r.layer)) fail(file, "output '" + r.layer + "' is not a layer");
        }
        return m;
    } catch (const json::exception& e) {
        fail(file, std::string("unexpected structure (") + e.what() + ")");
    }
}

ModelConfig parse_model_config(const std::string& text, const std::string& file) {
    json j;
    try {
        j = json::parse(text, [](int depth, json::parse_event_t, json&) {
            if (depth > 256) throw Error("nested more than 256 levels deep");
            return true;
        });
    } catch (const json::exception& e) {
        fail(file, std::string("not valid JSON (") + e.what() + ")");
    } catch (const Error& e) {
        fail(file, e.what());
    }
    return parse_model_config(j, file);
}

}  // namespace lstmscope::keras
