// Each function follows the SciPy code it is tested against (SciPy 1.10, the
// version Debian 12 ships), operation for operation where the order of
// floating-point operations decides the last bits.
#include "engine/analysis/distribution_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>

#include "engine/error.h"

namespace lstmscope::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// scipy.special.rel_entr: x log(x / y), 0 for x == 0, +inf where y == 0 < x.
double rel_entr(double x, double y) {
    if (x > 0 && y > 0) return x * std::log(x / y);
    if (x == 0 && y >= 0) return 0;
    return std::numeric_limits<double>::infinity();
}

// Sum of a range of valid weights, or NaN if one is negative or not finite.
double checked_sum(std::span<const double> v) {
    double sum = 0;
    for (double x : v) {
        if (!std::isfinite(x) || x < 0) return kNaN;
        sum += x;
    }
    return sum;
}

// Number of pairs among runs of equal values in a sorted sequence,
// sum over runs of c (c - 1) / 2.
template <class Equal>
int64_t tied_pairs(size_t n, Equal equal) {
    int64_t pairs = 0;
    size_t run = 1;
    for (size_t i = 1; i <= n; ++i) {
        if (i < n && equal(i - 1, i)) {
            ++run;
        } else {
            pairs += static_cast<int64_t>(run) * static_cast<int64_t>(run - 1) / 2;
            run = 1;
        }
    }
    return pairs;
}

}  // namespace

// scipy.spatial.distance.jensenshannon: normalise, m = (p + q) / 2,
// js = sum(rel_entr(p, m)) + sum(rel_entr(q, m)), divided by log(base), and
// the distance is sqrt(js / 2); we return its square, js / 2 / log(2).
double jensen_shannon_divergence(std::span<const double> p, std::span<const double> q) {
    if (p.size() != q.size() || p.empty()) return kNaN;
    const double sum_p = checked_sum(p), sum_q = checked_sum(q);
    if (!(sum_p > 0) || !(sum_q > 0)) return kNaN;  // also catches NaN from checked_sum
    double left = 0, right = 0;
    for (size_t i = 0; i < p.size(); ++i) {
        const double pi = p[i] / sum_p, qi = q[i] / sum_q;
        const double m = (pi + qi) / 2.0;
        left += rel_entr(pi, m);
        right += rel_entr(qi, m);
    }
    const double js = (left + right) / std::log(2.0) / 2.0;
    // Each sum is a Kullback-Leibler divergence, >= 0 up to rounding.
    return std::clamp(js, 0.0, 1.0);
}

// scipy.stats.kendalltau (variant 'b'), which follows Knight (1966): sort by
// (x, y), count the discordant pairs as inversions of y, and the ties of x,
// of y and of both from runs in sorted orders. O(n log n): the inversions are
// counted with a Fenwick tree over the dense ranks of y.
double kendall_tau_b(std::span<const double> x, std::span<const double> y) {
    const size_t n = x.size();
    if (n != y.size() || n < 2) return kNaN;
    for (size_t i = 0; i < n; ++i)
        if (std::isnan(x[i]) || std::isnan(y[i])) return kNaN;  // SciPy's nan_policy='propagate'

    // Dense ranks of y (1-based), equal values sharing a rank.
    std::vector<size_t> by_y(n);
    std::iota(by_y.begin(), by_y.end(), size_t{0});
    std::stable_sort(by_y.begin(), by_y.end(), [&](size_t a, size_t b) { return y[a] < y[b]; });
    std::vector<size_t> y_rank(n);
    size_t rank = 0;
    for (size_t k = 0; k < n; ++k) {
        if (k == 0 || y[by_y[k]] != y[by_y[k - 1]]) ++rank;
        y_rank[by_y[k]] = rank;
    }
    const size_t y_ranks = rank;
    const int64_t ytie = tied_pairs(n, [&](size_t a, size_t b) { return y[by_y[a]] == y[by_y[b]]; });

    std::vector<size_t> by_xy(n);
    std::iota(by_xy.begin(), by_xy.end(), size_t{0});
    std::sort(by_xy.begin(), by_xy.end(), [&](size_t a, size_t b) {
        if (x[a] != x[b]) return x[a] < x[b];
        return y_rank[a] < y_rank[b];
    });
    const int64_t xtie = tied_pairs(n, [&](size_t a, size_t b) { return x[by_xy[a]] == x[by_xy[b]]; });
    const int64_t ntie = tied_pairs(n, [&](size_t a, size_t b) {
        return x[by_xy[a]] == x[by_xy[b]] && y_rank[by_xy[a]] == y_rank[by_xy[b]];
    });

    // Discordant pairs: i before j in (x, y) order with a strictly larger y.
    // Ties in x are sorted by y, so they never count.
    int64_t dis = 0;
    std::vector<int64_t> fenwick(y_ranks + 1, 0);
    for (size_t k = 0; k < n; ++k) {
        const size_t r = y_rank[by_xy[k]];
        int64_t at_most_r = 0;
        for (size_t i = r; i > 0; i -= i & (~i + 1)) at_most_r += fenwick[i];
        dis += static_cast<int64_t>(k) - at_most_r;
        for (size_t i = r; i <= y_ranks; i += i & (~i + 1)) ++fenwick[i];
    }

    const int64_t tot = static_cast<int64_t>(n) * static_cast<int64_t>(n - 1) / 2;
    if (xtie == tot || ytie == tot) return kNaN;  // a constant side
    const int64_t con_minus_dis = tot - xtie - ytie + ntie - 2 * dis;
    const double tau = static_cast<double>(con_minus_dis) / std::sqrt(static_cast<double>(tot - xtie)) /
                       std::sqrt(static_cast<double>(tot - ytie));
    return std::clamp(tau, -1.0, 1.0);
}

std::vector<int> top_k_indices(std::span<const double> values, int k) {
    const size_t n = values.size();
    const size_t take = k <= 0 ? 0 : std::min(n, static_cast<size_t>(k));
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    // NaN sorts below everything, so it is picked only when nothing else is left.
    const auto larger = [&](int a, int b) {
        const double va = values[static_cast<size_t>(a)], vb = values[static_cast<size_t>(b)];
        if (std::isnan(va) != std::isnan(vb)) return std::isnan(vb);
        if (va != vb && !std::isnan(va)) return va > vb;
        return a < b;
    };
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end(), larger);
    order.resize(take);
    return order;
}

double top_k_overlap(std::span<const double> a, std::span<const double> b, int k) {
    if (a.empty() || a.size() != b.size() || k <= 0) return kNaN;
    const std::vector<int> top_a = top_k_indices(a, k), top_b = top_k_indices(b, k);
    int common = 0;
    for (int i : top_a)
        if (std::find(top_b.begin(), top_b.end(), i) != top_b.end()) ++common;
    return static_cast<double>(common) / static_cast<double>(top_a.size());
}

Matrix head_average(const std::vector<Matrix>& heads) {
    if (heads.empty()) return Matrix();
    const Eigen::Index rows = heads[0].rows(), cols = heads[0].cols();
    Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(rows, cols);
    for (size_t h = 0; h < heads.size(); ++h) {
        if (heads[h].rows() != rows || heads[h].cols() != cols)
            throw Error("head_average: head " + std::to_string(h) + " is " + std::to_string(heads[h].rows()) + " x " +
                        std::to_string(heads[h].cols()) + ", head 0 is " + std::to_string(rows) + " x " +
                        std::to_string(cols));
        sum += heads[h].cast<double>();
    }
    return (sum / static_cast<double>(heads.size())).cast<float>();
}

}  // namespace lstmscope::analysis
