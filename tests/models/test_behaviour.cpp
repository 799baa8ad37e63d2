// The behaviour suites of the sentiment models (tests/models/behaviour/
// sentiment_{en,zh}.tsv, CheckList style), run in the engine:
//  * every `lesson` row (the texts the lessons show) is predicted right;
//  * every metadata example that carries an expected "label" is right;
//  * at least 85% of the whole suite is right;
//  * the pass rate the recipe wrote into metadata.behaviour_suite and the
//    model card is the one the engine measures now (a card never goes stale).
// On failure every wrong sentence is printed with its probabilities.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/model.h"
#include "engine/runner.h"

namespace {

const std::string kModels = LSTMSCOPE_MODELS_DIR;
const std::string kSuites = LSTMSCOPE_SUITE_DIR;
constexpr double kMinRate = 0.85;

struct Row {
    std::string capability, expected, text;
};

std::vector<Row> load_suite(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "cannot open " << path;
    std::vector<Row> rows;
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
        if (header) {
            EXPECT_EQ(cols, (std::vector<std::string>{"capability", "expected", "text"}))
                << path << ": header";
            header = false;
            continue;
        }
        EXPECT_EQ(cols.size(), 3u) << path << ": " << line;
        if (cols.size() == 3) rows.push_back({cols[0], cols[1], cols[2]});
    }
    return rows;
}

struct Case {
    std::string model;
    std::string suite;  // file name in tests/models/behaviour
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.model << " on " << c.suite; }

const std::vector<Case> kCases = {
    {"sentiment_en_bilstm_pool", "sentiment_en.tsv"},
    {"sentiment_en_lstm_last", "sentiment_en.tsv"},
    {"sentiment_en_bigru_attn", "sentiment_en.tsv"},
    {"sentiment_zh_char_bilstm_selfattn", "sentiment_zh.tsv"},
};

struct Outcome {
    Row row;
    std::string predicted;
    std::vector<float> probs;
    bool ok = false;
};

Outcome predict(const lstmscope::Model& model, const Row& row) {
    const lstmscope::Trace trace = lstmscope::run(model, row.text);
    const lstmscope::Matrix& y = trace.output();
    Outcome out{row, model.labels.at(static_cast<size_t>(trace.argmax.at(0))), {}, false};
    for (Eigen::Index k = 0; k < y.cols(); ++k) out.probs.push_back(y(0, k));
    out.ok = out.predicted == row.expected;
    return out;
}

std::string describe(const lstmscope::Model& model, const Outcome& o) {
    std::ostringstream s;
    s << "  [" << o.row.capability << "] \"" << o.row.text << "\": expected " << o.row.expected
      << ", predicted " << o.predicted << " (";
    for (size_t k = 0; k < o.probs.size(); ++k)
        s << (k ? ", " : "") << model.labels[k] << " " << std::fixed
          << std::setprecision(3) << o.probs[k];
    s << ")\n";
    return s.str();
}

class Behaviour : public ::testing::TestWithParam<Case> {
protected:
    void SetUp() override {
        model_ = lstmscope::Model::load(kModels + "/" + GetParam().model + ".json");
        rows_ = load_suite(kSuites + "/" + GetParam().suite);
        for (const Row& r : rows_) outcomes_.push_back(predict(model_, r));
    }
    int passed() const {
        int n = 0;
        for (const auto& o : outcomes_) n += o.ok;
        return n;
    }
    lstmscope::Model model_;
    std::vector<Row> rows_;
    std::vector<Outcome> outcomes_;
};

