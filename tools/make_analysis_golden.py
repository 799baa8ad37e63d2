#!/usr/bin/python3
"""Goldens for engine/analysis/distribution_metrics: SciPy's numbers on pairs
of distributions, written to tests/data/analysis/metrics_golden.json and
committed, so that tests/engine/test_distribution_metrics.cpp needs no Python.

Each case holds two non-negative vectors x and y of equal length and:
  js           scipy.spatial.distance.jensenshannon(x, y, base=2) ** 2
  kendall_tau  scipy.stats.kendalltau(x, y).statistic (variant 'b', ties as SciPy)
  top_k        {k: overlap} for k in 1, 3, 5: |top_k(x) & top_k(y)| / min(k, n),
               top_k = the k largest, ties to the lower index (as top_k_indices)
NaN (JSON has none) is written as null.

Needs Debian's python3-scipy (apt-get install python3-scipy).
usage: /usr/bin/python3 tools/make_analysis_golden.py [--out tests/data/analysis/metrics_golden.json]
"""

import argparse
import json
import math
import os

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import kendalltau

KS = (1, 3, 5)


def top_k(v, k):
    return sorted(range(len(v)), key=lambda i: (-v[i], i))[: min(k, len(v))]


def top_k_overlap(x, y, k):
    a, b = top_k(x, k), top_k(y, k)
    return len(set(a) & set(b)) / len(a)


def finite_or_none(v):
    v = float(v)
    return None if math.isnan(v) else v


def case(name, x, y):
    x = [float(v) for v in x]
    y = [float(v) for v in y]
    assert len(x) == len(y) and all(v >= 0 for v in x + y)
    js = jensenshannon(x, y, base=2) ** 2 if sum(x) > 0 and sum(y) > 0 else math.nan
    tau = kendalltau(x, y).statistic if len(x) >= 2 else math.nan
    return {
        "name": name,
        "x": x,
        "y": y,
        "js": finite_or_none(js),
        "kendall_tau": finite_or_none(tau),
        "top_k": {str(k): top_k_overlap(x, y, k) for k in KS},
    }


def cases():
    rng = np.random.default_rng(20240611)
    out = []
    for n in (1, 2, 7, 40, 300):  # continuous random distributions, no ties
        out.append(case(f"random_dirichlet_{n}", rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n))))
    out.append(case("random_unnormalised_50", rng.uniform(0, 5, 50), rng.uniform(0, 0.01, 50)))
    p = rng.dirichlet(np.ones(120))
    out.append(case("identical_120", p, p))
    out.append(case("scaled_copy_30", p[:30], 3 * p[:30]))
    q = rng.dirichlet(np.ones(60))
    out.append(case("disjoint_supports_60", np.r_[q[:30], np.zeros(30)], np.r_[np.zeros(30), q[30:]]))
    z = rng.dirichlet(np.ones(80))
    z[rng.choice(80, 25, replace=False)] = 0
    w = rng.dirichlet(np.ones(80))
    w[rng.choice(80, 40, replace=False)] = 0
    out.append(case("zeros_80", z, w))
    out.append(case("ties_small_integers_25", rng.integers(0, 4, 25), rng.integers(0, 3, 25)))
    out.append(case("ties_many_300", rng.integers(0, 10, 300), rng.integers(0, 50, 300)))
    out.append(case("ties_one_side_40", rng.integers(0, 5, 40), rng.uniform(0, 1, 40)))
    out.append(case("joint_ties_6", [1, 1, 2, 2, 3, 0], [5, 5, 1, 1, 0, 0]))
    out.append(case("constant_x_10", np.full(10, 0.1), rng.uniform(0, 1, 10)))
    out.append(case("constant_both_5", np.full(5, 2.0), np.full(5, 2.0)))
    out.append(case("reversed_order_9", np.arange(1, 10), np.arange(9, 0, -1)))
    out.append(case("two_items_2", [0.2, 0.8], [0.7, 0.3]))
    out.append(case("peaked_vs_uniform_200", np.r_[1.0, np.full(199, 1e-6)], np.full(200, 1 / 200)))
    out.append(case("zero_sum_side_4", [0, 0, 0, 0], [0.1, 0.2, 0.3, 0.4]))
    out.append(case("tied_top_values_12", [0.3, 0.3, 0.3] + [0.01] * 9, [0.01] * 9 + [0.3, 0.3, 0.3]))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "..", "tests", "data", "analysis", "metrics_golden.json"))
    args = parser.parse_args()
    data = {
        "generator": "tools/make_analysis_golden.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "cases": cases(),
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(data['cases'])} cases to {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
