// A longest common subsequence of two sequences of word ids, the core of
// TextAlignment. Kept apart so that it can be tested on plain integers.
#pragma once

#include <span>
#include <utility>
#include <vector>

namespace lstmscope::analysis {

// The matched pairs (index in a, index in b), increasing in both. Myers'
// O((N + M) D) greedy diff (E. W. Myers, "An O(ND) difference algorithm and
// its variations", Algorithmica 1, 1986) after stripping the common prefix
// and suffix, so texts that differ in a few words cost near-linear time.
// Beyond kMaxDiffEdits differences (texts that have little in common) it
// stops searching and reports no further matches between the common prefix
// and suffix: the middle reads as deleted, then inserted. That bounds the
// time to O((N + M) kMaxDiffEdits) and the memory to O(kMaxDiffEdits^2).
inline constexpr int kMaxDiffEdits = 2000;

std::vector<std::pair<int, int>> common_subsequence(std::span<const int> a, std::span<const int> b,
                                                    int max_edits = kMaxDiffEdits);

}  // namespace lstmscope::analysis
