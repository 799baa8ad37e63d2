// Everything one run of a model on one text produced (spec/trace-format.md).
// The GUI displays only what is recorded here; it never recomputes values.
#pragma once

#include <string>
#include <vector>

#include "engine/matrix.h"
#include "engine/op_kind.h"
#include "engine/tokenizer.h"

namespace lstmscope {

enum class Direction { Forward, Backward };

// One LSTM layer and direction. Every matrix is T x H and row t belongs to
// token t, for the backward direction too.
struct GateTrace {
    int layer = 0;
    Direction direction = Direction::Forward;
    Matrix i, f, g, o, c, h;
};

struct NodeTrace {
    std::string name;
    OpKind op = OpKind::Dropout;
    Matrix value;
    std::vector<GateTrace> gates;   // lstm only: layer 0 fwd, layer 0 bwd, layer 1 fwd, ...
    std::vector<Matrix> attention;  // attention: one T_q x T_k; attention_pool: one 1 x T;
                                    // multihead_attention: one T_q x T_k per head
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

    const NodeTrace* find(std::string_view name) const;
    const Matrix& output() const { return nodes.at(output_node).value; }
};

}  // namespace lstmscope
