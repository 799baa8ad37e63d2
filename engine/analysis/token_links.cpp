#include "engine/analysis/token_links.h"

namespace lstmscope::analysis {

std::vector<int> counterpart_tokens(std::span<const Token> a, std::span<const Token> b, const TextAlignment& pair) {
    std::vector<int> out(a.size(), -1);
    for (size_t t = 0; t < a.size(); ++t) {
        if (a[t].pad || a[t].start < 0) continue;
        const auto span = pair.a_to_b(CharSpan{a[t].start, a[t].end});
        if (!span) continue;
        const auto tokens = tokens_overlapping(b, *span);
        if (!tokens.empty()) out[t] = tokens.front();
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
