// The distribution metrics against SciPy (goldens made by
// tools/make_analysis_golden.py), plus the cases SciPy does not cover: the
// tie rule of top_k_indices, head averages, and Kendall's tau on large
// inputs against a brute-force count.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/analysis/distribution_metrics.h"
#include "engine/error.h"

namespace lstmscope::analysis {
namespace {

using nlohmann::json;
using Vec = std::vector<double>;

// Summation order differs from NumPy's pairwise sum in the last bits only.
constexpr double kTolerance = 1e-12;

json load_golden() {
    const std::string path = std::string(LSTMSCOPE_TEST_DATA) + "/analysis/metrics_golden.json";
    std::ifstream in(path);
    if (!in) ADD_FAILURE() << "cannot open " << path << " (run tools/make_analysis_golden.py)";
    return in ? json::parse(in) : json::object();
}

// A golden number, NaN for null.
double golden_number(const json& v) { return v.is_null() ? std::nan("") : v.get<double>(); }

void expect_same(double expected, double actual, const std::string& what) {
    if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(actual)) << what << ": expected NaN, got " << actual;
    } else {
        EXPECT_NEAR(actual, expected, kTolerance) << what;
    }
}

TEST(DistributionMetricsGolden, MatchesScipyOnEveryCase) {
    const json golden = load_golden();
    ASSERT_TRUE(golden.contains("cases"));
    const json& cases = golden.at("cases");
    ASSERT_GE(cases.size(), 20u);
    int nan_tau = 0, ties = 0;
    for (const json& c : cases) {
        const std::string name = c.at("name").get<std::string>();
        const Vec x = c.at("x").get<Vec>(), y = c.at("y").get<Vec>();
        expect_same(golden_number(c.at("js")), jensen_shannon_divergence(x, y), name + ": js");
        expect_same(golden_number(c.at("kendall_tau")), kendall_tau_b(x, y), name + ": kendall_tau");
        for (const auto& [k, overlap] : c.at("top_k").items())
            expect_same(overlap.get<double>(), top_k_overlap(x, y, std::stoi(k)), name + ": top-" + k);
        nan_tau += c.at("kendall_tau").is_null();
        ties += name.find("ties") != std::string::npos;
    }
    // The goldens must keep covering the hard cases.
    EXPECT_GE(nan_tau, 3);
    EXPECT_GE(ties, 3);
}

TEST(JensenShannon, InvalidInputIsNaN) {
    EXPECT_TRUE(std::isnan(jensen_shannon_divergence(Vec{}, Vec{})));
    EXPECT_TRUE(std::isnan(jensen_shannon_divergence(Vec{0.5, 0.5}, Vec{1.0})));
    EXPECT_TRUE(std::isnan(jensen_shannon_divergence(Vec{-0.5, 1.5}, Vec{0.5, 0.5})));
    EXPECT_TRUE(std::isnan(jensen_shannon_divergence(Vec{0.5, INFINITY}, Vec{0.5, 0.5})));
    EXPECT_TRUE(std::isnan(jensen_shannon_divergence(Vec{0.5, NAN}, Vec{0.5, 0.5})));
    EXPECT_TRUE(std::isnan(jensen_shannon_divergence(Vec{0, 0}, Vec{0.5, 0.5})));
}

TEST(JensenShannon, SymmetricBoundedAndScaleFree) {
    const Vec p{0.1, 0.6, 0.3, 0}, q{0.4, 0.1, 0.1, 0.4};
    const double js = jensen_shannon_divergence(p, q);
    EXPECT_GT(js, 0);
    EXPECT_LT(js, 1);
    EXPECT_DOUBLE_EQ(js, jensen_shannon_divergence(q, p));
    EXPECT_NEAR(js, jensen_shannon_divergence(Vec{1, 6, 3, 0}, Vec{4, 1, 1, 4}), 1e-15);
    EXPECT_DOUBLE_EQ(jensen_shannon_divergence(Vec{1, 0}, Vec{0, 1}), 1.0);  // disjoint: one bit
    EXPECT_DOUBLE_EQ(jensen_shannon_divergence(p, p), 0.0);
}

// Kendall's tau-b by its definition, O(n^2): concordant minus discordant
// over sqrt((n0 - n1)(n0 - n2)).
double kendall_brute_force(const Vec& x, const Vec& y) {
    long long s = 0, tx = 0, ty = 0, n0 = 0;
    for (size_t i = 0; i < x.size(); ++i)
        for (size_t j = i + 1; j < x.size(); ++j) {
            ++n0;
            const double dx = x[i] - x[j], dy = y[i] - y[j];
            tx += dx == 0;
            ty += dy == 0;
            if (dx != 0 && dy != 0) s += (dx > 0) == (dy > 0) ? 1 : -1;
        }
    return static_cast<double>(s) / std::sqrt(static_cast<double>(n0 - tx)) / std::sqrt(static_cast<double>(n0 - ty));
}

