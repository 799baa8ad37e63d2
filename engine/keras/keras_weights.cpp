#include "engine/keras/keras_weights.h"

#include "engine/error.h"
#include "engine/keras/keras3_weights.h"

namespace lstmscope::keras {

KerasWeights::KerasWeights(const Hdf5File& file, const ModelConfig& model) : file_(file), model_(model) {
    if (file.is_group("/model_weights")) {
        root_ = "/model_weights";
    } else if (is_keras3_weights_layout(file)) {
        root_ = "/layers";
        keras3_ = true;
    } else {
        root_ = "/";
    }
}

std::vector<std::string> KerasWeights::layer_names() const {
    if (keras3_) {
        std::vector<std::string> names;
        for (const auto& [layer, group] : keras3_layer_groups(file_, model_)) names.push_back(layer);
        return names;
    }
    std::vector<std::string> names = file_.string_list_attribute(root_, "layer_names");
    if (names.empty()) names = file_.members(root_);
    return names;
}

std::vector<NamedWeight> KerasWeights::layer(const std::string& layer_name) const {
    std::vector<NamedWeight> out;
    if (keras3_) {
        // Keras writes no group for a layer without variables.
        const auto groups = keras3_layer_groups(file_, model_);
        const auto it = groups.find(layer_name);
        if (it == groups.end() || !file_.is_group(it->second)) return out;
        std::vector<Hdf5Array> arrays = keras3_layer_weights(file_, model_, layer_name);
        for (size_t k = 0; k < arrays.size(); ++k) out.push_back({"vars/" + std::to_string(k), std::move(arrays[k])});
        return out;
    }
    const std::string group = (root_ == "/" ? "" : root_) + "/" + layer_name;
    if (!file_.is_group(group)) {
        // A layer without weights may be missing from a weights-only file.
        throw Error(ErrorKind::model, file_.path(), "layer '" + layer_name + "': the file stores no weights for it (no group " +
                    group + ")");
    }
    for (const std::string& name : file_.string_list_attribute(group, "weight_names"))
        out.push_back({name, file_.read_array(group + "/" + name)});
    return out;
}

std::string short_weight_name(const std::string& name) {
    std::string s = name;
    if (const auto colon = s.rfind(':'); colon != std::string::npos) s.resize(colon);
    if (const auto slash = s.rfind('/'); slash != std::string::npos) s = s.substr(slash + 1);
    return s;
}

}  // namespace lstmscope::keras
