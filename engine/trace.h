// Everything one run of a model on one text produced (models/FORMAT.md, "The trace").
// The GUI displays only what is recorded here; it never recomputes values.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/attention_source.h"
#include "engine/matrix.h"
#include "engine/op_kind.h"
#include "engine/tokenizer.h"

namespace lstmscope {

enum class Direction { Forward, Backward };

// One LSTM or GRU layer and direction. Every matrix is T x H and row t
// belongs to token t, for the backward direction too. An LSTM fills i, f,
// g, o, c and h; a GRU fills r, z, n and h (the others stay empty).
struct GateTrace {
    int layer = 0;
    Direction direction = Direction::Forward;
    Matrix i, f, g, o, c, h;
    Matrix r, z, n;  // gru only: reset gate, update gate, candidate state
    // Recorded only by a run with RunOptions::details (empty otherwise): the
    // pre-activation z_t = x_t W_ih^T + h_{t-1} W_hh^T + b of all four gates,
    // split into its parts. T x 4H, columns in gate order i, f, g, o (H
    // each); pre_recurrent is zero at the direction's first step (h = 0).
    Matrix pre_input;      // x_t W_ih^T
    Matrix pre_recurrent;  // h_{t-1} W_hh^T
    RowVector bias;        // 1 x 4H: b_ih + b_hh (PyTorch's two biases summed)
    bool has_details() const { return pre_input.size() > 0; }
};

struct NodeTrace {
    std::string name;
    OpKind op = OpKind::Dropout;
    Matrix value;
    std::vector<GateTrace> gates;   // lstm only: layer 0 fwd, layer 0 bwd, layer 1 fwd, ...
    std::vector<Matrix> attention;  // attention: one T_q x T_k; attention_pool: one r x T (a row
                                    // per hop, 1 x T by default); multihead_attention: one
                                    // T_q x T_k per head (T_q: the query's rows, fixed for a
                                    // learned query)
    std::vector<Matrix> scores;     // RunOptions::details only: the same shapes as `attention`, the
                                    // scores before the softmax (scale applied; masked = -infinity)
    // attention / multihead_attention: row 0 of each recorded matrix is query
    // row attention_first_row of the full matrix (RunOptions::attention_first);
    // attention_rows_total is the full matrix's row count. A run that
    // records every row has 0 and the row count.
    int attention_first_row = 0;
    int attention_rows_total = 0;
    bool attention_partial() const {
        return !attention.empty() && (attention_first_row != 0 || attention.front().rows() != attention_rows_total);
    }
    // attention / multihead_attention whose full matrices were not recorded
    // (RunOptions::attention_record_limit, attention_first/end): the source
    // recomputes any rows exactly, the summary shows the whole matrix
    // coarsely (engine/attention_source.h). Null / empty when every row is
    // recorded. Not part of the trace JSON.
    std::shared_ptr<const AttentionSource> attention_source;
    AttentionSummary attention_summary;
    // Every row of every head is in `attention`.
    bool attention_complete() const { return !attention.empty() && !attention_partial(); }
};

struct Trace {
    std::string model;              // the manifest's name
    std::string text;
    std::vector<Token> tokens;      // padding included
    std::vector<DroppedSpan> dropped;
    std::vector<DroppedSpan> truncated;  // cut by pad_to; shown by the GUI, not part of the trace JSON
    std::vector<NodeTrace> nodes;   // graph order
    int output_node = -1;           // index into nodes
    std::vector<std::string> labels;
    std::vector<int> argmax;        // one per output row

    // A run in progress hands out copies of its trace so far
    // (RunOptions::on_node_done): then only nodes [0, nodes_run) hold
    // values, and argmax is empty. -1: the run finished, every node holds
    // its values.
    int nodes_run = -1;
    bool complete() const { return nodes_run < 0; }
    bool node_done(size_t k) const { return complete() || static_cast<int>(k) < nodes_run; }

    const NodeTrace* find(std::string_view name) const;
    const Matrix& output() const { return nodes.at(output_node).value; }
};

}  // namespace lstmscope
