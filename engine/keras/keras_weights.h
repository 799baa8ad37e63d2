// A Keras layer's weights, in the order the layer creates them (Dense:
// kernel, bias; LSTM: kernel, recurrent_kernel, bias; Bidirectional: the
// forward layer's, then the backward layer's; ...), whichever file wrote
// them: a legacy .h5 full model (`model_weights/<layer>` with a
// `weight_names` attribute), a Keras 2 weights-only file (the same groups at
// the root), or the Keras 3 layout (`layers/<layer>/vars/0`, ...). The
// converters take weights by position, which is the one order all of these
// agree on; the names are for messages and for custom-layer mapping files.
#pragma once

#include <string>
#include <vector>

#include "engine/keras/hdf5_file.h"
#include "engine/keras/keras_config.h"

namespace lstmscope::keras {

struct NamedWeight {
    std::string name;   // "kernel", "forward_lstm/lstm_cell/recurrent_kernel", "vars/0", ...
    Hdf5Array array;
};

class KerasWeights {
public:
    // `model` places layers in the Keras 3 layout, which stores them by
    // class-derived keys ("dense_1"), not by layer name.
    KerasWeights(const Hdf5File& file, const ModelConfig& model);

    // The layer's weights; empty for a layer that has none. Throws Error
    // naming the file and layer when the file has no entry for the layer.
    std::vector<NamedWeight> layer(const std::string& layer_name) const;
    // The layer names the file stores weights for (for messages).
    std::vector<std::string> layer_names() const;
    bool keras3_layout() const { return keras3_; }
    const Hdf5File& file() const { return file_; }

private:
    const Hdf5File& file_;
    const ModelConfig& model_;
    std::string root_;   // "/model_weights" or "/" (legacy), "/layers" (Keras 3)
    bool keras3_ = false;
};

// "kernel:0" -> "kernel", "bilstm/forward_lstm/lstm_cell/bias" -> "bias".
std::string short_weight_name(const std::string& name);

}  // namespace lstmscope::keras