TEST(KendallTau, MatchesBruteForceWithManyTies) {
    std::mt19937 rng(7);
    for (const int n : {3, 17, 200, 1500}) {
        std::uniform_int_distribution<int> small(0, n / 3 + 1);
        Vec x(static_cast<size_t>(n)), y(static_cast<size_t>(n));
        for (int k = 0; k < n; ++k) {
            x[static_cast<size_t>(k)] = small(rng);
            y[static_cast<size_t>(k)] = small(rng) * 0.5;
        }
        EXPECT_NEAR(kendall_tau_b(x, y), kendall_brute_force(x, y), 1e-12) << "n = " << n;
    }
}

TEST(KendallTau, EdgeCases) {
    EXPECT_TRUE(std::isnan(kendall_tau_b(Vec{}, Vec{})));
    EXPECT_TRUE(std::isnan(kendall_tau_b(Vec{1}, Vec{2})));
    EXPECT_TRUE(std::isnan(kendall_tau_b(Vec{1, 2, 3}, Vec{2, 2, 2})));
    EXPECT_TRUE(std::isnan(kendall_tau_b(Vec{1, 2, 3}, Vec{1, 2})));
    EXPECT_TRUE(std::isnan(kendall_tau_b(Vec{1, NAN, 3}, Vec{1, 2, 3})));
    EXPECT_DOUBLE_EQ(kendall_tau_b(Vec{1, 2, 3, 4}, Vec{10, 20, 30, 40}), 1.0);
    EXPECT_DOUBLE_EQ(kendall_tau_b(Vec{1, 2, 3, 4}, Vec{4, 3, 2, 1}), -1.0);
    EXPECT_DOUBLE_EQ(kendall_tau_b(Vec{-0.0, 1}, Vec{0.0, 1}), 1.0);
}

TEST(KendallTau, LargeInputIsFast) {
    // O(n log n): 200,000 items in well under a second (O(n^2) would take minutes).
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(0, 1);
    Vec x(200000), y(200000);
    for (size_t k = 0; k < x.size(); ++k) {
        x[k] = u(rng);
        y[k] = x[k] + 0.1 * u(rng);
    }
    const auto start = std::chrono::steady_clock::now();
    const double tau = kendall_tau_b(x, y);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_GT(tau, 0.5);
    EXPECT_LT(seconds, 2.0);
}

TEST(TopK, LargestFirstTiesToLowerIndex) {
    const Vec v{0.1, 0.5, 0.2, 0.5, 0.2};
    EXPECT_EQ(top_k_indices(v, 3), (std::vector<int>{1, 3, 2}));
    EXPECT_EQ(top_k_indices(v, 10), (std::vector<int>{1, 3, 2, 4, 0}));
    EXPECT_TRUE(top_k_indices(v, 0).empty());
    EXPECT_TRUE(top_k_indices(Vec{}, 3).empty());
    EXPECT_EQ(top_k_indices(Vec{NAN, 0.1, 0.3}, 2), (std::vector<int>{2, 1}));
}

TEST(TopK, Overlap) {
    EXPECT_DOUBLE_EQ(top_k_overlap(Vec{3, 2, 1, 0}, Vec{0, 2, 1, 3}, 3), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(top_k_overlap(Vec{3, 2, 1, 0}, Vec{3, 2, 1, 0}, 3), 1.0);
    EXPECT_DOUBLE_EQ(top_k_overlap(Vec{1, 2}, Vec{2, 1}, 3), 1.0);  // k clipped to the length
    EXPECT_DOUBLE_EQ(top_k_overlap(Vec{1, 2}, Vec{2, 1}, 1), 0.0);
    EXPECT_TRUE(std::isnan(top_k_overlap(Vec{}, Vec{}, 3)));
}

TEST(HeadAverage, MeanOfHeadsKeepsRowsStochastic) {
    Matrix h0(2, 3), h1(2, 3), h2(2, 3);
    h0 << 1, 0, 0, 0.2f, 0.3f, 0.5f;
    h1 << 0, 1, 0, 0.4f, 0.4f, 0.2f;
    h2 << 0, 0, 1, 0.6f, 0.2f, 0.2f;
    const Matrix avg = head_average({h0, h1, h2});
    ASSERT_EQ(avg.rows(), 2);
    ASSERT_EQ(avg.cols(), 3);
    EXPECT_FLOAT_EQ(avg(0, 0), 1.0f / 3);
    EXPECT_FLOAT_EQ(avg(1, 0), 0.4f);
    EXPECT_FLOAT_EQ(avg(1, 2), 0.3f);
    for (int r = 0; r < 2; ++r) EXPECT_NEAR(avg.row(r).sum(), 1.0f, 1e-6f);
    EXPECT_EQ(head_average({h1}), h1);
    EXPECT_EQ(head_average({}).size(), 0);
}

TEST(HeadAverage, ShapeMismatchIsAnError) {
    try {
        head_average({Matrix::Zero(2, 3), Matrix::Zero(3, 3)});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("head 1"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace lstmscope::analysis
