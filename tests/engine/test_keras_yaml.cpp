// model.to_yaml() architectures read into the JSON model.to_json() gives:
// PyYAML's own output (tools/make_hdf5_fixtures.py), PyYAML's YAML 1.1
// scalar typing, Python tags, double encoding, and broken or hostile YAML
// refused with the file named. The real jiahenghuang sample is read from
// ../shared/samples/keras when present (it carries no licence, so it is
// never copied here).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/error.h"
#include "engine/keras/keras_config.h"
#include "engine/keras/keras_yaml.h"
#include "error_of.h"

namespace lstmscope::keras {
namespace {

using nlohmann::json;
using lstmscope::testing::error_of;

const std::string kData = std::string(LSTMSCOPE_TEST_DATA) + "/keras";
const std::string kSamples = LSTMSCOPE_KERAS_SAMPLES;

std::string text_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The value of `v` in the one-key document "v: <scalar>".
json value_of(const std::string& scalar) { return keras_yaml_to_json("v: " + scalar, "t.yml").at("v"); }

TEST(KerasYaml, PyYamlOutputBecomesWhatToJsonGives) {
    const json expected = json::parse(text_of(kData + "/pyyaml_config.json"));
    EXPECT_EQ(keras_yaml_to_json(text_of(kData + "/pyyaml_config.yml"), "c.yml"), expected);
    // yaml.dump() of that YAML text: one string scalar, decoded again.
    EXPECT_EQ(keras_yaml_to_json(text_of(kData + "/pyyaml_config_double.yml"), "c.yml"), expected);
}

TEST(KerasYaml, PlainScalarsAreTypedAsPyYamlTypesThem) {
    for (const char* s : {"~", "null", "Null", "NULL", "", "!!null ''"}) EXPECT_TRUE(value_of(s).is_null()) << s;
    for (const char* s : {"yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE", "!!bool yes"})
        EXPECT_EQ(value_of(s), true) << s;
    for (const char* s : {"no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"})
        EXPECT_EQ(value_of(s), false) << s;
    const std::pair<const char*, int64_t> ints[] = {
        {"0", 0},      {"-3", -3},     {"+7", 7},     {"1_000", 1000},      {"0b101", 5},
        {"0x1F", 31},  {"-0x10", -16}, {"017", 15},   {"1:30", 90},         {"-1:00:01", -3601},
        {"!!int '7'", 7}, {"9223372036854775807", INT64_MAX}, {"-9223372036854775808", INT64_MIN}};
    for (const auto& [s, v] : ints) {
        EXPECT_TRUE(value_of(s).is_number_integer()) << s;
        EXPECT_EQ(value_of(s), v) << s;
    }
    EXPECT_EQ(value_of("18446744073709551615").get<uint64_t>(), UINT64_MAX);
    EXPECT_EQ(value_of("1180591620717411303424").get<double>(), std::ldexp(1.0, 70));
    const std::pair<const char*, double> floats[] = {
        {"0.001", 0.001}, {"1.0e-05", 1e-05}, {"1.0e+20", 1e20}, {"-0.5", -0.5},   {".5", 0.5},
        {"1.", 1.0},      {"1_0.5", 10.5},    {"1:30.5", 90.5},  {"+2.5E-3", 2.5e-3}, {"!!float 1", 1.0}};
    for (const auto& [s, v] : floats) {
        EXPECT_TRUE(value_of(s).is_number_float()) << s;
        EXPECT_EQ(value_of(s).get<double>(), v) << s;
    }
    EXPECT_EQ(value_of(".inf").get<double>(), INFINITY);
    EXPECT_EQ(value_of("-.Inf").get<double>(), -INFINITY);
    EXPECT_TRUE(std::isnan(value_of(".NaN").get<double>()));
    // Not numbers, booleans or null to PyYAML: strings, as are quoted scalars.
    for (const char* s : {"1e-05", "1.0e5", "-.5", "09", "0b", "y", "n", "yEs", "nULL", ".", "2021-01-01", "1.2.3"})
        EXPECT_EQ(value_of(s), s) << s;
    EXPECT_EQ(value_of("'1.0'"), "1.0");
    EXPECT_EQ(value_of("\"true\""), "true");
    EXPECT_EQ(value_of("!!str 3"), "3");
    EXPECT_EQ(value_of("\"\\u4E2D\\u6587\""), "\u4e2d\u6587");
}

TEST(KerasYaml, PythonTagsBecomeTheirData) {
    const json j = keras_yaml_to_json(R"(
shape: !!python/tuple [null, 30]
axis: !!python/object/new:tensorflow.python.training.tracking.data_structures._ListWrapper
  listitems: [1, 2]
  state: {_storage: [1, 2]}
dict: !!python/object/new:tensorflow.python.training.tracking.data_structures._DictWrapper
  dictitems: {a: 1}
  state: {_storage: {}}
stateful: !!python/object/new:some.Thing {state: {x: 1}}
args: !!python/object/apply:collections.OrderedDict [[a, 1]]
obj: !!python/object:some.Config {units: 4}
local: !custom 12
quoted_local: !custom 'x'
)",
                                      "t.yml");
    EXPECT_EQ(j["shape"], json::parse("[null, 30]"));
    EXPECT_EQ(j["axis"], json::parse("[1, 2]"));
    EXPECT_EQ(j["dict"], json::parse(R"({"a": 1})"));
    EXPECT_EQ(j["stateful"], json::parse(R"({"x": 1})"));
    EXPECT_EQ(j["args"], json::parse(R"([["a", 1]])"));
    EXPECT_EQ(j["obj"], json::parse(R"({"units": 4})"));
    EXPECT_EQ(j["local"], 12);
    EXPECT_EQ(j["quoted_local"], "x");
}

TEST(KerasYaml, MergeKeysAndKeysThatAreNotStrings) {
    const json j = keras_yaml_to_json("base: &b {a: 1, b: 2}\nm: {<<: *b, b: 3}\n1: x\ntrue: y\n~: z\n", "t.yml");
    EXPECT_EQ(j["m"], json::parse(R"({"a": 1, "b": 3})"));
    EXPECT_EQ(j["1"], "x");
    EXPECT_EQ(j["true"], "y");
    EXPECT_EQ(j["null"], "z");
}

TEST(KerasYaml, BrokenAndHostileYamlIsNamed) {
    EXPECT_EQ(error_of([] { keras_yaml_to_json("a: [1, 2\nb: 3", "m.yml"); }),
              "m.yml: not valid YAML: line 2, column 2: end of sequence flow not found");
    EXPECT_EQ(error_of([] { keras_yaml_to_json("\"a: [1, 2\\nb: 3\"", "m.yml"); }),
              "m.yml: not valid YAML (in the YAML string the file holds): line 2, column 2: "
              "end of sequence flow not found");
    EXPECT_EQ(error_of([] { keras_yaml_to_json("v: !!int abc", "m.yml"); }),
              "m.yml: YAML line 1, column 4: 'abc' is not a valid !!int");
    for (int depth : {300, 5000}) {
        const std::string deep = "a: " + std::string(depth, '[') + std::string(depth, ']');
        EXPECT_EQ(error_of([&] { keras_yaml_to_json(deep, "m.yml"); }), "m.yml: YAML nested more than 256 levels deep")
            << depth;
    }
    // Ten aliases of ten aliases of ...: 10^7 values from a few hundred bytes.
    std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int k = 1; k <= 7; ++k) {
        const std::string name = std::to_string(k), prev = std::to_string(k - 1);
        bomb.append("a").append(name).append(": &a").append(name).append(" [*a").append(prev);
        for (int r = 1; r < 10; ++r) bomb.append(", *a").append(prev);
        bomb.append("]\n");
    }
    EXPECT_EQ(error_of([&] { keras_yaml_to_json(bomb, "m.yml"); }),
              "m.yml: YAML expands to more than 1000000 values (an alias repeated over and over?)");
    EXPECT_EQ(error_of([] { keras_yaml_to_json("- a\n- b", "m.yml"); }),
              "m.yml: the YAML holds a list, not a Keras model architecture (a mapping)");
    EXPECT_EQ(error_of([] { keras_yaml_to_json("", "m.yml"); }),
              "m.yml: the YAML holds a null, not a Keras model architecture (a mapping)");
    EXPECT_EQ(error_of([] { keras_yaml_to_json("hello", "m.yml"); }),
              "m.yml: the YAML holds a string, not a Keras model architecture (a mapping)");
    EXPECT_EQ(error_of([] { keras_yaml_to_json("? [a, b]\n: c", "m.yml"); }),
              "m.yml: YAML line 1, column 3: a mapping key is not a plain value");
}

