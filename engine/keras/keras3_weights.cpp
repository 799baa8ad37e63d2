#include "engine/keras/keras3_weights.h"

#include <algorithm>
#include <cctype>

#include "engine/error.h"

namespace lstmscope::keras {
namespace {

constexpr const char* kLayers = "/layers";
constexpr const char* kLayers213 = "/_layer_checkpoint_dependencies";  // tf.keras 2.13
constexpr int kMaxNesting = 32;

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_word(char c) {  // Python's \w on a str: ASCII letters, digits, _ and any non-ASCII letter
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// The top group every layer sits under, or "" when there is none.
std::string top_group(const Hdf5File& f) {
    if (f.is_group(kLayers)) return kLayers;
    if (f.is_group(kLayers213)) return kLayers213;
    return "";
}

bool holds_a_dataset(const Hdf5File& f, const std::string& group, int depth = 0) {
    if (depth > kMaxNesting || !f.is_group(group)) return false;
    for (const std::string& m : f.members(group)) {
        const std::string path = group + "/" + m;
        if (f.is_dataset(path) || holds_a_dataset(f, path, depth + 1)) return true;
    }
    return false;
}

// A layer's variables are vars/0, vars/1, ..., vars/10: by number, not by
// name ("10" sorts before "2"). Names that are not numbers (a custom
// save_own_variables) come after, by name.
bool variable_order(const std::string& a, const std::string& b) {
    auto number = [](const std::string& s) {
        return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })
                   ? std::stol(s) : -1L;
    };
    const long na = number(a), nb = number(b);
    if ((na >= 0) != (nb >= 0)) return na >= 0;
    return na >= 0 ? na < nb : a < b;
}

// Sub-layers in the order their weights come in a legacy weight_names list
// (the order the layer created them), which is not the file's name order.
const std::vector<std::string>& sublayer_order() {
    static const std::vector<std::string> order = {
        "forward_layer", "backward_layer", "cell",          "query_dense",  "_query_dense",  "key_dense",
        "_key_dense",    "value_dense",    "_value_dense",  "output_dense", "_output_dense",
    };
    return order;
}

void collect(const Hdf5File& f, const std::string& group, int depth, std::vector<std::string>& out) {
    if (depth > kMaxNesting) throw Error(ErrorKind::model, f.path(), "group '" + group + "' is nested impossibly deep");
    const std::string vars = group + "/vars";
    if (f.is_group(vars)) {
        std::vector<std::string> names;
        for (const std::string& m : f.members(vars))
            if (f.is_dataset(vars + "/" + m)) names.push_back(m);
        std::sort(names.begin(), names.end(), variable_order);
        for (const std::string& n : names) out.push_back(vars + "/" + n);
    }
    std::vector<std::string> children;
    for (const std::string& m : f.members(group))
        if (m != "vars" && f.is_group(group + "/" + m)) children.push_back(m);  // members() gives name order
    const auto& order = sublayer_order();
    auto rank = [&](const std::string& m) {
        return static_cast<size_t>(std::find(order.begin(), order.end(), m) - order.begin());
    };
    std::stable_sort(children.begin(), children.end(),
                     [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    for (const std::string& c : children) collect(f, group + "/" + c, depth + 1, out);
}

}  // namespace

bool is_keras3_weights_layout(const Hdf5File& f) {
    // A legacy file names its layers in attributes; a legacy layer could
    // even be called "layers".
    if (f.has_attribute("/", "layer_names") || f.is_group("/model_weights")) return false;
    return !top_group(f).empty();
}

std::string keras3_class_key(const std::string& class_name) {
    std::string s;
    for (char c : class_name)
        if (is_word(c)) s += c;
    // re.sub("(.)([A-Z][a-z]+)", r"\1_\2", s): left to right, no overlaps.
    std::string a;
    for (size_t i = 0; i < s.size();) {
        if (i + 2 < s.size() && is_upper(s[i + 1]) && is_lower(s[i + 2])) {
            size_t end = i + 3;
            while (end < s.size() && is_lower(s[end])) ++end;
            a += s[i];
            a += '_';
            a.append(s, i + 1, end - i - 1);
            i = end;
        } else {
            a += s[i++];
        }
    }
    // re.sub("([a-z])([A-Z])", r"\1_\2", a).lower()
    std::string out;
    for (size_t i = 0; i < a.size(); ++i) {
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
        if (i + 1 < a.size() && is_lower(a[i]) && is_upper(a[i + 1])) out += '_';
    }
    return out;
}

std::map<std::string, std::string> keras3_layer_groups(const Hdf5File& f, const ModelConfig& model) {
    const std::string top = top_group(f);
    if (top.empty() || !is_keras3_weights_layout(f))
        throw Error(ErrorKind::model, f.path(), "the weights are not in the Keras 3 layout (no 'layers' group)");
    // Recent Keras writes each layer's name on its vars group.
    std::map<std::string, std::string> by_name;
    for (const std::string& m : f.members(top))
        if (auto name = f.string_attribute(top + "/" + m + "/vars", "name")) by_name.emplace(*name, top + "/" + m);
    std::map<std::string, std::string> out;
    std::map<std::string, int> used;  // _save_container_state's used_names
    auto unique = [&](const std::string& key) {
        auto [it, fresh] = used.emplace(key, 0);
        return fresh ? key : key + "_" + std::to_string(++it->second);
    };
    for (const Layer& layer : model.layers) {
        const std::string group = top + "/" + unique(keras3_class_key(layer.class_name));
        // tf.keras 2.13 listed each layer that has weights twice
        // (layer_with_weights-N and layer-N), and the second listing used
        // up a number: dense, (dense_1), dense_2.
        if (top == kLayers213 && holds_a_dataset(f, group)) unique(keras3_class_key(layer.class_name));
        const auto named = by_name.find(layer.name);
        out[layer.name] = named != by_name.end() ? named->second : group;
    }
    return out;
}

std::vector<std::string> keras3_variable_paths(const Hdf5File& f, const std::string& group) {
    if (!f.is_group(group)) throw Error(ErrorKind::model, f.path(), "there is no group '" + group + "'");
    std::vector<std::string> out;
    collect(f, group, 0, out);
    return out;
}

namespace {

std::vector<Hdf5Array> read_group(const Hdf5File& f, const std::string& group, const std::string& layer) {
    if (!f.is_group(group))
        throw Error(ErrorKind::model, f.path(), "layer '" + layer + "' has no weights in the file (no group '" + group + "')");
    std::vector<Hdf5Array> out;
    for (const std::string& path : keras3_variable_paths(f, group)) out.push_back(f.read_array(path));
    return out;
}

}  // namespace

std::vector<Hdf5Array> keras3_layer_weights(const Hdf5File& f, const std::string& key) {
    const std::string top = top_group(f);
    if (top.empty()) throw Error(ErrorKind::model, f.path(), "the weights are not in the Keras 3 layout (no 'layers' group)");
    return read_group(f, top + "/" + key, key);
}

std::vector<Hdf5Array> keras3_layer_weights(const Hdf5File& f, const ModelConfig& model, const std::string& layer_name) {
    if (!model.find(layer_name)) throw Error(ErrorKind::model, f.path(), "layer '" + layer_name + "' is not in the model's config");
    return read_group(f, keras3_layer_groups(f, model).at(layer_name), layer_name);
}

}  // namespace lstmscope::keras
