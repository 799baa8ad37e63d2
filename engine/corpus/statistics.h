// The statistics a corpus run reports, written so that shards of a corpus
// combine into exactly the numbers of one whole run: sums are kept as
// integers (fixed point), which add up the same in any order, unlike floats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lstmscope::corpus {

// A sum of values kept in fixed point with 2^-32 resolution (2.3e-10): each
// value is rounded once when added, so a sum over any split of the values
// is the same integer. Values up to 2^30 and about 10^8 of them fit.
// NaN values are not added (they are counted in `skipped`).
struct FixedSum {
    static constexpr double kScale = 4294967296.0;  // 2^32
    int64_t count = 0, skipped = 0;
    int64_t sum = 0, sum_squares = 0;  // of the rounded values and of their squares

    void add(double value);
    void merge(const FixedSum& other);
    double mean() const;  // NaN when empty
    // The sample standard deviation (n - 1); NaN below two values.
    double standard_deviation() const;
    // mean -/+ 1.96 standard errors: a normal-approximation 95% interval.
    double ci95_low() const;
    double ci95_high() const;
};

// Counts of values in equal bins over [low, high]; high itself goes into
// the last bin, NaN nowhere.
struct Histogram {
    double low = 0, high = 1;
    std::vector<int64_t> counts;
    Histogram() = default;
    Histogram(double low, double high, int bins) : low(low), high(high), counts(static_cast<size_t>(bins), 0) {}
    void add(double value);
    void merge(const Histogram& other);
};

// McNemar's test on paired right/wrong answers: b texts only A got right,
// c texts only B got right. The chi-square statistic with continuity
// correction (|b - c| - 1)^2 / (b + c) and its p value (1 degree of
// freedom), and the exact two-sided binomial p value; p = 1 and statistic
// 0 when b + c = 0. Match scipy.stats.chi2.sf and scipy.stats.binomtest.
struct McNemar {
    double statistic = 0, p_value = 1, exact_p_value = 1;
};
McNemar mcnemar(int64_t b, int64_t c);

// The median of values (the mean of the middle two for an even count);
// NaN for none.
double median(std::vector<double> values);

// Total variation distance 0.5 * sum |p - q| of two distributions.
double total_variation(const std::vector<double>& p, const std::vector<double>& q);

// Shannon entropy in bits of a distribution (0 log 0 = 0).
double entropy_bits(const std::vector<double>& p);

}  // namespace lstmscope::corpus