TEST(KerasYaml, TheRealDoubleEncodedSampleIsASequentialModel) {
    const std::string path = kSamples + "/jiahenghuang_bilstm_attention.architecture.yml";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path << " (../shared/samples/keras)";
    const json j = keras_yaml_to_json(text_of(path), path);
    EXPECT_EQ(j["keras_version"], "2.2.4-tf");
    const ModelConfig m = parse_model_config(j, path);
    EXPECT_EQ(m.class_name, "Sequential");
    EXPECT_EQ(m.name, "sequential");
    std::vector<std::string> classes;
    for (const Layer& l : m.layers) classes.push_back(l.class_name);
    EXPECT_EQ(classes, (std::vector<std::string>{"Embedding", "Dropout", "Bidirectional", "AttentionLayer", "Dropout",
                                                 "BatchNormalizationV2", "Dense"}));
    EXPECT_EQ(m.layers[0].config["batch_input_shape"], json::parse("[null, 30]"));
    EXPECT_EQ(m.layers[0].config["input_dim"], 1040);
    const json& lstm = m.find("bidirectional")->config["layer"];
    EXPECT_EQ(lstm["class_name"], "UnifiedLSTM");
    EXPECT_EQ(lstm["config"]["units"], 50);
    EXPECT_EQ(lstm["config"]["return_sequences"], true);
    EXPECT_EQ(lstm["config"]["dtype"], nullptr);
    const json& bn = m.find("batch_normalization_v2")->config;
    EXPECT_EQ(bn["axis"], json::parse("[1]"));
    EXPECT_EQ(bn["epsilon"], 0.001);
    const json& dense = m.find("dense")->config;
    EXPECT_EQ(dense["units"], 6);
    EXPECT_EQ(dense["activation"], "softmax");
    EXPECT_EQ(m.find("attention_layer")->calls[0], (std::vector<TensorRef>{{"bidirectional", 0, 0}}));
}

}  // namespace
}  // namespace lstmscope::keras
