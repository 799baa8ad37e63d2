// One test per rejection in the spec's list ("What the engine rejects"): the
// CLI must exit with status 2, print nothing on standard output, and name the
// file and the node, field or tensor at fault on standard error.
#include <unistd.h>

#include <cstring>
#include <limits>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "cli_runner.h"
#include "test_support.h"

namespace fs = std::filesystem;
using lstmscope::testing::CliResult;
using lstmscope::testing::run_cli;
using lstmscope::testing::Tensors;
using nlohmann::json;

namespace {

// A small valid model: embedding -> BiLSTM -> attention pooling -> softmax.
json base_manifest() {
    return json::parse(R"({
      "format": "lstmscope-model", "format_version": 1,
      "name": "rejection base", "description": "valid model the tests break one field at a time",
      "weights": "model.safetensors",
      "tokenizer": {"type": "word", "vocab": ["<pad>", "<unk>", "good", "bad", "food", "service"], "unk": "<unk>"},
      "task": "classification", "labels": ["negative", "positive"], "output": "probs",
      "nodes": [
        {"name": "emb", "op": "embedding", "input": "tokens"},
        {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 3, "bidirectional": true},
        {"name": "pool", "op": "attention_pool", "input": "lstm", "score": "tanh"},
        {"name": "probs", "op": "dense", "input": "pool", "activation": "softmax"}
      ]
    })");
}

Tensors base_tensors() {
    using lstmscope::testing::random_matrix;
    using lstmscope::testing::tensor;
    Tensors t;
    t["emb.weight"] = tensor(random_matrix(6, 4, 1));
    for (const std::string sfx : {"", "_reverse"}) {
        t["lstm.weight_ih_l0" + sfx] = tensor(random_matrix(12, 4, 2));
        t["lstm.weight_hh_l0" + sfx] = tensor(random_matrix(12, 3, 3));
        t["lstm.bias_ih_l0" + sfx] = tensor(std::vector<float>(12, 0.1f));
    }
    t["pool.context.weight"] = tensor(random_matrix(1, 6, 4));
    t["probs.weight"] = tensor(random_matrix(2, 6, 5));
    t["probs.bias"] = tensor(std::vector<float>{0.1f, -0.1f});
    return t;
}

class Rejection : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("lstmscope-reject-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write_model(const json& manifest, const std::vector<unsigned char>& weights) {
        write_text("model.json", manifest.dump(2));
        write_bytes("model.safetensors", weights);
        return (dir_ / "model.json").string();
    }
    std::string write_model(const json& manifest, const Tensors& tensors) {
        return write_model(manifest, lstmscope::testing::make_safetensors(tensors));
    }
    void write_text(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
    }
    void write_bytes(const std::string& name, const std::vector<unsigned char>& bytes) {
        std::ofstream(dir_ / name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                           static_cast<std::streamsize>(bytes.size()));
    }
    CliResult trace(const std::string& model) { return run_cli({"trace", model, "--text", "good food"}, dir_); }

    // The contract for every rejection.
    void expect_rejected(const CliResult& r, const std::vector<std::string>& must_name) {
        EXPECT_EQ(r.status, 2) << r.err;
        EXPECT_TRUE(r.out.empty()) << "stdout: " << r.out.substr(0, 200);
        for (const auto& s : must_name) EXPECT_NE(r.err.find(s), std::string::npos) << "'" << s << "' not in: " << r.err;
        EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    }

    fs::path dir_;
};

// Safetensors bytes with a hand-written header, for the header-level cases.
std::vector<unsigned char> raw_safetensors(const std::string& header, size_t data_bytes) {
    std::vector<unsigned char> bytes(8 + header.size() + data_bytes, 0);
    const uint64_t n = header.size();
    for (int k = 0; k < 8; ++k) bytes[static_cast<size_t>(k)] = static_cast<unsigned char>(n >> (8 * k));
    std::copy(header.begin(), header.end(), bytes.begin() + 8);
    return bytes;
}

TEST_F(Rejection, BaseModelIsValid) {
    const CliResult r = trace(write_model(base_manifest(), base_tensors()));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).at("format"), "lstmscope-trace");
}

TEST_F(Rejection, ManifestNotJson) {
    write_bytes("model.safetensors", lstmscope::testing::make_safetensors(base_tensors()));
    write_text("model.json", "{\"format\": \"lstmscope-model\", ");
    expect_rejected(trace((dir_ / "model.json").string()), {"model.json", "not valid JSON"});
}

TEST_F(Rejection, ManifestMissingFile) {
    expect_rejected(trace((dir_ / "absent.json").string()), {"absent.json", "cannot open"});
}

TEST_F(Rejection, WrongFormatVersion) {
    json m = base_manifest();
    m["format_version"] = 2;
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "format_version"});
}

