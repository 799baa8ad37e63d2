// Interventions on an attention node, forward only: what the attention-
// faithfulness tests (Jain & Wallace 2019; Serrano & Smith 2019) run a model
// with. The chosen node computes its weights as usual, then the intervention
// replaces them, and everything after the node runs on the replaced weights.
//
// Applies to `attention`, `multihead_attention` (every head alike) and
// `attention_pool` (every hop alike: each hop is a query row of its own,
// so Permute draws a permutation per hop and Given takes r x T). The
// weights an intervened run records are the replaced ones, so its trace
// shows what the model was made to use.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/matrix.h"

namespace lstmscope {

struct AttentionIntervention {
    enum class Kind {
        // Every query row attends uniformly to the keys it may see (all of
        // them, or those up to itself under a causal mask).
        Uniform,
        // Every row's weights are shuffled among the keys it may see: a
        // random permutation per row, drawn from `seed`, the head and the
        // row, so the result does not depend on how the run splits its work.
        Permute,
        // The weights are `given` (one full T_q x T_k matrix per head, or one
        // matrix for every head), rows used as they are.
        Given,
        // The weights of the keys in `keys` become 0 in every row and head,
        // and each row is divided by what is left of its sum; a row with
        // nothing left stays all zeros (its output row is then zero).
        ZeroKeys,
    };
    Kind kind = Kind::Uniform;
    int node = -1;              // index into Model::nodes
    uint64_t seed = 0;          // Permute
    std::vector<Matrix> given;  // Given
    std::vector<int> keys;      // ZeroKeys: key positions (token indices)
};

// Replaces the softmaxed weights of query rows [first_row, first_row +
// weights.rows()) of head `head` in place. `causal`: key j is hidden from
// query row i > ... (j > i), as the node's mask has it. Throws Error when
// Given weights do not have the node's shape.
void apply_intervention(const AttentionIntervention& intervention, int head, int first_row, bool causal,
                        Matrix& weights);

// A small, fast and fully specified random generator (SplitMix64): the same
// numbers on every platform and standard library, unlike std::shuffle.
class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed) : state_(seed) {}
    uint64_t next() {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n) (n >= 1), by rejection so no value is favoured.
    uint64_t below(uint64_t n);
    // Mixes several numbers into one seed.
    static uint64_t mix(uint64_t a, uint64_t b) { return SplitMix64(a ^ (b * 0xd1b54a32d192ed03ULL)).next(); }

private:
    uint64_t state_;
};

// Fisher-Yates with SplitMix64: a permutation of 0..n-1.
std::vector<int> random_permutation(int n, SplitMix64& rng);

}  // namespace lstmscope
