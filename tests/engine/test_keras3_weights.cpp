// Layer weights in the Keras 3 weights layout, found the way Keras' saving
// code names them (the class, not the layer's name), returned in the order of
// a legacy weight_names list, and missing layers named. Every fixture
// variable starts at 100 * its place in that order
// (tools/make_hdf5_fixtures.py), so first values tell the order.
#include <gtest/gtest.h>

#include "engine/error.h"
#include "engine/keras/hdf5_file.h"
#include "engine/keras/keras3_weights.h"
#include "engine/keras/keras_archive.h"
#include "engine/keras/keras_config.h"
#include "error_of.h"

namespace lstmscope::keras {
namespace {

const std::string kData = std::string(LSTMSCOPE_TEST_DATA) + "/keras";

using lstmscope::testing::error_of;

std::vector<float> first_values(const std::vector<Hdf5Array>& arrays) {
    std::vector<float> out;
    for (const Hdf5Array& a : arrays) out.push_back(a.values.at(0));
    return out;
}

ModelConfig sequential(const std::string& layers) {
    return parse_model_config(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [)" + layers + "]}}",
                              "test");
}

std::string layer(const std::string& class_name, const std::string& name) {
    return R"({"class_name": ")" + class_name + R"(", "config": {"name": ")" + name + R"("}})";
}

TEST(Keras3Weights, ClassKeysFollowKerasSnakeCase) {
    EXPECT_EQ(keras3_class_key("Dense"), "dense");
    EXPECT_EQ(keras3_class_key("LSTM"), "lstm");
    EXPECT_EQ(keras3_class_key("MultiHeadAttention"), "multi_head_attention");
    EXPECT_EQ(keras3_class_key("BatchNormalizationV2"), "batch_normalization_v2");
    EXPECT_EQ(keras3_class_key("UnifiedLSTM"), "unified_lstm");
    EXPECT_EQ(keras3_class_key("Conv1D"), "conv1d");
    EXPECT_EQ(keras3_class_key("HTTPServerLayer"), "http_server_layer");
    EXPECT_EQ(keras3_class_key("InputLayer"), "input_layer");
    EXPECT_EQ(keras3_class_key("My-Layer.v2"), "my_layerv2");
}

TEST(Keras3Weights, TellsTheLayoutFromTheLegacyOne) {
    EXPECT_TRUE(is_keras3_weights_layout(Hdf5File(kData + "/keras3_layers.weights.h5")));
    EXPECT_TRUE(is_keras3_weights_layout(Hdf5File(kData + "/keras213.weights.h5")));
    EXPECT_FALSE(is_keras3_weights_layout(Hdf5File(kData + "/encodings.h5")));
}

TEST(Keras3Weights, FunctionalZipLayersAreStoredByClassNotByName) {
    const std::string path = kData + "/keras3_functional.keras";
    KerasArchive a = read_keras_archive(path);
    const ModelConfig m = parse_model_config(a.config_json, path);
    const Hdf5File f = Hdf5File::from_memory(std::move(a.weights_h5), path);
    const auto groups = keras3_layer_groups(f, m);
    EXPECT_EQ(groups.at("bilstm"), "/layers/bidirectional");
    EXPECT_EQ(groups.at("out"), "/layers/dense");
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "embedding")), (std::vector<float>{0}));
    // The file lists backward_layer before forward_layer; Keras' weights are forward first.
    const std::vector<Hdf5Array> bi = keras3_layer_weights(f, m, "bilstm");
    EXPECT_EQ(first_values(bi), (std::vector<float>{100, 200, 300, 400, 500, 600}));
    EXPECT_EQ(bi[0].shape, (std::vector<int64_t>{3, 8}));
    EXPECT_EQ(bi[1].shape, (std::vector<int64_t>{2, 8}));
    EXPECT_EQ(bi[2].shape, (std::vector<int64_t>{8}));
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "out")), (std::vector<float>{700, 800}));
    EXPECT_TRUE(keras3_layer_weights(f, m, "ids").empty());
    EXPECT_EQ(keras3_variable_paths(f, "/layers/bidirectional"),
              (std::vector<std::string>{"/layers/bidirectional/forward_layer/cell/vars/0",
                                        "/layers/bidirectional/forward_layer/cell/vars/1",
                                        "/layers/bidirectional/forward_layer/cell/vars/2",
                                        "/layers/bidirectional/backward_layer/cell/vars/0",
                                        "/layers/bidirectional/backward_layer/cell/vars/1",
                                        "/layers/bidirectional/backward_layer/cell/vars/2"}));
}

