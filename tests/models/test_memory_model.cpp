// The model of the lesson "How an LSTM carries memory"
// (models/memory_bracket_depth_lstm): the unit its card and metadata name
// must track the bracket depth on fresh expressions, run in the engine.
// The expressions are generated here, with a generator and seed of this test
// (not the recipe's), so the model has not seen them.
#include <cmath>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/model.h"
#include "engine/runner.h"

namespace {

const std::string kModel = std::string(LSTMSCOPE_MODELS_DIR) + "/memory_bracket_depth_lstm";

class Expressions {
public:
    explicit Expressions(unsigned seed) : rng_(seed) {}

    // expr := term (op term)*, term := atom | '(' expr ')', at most 6 deep.
    std::string expression(int depth = 0) {
        std::string out;
        const int terms = pick(1, 3);
        for (int k = 0; k < terms; ++k) {
            if (k) out += pick_of("+-*/");
            if (depth < 6 && unit() < 0.45 * (1.0 - depth / 10.0)) {
                const std::string inner = expression(depth + 1);
                out.push_back('(');
                out.append(inner);
                out.push_back(')');
            } else if (unit() < 0.7)
                out += pick_of("abcdxyz");
            else
                out += pick_of("123456789");
        }
        return out;
    }

    std::vector<std::string> make(int count) {
        std::vector<std::string> out;
        while (static_cast<int>(out.size()) < count) {
            std::string e = expression();
            if (e.size() >= 12 && e.size() <= 60 && e.find('(') != std::string::npos)
                out.push_back(e);
        }
        return out;
    }

private:
    int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }
    char pick_of(const std::string& chars) {
        return chars[static_cast<size_t>(pick(0, static_cast<int>(chars.size()) - 1))];
    }
    std::mt19937 rng_;
};

std::vector<int> depths(const std::string& text) {
    std::vector<int> out;
    int d = 0;
    for (char ch : text) {
        d += (ch == '(') - (ch == ')');
        out.push_back(d);
    }
    return out;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
    const double n = static_cast<double>(x.size());
    double mx = 0, my = 0;
    for (size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
    mx /= n, my /= n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / std::sqrt(sxx * syy);
}

struct Unit {
    std::string node;
    int unit = -1;
    std::string state;
    double pearson_test = 0;
};

Unit named_unit(const lstmscope::Model& model) {
    const auto& m = model.metadata.at("memory_unit");
    return {m.at("node").get<std::string>(), m.at("unit").get<int>(),
            m.at("state").get<std::string>(), m.at("pearson_test").get<double>()};
}

TEST(MemoryModel, MetadataAndCardNameTheCountingUnit) {
    const lstmscope::Model model = lstmscope::Model::load(kModel + ".json");
    EXPECT_EQ(model.task, lstmscope::Task::Tagging);
    const Unit u = named_unit(model);
    EXPECT_EQ(u.state, "c");
    EXPECT_EQ(model.metadata.at("memory_unit").at("direction").get<std::string>(), "forward");
    EXPECT_GE(std::abs(u.pearson_test), 0.9);
    std::ifstream card(kModel + ".md", std::ios::binary);
    ASSERT_TRUE(card);
    const std::string text((std::istreambuf_iterator<char>(card)), std::istreambuf_iterator<char>());
    const std::string name = "Unit " + std::to_string(u.unit) + " of the forward LSTM";
    EXPECT_NE(text.find(name), std::string::npos) << "the card does not name '" << name << "'";
}

TEST(MemoryModel, NamedUnitTracksTheDepthOfFreshExpressions) {
    const lstmscope::Model model = lstmscope::Model::load(kModel + ".json");
    const Unit u = named_unit(model);
    std::vector<double> c, h, depth;
    int right = 0, total = 0;
    for (const std::string& text : Expressions(20261130u).make(40)) {
        SCOPED_TRACE(text);
        const lstmscope::Trace trace = lstmscope::run(model, text);
        ASSERT_EQ(trace.tokens.size(), text.size());  // one token per character, none unknown
        const lstmscope::NodeTrace* node = trace.find(u.node);
        ASSERT_NE(node, nullptr);
        ASSERT_FALSE(node->gates.empty());
        const lstmscope::GateTrace& g = node->gates.front();
        ASSERT_EQ(g.direction, lstmscope::Direction::Forward);
        ASSERT_LT(u.unit, g.c.cols());
        const std::vector<int> d = depths(text);
        for (size_t t = 0; t < text.size(); ++t) {
            const auto row = static_cast<Eigen::Index>(t);
            c.push_back(g.c(row, u.unit));
            h.push_back(g.h(row, u.unit));
            depth.push_back(d[t]);
            right += trace.argmax[t] == d[t];
            ++total;
        }
    }
    const double r = pearson(c, depth);
    RecordProperty("pearson_c", std::to_string(r));
    RecordProperty("pearson_h", std::to_string(pearson(h, depth)));
    EXPECT_GE(std::abs(r), 0.9) << "unit " << u.unit << ": pearson(c, depth) = " << r;
    EXPECT_GT(r * u.pearson_test, 0.0) << "the correlation changed sign: " << r;
    // and the model does its job: the tags are the depths
    EXPECT_GE(static_cast<double>(right) / total, 0.95) << right << "/" << total;
}

}  // namespace