TEST_F(Rejection, WrongFormatName) {
    json m = base_manifest();
    m["format"] = "keras";
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "'format'"});
}

TEST_F(Rejection, MissingTopLevelField) {
    json m = base_manifest();
    m.erase("output");
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "'output'", "missing"});
}

TEST_F(Rejection, MissingNodeField) {
    json m = base_manifest();
    m["nodes"][1].erase("hidden_size");
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "node 'lstm'", "'hidden_size'", "missing"});
}

TEST_F(Rejection, UnknownTopLevelField) {
    json m = base_manifest();
    m["wieghts"] = "x";
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "'wieghts'", "unknown field"});
}

TEST_F(Rejection, UnknownNodeField) {
    json m = base_manifest();
    m["nodes"][1]["hiden_size"] = 3;
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "node 'lstm'", "'hiden_size'", "unknown field"});
}

TEST_F(Rejection, UnknownTokenizerField) {
    json m = base_manifest();
    m["tokenizer"]["lower"] = true;
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "tokenizer", "'lower'"});
}

TEST_F(Rejection, UnknownOp) {
    json m = base_manifest();
    m["nodes"][2]["op"] = "attention_pooling";
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "node 'pool'", "'attention_pooling'"});
}

TEST_F(Rejection, BadFieldValue) {
    json m = base_manifest();
    m["nodes"][1]["merge"] = "average";
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "node 'lstm'", "'merge'", "'average'"});
}

TEST_F(Rejection, NameUsedTwice) {
    json m = base_manifest();
    m["nodes"][2]["name"] = "lstm";
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "node 'lstm'", "used twice"});
}

TEST_F(Rejection, InputNotDefinedBefore) {
    json m = base_manifest();
    m["nodes"][1]["input"] = "pool";  // defined after the lstm
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "node 'lstm'", "'input'", "'pool'"});
}

TEST_F(Rejection, InputUndefined) {
    json m = base_manifest();
    m["nodes"][3]["input"] = "pooled";
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "node 'probs'", "'pooled'"});
}

TEST_F(Rejection, OutputNotANode) {
    json m = base_manifest();
    m["output"] = "logits";
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "'output'", "'logits'"});
}

TEST_F(Rejection, MissingWeight) {
    Tensors t = base_tensors();
    t.erase("lstm.weight_hh_l0_reverse");
    expect_rejected(trace(write_model(base_manifest(), t)), {"model.json", "node 'lstm'", "'lstm.weight_hh_l0_reverse'", "missing"});
}

TEST_F(Rejection, WeightOfWrongShape) {
    Tensors t = base_tensors();
    t["lstm.weight_ih_l0"] = lstmscope::testing::tensor(lstmscope::testing::random_matrix(12, 5, 9));
    expect_rejected(trace(write_model(base_manifest(), t)), {"model.json", "'lstm.weight_ih_l0'", "[12, 5]"});
}

TEST_F(Rejection, GruWeightsNeedThreeGatesOfRows) {
    // The same network as a GRU: its weights have 3H rows, so the LSTM's 4H
    // ones are named as the wrong shape; a reset_after that is not a
    // boolean is named too.
    json m = base_manifest();
    m["nodes"][1]["op"] = "gru";
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "node 'lstm'", "'lstm.weight_ih_l0'", "[12, 4]", "[9, 4]"});
    m["nodes"][1]["reset_after"] = "yes";
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "node 'lstm'", "'reset_after'"});
}

TEST_F(Rejection, DimensionDoesNotFitInput) {
    // The dense layer expects 5 features, the pooled BiLSTM gives 6.
    Tensors t = base_tensors();
    t["probs.weight"] = lstmscope::testing::tensor(lstmscope::testing::random_matrix(2, 5, 9));
    expect_rejected(trace(write_model(base_manifest(), t)), {"model.json", "node 'probs'", "'probs.weight'"});
}

TEST_F(Rejection, LabelsDoNotFitOutput) {
    json m = base_manifest();
    m["labels"] = {"negative", "neutral", "positive"};
    expect_rejected(trace(write_model(m, base_tensors())), {"model.json", "'labels'", "3"});
}

// A one-row input is repeated to every row of a sequence (concat of lstm
// and pool loads); a sequence and two fixed rows do not fit.
TEST_F(Rejection, ConcatRowsDoNotFit) {
    json m = base_manifest();
    m["nodes"].insert(m["nodes"].begin() + 3, json{{"name", "q"}, {"op", "parameter"}});
    m["nodes"].insert(m["nodes"].begin() + 4, json{{"name", "both"}, {"op", "concat"}, {"inputs", {"lstm", "q"}}});
    Tensors t = base_tensors();
    t["q.weight"] = lstmscope::testing::tensor(lstmscope::testing::random_matrix(2, 3, 9));
    expect_rejected(trace(write_model(m, t)), {"model.json", "node 'both'", "'inputs'", "T x 6", "2 x 3"});
}

