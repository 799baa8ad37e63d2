// Which node, layer, direction, unit and head a view shows when the user has
// chosen none, or chose one this trace lacks (a new model, a node of the
// other model in compare mode). Written once, here, so that every view and
// every pane makes the same choice, and read-only: resolving a fallback
// never writes back into shared state (two views writing their own
// fallbacks into one selection is what crashed comparison mode).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/trace.h"

namespace lstmscope::analysis {

// ---- recurrent layers (LSTM and GRU) -------------------------------------------
//
// The "lstm" names are historical: every function here takes lstm and gru
// nodes alike (a GRU fills r, z, n, h of its GateTrace, an LSTM i, f, g, o,
// c, h; engine/trace.h), and the views read `op` or is_gru() where the two
// differ.

// An lstm or gru node.
bool is_recurrent(OpKind op);
// Whether a gate trace is a GRU's (r, z, n, h; no c).
inline bool is_gru(const GateTrace& gates) { return gates.i.size() == 0 && gates.r.size() > 0; }

struct LstmNodeSummary {
    std::string name;
    OpKind op = OpKind::Lstm;  // Lstm or Gru
    int layers = 1;
    bool bidirectional = false;
    int hidden = 0;
};
// Every lstm and gru node that recorded gates, in graph order.
std::vector<LstmNodeSummary> lstm_nodes(const Trace& trace);

struct LstmChoice {
    std::string node;  // empty: the trace has no LSTM or GRU gates
    OpKind op = OpKind::Lstm;
    int layer = 0;
    Direction direction = Direction::Forward;
    const GateTrace* gates = nullptr;
    bool fallback = false;  // the wanted node was empty or unknown
};
// The wanted node, layer and direction when the trace has them. Otherwise
// the first recurrent node's last layer, forward: the last layer is the one the rest of
// the model (attention, pooling, the classifier) reads, so its units are the
// ones the other views relate to. A known node with a layer out of range
// keeps the node and clamps the layer; a unidirectional node shows forward.
LstmChoice resolve_lstm(const Trace& trace, std::string_view wanted_node, int wanted_layer,
                        Direction wanted_direction);

// Population variance of h(t, unit) over all tokens.
double hidden_variance(const GateTrace& gates, int unit);
// The fraction of (token, quantity) pairs at a rail: a gate below 0.1 or
// above 0.9, or |h| above 0.9; over i, f, o and h for an LSTM, over r, z and
// h for a GRU (its sigmoid gates and its state).
double saturation(const GateTrace& gates, int unit);

// The wanted unit when it exists; otherwise the unit whose hidden state
// varies most over the text (a first picture with an empty line plot teaches
// nothing). -1 when there are no units or tokens.
int resolve_unit(const GateTrace& gates, int wanted_unit);

// ---- attention ----------------------------------------------------------------

struct AttentionNodeSummary {
    std::string name;
    OpKind op = OpKind::Attention;
    int heads = 1;  // > 1 only for multihead_attention
    int rows = 0, columns = 0;
    // A long text's node whose weights were not recorded: views show its
    // AttentionSummary and ask attention_rows() for exact rows.
    bool summarized = false;
    bool multihead() const { return op == OpKind::MultiheadAttention && heads > 1; }
};
// Every attention, attention_pool and multihead_attention node, graph order.
std::vector<AttentionNodeSummary> attention_nodes(const Trace& trace);

// What kind of node a view can use: the attention view takes any, the token
// strip's "pooling weights" colouring wants an attention_pool node, its
// "attention row" colouring a matrix (attention or multihead_attention).
enum class AttentionKind { Any, Pool, Matrix };

struct AttentionChoice {
    const NodeTrace* node = nullptr;  // null: no fitting node
    std::string name;
    int head = 0;                     // -1: the average of the heads
    bool fallback = false;
};
// The wanted node (and head) when the trace has it and it is of the wanted
// kind; otherwise the first node of that kind (for Matrix, a pool as a last
// resort), opening a multi-head node on the average of its heads: the
// summary first. A head out of range falls back to the average; nodes with
// one head always show head 0.
AttentionChoice resolve_attention(const Trace& trace, std::string_view wanted_node, int wanted_head,
                                  AttentionKind kind = AttentionKind::Any);

// A node with attention weights, recorded or recomputable (a long text's).
bool has_attention(const NodeTrace& node);
// Its query rows, keys and heads (all of them, recorded or not: from the
// source when the weights were not kept); 0 without attention.
int attention_row_count(const NodeTrace& node);
int attention_column_count(const NodeTrace& node);
int attention_head_count(const NodeTrace& node);

// The matrix a choice shows: the head, or the average of the heads. Empty
// when the node did not record every row (a long text): see below.
Matrix attention_matrix(const AttentionChoice& choice);

// Query rows [first, first + count) of what a choice shows, from the
// recorded weights when they hold them, else recomputed exactly by the
// node's AttentionSource. Empty when out of range or unavailable.
Matrix attention_rows(const AttentionChoice& choice, int first, int count);

// The node's AttentionSummary for the choice's head (or the average of the
// heads); empty when the node recorded its weights.
Matrix attention_summary(const AttentionChoice& choice);

}  // namespace lstmscope::analysis
