#include "engine/corpus/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lstmscope::corpus {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

void FixedSum::add(double value) {
    if (!std::isfinite(value)) {
        ++skipped;
        return;
    }
    const int64_t q = std::llround(value * kScale);
    const double rounded = static_cast<double>(q) / kScale;
    ++count;
    sum += q;
    sum_squares += std::llround(rounded * rounded * kScale);
}

void FixedSum::merge(const FixedSum& other) {
    count += other.count;
    skipped += other.skipped;
    sum += other.sum;
    sum_squares += other.sum_squares;
}

double FixedSum::mean() const { return count ? static_cast<double>(sum) / kScale / static_cast<double>(count) : kNaN; }

double FixedSum::standard_deviation() const {
    if (count < 2) return kNaN;
    const double n = static_cast<double>(count);
    const double s = static_cast<double>(sum) / kScale, ss = static_cast<double>(sum_squares) / kScale;
    const double var = (ss - s * s / n) / (n - 1);
    return std::sqrt(std::max(0.0, var));
}

double FixedSum::ci95_low() const {
    return count < 2 ? kNaN : mean() - 1.96 * standard_deviation() / std::sqrt(static_cast<double>(count));
}
double FixedSum::ci95_high() const {
    return count < 2 ? kNaN : mean() + 1.96 * standard_deviation() / std::sqrt(static_cast<double>(count));
}

void Histogram::add(double value) {
    if (counts.empty() || std::isnan(value)) return;
    const int bins = static_cast<int>(counts.size());
    int k = static_cast<int>(std::floor((value - low) / (high - low) * bins));
    k = std::clamp(k, 0, bins - 1);
    ++counts[static_cast<size_t>(k)];
}

void Histogram::merge(const Histogram& other) {
    if (counts.size() < other.counts.size()) counts.resize(other.counts.size(), 0);
    for (size_t k = 0; k < other.counts.size(); ++k) counts[k] += other.counts[k];
}

McNemar mcnemar(int64_t b, int64_t c) {
    McNemar m;
    const int64_t n = b + c;
    if (n == 0) return m;
    const double d = std::abs(static_cast<double>(b - c)) - 1.0;
    m.statistic = std::max(0.0, d) * std::max(0.0, d) / static_cast<double>(n);
    // Chi-square with one degree of freedom: P(X > x) = erfc(sqrt(x / 2)).
    m.p_value = std::erfc(std::sqrt(m.statistic / 2.0));
    // Exact: twice the smaller binomial tail at 1/2, summed in log space so
    // that large counts neither overflow nor underflow to a wrong answer.
    const int64_t k = std::min(b, c);
    double tail = 0;
    const double log_half_n = static_cast<double>(n) * std::log(0.5);
    for (int64_t i = 0; i <= k; ++i) {
        const double log_choose = std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(i) + 1) -
                                  std::lgamma(static_cast<double>(n - i) + 1);
        tail += std::exp(log_choose + log_half_n);
    }
    // b == c: the two tails overlap in the middle term; SciPy gives 1.
    m.exact_p_value = b == c ? 1.0 : std::min(1.0, 2.0 * tail);
    return m;
}

double median(std::vector<double> values) {
    if (values.empty()) return kNaN;
    const size_t n = values.size();
    std::sort(values.begin(), values.end());
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

double total_variation(const std::vector<double>& p, const std::vector<double>& q) {
    double d = 0;
    for (size_t k = 0; k < std::min(p.size(), q.size()); ++k) d += std::abs(p[k] - q[k]);
    return 0.5 * d;
}

double entropy_bits(const std::vector<double>& p) {
    double h = 0;
    for (double x : p)
        if (x > 0) h -= x * std::log2(x);
    return h;
}

}  // namespace lstmscope::corpus
