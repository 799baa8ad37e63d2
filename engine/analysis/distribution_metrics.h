// Numbers that compare two attention distributions over the same items:
// how far apart they are (Jensen-Shannon divergence), whether they rank the
// items alike (Kendall's tau-b) and whether they agree on the top items
// (top-k overlap). The compare views and `lstmscope-cli compare` print them;
// each matches SciPy (see tests/engine/test_distribution_metrics.cpp and the
// goldens made by tools/make_analysis_golden.py).
#pragma once

#include <span>
#include <vector>

#include "engine/matrix.h"

namespace lstmscope::analysis {

// Jensen-Shannon divergence in bits (log base 2), in [0, 1]. Both inputs are
// normalised to sum 1 first; they must have the same length, be non-negative
// and finite, with a positive sum (else NaN). Equals
// scipy.spatial.distance.jensenshannon(p, q, base=2) ** 2.
double jensen_shannon_divergence(std::span<const double> p, std::span<const double> q);

// Kendall's tau-b (ties in either ranking handled as scipy.stats.kendalltau
// does by default). NaN when fewer than two items or when either side is
// constant.
double kendall_tau_b(std::span<const double> x, std::span<const double> y);

// The indices of the k largest values, largest first; ties go to the lower
// index. k is clipped to the length.
std::vector<int> top_k_indices(std::span<const double> values, int k);

// |top_k(a) ∩ top_k(b)| / k' with k' = min(k, length): 1 when both pick the
// same items. NaN for empty input.
double top_k_overlap(std::span<const double> a, std::span<const double> b, int k);

// The mean of several equally shaped matrices (the heads of a
// multihead_attention node), accumulated in double so it does not depend on
// the order of the heads more than rounding to float does. Each row of the
// average of row-stochastic matrices still sums to 1.
Matrix head_average(const std::vector<Matrix>& heads);

}  // namespace lstmscope::analysis
