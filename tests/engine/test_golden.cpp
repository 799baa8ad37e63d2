// Every golden model (tools/make_golden.py: torch.nn modules, reference in
// float64 from the stored float32 weights) run through our engine: every
// recorded value of the trace within 1e-5 of PyTorch's.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "engine/runner.h"
#include "engine/trace_json.h"
#include "cli_runner.h"
#include "json_compare.h"

namespace {

const std::string kGolden = std::string(LSTMSCOPE_TEST_DATA) + "/golden";
constexpr double kTolerance = 1e-5;

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    return nlohmann::json::parse(in);
}

std::vector<std::string> golden_cases() {
    std::vector<std::string> cases;
    try {
        const nlohmann::json index = read_json(kGolden + "/index.json");
        for (const auto& c : index.at("cases")) cases.push_back(c.get<std::string>());
    } catch (const std::exception& e) {
        // An empty list would make the suite pass vacuously; this shows up as a failure instead.
        cases.push_back("MISSING_INDEX");
    }
    return cases;
}

// The golden runs hold what `trace --details` prints; a plain trace has the
// same minus each gate entry's "preactivation" and each node's "scores".
nlohmann::json without_details(nlohmann::json run) {
    for (auto& [name, node] : run.at("nodes").items()) {
        node.erase("scores");
        if (node.contains("gates"))
            for (auto& g : node.at("gates")) g.erase("preactivation");
    }
    return run;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, TraceMatchesPyTorch) {
    const std::string name = GetParam();
    ASSERT_NE(name, "MISSING_INDEX") << kGolden << "/index.json could not be read";
    const lstmscope::Model model = lstmscope::Model::load(kGolden + "/" + name + ".json");
    EXPECT_TRUE(model.warnings.empty()) << model.warnings.front();
    const nlohmann::json expected = read_json(kGolden + "/" + name + ".expected.json");
    ASSERT_FALSE(expected.at("runs").empty());
    for (const bool details : {false, true}) {
        lstmscope::RunOptions options;
        options.details = details;
        for (const auto& run : expected.at("runs")) {
            const std::string text = run.at("text").get<std::string>();
            const lstmscope::Trace trace = lstmscope::run(model, text, options);
            std::ostringstream json;
            lstmscope::write_trace_json(json, trace);
            const nlohmann::json actual = nlohmann::json::parse(json.str());
            lstmscope::testing::JsonCompareStats stats;
            const auto diff =
                lstmscope::testing::compare_json(actual, details ? run : without_details(run), kTolerance, stats);
            EXPECT_FALSE(diff) << name << (details ? " (details)" : "") << " on \"" << text.substr(0, 60)
                               << "\": at " << diff->path << ": " << diff->message;
            EXPECT_GT(stats.numbers, 0);
            RecordProperty(std::string(details ? "details_" : "") + "max_abs_error_" +
                               std::to_string(&run - &expected.at("runs")[0]),
                           std::to_string(stats.max_abs_error));
        }
    }
}

INSTANTIATE_TEST_SUITE_P(PyTorch, Golden, ::testing::ValuesIn(golden_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace

// The same comparison through the command line, as other tools use it:
// `lstmscope-cli trace` prints exactly the golden trace.

namespace {

TEST(GoldenCli, TracePrintsTheGoldenTrace) {
    for (const std::string name : {"seed_a", "tok_char_chinese", "pad_pre", "attn_scaled_dot_causal"}) {
        const nlohmann::json expected = read_json(kGolden + "/" + name + ".expected.json");
        const auto& run = expected.at("runs").at(0);
        for (const bool details : {false, true}) {
            std::vector<std::string> args = {"trace", kGolden + "/" + name + ".json", "--text",
                                             run.at("text").get<std::string>()};
            if (details) args.push_back("--details");
            const auto r = lstmscope::testing::run_cli(args, std::filesystem::temp_directory_path());
            ASSERT_EQ(r.status, 0) << r.err;
            lstmscope::testing::JsonCompareStats stats;
            const auto diff = lstmscope::testing::compare_json(nlohmann::json::parse(r.out),
                                                               details ? run : without_details(run), kTolerance, stats);
            EXPECT_FALSE(diff) << name << (details ? " --details" : "") << ": at " << diff->path << ": "
                               << diff->message;
        }
    }
}

}  // namespace
