// Keras architectures in both dialects read into one layer graph: Keras 2
// inbound lists, Keras 3 __keras_tensor__ histories, Sequential models, and
// the real third-party files of ../shared/samples/keras when present (they
// carry no licence, so they are read from there, never copied here).
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/error.h"
#include "error_of.h"
#include "engine/keras/hdf5_file.h"
#include "engine/keras/keras_config.h"

namespace lstmscope::keras {
namespace {

const std::string kSamples = LSTMSCOPE_KERAS_SAMPLES;

using lstmscope::testing::error_of;

TEST(KerasConfig, Keras2FunctionalInboundLists) {
    const ModelConfig m = parse_model_config(std::string(R"({"class_name": "Model", "config": {"name": "seed_b",
      "layers": [
        {"class_name": "InputLayer", "name": "ids", "config": {"batch_input_shape": [null, 12], "name": "ids"}, "inbound_nodes": []},
        {"class_name": "Embedding", "name": "emb", "config": {"name": "emb", "input_dim": 20, "output_dim": 8}, "inbound_nodes": [[["ids", 0, 0, {}]]]},
        {"class_name": "Bidirectional", "name": "bi", "config": {"name": "bi", "merge_mode": "concat", "layer": {"class_name": "LSTM", "config": {"units": 4}}}, "inbound_nodes": [[["emb", 0, 0, {}]]]},
        {"class_name": "Dot", "name": "scores", "config": {"name": "scores", "axes": [2, 2]}, "inbound_nodes": [[["bi", 0, 0, {}], ["bi", 0, 0, {}]]]}
      ],
      "input_layers": [["ids", 0, 0]], "output_layers": [["scores", 0, 0]]}})"),
                                             "seed_b.json");
    EXPECT_EQ(m.class_name, "Model");
    EXPECT_EQ(m.name, "seed_b");
    ASSERT_EQ(m.layers.size(), 4u);
    EXPECT_TRUE(m.layers[0].calls.empty());
    ASSERT_EQ(m.layers[3].calls.size(), 1u);
    EXPECT_EQ(m.layers[3].calls[0], (std::vector<TensorRef>{{"bi", 0, 0}, {"bi", 0, 0}}));
    EXPECT_EQ(m.find("bi")->config["layer"]["class_name"], "LSTM");
    EXPECT_EQ(m.inputs, (std::vector<TensorRef>{{"ids", 0, 0}}));
    EXPECT_EQ(m.outputs, (std::vector<TensorRef>{{"scores", 0, 0}}));
}

TEST(KerasConfig, Keras3TensorHistoriesAndFlatEndpoints) {
    const ModelConfig m = parse_model_config(std::string(R"({"class_name": "Functional", "config": {"name": "f",
      "layers": [
        {"class_name": "InputLayer", "name": "x", "config": {"batch_shape": [null, 5], "name": "x"}, "inbound_nodes": []},
        {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}}},
         "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 5], "keras_history": ["x", 0, 0]}}], "kwargs": {"training": false}}]},
        {"class_name": "Concatenate", "name": "c", "config": {"name": "c", "axis": -1},
         "inbound_nodes": [{"args": [[{"class_name": "__keras_tensor__", "config": {"keras_history": ["d", 0, 0]}},
                                      {"class_name": "__keras_tensor__", "config": {"keras_history": ["x", 0, 0]}}]], "kwargs": {}}]}
      ],
      "input_layers": ["x", 0, 0], "output_layers": ["c", 0, 0]}})"),
                                             "f.h5");
    EXPECT_EQ(m.layers[1].calls[0], (std::vector<TensorRef>{{"x", 0, 0}}));
    EXPECT_EQ(m.layers[1].call_kwargs[0]["training"], false);
    EXPECT_EQ(m.layers[2].calls[0], (std::vector<TensorRef>{{"d", 0, 0}, {"x", 0, 0}}));
    EXPECT_EQ(m.inputs, (std::vector<TensorRef>{{"x", 0, 0}}));
    EXPECT_EQ(m.outputs, (std::vector<TensorRef>{{"c", 0, 0}}));
}

TEST(KerasConfig, SequentialLayersReadTheOneBefore) {
    const ModelConfig m = parse_model_config(std::string(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "Embedding", "config": {"name": "embedding", "batch_input_shape": [null, 30]}},
        {"class_name": "Dropout", "config": {"name": "dropout"}},
        {"class_name": "Dense", "config": {"name": "dense"}}]}})"),
                                             "s.yml");
    ASSERT_EQ(m.layers.size(), 3u);
    EXPECT_TRUE(m.layers[0].calls.empty());
    EXPECT_EQ(m.layers[2].calls[0], (std::vector<TensorRef>{{"dropout", 0, 0}}));
    EXPECT_EQ(m.outputs, (std::vector<TensorRef>{{"dense", 0, 0}}));
}

TEST(KerasConfig, BrokenConfigsAreNamed) {
    EXPECT_NE(error_of([] { parse_model_config(std::string("{\"class_name\": "), "m.h5"); })
                  .find("m.h5: model_config: not valid JSON"),
              std::string::npos);
    EXPECT_EQ(error_of([] {
                  parse_model_config(std::string(R"({"class_name": "Functional", "config": {"layers": [
                    {"class_name": "Dense", "name": "d", "config": {}, "inbound_nodes": [[["ghost", 0, 0, {}]]]}]}})"),
                                     "m.h5");
              }),
              "m.h5: model_config: layer 'd' reads 'ghost', which is not a layer");
    EXPECT_EQ(error_of([] {
                  parse_model_config(std::string(R"({"class_name": "Functional", "config": {"layers": [
                    {"class_name": "Dense", "name": "d", "config": {}}, {"class_name": "Dense", "name": "d", "config": {}}]}})"),
                                     "m.h5");
              }),
              "m.h5: model_config: layer name 'd' is used twice");
    const std::string deep = "{\"class_name\": " + std::string(5000, '[') + std::string(5000, ']') + "}";
    EXPECT_EQ(error_of([&] { parse_model_config(deep, "m.h5"); }), "m.h5: model_config: nested more than 256 levels deep");
}

TEST(KerasConfig, TheRealKeras3FilesParse) {
    const std::string path = kSamples + "/logshield_bilstm_attention.h5";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path << " (../shared/samples/keras)";
    const Hdf5File f(path);
    const ModelConfig m = parse_model_config(*f.string_attribute("/", "model_config"), path);
    EXPECT_EQ(m.layers.size(), 15u);
    const Layer* dot = m.find("attention_weighted_sum");
    ASSERT_NE(dot, nullptr);
    EXPECT_EQ(dot->class_name, "Dot");
    EXPECT_EQ(dot->calls[0], (std::vector<TensorRef>{{"attention_transpose", 0, 0}, {"bilstm", 0, 0}}));
    EXPECT_EQ(m.outputs, (std::vector<TensorRef>{{"output", 0, 0}}));

    const std::string sqli = kSamples + "/somioss_sqli_attention_lstm_model.h5";
    const Hdf5File g(sqli);
    const ModelConfig s = parse_model_config(*g.string_attribute("/", "model_config"), sqli);
    EXPECT_EQ(s.find("attention")->class_name, "AttentionLayer");
    EXPECT_EQ(s.find("attention")->calls[0], (std::vector<TensorRef>{{"lstm", 0, 0}}));
    EXPECT_EQ(g.read_array("/model_weights/lstm/lstm/lstm_cell/kernel").shape, (std::vector<int64_t>{64, 256}));
}

}  // namespace
}  // namespace lstmscope::keras
