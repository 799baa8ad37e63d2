// LSTM, GRU and Bidirectional as `lstm` / `gru` nodes.
//
// Keras LSTM: kernel [in, 4H] and recurrent_kernel [H, 4H] with the gates in
// the order i, f, c, o (PyTorch's i, f, g, o), one bias [4H]: transposed
// they are weight_ih / weight_hh, and the bias is bias_ih.
// Keras GRU: gates in the order z, r, h; our rows (PyTorch's) are r, z, n,
// so the first two blocks swap. reset_after=True (the Keras 2.3+ default)
// stores the bias as [2, 3H]: input bias, recurrent bias.
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

// The block order of Keras' gate columns as our row blocks: identity for an
// LSTM, z r h -> r z n for a GRU.
std::vector<float> reorder_gates(const std::vector<float>& rows, int64_t cols, int units, bool gru) {
    if (!gru) return rows;
    const int64_t block = static_cast<int64_t>(units) * cols;
    std::vector<float> out(rows.size());
    std::copy(rows.begin() + block, rows.begin() + 2 * block, out.begin());          // r
    std::copy(rows.begin(), rows.begin() + block, out.begin() + block);              // z
    std::copy(rows.begin() + 2 * block, rows.end(), out.begin() + 2 * block);        // n
    return out;
}

// One direction's three (or two) Keras weights as our tensors.
void add_direction(Converter& cv, const Layer& layer, const std::string& node, const std::string& suffix,
                   const CellSpec& s, const NamedWeight* w, int input_width) {
    const int gates = s.gru ? 3 : 4;
    const int64_t rows = static_cast<int64_t>(gates) * s.units;
    const auto& kernel = w[0].array;
    const auto& rec = w[1].array;
    auto expect = [&](const Hdf5Array& a, std::vector<int64_t> shape, const std::string& what) {
        if (a.shape != shape) {
            std::string got, want;
            for (auto d : a.shape) got += (got.empty() ? "" : ", ") + std::to_string(d);
            for (auto d : shape) want += (want.empty() ? "" : ", ") + std::to_string(d);
            cv.fail(layer, what + " has shape [" + got + "], expected [" + want + "]");
        }
    };
    expect(kernel, {input_width, rows}, "the kernel '" + w[0].name + "'");
    expect(rec, {s.units, rows}, "the recurrent kernel '" + w[1].name + "'");
    cv.add_tensor(node + ".weight_ih_l0" + suffix, {rows, input_width},
                  reorder_gates(transposed(kernel), input_width, s.units, s.gru));
    cv.add_tensor(node + ".weight_hh_l0" + suffix, {rows, s.units},
                  reorder_gates(transposed(rec), s.units, s.units, s.gru));
    if (!s.use_bias) return;
    const auto& bias = w[2].array;
    if (s.gru && s.reset_after) {
        expect(bias, {2, rows}, "the bias '" + w[2].name + "'");
        cv.add_tensor(node + ".bias_ih_l0" + suffix, {rows}, reorder_gates(slice_rows(bias.values, rows, 0, 1), 1, s.units, true));
        cv.add_tensor(node + ".bias_hh_l0" + suffix, {rows}, reorder_gates(slice_rows(bias.values, rows, 1, 1), 1, s.units, true));
    } else {
        expect(bias, {rows}, "the bias '" + w[2].name + "'");
        cv.add_tensor(node + ".bias_ih_l0" + suffix, {rows}, reorder_gates(bias.values, 1, s.units, s.gru));
    }
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
    add_direction(cv, layer, name, "", s, w.data(), x.width);
    if (bidi) add_direction(cv, layer, name, "_reverse", s, w.data() + per_direction, x.width);
    const int width = bidi && merge == "concat" ? 2 * s.units : s.units;
    return {Converter::value(name, s.return_sequences, width, layer.name)};
}

}  // namespace lstmscope::keras
