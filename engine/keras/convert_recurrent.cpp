// LSTM, GRU and Bidirectional as `lstm` / `gru` nodes.
//
// Keras LSTM: kernel [in, 4H] and recurrent_kernel [H, 4H] with the gates in
// the order i, f, c, o (PyTorch's i, f, g, o), one bias [4H]: transposed
// they are weight_ih / weight_hh, and the bias is bias_ih.
// Keras GRU: gates in the order z, r, h; our rows (PyTorch's) are r, z, n,
// so the first two blocks swap. reset_after=True (the Keras 2.3+ default)
// stores the bias as [2, 3H]: input bias, recurrent bias.
#include "engine/keras/keras_tensors.h"
#include "engine/keras/layer_converters.h"

namespace lstmscope::keras {
namespace {

using nlohmann::json;

struct CellSpec {
    bool gru = false;
    int units = 0;
    bool use_bias = true;
    bool reset_after = true;
    bool return_sequences = false;
    std::string gate_activation;
};

CellSpec read_cell(Converter& cv, const Layer& layer, const std::string& cls, const json& c) {
    CellSpec s;
    s.gru = cls == "GRU" || cls == "UnifiedGRU" || cls == "GRUV2";
    if (cls == "CuDNNLSTM" || cls == "CuDNNGRU")
        cv.fail(layer, "is a " + cls + " (two biases per gate in cuDNN's layout); re-save it as LSTM/GRU");
    s.units = c.value("units", 0);
    if (s.units <= 0) cv.fail(layer, "has no positive 'units'");
    s.use_bias = c.value("use_bias", true);
    s.reset_after = c.value("reset_after", s.gru);
    s.return_sequences = c.value("return_sequences", false);
    if (c.value("return_state", false))
        cv.fail(layer, "returns its states (return_state=True); lstmscope's recurrent nodes return the sequence or the last state");
    if (c.value("go_backwards", false))
        cv.fail(layer, "runs backwards on its own (go_backwards=True outside a Bidirectional), which lstmscope lacks");
    if (c.value("time_major", false)) cv.fail(layer, "is time-major, which lstmscope lacks");
    const std::string act = c.value("activation", std::string("tanh"));
    if (act != "tanh") cv.fail(layer, "uses activation '" + act + "'; lstmscope's cells use tanh");
    const std::string rec = c.value("recurrent_activation", std::string(s.gru ? "sigmoid" : "sigmoid"));
    if (rec == "sigmoid") s.gate_activation = "sigmoid";
    // The same name, two functions: Keras 2's clip(0.2x + 0.5), Keras 3's relu6(x + 3) / 6.
    else if (rec == "hard_sigmoid") s.gate_activation = cv.keras3() ? "hard_sigmoid_keras3" : "hard_sigmoid";
    else cv.fail(layer, "uses recurrent_activation '" + rec + "'; lstmscope has sigmoid and hard_sigmoid");
    return s;
}

}  // namespace

Syms convert_recurrent(Converter& cv, const Layer& layer, const Syms& in) {
    const Sym& x = cv.value_input(layer, single_input(cv, layer, in));
    if (!x.sequence) cv.fail(layer, "reads " + x.describe() + "; a recurrent layer needs a sequence");
    const bool bidi = layer.class_name == "Bidirectional";
    const json inner = bidi ? layer.config.value("layer", json::object()) : json::object();
    const std::string cls = bidi ? inner.value("class_name", "") : layer.class_name;
    const CellSpec s = read_cell(cv, layer, cls, bidi ? inner.value("config", json::object()) : layer.config);
    std::string merge = "concat";
    if (bidi) {
        const json m = layer.config.value("merge_mode", json("concat"));
        if (!m.is_string())
            cv.fail(layer, "has merge_mode None (two separate outputs); lstmscope merges the directions (concat, sum, mul, ave)");
        merge = m.get<std::string>();
        if (merge != "concat" && merge != "sum" && merge != "mul" && merge != "ave")
            cv.fail(layer, "has merge_mode '" + merge + "'; lstmscope has concat, sum, mul and ave");
    }
    const auto w = cv.weights_of(layer);
    const size_t per_direction = s.use_bias ? 3 : 2;
    if (w.size() != per_direction * (bidi ? 2 : 1))
        cv.fail(layer, "should have " + std::to_string(per_direction * (bidi ? 2 : 1)) + " weights, the file has " +
                           std::to_string(w.size()));
    const std::string name = cv.unique_name(layer.name);
    json node{{"name", name}, {"op", s.gru ? "gru" : "lstm"}, {"input", x.node}, {"hidden_size", s.units}};
    if (bidi) {
        node["bidirectional"] = true;
        node["merge"] = merge;
    }
    node["return"] = s.return_sequences ? "sequence" : "last";
    if (s.gate_activation != "sigmoid") node["gate_activation"] = s.gate_activation;
    if (s.gru) node["reset_after"] = s.reset_after;
    cv.add_node(node);
    const std::string where = cv.file() + ": layer '" + layer.name + "' (" + layer.class_name + ")";
    Tensors tensors;
    recurrent_direction_tensors(where, name, "", s.gru, s.reset_after, s.units, x.width, s.use_bias, w.data(), tensors);
    if (bidi)
        recurrent_direction_tensors(where, name, "_reverse", s.gru, s.reset_after, s.units, x.width, s.use_bias,
                                    w.data() + per_direction, tensors);
    for (auto& [n, t] : tensors) cv.add_tensor(n, t.shape, std::move(t.data));
    const int width = bidi && merge == "concat" ? 2 * s.units : s.units;
    return {Converter::value(name, s.return_sequences, width, layer.name)};
}

}  // namespace lstmscope::keras
