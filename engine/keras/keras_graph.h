// The state of one Keras-to-lstmscope conversion: the manifest nodes and
// tensors written so far, and what each Keras tensor has become.
//
// Most Keras tensors become the value of one of our nodes. Attention built
// from stock layers does not map layer by layer (our values are T x D
// matrices; `Permute`, a softmax over time and `Dot` are not ops of the
// format), so its intermediate tensors are kept as *pending* symbols that
// remember what they are (a column of scores, its softmax, the transposed
// sequence, a matrix of query-key scores), and the layer that completes the
// pattern (`Dot` with the values) emits one `attention_pool` or `attention`
// node, named after the softmax layer, so the attention view shows it as
// attention. A pending symbol that reaches any other layer is an error that
// names the layer and says what would be needed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/keras/keras_config.h"
#include "engine/keras/keras_weights.h"
#include "engine/safetensors.h"

namespace lstmscope::keras {

// An attention_pool waiting for the `Dot` that applies it: the sequence it
// attends over, its score (`linear`, `tanh_linear`, `tanh_proj`) and its
// weights by suffix ("context.weight", ...).
struct PendingPool {
    std::string source;
    int source_width = 0;
    std::string score;
    std::map<std::string, StoredTensor> weights;
};

// query . key^T, waiting for its softmax and the values.
struct PendingPair {
    std::string query, key;
};

struct Sym {
    enum class Kind {
        Tokens,        // the model input (token ids)
        Value,         // `node`'s value: T x width (sequence) or 1 x width
        ScoreColumn,   // Dense(1) over a sequence (a Value too; `pool` says how it scores)
        PoolWeights,   // a softmax over the tokens of a ScoreColumn
        PoolWeightsT,  // the same after Permute((2, 1)): 1 x T
        Transposed,    // Permute((2, 1)) of the sequence `node`: D x T
        PairScores,    // query . key^T: T_q x T_k
        PairWeights,   // the softmax of PairScores over the keys
    };
    Kind kind = Kind::Value;
    std::string node;       // Value / ScoreColumn: its node; Transposed: the sequence
    bool sequence = true;   // Value: one row per token (true) or one row
    int width = 0;          // Value: columns
    bool flat = false;      // ScoreColumn / PoolWeights after Flatten: (batch, T) in Keras
    std::optional<PendingPool> pool;
    std::optional<PendingPair> pair;
    std::string made_by;    // the Keras layer that produced it, for messages

    bool is_value() const { return kind == Kind::Value || kind == Kind::ScoreColumn; }
    // Keras' rank of the tensor, batch axis included (for axis arguments).
    int keras_rank() const;
    std::string describe() const;  // "a sequence of 192 features", "attention weights (pending)", ...
};

class Converter {
public:
    Converter(const ModelConfig& config, const KerasWeights& weights, std::string file, std::string keras_version);

    const std::string& file() const { return file_; }
    bool keras3() const;  // the file was written by Keras 3 (hard_sigmoid differs)

    // --- output ---------------------------------------------------------
    // A node name not used yet, from the Keras layer name.
    std::string unique_name(const std::string& base);
    // Appends a node (its "name" must come from unique_name).
    void add_node(nlohmann::json node);
    // Stores a tensor; `shape` row-major.
    void add_tensor(const std::string& name, std::vector<int64_t> shape, std::vector<float> data);
    void note(std::string message) { notes_.push_back(std::move(message)); }

    // --- reading --------------------------------------------------------
    std::vector<NamedWeight> weights_of(const Layer& layer) const;
    // The Value a layer call's input must be; throws naming `layer` when the
    // symbol is a pending attention piece.
    const Sym& value_input(const Layer& layer, const Sym& sym) const;
    // A Value symbol for node `node` with its shape.
    static Sym value(std::string node, bool sequence, int width, std::string made_by);

    // Error "<file>: layer 'name' (Class): message".
    [[noreturn]] void fail(const Layer& layer, const std::string& message) const;

    // --- the result -----------------------------------------------------
    // Drops nodes the output does not depend on (a Dense(1) folded into an
    // attention_pool, a branch the model never reads) and their tensors.
    void prune(const std::string& output);
    nlohmann::json& nodes() { return nodes_; }
    std::map<std::string, StoredTensor>& tensors() { return tensors_; }
    std::vector<std::string>& notes() { return notes_; }
    const ModelConfig& config() const { return config_; }

    // What each emitted dense node is, so a Dense(1) after a Dense(A, tanh)
    // can be recognised as one attention score (tanh_proj).
    struct DenseInfo {
        std::string input;
        std::string activation;
        bool input_is_sequence = false;
    };
    std::map<std::string, DenseInfo> dense_info;
    bool mask_zero = false;        // an Embedding has mask_zero=True
    std::optional<int> fixed_length;  // the model's input length, when training fixed it
    int embedding_rows = 0;        // the first Embedding's input_dim

private:
    const ModelConfig& config_;
    const KerasWeights& weights_;
    std::string file_, keras_version_;
    nlohmann::json nodes_ = nlohmann::json::array();
    std::map<std::string, StoredTensor> tensors_;
    std::vector<std::string> notes_;
};

// Matrix helpers for converting Keras' [in, out] kernels to our [out, in].
std::vector<float> transposed(const Hdf5Array& a);
// Rows [first, first + count) of a 2-D array, or elements of a 1-D one.
std::vector<float> slice_rows(const std::vector<float>& data, int64_t cols, int64_t first, int64_t count);

}  // namespace lstmscope::keras
