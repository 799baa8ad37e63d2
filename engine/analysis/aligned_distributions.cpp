// align_distributions: two per-token distributions onto one set of groups.
// Groups are the connected components of "spans overlap" between A tokens
// and B tokens (B spans mapped into A's text first), found with a
// union-find; then listed in reading order by merging A's order with B's.
#include <algorithm>
#include <climits>
#include <numeric>
#include <string>

#include "engine/analysis/distribution_metrics.h"
#include "engine/analysis/text_alignment.h"
#include "engine/error.h"

namespace lstmscope::analysis {

namespace {

class UnionFind {
public:
    explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), size_t{0}); }
    size_t find(size_t x) {
        while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
        return x;
    }
    void unite(size_t a, size_t b) {
        a = find(a);
        b = find(b);
        if (a != b) parent_[std::max(a, b)] = std::min(a, b);
    }

private:
    std::vector<size_t> parent_;
};

bool is_real(const Token& t) { return !t.pad && t.start >= 0; }

// Spans sorted by start, with the running maximum of their ends, so that the
// ones overlapping a query span are found by a binary search and a short walk
// back, even if spans were to overlap one another.
class SpanIndex {
public:
    void add(CharSpan span, int id) { items_.push_back({span, id}); }
    void finish() {
        std::stable_sort(items_.begin(), items_.end(),
                         [](const Item& x, const Item& y) { return x.span.start < y.span.start; });
        max_end_.resize(items_.size());
        int m = INT_MIN;
        for (size_t k = 0; k < items_.size(); ++k) max_end_[k] = m = std::max(m, items_[k].span.end);
    }
    template <class F>
    void for_each_overlapping(CharSpan span, F f) const {
        if (span.start >= span.end) return;
        auto k = static_cast<size_t>(std::partition_point(items_.begin(), items_.end(),
                                                          [&](const Item& x) { return x.span.start < span.end; }) -
                                     items_.begin());
        while (k > 0 && max_end_[k - 1] > span.start) {
            --k;
            if (items_[k].span.end > span.start) f(items_[k].id);
        }
    }

private:
    struct Item {
        CharSpan span;
        int id;
    };
    std::vector<Item> items_;
    std::vector<int> max_end_;
};

struct Component {
    int first_a = -1, last_a = -1, first_b = -1, last_b = -1;
    double mass_a = 0, mass_b = 0;
};

void extend(int& first, int& last, int index) {
    if (first < 0 || index < first) first = index;
    if (index > last) last = index;
}

std::string joined_text(std::span<const Token> tokens, int first, int last) {
    std::string out;
    if (first < 0) return out;
    for (int k = first; k <= last; ++k)
        if (is_real(tokens[static_cast<size_t>(k)])) out += tokens[static_cast<size_t>(k)].text;
    return out;
}

}  // namespace

