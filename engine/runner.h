// Runs a model on one text and records everything (models/FORMAT.md, "The trace").
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>

#include "engine/intervention.h"
#include "engine/model.h"
#include "engine/trace.h"

namespace lstmscope {

struct RunOptions {
    // Longer texts are refused with a message instead of exhausting memory
    // (an attention matrix is T x T floats).
    int max_tokens = 20000;
    // Also record what the teaching views' equations need: every LSTM gate's
    // pre-activation split into its input part, recurrent part and bias
    // (GateTrace::pre_*), and every attention's scores before the softmax
    // (NodeTrace::scores). Off by default, so a plain run pays nothing.
    bool details = false;
    // Threads one run may use (engine/parallel.h): 1 runs everything on the
    // calling thread; 0 means every core. Ops split their work only when it
    // is large enough to pay for a thread.
    int threads = 0;
    // When set, the run checks the flag between nodes and inside the long
    // loops (every few LSTM steps, every attention head) and throws
    // Cancelled once it is true: the GUI stops a run whose text has changed.
    const std::atomic<bool>* cancel = nullptr;
    // The query rows [first, end) of every attention and multi-head
    // attention matrix to record (NodeTrace::attention_first_row says where
    // the recorded rows start). The default records all; an empty range
    // records none. attention_pool's rows (one per hop) are recorded unless
    // the range is empty. Whatever is recorded, the attention is computed a block of
    // rows at a time, so a long text never holds a whole T x T matrix it
    // does not record.
    int attention_first = 0;
    int attention_end = std::numeric_limits<int>::max();
    // At most this many scores per block of attention rows, but at least 64
    // rows a block: 64K floats, 256 KB, so that scores, softmax, summary and
    // the product with the values meet a block in the core's L2 cache rather
    // than in memory; fewer than 64 rows and Eigen's packing of the keys per
    // block costs more than it saves. (The 8-head model, --no-attention: 16
    // MB blocks took ~1.0 s at 5,000 tokens on one core, these ~0.55 s; at
    // 20,000 tokens on two threads 8-row blocks took 14 s, 64-row ones 9 s.)
    // Tests make it small to cut short texts in several blocks.
    int attention_block_floats = 1 << 16;
    // A node's attention matrices are recorded only when they hold at most
    // this many weights together (heads x T_q x T_k); above it the node
    // records none and keeps an AttentionSource and an AttentionSummary
    // instead (engine/attention_source.h), as it does whenever
    // attention_first/end leave rows out. Negative: no limit (the default,
    // and what the trace format promises). The GUI sets a limit so a long
    // text stays within memory.
    int64_t attention_record_limit = -1;
    // Bytes the recorded attention weights (and, with details, scores) of
    // one run may take together: heads x recorded rows x keys x 4 bytes per
    // attention node. A run that would record more stops, before allocating
    // it, with an Error naming the node (ErrorCode::over_memory_budget):
    // the token limit alone does not bound memory, since 64 heads on 20,000
    // tokens would be 102 GB. Negative: no budget (the default here; the
    // CLI's is 4 GiB, --memory-budget). Ask for fewer rows
    // (attention_first/end) or use attention_record_limit to stay under it.
    int64_t memory_budget = -1;
    // The summary's resolution: at most this many bins a side.
    int attention_summary_bins = 256;
    // Called on the running thread after each node, with the trace so far
    // (Trace::nodes_run says how far): the GUI copies it to show the tokens
    // and the LSTM of a long text while its attention is still computed.
    // It must not keep the reference.
    std::function<void(const Trace&)> on_node_done;
};

// Throws Error ("text: ...") for an empty token sequence or one over the
// limit, Cancelled when options.cancel is raised.
Trace run(const Model& model, std::string_view text, const RunOptions& options = {});

// Runs the model on tokens made already: `trace` holds the text and its
// tokens (and dropped spans); the rest is filled in. For runs on a changed
// token sequence (a token deleted, engine/rerun.h). Throws as run() does.
Trace run_tokens(const Model& model, Trace trace, const RunOptions& options = {});

// The output of the model when nodes [first_node, end) run again on the
// values `base` (a finished run of this model) holds for the nodes before
// first_node, optionally with an attention intervention: what comes before
// the intervened node is reused, not recomputed. Nodes after first_node
// that do not depend on it are recomputed too (they are cheap next to
// what comes before). Throws Error for a base that is not a finished run.
Matrix run_output_from(const Model& model, const Trace& base, int first_node, const RunOptions& options,
                       const AttentionIntervention* intervention);

}  // namespace lstmscope
