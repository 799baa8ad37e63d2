#include "engine/analysis/reading_order.h"

#include <algorithm>

namespace lstmscope::analysis {

ReadingOrder reading_order(const Trace& trace, int unk_id, bool expand_padding) {
    using Kind = ReadingItem::Kind;
    ReadingOrder out;
    auto& items = out.items;
    const int T = static_cast<int>(trace.tokens.size());
    out.item_of_token.assign(static_cast<size_t>(T), -1);

    // Text the model never saw, merged with the tokens by start offset.
    std::vector<ReadingItem> extras;
    for (const auto& d : trace.dropped) extras.push_back({Kind::Dropped, -1, 1, d.text, d.start, d.end, false});
    for (const auto& d : trace.truncated) extras.push_back({Kind::Truncated, -1, 1, d.text, d.start, d.end, false});
    std::stable_sort(extras.begin(), extras.end(),
                     [](const ReadingItem& a, const ReadingItem& b) { return a.start < b.start; });
    size_t nextExtra = 0;

    auto addPads = [&](int first, int last) {  // [first, last)
        if (first >= last) return;
        if (expand_padding) {
            for (int t = first; t < last; ++t) {
                out.item_of_token[t] = static_cast<int>(items.size());
                items.push_back({Kind::Token, t, 1, trace.tokens[t].text, -1, -1, false});
            }
            return;
        }
        for (int t = first; t < last; ++t) out.item_of_token[t] = static_cast<int>(items.size());
        items.push_back({Kind::PadGroup, first, last - first, std::string(), -1, -1, false});
    };

    // Padding sits before the first or after the last real token (pre or
    // post); the text in between reads in the order it was typed.
    int t = 0;
    while (t < T && trace.tokens[t].pad) ++t;
    addPads(0, t);
    while (t < T) {
        const auto& token = trace.tokens[t];
        if (token.pad) {
            int last = t;
            while (last < T && trace.tokens[last].pad) ++last;
            // Trailing padding: everything typed comes before it.
            if (last == T)
                while (nextExtra < extras.size()) items.push_back(extras[nextExtra++]);
            addPads(t, last);
            t = last;
            continue;
        }
        while (nextExtra < extras.size() && extras[nextExtra].start < token.start) items.push_back(extras[nextExtra++]);
        out.item_of_token[t] = static_cast<int>(items.size());
        items.push_back({Kind::Token, t, 1, token.text, token.start, token.end, unk_id >= 0 && token.id == unk_id});
        ++t;
    }
    while (nextExtra < extras.size()) items.push_back(extras[nextExtra++]);
    return out;
}

}  // namespace lstmscope::analysis