AlignedDistributions align_distributions(std::span<const Token> tokens_a, std::span<const double> weights_a,
                                         std::span<const Token> tokens_b, std::span<const double> weights_b,
                                         const TextAlignment& pair) {
    if (weights_a.size() != tokens_a.size() || weights_b.size() != tokens_b.size())
        throw Error("align_distributions: " + std::to_string(weights_a.size()) + " weights for " +
                    std::to_string(tokens_a.size()) + " tokens of A, " + std::to_string(weights_b.size()) +
                    " weights for " + std::to_string(tokens_b.size()) + " tokens of B");
    AlignedDistributions out;
    const size_t na = tokens_a.size(), nb = tokens_b.size();
    // Nodes 0..na-1 are A's tokens, na..na+nb-1 B's; padding stays alone and is skipped.
    UnionFind sets(na + nb);
    std::vector<bool> linked(na + nb, false);

    SpanIndex a_index;
    for (size_t i = 0; i < na; ++i) {
        const Token& t = tokens_a[i];
        if (is_real(t)) a_index.add(CharSpan{t.start, t.end}, static_cast<int>(i));
        else out.padding_mass_a += weights_a[i];
    }
    a_index.finish();
    for (size_t j = 0; j < nb; ++j) {
        const Token& t = tokens_b[j];
        if (!is_real(t)) {
            out.padding_mass_b += weights_b[j];
            continue;
        }
        const std::optional<CharSpan> in_a = pair.b_to_a(CharSpan{t.start, t.end});
        if (!in_a) continue;
        a_index.for_each_overlapping(*in_a, [&](int i) {
            sets.unite(static_cast<size_t>(i), na + j);
            linked[static_cast<size_t>(i)] = linked[na + j] = true;
        });
    }

    // Unlinked tokens of one inserted or deleted word become one gap.
    if (!pair.identity()) {
        SpanIndex words_a, words_b;
        const auto& words = pair.words();
        for (size_t w = 0; w < words.size(); ++w) {
            if (words[w].a) words_a.add(*words[w].a, static_cast<int>(w));
            if (words[w].b) words_b.add(*words[w].b, static_cast<int>(w));
        }
        words_a.finish();
        words_b.finish();
        std::vector<int> first_token_of_word(words.size() * 2, -1);  // [2w]: A side, [2w + 1]: B side
        const auto group_by_word = [&](std::span<const Token> tokens, const SpanIndex& index, size_t base, int side) {
            for (size_t k = 0; k < tokens.size(); ++k) {
                if (!is_real(tokens[k]) || linked[base + k]) continue;
                int word = -1;
                index.for_each_overlapping(CharSpan{tokens[k].start, tokens[k].end},
                                           [&](int w) { word = word < 0 ? w : std::min(word, w); });
                if (word < 0) continue;
                int& first = first_token_of_word[static_cast<size_t>(2 * word + side)];
                if (first < 0) first = static_cast<int>(base + k);
                else sets.unite(static_cast<size_t>(first), base + k);
            }
        };
        group_by_word(tokens_a, words_a, 0, 0);
        group_by_word(tokens_b, words_b, na, 1);
    }

    // Components, keyed by their root.
    std::vector<int> component_of(na + nb, -1);
    std::vector<Component> components;
    const auto component = [&](size_t node) -> Component& {
        const size_t root = sets.find(node);
        if (component_of[root] < 0) {
            component_of[root] = static_cast<int>(components.size());
            components.emplace_back();
        }
        return components[static_cast<size_t>(component_of[root])];
    };
    for (size_t i = 0; i < na; ++i) {
        if (!is_real(tokens_a[i])) continue;
        Component& c = component(i);
        extend(c.first_a, c.last_a, static_cast<int>(i));
        c.mass_a += weights_a[i];
    }
    for (size_t j = 0; j < nb; ++j) {
        if (!is_real(tokens_b[j])) continue;
        Component& c = component(na + j);
        extend(c.first_b, c.last_b, static_cast<int>(j));
        c.mass_b += weights_b[j];
    }

    // Reading order: merge the components in A's token order with those in
    // B's; at one place, A-only gaps (deletions) come before B-only ones.
    std::vector<size_t> by_a, by_b;
    for (size_t c = 0; c < components.size(); ++c) {
        if (components[c].first_a >= 0) by_a.push_back(c);
        if (components[c].first_b >= 0) by_b.push_back(c);
    }
    std::sort(by_a.begin(), by_a.end(), [&](size_t x, size_t y) { return components[x].first_a < components[y].first_a; });
    std::sort(by_b.begin(), by_b.end(), [&](size_t x, size_t y) { return components[x].first_b < components[y].first_b; });
    std::vector<size_t> order;
    order.reserve(components.size());
    std::vector<bool> placed(components.size(), false);
    const auto place = [&](size_t c) {
        if (!placed[c]) order.push_back(c);
        placed[c] = true;
    };
    size_t ka = 0, kb = 0;
    while (ka < by_a.size() || kb < by_b.size()) {
        if (ka < by_a.size() && placed[by_a[ka]]) { ++ka; continue; }
        if (kb < by_b.size() && placed[by_b[kb]]) { ++kb; continue; }
        if (ka < by_a.size() && components[by_a[ka]].first_b < 0) { place(by_a[ka++]); continue; }
        if (kb < by_b.size() && components[by_b[kb]].first_a < 0) { place(by_b[kb++]); continue; }
        // Both heads are shared components: the same one unless tokens cross.
        if (ka < by_a.size()) place(by_a[ka++]);
        else place(by_b[kb++]);
    }

    double total_a = 0, total_b = 0;
    for (const Component& c : components) {
        total_a += c.mass_a;
        total_b += c.mass_b;
    }
    std::vector<double> mass_a, mass_b;
    out.groups.reserve(order.size());
    for (size_t c : order) {
        const Component& comp = components[c];
        AlignedGroup g;
        g.first_a = comp.first_a;
        g.last_a = comp.last_a;
        g.first_b = comp.first_b;
        g.last_b = comp.last_b;
        g.text_a = joined_text(tokens_a, comp.first_a, comp.last_a);
        g.text_b = joined_text(tokens_b, comp.first_b, comp.last_b);
        // A side without weight stays at 0 (and the metrics come out NaN).
        g.mass_a = total_a != 0 ? comp.mass_a / total_a : 0;
        g.mass_b = total_b != 0 ? comp.mass_b / total_b : 0;
        mass_a.push_back(g.mass_a);
        mass_b.push_back(g.mass_b);
        out.groups.push_back(std::move(g));
    }
    out.js_divergence = jensen_shannon_divergence(mass_a, mass_b);
    out.kendall_tau = kendall_tau_b(mass_a, mass_b);
    out.top3_overlap = top_k_overlap(mass_a, mass_b, 3);
    return out;
}

}  // namespace lstmscope::analysis
