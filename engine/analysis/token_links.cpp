#include "engine/analysis/token_links.h"

#include <algorithm>

namespace lstmscope::analysis {

std::vector<int> counterpart_tokens(std::span<const Token> a, std::span<const Token> b, const TextAlignment& pair) {
    // B's real tokens in reading order (spans never overlap and only grow),
    // so the first one ending after a span's start is found by bisection:
    // O(T log T) for 20,000-token texts rather than a scan per token.
    std::vector<int> real;
    for (int k = 0; k < static_cast<int>(b.size()); ++k)
        if (!b[k].pad && b[k].start >= 0) real.push_back(k);
    std::vector<int> out(a.size(), -1);
    for (size_t t = 0; t < a.size(); ++t) {
        if (a[t].pad || a[t].start < 0) continue;
        const auto span = pair.a_to_b(CharSpan{a[t].start, a[t].end});
        if (!span || span->end <= span->start) continue;
        const auto it = std::partition_point(real.begin(), real.end(), [&](int k) { return b[k].end <= span->start; });
        if (it != real.end() && b[*it].start < span->end) out[t] = *it;
    }
    return out;
}

bool same_tokens(std::span<const Token> a, std::span<const Token> b) {
    if (a.size() != b.size()) return false;
    for (size_t t = 0; t < a.size(); ++t)
        if (a[t].text != b[t].text || a[t].start != b[t].start || a[t].end != b[t].end || a[t].pad != b[t].pad)
            return false;
    return true;
}

}  // namespace lstmscope::analysis