TEST_F(Rejection, WeightsFileMissing) {
    json m = base_manifest();
    m["weights"] = "nowhere.safetensors";
    write_text("model.json", m.dump());
    expect_rejected(trace((dir_ / "model.json").string()), {"nowhere.safetensors"});
}

TEST_F(Rejection, SafetensorsHeaderNotJson) {
    expect_rejected(trace(write_model(base_manifest(), raw_safetensors("{\"emb.weight\": {", 0))),
                    {"model.safetensors", "header"});
}

TEST_F(Rejection, SafetensorsHeaderLengthPastEnd) {
    auto bytes = raw_safetensors("{}", 0);
    bytes[0] = 0xff;
    bytes[1] = 0xff;
    expect_rejected(trace(write_model(base_manifest(), bytes)), {"model.safetensors"});
}

TEST_F(Rejection, SafetensorsOffsetsOutsideFile) {
    const std::string header = R"({"emb.weight": {"dtype": "F32", "shape": [6, 4], "data_offsets": [0, 96]}})";
    expect_rejected(trace(write_model(base_manifest(), raw_safetensors(header, 40))),
                    {"model.safetensors", "'emb.weight'"});
}

TEST_F(Rejection, SafetensorsOffsetsOverlap) {
    const std::string header =
        R"({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
            "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}})";
    expect_rejected(trace(write_model(base_manifest(), raw_safetensors(header, 24))),
                    {"model.safetensors", "overlap"});
}

TEST_F(Rejection, SafetensorsSizeDoesNotMatchShape) {
    const std::string header = R"({"emb.weight": {"dtype": "F32", "shape": [6, 4], "data_offsets": [0, 92]}})";
    expect_rejected(trace(write_model(base_manifest(), raw_safetensors(header, 96))),
                    {"model.safetensors", "'emb.weight'"});
}

TEST_F(Rejection, SafetensorsDtypeNotListed) {
    const std::string header = R"({"emb.weight": {"dtype": "I64", "shape": [6, 4], "data_offsets": [0, 192]}})";
    expect_rejected(trace(write_model(base_manifest(), raw_safetensors(header, 192))),
                    {"model.safetensors", "'emb.weight'", "I64"});
}

TEST_F(Rejection, NonFiniteWeight) {
    Tensors t = base_tensors();
    t["pool.context.weight"].second[3] = std::numeric_limits<float>::quiet_NaN();
    expect_rejected(trace(write_model(base_manifest(), t)), {"model.safetensors", "'pool.context.weight'"});
}

TEST_F(Rejection, UnusedTensorIsOnlyAWarning) {
    Tensors t = base_tensors();
    t["lstm.weight_ih_l1"] = lstmscope::testing::tensor(lstmscope::testing::random_matrix(12, 6, 9));
    const CliResult r = trace(write_model(base_manifest(), t));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("warning"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'lstm.weight_ih_l1'"), std::string::npos) << r.err;
    EXPECT_TRUE(json::accept(r.out));
}

TEST_F(Rejection, EmptyText) {
    const CliResult r = run_cli({"trace", write_model(base_manifest(), base_tensors()), "--text", "  \n "}, dir_);
    expect_rejected(r, {"--text", "no tokens"});
}

TEST_F(Rejection, TextOverTheLimit) {
    std::string text;
    for (int k = 0; k < 50; ++k) text += "good ";
    const CliResult r =
        run_cli({"trace", write_model(base_manifest(), base_tensors()), "--text", text, "--max-tokens", "10"}, dir_);
    expect_rejected(r, {"--text", "50 tokens", "10"});
}

TEST_F(Rejection, TextFileMissing) {
    const CliResult r =
        run_cli({"trace", write_model(base_manifest(), base_tensors()), "--text-file", (dir_ / "no.txt").string()}, dir_);
    expect_rejected(r, {"no.txt"});
}

TEST_F(Rejection, InvalidUtf8TextIsReplacedNotRejected) {
    write_text("bad.txt", std::string("good \xff\xfe food \xe4\xb8"));
    const CliResult r =
        run_cli({"trace", write_model(base_manifest(), base_tensors()), "--text-file", (dir_ / "bad.txt").string()}, dir_);
    ASSERT_EQ(r.status, 0) << r.err;
    const json trace = json::parse(r.out);
    EXPECT_NE(trace.at("text").get<std::string>().find("\xef\xbf\xbd"), std::string::npos);
}

}  // namespace