TEST(Keras3Weights, EveryLayerKindInLegacyOrder) {
    const Hdf5File f(kData + "/keras3_layers.weights.h5");
    const ModelConfig m = sequential(layer("InputLayer", "input") + "," + layer("Dense", "hidden") + "," +
                                     layer("Dense", "dense") + "," + layer("MultiHeadAttention", "mha") + "," +
                                     layer("LayerNormalization", "ln") + "," + layer("BatchNormalization", "bn") +
                                     "," + layer("Dropout", "drop") + "," + layer("LSTM", "rnn") + "," +
                                     layer("ManyVars", "many"));
    // The auto-named Dense "dense" is the second Dense: layers/dense_1, not layers/dense.
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "hidden")), (std::vector<float>{0, 100}));
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "dense")), (std::vector<float>{200, 300}));
    const std::vector<Hdf5Array> mha = keras3_layer_weights(f, m, "mha");
    EXPECT_EQ(first_values(mha), (std::vector<float>{400, 500, 600, 700, 800, 900, 1000, 1100}));
    EXPECT_EQ(mha[0].shape, (std::vector<int64_t>{4, 2, 2}));
    EXPECT_EQ(mha[7].shape, (std::vector<int64_t>{4}));
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "ln")), (std::vector<float>{1200, 1300}));
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "bn")), (std::vector<float>{1400, 1500, 1600, 1700}));
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "rnn")), (std::vector<float>{1800, 1900, 2000}));
    std::vector<float> many;
    for (int k = 21; k <= 32; ++k) many.push_back(100.0f * static_cast<float>(k));
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "many")), many);  // vars/10 after vars/9
    // By key, as the file names them.
    EXPECT_EQ(first_values(keras3_layer_weights(f, "dense_1")), (std::vector<float>{200, 300}));
}

TEST(Keras3Weights, RecentKerasNamesEachLayerOnItsVarsGroup) {
    const Hdf5File f(kData + "/keras3_named.weights.h5");
    const ModelConfig m = sequential(layer("Dense", "first") + "," + layer("Dense", "second"));
    EXPECT_EQ(keras3_layer_groups(f, m).at("first"), "/layers/dense_1");
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "first")), (std::vector<float>{200, 300}));
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "second")), (std::vector<float>{0, 100}));
}

TEST(Keras3Weights, Keras213UsedTwoNumbersPerLayerWithWeights) {
    const Hdf5File f(kData + "/keras213.weights.h5");
    const ModelConfig m = sequential(layer("Dense", "a") + "," + layer("Dropout", "drop") + "," + layer("Dense", "b"));
    EXPECT_EQ(keras3_layer_groups(f, m).at("b"), "/_layer_checkpoint_dependencies/dense_2");
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "a")), (std::vector<float>{0, 100}));
    EXPECT_EQ(first_values(keras3_layer_weights(f, m, "b")), (std::vector<float>{200, 300}));
}

TEST(Keras3Weights, MissingLayersAndForeignFilesAreNamed) {
    const std::string path = kData + "/keras3_layers.weights.h5";
    const Hdf5File f(path);
    const ModelConfig m = sequential(layer("Dense", "hidden") + "," + layer("GRU", "gru"));
    EXPECT_EQ(error_of([&] { keras3_layer_weights(f, m, "ghost"); }),
              path + ": layer 'ghost' is not in the model's config");
    EXPECT_EQ(error_of([&] { keras3_layer_weights(f, m, "gru"); }),
              path + ": layer 'gru' has no weights in the file (no group '/layers/gru')");
    EXPECT_EQ(error_of([&] { keras3_layer_weights(f, "nope"); }),
              path + ": layer 'nope' has no weights in the file (no group '/layers/nope')");
    const std::string legacy = kData + "/encodings.h5";
    const Hdf5File g(legacy);
    EXPECT_EQ(error_of([&] { keras3_layer_weights(g, m, "hidden"); }),
              legacy + ": the weights are not in the Keras 3 layout (no 'layers' group)");
    EXPECT_EQ(error_of([&] { keras3_variable_paths(f, "/layers/zzz"); }), path + ": there is no group '/layers/zzz'");
}

}  // namespace
}  // namespace lstmscope::keras
