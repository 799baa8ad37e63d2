#include "engine/intervention.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "engine/error.h"

namespace lstmscope {

uint64_t SplitMix64::below(uint64_t n) {
    // Reject the top values that would make the low residues more likely.
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x = next();
    while (x >= limit) x = next();
    return x % n;
}

std::vector<int> random_permutation(int n, SplitMix64& rng) {
    std::vector<int> p(static_cast<size_t>(std::max(0, n)));
    std::iota(p.begin(), p.end(), 0);
    for (int i = n - 1; i > 0; --i)
        std::swap(p[static_cast<size_t>(i)], p[static_cast<size_t>(rng.below(static_cast<uint64_t>(i) + 1))]);
    return p;
}

namespace {

// The keys query row `row` may see: [0, visible).
Eigen::Index visible_keys(Eigen::Index row, Eigen::Index keys, bool causal) {
    return causal ? std::min(keys, row + 1) : keys;
}

}  // namespace

void apply_intervention(const AttentionIntervention& iv, int head, int first_row, bool causal, Matrix& w) {
    const Eigen::Index keys = w.cols();
    switch (iv.kind) {
    case AttentionIntervention::Kind::Uniform:
        for (Eigen::Index i = 0; i < w.rows(); ++i) {
            const Eigen::Index n = visible_keys(first_row + i, keys, causal);
            w.row(i).setZero();
            if (n > 0) w.row(i).head(n).setConstant(1.0f / static_cast<float>(n));
        }
        break;
    case AttentionIntervention::Kind::Permute:
        for (Eigen::Index i = 0; i < w.rows(); ++i) {
            const Eigen::Index n = visible_keys(first_row + i, keys, causal);
            SplitMix64 rng(SplitMix64::mix(SplitMix64::mix(iv.seed, static_cast<uint64_t>(head)),
                                           static_cast<uint64_t>(first_row + i)));
            const std::vector<int> p = random_permutation(static_cast<int>(n), rng);
            const RowVector old = w.row(i).head(n);
            for (Eigen::Index j = 0; j < n; ++j) w(i, j) = old(p[static_cast<size_t>(j)]);
        }
        break;
    case AttentionIntervention::Kind::Given: {
        if (iv.given.empty()) throw Error("intervention: no weights given");
        const Matrix& g = iv.given.size() == 1 ? iv.given.front() : iv.given.at(static_cast<size_t>(head));
        if (g.cols() != keys || g.rows() < first_row + w.rows())
            throw Error("intervention: the given weights are " + std::to_string(g.rows()) + " x " +
                        std::to_string(g.cols()) + " but the node's attention has " + std::to_string(keys) +
                        " keys and at least " + std::to_string(first_row + w.rows()) + " rows");
        w = g.middleRows(first_row, w.rows());
        break;
    }
    case AttentionIntervention::Kind::ZeroKeys:
        for (int k : iv.keys)
            if (k >= 0 && k < keys) w.col(k).setZero();
        for (Eigen::Index i = 0; i < w.rows(); ++i) {
            // Summed in double so the renormalised row sums to 1 as well as
            // float allows, whatever the number of keys.
            double sum = 0;
            for (Eigen::Index j = 0; j < keys; ++j) sum += w(i, j);
            if (sum > 0) w.row(i) *= static_cast<float>(1.0 / sum);
        }
        break;
    }
}

}  // namespace lstmscope
