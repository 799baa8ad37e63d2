#include "engine/keras/keras_tensors.h"

#include <algorithm>

#include "engine/error.h"
#include "engine/keras/keras_graph.h"

namespace lstmscope::keras {

namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s;
    for (auto d : shape) s += (s.empty() ? "" : ", ") + std::to_string(d);
    return "[" + s + "]";
}

void expect_shape(const std::string& where, const NamedWeight& w, const std::vector<int64_t>& shape,
                  const std::string& what) {
    if (w.array.shape != shape)
        throw Error(ErrorKind::model, where, what + " '" + w.name + "' has shape " + shape_text(w.array.shape) + ", expected " +
                    shape_text(shape));
}

// The block order of Keras' gate columns as our row blocks.
std::vector<float> reorder_gates(const std::vector<float>& rows, int64_t cols, int units, bool gru) {
    if (!gru) return rows;
    const int64_t block = static_cast<int64_t>(units) * cols;
    std::vector<float> out(rows.size());
    std::copy(rows.begin() + block, rows.begin() + 2 * block, out.begin());    // r
    std::copy(rows.begin(), rows.begin() + block, out.begin() + block);        // z
    std::copy(rows.begin() + 2 * block, rows.end(), out.begin() + 2 * block);  // n
    return out;
}

}  // namespace

StoredTensor make_tensor(std::vector<int64_t> shape, std::vector<float> data) {
    StoredTensor t;
    t.shape = std::move(shape);
    t.data = std::move(data);
    return t;
}

void dense_tensors(const std::string& where, const std::string& node, const std::vector<NamedWeight>& w,
                   bool use_bias, Tensors& out) {
    if (w.size() != (use_bias ? 2u : 1u) || w[0].array.shape.size() != 2)
        throw Error(ErrorKind::model, where, "should have a kernel" + std::string(use_bias ? " and a bias" : "") +
                    ", the file has " + std::to_string(w.size()) + " weights");
    const int64_t n_in = w[0].array.shape[0], n_out = w[0].array.shape[1];
    out[node + ".weight"] = make_tensor({n_out, n_in}, transposed(w[0].array));
    if (use_bias) {
        expect_shape(where, w[1], {n_out}, "the bias");
        out[node + ".bias"] = make_tensor({n_out}, w[1].array.values);
    }
}

void recurrent_direction_tensors(const std::string& where, const std::string& node, const std::string& suffix,
                                 bool gru, bool reset_after, int units, int input_width, bool use_bias,
                                 const NamedWeight* w, Tensors& out) {
    const int64_t rows = static_cast<int64_t>(gru ? 3 : 4) * units;
    expect_shape(where, w[0], {input_width, rows}, "the kernel");
    expect_shape(where, w[1], {units, rows}, "the recurrent kernel");
    out[node + ".weight_ih_l0" + suffix] =
        make_tensor({rows, input_width}, reorder_gates(transposed(w[0].array), input_width, units, gru));
    out[node + ".weight_hh_l0" + suffix] =
        make_tensor({rows, units}, reorder_gates(transposed(w[1].array), units, units, gru));
    if (!use_bias) return;
    if (gru && reset_after) {
        expect_shape(where, w[2], {2, rows}, "the bias");
        out[node + ".bias_ih_l0" + suffix] =
            make_tensor({rows}, reorder_gates(slice_rows(w[2].array.values, rows, 0, 1), 1, units, true));
        out[node + ".bias_hh_l0" + suffix] =
            make_tensor({rows}, reorder_gates(slice_rows(w[2].array.values, rows, 1, 1), 1, units, true));
    } else {
        expect_shape(where, w[2], {rows}, "the bias");
        out[node + ".bias_ih_l0" + suffix] = make_tensor({rows}, reorder_gates(w[2].array.values, 1, units, gru));
    }
}

int64_t multihead_tensors(const std::string& where, const std::string& node, int heads, int key_dim,
                          const int widths[3], bool use_bias, const std::vector<NamedWeight>& w, Tensors& out) {
    if (w.size() != (use_bias ? 8u : 4u))
        throw Error(ErrorKind::model, where, "should have " + std::to_string(use_bias ? 8 : 4) + " weights, the file has " +
                    std::to_string(w.size()));
    const int64_t hd = static_cast<int64_t>(heads) * key_dim;
    size_t at = 0;
    const char* projections[] = {"q_proj", "k_proj", "v_proj"};
    for (int p = 0; p < 3; ++p) {
        const Hdf5Array& kernel = w[at++].array;
        if (kernel.values.size() != static_cast<size_t>(hd * widths[p]))
            throw Error(ErrorKind::model, where, "the " + std::string(projections[p]).substr(0, 1) + " kernel '" + w[at - 1].name +
                        "' has " + std::to_string(kernel.values.size()) + " values, expected " +
                        std::to_string(hd * widths[p]));
        out[node + "." + projections[p] + ".weight"] =
            make_tensor({hd, widths[p]}, transposed(Hdf5Array{{widths[p], hd}, kernel.values}));
        if (use_bias) out[node + "." + projections[p] + ".bias"] = make_tensor({hd}, w[at++].array.values);
    }
    const Hdf5Array& out_kernel = w[at++].array;
    const int64_t width = static_cast<int64_t>(out_kernel.values.size()) / hd;
    if (width * hd != static_cast<int64_t>(out_kernel.values.size()))
        throw Error(ErrorKind::model, where, "the output kernel '" + w[at - 1].name + "' does not fit " + std::to_string(heads) +
                    " heads of " + std::to_string(key_dim));
    out[node + ".out_proj.weight"] = make_tensor({width, hd}, transposed(Hdf5Array{{hd, width}, out_kernel.values}));
    if (use_bias) out[node + ".out_proj.bias"] = make_tensor({width}, w[at].array.values);
    return width;
}

}  // namespace lstmscope::keras
