// Small models in the shapes of published PyTorch attention-LSTM models
// (tests/engine/test_published_models.cpp and test_fixed_rows_cli.cpp):
// weights from a formula that tests and the torch script that computed the
// expected numbers share, so no weight needs to be written out.
#pragma once

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/model.h"
#include "test_support.h"

namespace lstmscope::testing {

// Entry k (row-major) of the tensor called `name`:
// float(amp * sin(0.37 k + 0.013 s)), s the sum of the name's bytes. The
// torch side (see test_published_models.cpp) computes the same in double
// and rounds to float32.
inline Matrix pattern(const std::string& name, Eigen::Index rows, Eigen::Index cols, double amp = 0.5) {
    int s = 0;
    for (unsigned char c : name) s += c;
    Matrix m(rows, cols);
    for (Eigen::Index k = 0; k < m.size(); ++k)
        m.data()[k] = static_cast<float>(amp * std::sin(0.37 * static_cast<double>(k) + 0.013 * s));
    return m;
}
inline TensorData pattern_tensor(const std::string& name, Eigen::Index rows, Eigen::Index cols, double amp = 0.5) {
    return tensor(pattern(name, rows, cols, amp));
}
inline TensorData pattern_vector(const std::string& name, Eigen::Index n, double amp = 0.5) {
    const Matrix m = pattern(name, 1, n, amp);
    return tensor(std::vector<float>(m.data(), m.data() + m.size()));
}

// The embedding (vocabulary of 6, width 4) every model here starts with;
// "good food bad service" is ids 2, 4, 3, 5.
inline nlohmann::json published_manifest(const std::string& task, const std::string& output,
                                         const nlohmann::json& nodes) {
    nlohmann::json m = {{"format", "lstmscope-model"},
                        {"format_version", 1},
                        {"name", "published shapes"},
                        {"weights", "model.safetensors"},
                        {"tokenizer",
                         {{"type", "word"},
                          {"vocab", {"<pad>", "<unk>", "good", "bad", "food", "service"}},
                          {"unk", "<unk>"}}},
                        {"task", task},
                        {"output", output},
                        {"nodes", nlohmann::json::array()}};
    m["nodes"].push_back({{"name", "emb"}, {"op", "embedding"}, {"input", "tokens"}});
    for (const auto& n : nodes) m["nodes"].push_back(n);
    return m;
}

// One recurrent layer stack's weights in torch's names, `gates` x H rows
// (4 for an LSTM, 3 for a GRU), bidirectional; the patterns are those of
// the tensors called `seed` + ".weight_ih_l0", ... (default: the node's name).
inline void add_recurrent(Tensors& t, const std::string& node, int gates, int layers, int in, int hidden,
                          std::string seed = {}) {
    if (seed.empty()) seed = node;
    for (int l = 0; l < layers; ++l)
        for (const std::string dir : {"", "_reverse"}) {
            const std::string s = "_l" + std::to_string(l) + dir;
            const int width = l == 0 ? in : 2 * hidden;
            t[node + ".weight_ih" + s] = pattern_tensor(seed + ".weight_ih" + s, gates * hidden, width);
            t[node + ".weight_hh" + s] = pattern_tensor(seed + ".weight_hh" + s, gates * hidden, hidden);
            t[node + ".bias_ih" + s] = pattern_vector(seed + ".bias_ih" + s, gates * hidden);
            t[node + ".bias_hh" + s] = pattern_vector(seed + ".bias_hh" + s, gates * hidden);
        }
}

inline Tensors embedding_tensors() {
    Tensors t;
    t["emb.weight"] = pattern_tensor("emb.weight", 6, 4);
    return t;
}

inline Model load_in_memory(const nlohmann::json& manifest, const Tensors& tensors) {
    return Model::from_manifest(manifest, "model.json", WeightStore::parse(make_safetensors(tensors), "model.safetensors"));
}

// Writes model.json and model.safetensors into `dir` (created); returns the manifest's path.
inline std::string write_model_files(const std::filesystem::path& dir, const nlohmann::json& manifest,
                                     const Tensors& tensors) {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "model.json") << manifest.dump(2);
    const auto bytes = make_safetensors(tensors);
    std::ofstream(dir / "model.safetensors", std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return (dir / "model.json").string();
}

}  // namespace lstmscope::testing
