// `lstmscope-cli corpus` and `corpus-merge` as subprocesses: the bundled
// English model's test split gives its card's accuracy exactly, shards
// merged equal one whole run byte for byte (by hand and with GNU parallel),
// two models get a consistent agreement table, and bad input ends with
// status 2 and a message naming the file and line.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "engine/corpus/statistics.h"

namespace lstmscope {
namespace {

namespace fs = std::filesystem;
using lstmscope::testing::CliResult;
using lstmscope::testing::run_cli;
using lstmscope::testing::slurp;
using nlohmann::json;
using Strings = std::vector<std::string>;

const std::string kModels = LSTMSCOPE_MODELS_DIR;
const std::string kPoolEn = kModels + "/sentiment_en_bilstm_pool.json";
const std::string kLastEn = kModels + "/sentiment_en_lstm_last.json";
const std::string kTestSplit = std::string(LSTMSCOPE_TEST_DATA) + "/corpus/sentiment_en_test.tsv";

CliResult cli(const Strings& args) { return run_cli(args, fs::temp_directory_path()); }

std::vector<json> json_lines(const std::string& out) {
    std::vector<json> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) lines.push_back(json::parse(line));  // throws on anything but JSON
    return lines;
}

// A scratch folder of its own per test.
fs::path scratch(const std::string& name) {
    const fs::path p = fs::temp_directory_path() / ("lstmscope-corpus-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

// The first n texts of the test split, header included.
fs::path head_of_split(const fs::path& dir, int n) {
    std::ifstream in(kTestSplit);
    std::ofstream out(dir / "part.tsv");
    std::string line;
    for (int k = 0; k <= n && std::getline(in, line); ++k) out << line << '\n';
    return dir / "part.tsv";
}

TEST(CorpusCommand, TheTestSplitGivesTheModelCardsAccuracyExactly) {
    const CliResult r = cli({"corpus", kPoolEn, "--input", kTestSplit});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 201u);
    std::ifstream in(kPoolEn);
    const json card = json::parse(in)["metadata"];
    const json& s = lines.back()["summary"];
    EXPECT_EQ(s["texts"], 200);
    EXPECT_EQ(s["skipped"], 0);
    EXPECT_EQ(s["labelled"], card["heldout_size"]);
    // The card rounds to 4 decimals; 159 / 200 is exact.
    EXPECT_EQ(s["correct"], 159);
    EXPECT_DOUBLE_EQ(s["accuracy"].get<double>(), card["heldout_accuracy"].get<double>());
    for (const std::string label : {"negative", "positive"}) {
        EXPECT_NEAR(s["per_class"][label]["precision"].get<double>(),
                    card["heldout_per_class"][label]["precision"].get<double>(), 5e-5);
        EXPECT_NEAR(s["per_class"][label]["recall"].get<double>(),
                    card["heldout_per_class"][label]["recall"].get<double>(), 5e-5);
    }
    // Per text lines agree with the summary.
    int right = 0;
    for (size_t k = 0; k + 1 < lines.size(); ++k) {
        EXPECT_EQ(lines[k]["index"], k);
        right += lines[k]["correct"].get<bool>();
    }
    EXPECT_EQ(right, 159);
    const auto& m = s["confusion"]["matrix"];
    EXPECT_EQ(m[0][0].get<int>() + m[1][1].get<int>(), 159);
    // Saturation: one entry per direction, one fraction per unit.
    ASSERT_EQ(s["saturation"].size(), 2u);
    EXPECT_EQ(s["saturation"][1]["direction"], "backward");
    EXPECT_EQ(s["saturation"][0]["f"]["above"].size(), 100u);
}

TEST(CorpusCommand, ShardsMergedEqualOneWholeRunByteForByte) {
    const fs::path dir = scratch("shards");
    const fs::path data = head_of_split(dir, 30);
    const Strings common{"corpus", kPoolEn, "--input", data.string(), "--faithfulness", "--permutations", "3"};
    Strings whole_args = common;
    whole_args.insert(whole_args.end(), {"--output", (dir / "whole.jsonl").string()});
    ASSERT_EQ(cli(whole_args).status, 0);
    Strings parts{"corpus-merge"};
    for (int i = 0; i < 3; ++i) {
        Strings a = common;
        const fs::path out = dir / ("part" + std::to_string(i) + ".jsonl");
        a.insert(a.end(), {"--shard", std::to_string(i) + "/3", "--threads", "1", "--output", out.string()});
        const CliResult r = cli(a);
        ASSERT_EQ(r.status, 0) << r.err;
        parts.push_back(out.string());
    }
    std::swap(parts[1], parts[3]);  // any order
    const CliResult merged = cli(parts);
    ASSERT_EQ(merged.status, 0) << merged.err;
    const std::string whole = slurp(dir / "whole.jsonl");
    EXPECT_EQ(merged.out, whole);
    EXPECT_NE(whole.find("\"faithfulness\""), std::string::npos);

    // A missing or repeated shard is refused.
    const CliResult missing = cli({"corpus-merge", parts[1], parts[2]});
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("missing"), std::string::npos) << missing.err;
    const CliResult twice = cli({"corpus-merge", parts[1], parts[1], parts[2], parts[3]});
    EXPECT_EQ(twice.status, 2);
    EXPECT_NE(twice.err.find("given twice"), std::string::npos) << twice.err;
    fs::remove_all(dir);
}

TEST(CorpusCommand, GnuParallelRunsTheShards) {
    if (std::system("parallel --version >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "GNU parallel is not installed (apt-get install parallel; .ci/run installs it)";
    const fs::path dir = scratch("parallel");
    const fs::path data = head_of_split(dir, 24);
    const std::string cli_path = LSTMSCOPE_CLI;
    const std::string command = "cd " + dir.string() + " && parallel --will-cite '" + cli_path + "' corpus '" + kPoolEn +
                                "' --input part.tsv --shard {}/4 --threads 1 --output shard{}.jsonl ::: 0 1 2 3 && '" +
                                cli_path + "' corpus-merge shard*.jsonl > merged.jsonl && '" + cli_path +
                                "' corpus '" + kPoolEn + "' --input part.tsv > whole.jsonl";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    EXPECT_EQ(slurp(dir / "merged.jsonl"), slurp(dir / "whole.jsonl"));
    EXPECT_EQ(json_lines(slurp(dir / "merged.jsonl")).size(), 25u);
    fs::remove_all(dir);
}

TEST(CorpusCommand, TwoModelsGetAnAgreementTableAndMcNemar) {
    const CliResult r = cli({"corpus", kPoolEn, "--input", kTestSplit, "--compare", kLastEn});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto lines = json_lines(r.out);
    int64_t a_only = 0, b_only = 0, same = 0;
    for (size_t k = 0; k + 1 < lines.size(); ++k) {
        const bool ra = lines[k]["correct"], rb = lines[k]["b"]["correct"];
        a_only += ra && !rb;
        b_only += !ra && rb;
        same += lines[k]["agree"].get<bool>();
    }
    const json& s = lines.back()["summary"];
    EXPECT_EQ(s["agreement"]["same_prediction"], same);
    EXPECT_EQ(s["agreement"]["table"]["a_right_b_wrong"], a_only);
    EXPECT_EQ(s["agreement"]["table"]["a_wrong_b_right"], b_only);
    const corpus::McNemar m = corpus::mcnemar(a_only, b_only);
    EXPECT_DOUBLE_EQ(s["mcnemar"]["p_value"].get<double>(), m.p_value);
    EXPECT_DOUBLE_EQ(s["mcnemar"]["exact_p_value"].get<double>(), m.exact_p_value);
    EXPECT_GT(a_only + b_only, 0);
    EXPECT_EQ(s["b"]["model"], "English sentiment: LSTM, last state, no attention");
}

TEST(CorpusCommand, TextsThatCannotRunGetAnErrorLineAndAreCounted) {
    const fs::path dir = scratch("errors");
    std::ofstream(dir / "d.jsonl") << "{\"text\": \"Good.\", \"label\": 1}\n{\"text\": \"   \", \"label\": 0}\n"
                                      "{\"text\": \"A great film.\", \"label\": \"positive\"}\n";
    const CliResult r = cli({"corpus", kPoolEn, "--input", (dir / "d.jsonl").string()});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_NE(lines[1]["error"].get<std::string>().find("no tokens"), std::string::npos);
    EXPECT_EQ(lines.back()["summary"]["skipped"], 1);
    EXPECT_EQ(lines.back()["summary"]["labelled"], 2);
    EXPECT_TRUE(r.err.empty()) << r.err;  // no progress bar: standard error is not a terminal
    fs::remove_all(dir);
}

TEST(CorpusCommand, LongTextsAreLeftOutOfTheFaithfulnessTestsAndSaySo) {
    const fs::path dir = scratch("long");
    std::ofstream(dir / "d.txt") << "Good film.\nThe plot was slow and the acting was only fine, but I liked it.\n";
    const CliResult r = cli({"corpus", kPoolEn, "--input", (dir / "d.txt").string(), "--faithfulness",
                             "--faithfulness-max-tokens", "5", "--permutations", "2"});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_TRUE(lines[0]["faithfulness"].contains("kendall_tau"));
    EXPECT_NE(lines[1]["faithfulness"]["skipped"].get<std::string>().find("more than the 5"), std::string::npos);
    EXPECT_EQ(lines[2]["summary"]["faithfulness"]["texts"], 1);
    EXPECT_EQ(lines[2]["summary"]["faithfulness"]["too_long"], 1);
    fs::remove_all(dir);
}

TEST(CorpusCommand, BadInputEndsWithStatusTwoAndAMessage) {
    const fs::path dir = scratch("bad");
    std::ofstream(dir / "labels.tsv") << "text\tlabel\nGood.\tpositive\nBad.\tneg\n";
    CliResult r = cli({"corpus", kPoolEn, "--input", (dir / "labels.tsv").string()});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.out.empty());
    EXPECT_NE(r.err.find("labels.tsv: line 3: label 'neg' is neither one of the model's labels (negative, positive)"),
              std::string::npos)
        << r.err;
    r = cli({"corpus", kPoolEn});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--input"), std::string::npos);
    r = cli({"corpus", kLastEn, "--input", kTestSplit, "--faithfulness"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("sentiment_en_lstm_last.json: --faithfulness tests an attention node, and this model has none"),
              std::string::npos)
        << r.err;
    r = cli({"corpus", kModels + "/seed_b_lookup_tagger.json", "--input", kTestSplit});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("this one is a tagging model"), std::string::npos) << r.err;
    r = cli({"corpus", kPoolEn, "--input", kTestSplit, "--shard", "3/3"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--shard needs I/N"), std::string::npos) << r.err;
    r = cli({"corpus-merge", (dir / "labels.tsv").string()});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("labels.tsv: line 1: not valid JSON"), std::string::npos) << r.err;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace lstmscope
