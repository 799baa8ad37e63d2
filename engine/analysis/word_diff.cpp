#include "engine/analysis/word_diff.h"

#include <algorithm>
#include <cstddef>

namespace lstmscope::analysis {

namespace {

// Myers' greedy forward search on a[0, n) and b[0, m), keeping V after every
// round d (2d + 1 diagonals) so that the path can be walked back. Returns
// false when more than `max_edits` edits would be needed.
bool myers(std::span<const int> a, std::span<const int> b, int max_edits, std::vector<std::pair<int, int>>& out) {
    const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
    const int limit = std::min(n + m, max_edits);
    const int offset = limit + 1;
    std::vector<int> v(static_cast<size_t>(2 * offset + 1), 0);
    const auto at = [&](std::vector<int>& vec, int k) -> int& { return vec[static_cast<size_t>(k + offset)]; };
    std::vector<std::vector<int>> history;  // history[d][k + d] = V[k] after round d
    int found = -1;
    for (int d = 0; d <= limit && found < 0; ++d) {
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && at(v, k - 1) < at(v, k + 1))) ? at(v, k + 1) : at(v, k - 1) + 1;
            int y = x - k;
            while (x < n && y < m && a[static_cast<size_t>(x)] == b[static_cast<size_t>(y)]) ++x, ++y;
            at(v, k) = x;
            if (x >= n && y >= m) found = d;
        }
        history.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
    }
    if (found < 0) return false;

    // Walk back from (n, m): each round is one edit then a diagonal run.
    std::vector<std::pair<int, int>> reversed;
    int x = n, y = m;
    for (int d = found; d > 0; --d) {
        const std::vector<int>& prev = history[static_cast<size_t>(d - 1)];
        const auto prev_at = [&](int k) { return prev[static_cast<size_t>(k + d - 1)]; };
        const int k = x - y;
        const bool down = k == -d || (k != d && prev_at(k - 1) < prev_at(k + 1));
        const int prev_k = down ? k + 1 : k - 1;
        const int prev_x = prev_at(prev_k);
        const int start_x = down ? prev_x : prev_x + 1;  // after the edit
        while (x > start_x) {
            --x;
            --y;
            reversed.emplace_back(x, y);
        }
        x = prev_x;
        y = prev_x - prev_k;
    }
    while (x > 0 && y > 0) {  // round 0 is a pure diagonal
        --x;
        --y;
        reversed.emplace_back(x, y);
    }
    out.insert(out.end(), reversed.rbegin(), reversed.rend());
    return true;
}

}  // namespace

std::vector<std::pair<int, int>> common_subsequence(std::span<const int> a, std::span<const int> b, int max_edits) {
    std::vector<std::pair<int, int>> out;
    size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    for (size_t i = 0; i < prefix; ++i) out.emplace_back(static_cast<int>(i), static_cast<int>(i));

    const auto mid_a = a.subspan(prefix, a.size() - prefix - suffix);
    const auto mid_b = b.subspan(prefix, b.size() - prefix - suffix);
    std::vector<std::pair<int, int>> middle;
    if (!mid_a.empty() && !mid_b.empty() && myers(mid_a, mid_b, max_edits, middle)) {
        for (const auto& [i, j] : middle)
            out.emplace_back(static_cast<int>(prefix) + i, static_cast<int>(prefix) + j);
    }
    for (size_t s = suffix; s > 0; --s)
        out.emplace_back(static_cast<int>(a.size() - s), static_cast<int>(b.size() - s));
    return out;
}

}  // namespace lstmscope::analysis