// The suite itself: enough sentences, every capability the issue asks for,
// labels the model knows, and the lesson texts.
TEST_P(Behaviour, SuiteIsWellFormed) {
    EXPECT_GE(rows_.size(), 30u);
    std::map<std::string, int> per_capability;
    std::set<std::string> texts;
    for (const Row& r : rows_) {
        ++per_capability[r.capability];
        EXPECT_TRUE(texts.insert(r.text).second) << "twice in the suite: " << r.text;
        bool known = false;
        for (const auto& l : model_.labels) known = known || l == r.expected;
        EXPECT_TRUE(known) << "label '" << r.expected << "' is not one of the model's: " << r.text;
    }
    for (const char* cap : {"lesson", "plain", "negation", "contrast", "intensifier", "filler"})
        EXPECT_GE(per_capability[cap], 4) << "capability " << cap;
}

TEST_P(Behaviour, EveryLessonTextIsRight) {
    std::string wrong;
    int lessons = 0;
    for (const auto& o : outcomes_) {
        if (o.row.capability != "lesson") continue;
        ++lessons;
        if (!o.ok) wrong += describe(model_, o);
    }
    EXPECT_GE(lessons, 4);
    EXPECT_TRUE(wrong.empty()) << "lesson texts predicted wrong:\n" << wrong;
}

TEST_P(Behaviour, EveryLabelledExampleIsRight) {
    const auto& examples = model_.metadata.at("examples");
    std::string wrong;
    int labelled = 0;
    for (const auto& ex : examples) {
        if (!ex.contains("label")) continue;
        ++labelled;
        const Outcome o = predict(model_, {"example", ex.at("label").get<std::string>(),
                                           ex.at("text").get<std::string>()});
        if (!o.ok) wrong += describe(model_, o);
    }
    EXPECT_EQ(labelled, static_cast<int>(examples.size())) << "every example needs a label";
    EXPECT_TRUE(wrong.empty()) << "example texts predicted wrong:\n" << wrong;
}

TEST_P(Behaviour, SuitePassRateIsAtLeast85Percent) {
    const double rate = static_cast<double>(passed()) / static_cast<double>(rows_.size());
    std::string wrong;
    for (const auto& o : outcomes_)
        if (!o.ok) wrong += describe(model_, o);
    EXPECT_GE(rate, kMinRate) << passed() << "/" << rows_.size() << " right; wrong:\n" << wrong;
    if (!wrong.empty() && rate >= kMinRate)
        std::printf("%s: %d/%zu right; wrong:\n%s", GetParam().model.c_str(), passed(),
                    rows_.size(), wrong.c_str());
}

// What the recipe wrote (manifest metadata and card) is what the engine
// measures now.
TEST_P(Behaviour, ReportedPassRateIsCurrent) {
    ASSERT_TRUE(model_.metadata.contains("behaviour_suite")) << "no metadata.behaviour_suite";
    const auto& s = model_.metadata.at("behaviour_suite");
    EXPECT_EQ(s.at("file").get<std::string>(), "tests/models/behaviour/" + GetParam().suite);
    EXPECT_EQ(s.at("total").get<int>(), static_cast<int>(rows_.size()));
    EXPECT_EQ(s.at("passed").get<int>(), passed());
    const double rate = static_cast<double>(passed()) / static_cast<double>(rows_.size());
    EXPECT_NEAR(s.at("rate").get<double>(), rate, 5e-5);
    std::set<std::string> failed_reported, failed_now;
    for (const auto& t : s.at("failed")) failed_reported.insert(t.get<std::string>());
    for (const auto& o : outcomes_)
        if (!o.ok) failed_now.insert(o.row.text);
    EXPECT_EQ(failed_reported, failed_now);

    std::ifstream card(kModels + "/" + GetParam().model + ".md", std::ios::binary);
    ASSERT_TRUE(card);
    const std::string text((std::istreambuf_iterator<char>(card)), std::istreambuf_iterator<char>());
    char expected[96];
    std::snprintf(expected, sizeof expected, "Behaviour suite: %d/%zu (%.1f%%)", passed(),
                  rows_.size(), 100.0 * rate);
    EXPECT_NE(text.find(expected), std::string::npos) << "the card does not say " << expected;
    EXPECT_NE(text.find("Held-out (test) accuracy"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Sentiment, Behaviour, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.model; });

}  // namespace
