// The bundled models (models/NAME.json + .safetensors + .md): each one loads
// without warnings, carries the metadata the GUI and the README rely on
// (dataset, licence, split, measured accuracy, the training command, 3-6
// example texts), fits the size budget, and runs every example text with a
// well-formed output and attention weights that sum to one.
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/error.h"
#include "engine/model.h"
#include "engine/runner.h"

namespace {

namespace fs = std::filesystem;

const std::string kModels = LSTMSCOPE_MODELS_DIR;

std::vector<std::string> bundled() {
    std::vector<std::string> out;
    std::stringstream list(LSTMSCOPE_BUNDLED_MODELS);
    for (std::string name; std::getline(list, name, ',');) out.push_back(name);
    return out;
}

// Every manifest in models/ must be one of the listed models, so a model
// added without tests (or a stray file) is noticed.
TEST(BundledModels, DirectoryHoldsExactlyTheListedModels) {
    const std::vector<std::string> expected = bundled();
    std::set<std::string> found;
    for (const auto& entry : fs::directory_iterator(kModels))
        if (entry.path().extension() == ".json") found.insert(entry.path().stem().string());
    EXPECT_EQ(found, std::set<std::string>(expected.begin(), expected.end()));
}

class BundledModel : public ::testing::TestWithParam<std::string> {
protected:
    std::string path(const std::string& ext) const { return kModels + "/" + GetParam() + ext; }
};

TEST_P(BundledModel, FilesAndMetadata) {
    ASSERT_TRUE(fs::exists(path(".json")));
    ASSERT_TRUE(fs::exists(path(".safetensors")));
    EXPECT_TRUE(fs::exists(path(".md"))) << "no model card " << path(".md");
    EXPECT_LT(fs::file_size(path(".safetensors")), 5'000'000u) << "over the 5 MB budget";

    const lstmscope::Model model = lstmscope::Model::load(path(".json"));
    for (const auto& w : model.warnings) ADD_FAILURE() << "warning: " << w;
    EXPECT_FALSE(model.name.empty());
    EXPECT_FALSE(model.description.empty());
    EXPECT_FALSE(model.labels.empty());
    EXPECT_FALSE(model.checks.empty());

    const nlohmann::json& meta = model.metadata;
    ASSERT_TRUE(meta.is_object());
    for (const char* key : {"dataset", "dataset_source", "licence", "split", "trained_by"}) {
        ASSERT_TRUE(meta.contains(key) && meta[key].is_string()) << "metadata." << key;
        EXPECT_FALSE(meta[key].get<std::string>().empty()) << "metadata." << key;
    }
    EXPECT_EQ(meta["trained_by"].get<std::string>().rfind("/usr/bin/python3 tools/train/", 0), 0u)
        << meta["trained_by"];
    ASSERT_TRUE(meta.contains("heldout_accuracy") && meta["heldout_accuracy"].is_number());
    const double acc = meta["heldout_accuracy"].get<double>();
    EXPECT_GT(acc, 0.5);
    EXPECT_LE(acc, 1.0);

    ASSERT_TRUE(meta.contains("examples") && meta["examples"].is_array());
    EXPECT_GE(meta["examples"].size(), 3u);
    EXPECT_LE(meta["examples"].size(), 6u);
    for (const auto& ex : meta["examples"]) {
        ASSERT_TRUE(ex.contains("text") && ex["text"].is_string());
        ASSERT_TRUE(ex.contains("note") && ex["note"].is_string());
        EXPECT_FALSE(ex["note"].get<std::string>().empty());
    }
}

void expect_rows_sum_to_one(const lstmscope::Matrix& m, const std::string& what) {
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        EXPECT_NEAR(m.row(r).sum(), 1.0, 1e-4) << what << " row " << r;
}

TEST_P(BundledModel, RunsEveryExampleText) {
    const lstmscope::Model model = lstmscope::Model::load(path(".json"));
    const auto& examples = model.metadata.at("examples");
    ASSERT_FALSE(examples.empty());
    for (const auto& ex : examples) {
        const std::string text = ex.at("text").get<std::string>();
        SCOPED_TRACE(text);
        lstmscope::Trace trace;
        ASSERT_NO_THROW(trace = lstmscope::run(model, text));
        ASSERT_FALSE(trace.tokens.empty());
        const lstmscope::Matrix& y = trace.output();
        EXPECT_EQ(static_cast<size_t>(y.cols()), model.labels.size());
        if (model.task == lstmscope::Task::Classification) {
            EXPECT_EQ(y.rows(), 1);
        } else if (model.task == lstmscope::Task::Tagging) {
            EXPECT_EQ(static_cast<size_t>(y.rows()), trace.tokens.size());
        }
        EXPECT_TRUE(y.allFinite());
        expect_rows_sum_to_one(y, "output");  // every bundled model ends in a softmax
        EXPECT_EQ(trace.argmax.size(), static_cast<size_t>(y.rows()));
        for (const auto& node : trace.nodes) {
            EXPECT_TRUE(node.value.allFinite()) << node.name;
            for (const auto& a : node.attention) expect_rows_sum_to_one(a, node.name);
        }
    }
}

// The example texts double as checks: each has the output PyTorch computed.
TEST_P(BundledModel, EveryExampleIsAlsoACheck) {
    const lstmscope::Model model = lstmscope::Model::load(path(".json"));
    std::set<std::string> checked;
    for (const auto& c : model.checks) checked.insert(c.text);
    for (const auto& ex : model.metadata.at("examples"))
        EXPECT_TRUE(checked.count(ex.at("text").get<std::string>())) << ex.at("text");
}

INSTANTIATE_TEST_SUITE_P(Models, BundledModel, ::testing::ValuesIn(bundled()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
