// The quantities a recurrent layer records per unit and token, as the views
// name and draw them: an LSTM's gates i, f, o, its cell candidate g, cell
// state c and hidden state h, and a GRU's reset gate r, update gate z,
// candidate n and state h (engine/trace.h). One numbering for both kinds, so
// the gates view can hold one heatmap, and its line plot one line, per
// quantity and show those of the node's kind; h is the same quantity in both.
#pragma once

#include <QString>
#include <vector>

#include "engine/trace.h"

namespace gate_quantities {

enum Quantity {
    InputGate,      // i
    ForgetGate,     // f
    CellCandidate,  // g
    OutputGate,     // o
    CellState,      // c
    HiddenState,    // h, LSTM and GRU
    ResetGate,      // r
    UpdateGate,     // z
    NewCandidate,   // n
    Count,
};

enum class CellKind { Lstm, Gru };

// A GRU's gate trace fills r, z, n; an LSTM's i, f, g, o, c.
CellKind kindOf(const lstmscope::GateTrace& gates);

// The quantities of a kind, in the order a legend lists them: i f g o c h,
// or r z n h.
const std::vector<int>& shown(CellKind kind);

// The matrix (T x H) of quantity q; empty when the trace's kind lacks it.
const lstmscope::Matrix& matrixOf(const lstmscope::GateTrace& gates, int q);

// A sigmoid gate, on [0, 1] (else a signed quantity, around 0).
bool isGate(int q);

// "i", "r", ...: the quantity's letter, as in the equations.
QString symbol(int q);

// The source text of the quantity's name ("i: input gate"), in the
// "GatesView" translation context; name() translates it.
const char* titleSource(int q);
QString name(int q);

}  // namespace gate_quantities
