// The numbers the teaching views typeset: one LSTM (or GRU) cell at one step
// for one unit, and one attention row from its scores to its weights. Everything is
// read from a trace run with RunOptions::details; the views only format it,
// so what the equation says is what the engine computed.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "engine/model.h"
#include "engine/trace.h"

namespace lstmscope::analysis {

// ---- LSTM cell ----------------------------------------------------------------

enum Gate { GateI = 0, GateF = 1, GateG = 2, GateO = 3 };

struct CellEquation {
    int token = -1;       // t
    int prev_token = -1;  // the token whose state is h_{t-1}, c_{t-1} (t - 1, or t + 1 backward); -1 at the first step
    int unit = -1;
    // Per gate i, f, g, o: z = input + recurrent + bias, and the activated value.
    std::array<float, 4> input{}, recurrent{}, bias{}, z{}, value{};
    float c_prev = 0, h_prev = 0;  // 0 at the first step
    float forget_term = 0;         // f * c_{t-1}
    float input_term = 0;          // i * g
    float c = 0;                   // c_t as recorded (= forget_term + input_term up to rounding)
    float tanh_c = 0;
    float h = 0;                   // h_t as recorded (= o * tanh(c_t))
};

// nullopt when the gates have no details (a plain run) or t / unit are out
// of range.
std::optional<CellEquation> cell_equation(const GateTrace& gates, int token, int unit);

// "sigmoid" or "hard_sigmoid": the gate activation of an lstm or gru node.
std::string gate_activation(const Node& node);

// ---- GRU cell -------------------------------------------------------------------

// One GRU unit at one step, from the recorded gates alone: the engine records
// no pre-activations for a GRU (RunOptions::details splits them for an LSTM
// only), so r, z and n come as values, while the state update
// h_t = (1 - z) n + z h_{t-1} is complete.
struct GruEquation {
    int token = -1;       // t
    int prev_token = -1;  // the token whose state is h_{t-1} (t - 1, or t + 1 backward); -1 at the first step
    int unit = -1;
    float r = 0, z = 0, n = 0;  // reset gate, update gate, candidate
    float h_prev = 0;           // 0 at the first step
    float new_term = 0;         // (1 - z) * n
    float keep_term = 0;        // z * h_{t-1}
    float h = 0;                // h_t as recorded (= new_term + keep_term up to rounding)
};

// nullopt when the gates are not a GRU's or t / unit are out of range. Needs
// no details run.
std::optional<GruEquation> gru_equation(const GateTrace& gates, int token, int unit);

// A gru node's `reset_after` (true, PyTorch's nn.GRU, unless the manifest
// says false: then r multiplies h_{t-1} before the recurrent product).
bool gru_reset_after(const Node& node);

// ---- attention ----------------------------------------------------------------

enum class ScoreForm {
    Dot,             // q . k
    ScaledDot,       // q . k / sqrt(d)
    General,         // q W k^T
    Additive,        // v . tanh(W_q q + W_k k + b)
    PoolTanhProj,    // w . tanh(W h_t + b)
    PoolTanh,        // w . tanh(h_t)
    PoolLinear,      // w . h_t + b
    PoolTanhLinear,  // tanh(w . h_t + b)
    MultiHead,       // per head: (q W_q^h) . (k W_k^h) / sqrt(d_h)
};

struct ScoreFormula {
    ScoreForm form = ScoreForm::Dot;
    bool causal = false;
    bool learned_scale = false;  // attention's "scale" tensor multiplies the scores
    bool bias = false;           // the score adds a learned b: additive's key_proj.bias,
                                 // tanh_proj's proj.bias, linear's context.bias
    int heads = 1;
    int key_width = 0;           // d in 1/sqrt(d): the key width, or the head width
};
// From the node's op and manifest fields; nullopt for a node that is no attention.
std::optional<ScoreFormula> score_formula(const Model& model, const Node& node);

struct AttentionTerm {
    int key = -1;
    float score = 0;   // before the softmax; -infinity when masked
    float shifted = 0; // exp(score - max score); 0 when masked
    float weight = 0;  // the recorded weight
};

struct AttentionEquation {
    int row = 0;
    int head = 0;
    std::vector<AttentionTerm> terms;  // every key, in position order
    std::vector<int> top;              // indices into terms, largest weight first (at most top_k)
    float max_score = 0;
    double denominator = 0;            // sum of exp(score - max score) over the keys
    int masked = 0;                    // keys a causal mask hid
    double weight_sum = 0;             // of the recorded weights (1 up to rounding)
};

// nullopt when the node has no scores (a plain run) or head/row is out of range.
std::optional<AttentionEquation> attention_equation(const NodeTrace& node, int head, int row, int top_k);

}  // namespace lstmscope::analysis
