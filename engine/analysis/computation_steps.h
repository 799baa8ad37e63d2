// The order in which a model computes, as the step-through walks it: each
// timestep of one LSTM or GRU layer and direction (a backward direction walks right
// to left), then each later node of the graph, an attention matrix one query
// row at a time. And what a view may show at a given step, so that every view
// of a pane reveals the same things: a view asks `reveal_at` and greys out
// the rest, it never decides on its own what "step 17" means.
#pragma once

#include <string>
#include <vector>

#include "engine/trace.h"

namespace lstmscope::analysis {

struct ComputationStep {
    enum class Kind {
        LstmTimestep,  // the walked LSTM or GRU direction computes the state of `token`
        AttentionRow,  // attention node `node` computes query row `row`
        Node,          // node `node` computes its whole value at once
    };
    Kind kind = Kind::Node;
    int node = -1;   // index into Trace::nodes (the LSTM or GRU node for timesteps)
    int token = -1;  // LstmTimestep: the token; AttentionRow: the query row
    // With sub-steps, each timestep is walked in the four stages of the cell
    // (CellPhase); -1: the whole timestep at once.
    int phase = -1;
};

// The stages of one LSTM timestep, in the order a teacher explains them:
// what to forget (f), what to write (i, g), the new cell state, what to
// output (o, h).
enum CellPhase { PhaseForget = 0, PhaseInput = 1, PhaseUpdate = 2, PhaseOutput = 3, CellPhases = 4 };
// A GRU timestep's four stages, in the order it computes them: the reset
// gate r, the update gate z, the candidate n (which r gates), the new state
// h = (1 - z) n + z h_{t-1}. Same numbers as CellPhase, so a plan walks
// either kind of cell in CellPhases sub-steps.
enum GruPhase { PhaseReset = 0, PhaseUpdateGate = 1, PhaseCandidate = 2, PhaseNewState = 3 };

struct StepPlan {
    int lstm_node = -1;  // the walked lstm or gru node; -1: none, the plan walks the nodes only
    OpKind op = OpKind::Lstm;  // of lstm_node: Lstm or Gru (which CellPhase / GruPhase names)
    int layer = 0;
    Direction direction = Direction::Forward;
    int tokens = 0;
    std::vector<ComputationStep> steps;
    int size() const { return static_cast<int>(steps.size()); }
};

// The steps of the walk for the given LSTM or GRU node (by name), layer and
// direction. An unknown node or layer walks the nodes only. Dropout nodes are
// identities at inference and get no step; nodes before the LSTM (the
// embedding) are already computed when the walk starts. `cell_phases` splits
// every timestep into its four CellPhase (GruPhase) stages.
StepPlan plan_steps(const Trace& trace, const std::string& lstm_node, int layer, Direction direction,
                    bool cell_phases = false);

// What has been computed once step `step` is done (a step out of range, -1
// for instance, means everything: a view outside step-through shows it all).
struct StepReveal {
    bool everything = true;
    // Nodes before this index are fully computed, nodes after it have not
    // started; the node itself is done after a Node step and partly done
    // during its timesteps or rows.
    int current_node = -1;
    bool current_partial = false;
    // The walked LSTM or GRU: the tokens whose state exists, [lstm_first,
    // lstm_last] (empty when first > last), and the token being computed
    // (-1 outside the LSTM phase).
    int lstm_first = 0, lstm_last = -1;
    int current_token = -1;
    // An attention node being computed row by row: rows [0, rows_done) exist,
    // current_row is the newest (-1 outside that phase).
    int rows_done = 0;
    int current_row = -1;
    int phase = -1;  // the current timestep's CellPhase (GruPhase), -1 for the whole timestep

    bool node_done(int node) const {
        return everything || node < current_node || (node == current_node && !current_partial);
    }
    bool node_started(int node) const { return everything || node <= current_node; }
};

StepReveal reveal_at(const StepPlan& plan, int step);

// How much of one layer and direction of an LSTM or GRU node a view may show: the
// walked one grows step by step (Partial: tokens lstm_first..lstm_last),
// layers below it are done, the rest of that node is still to come.
enum class GatesReveal { All, Partial, None };
GatesReveal gates_reveal(const StepPlan& plan, const StepReveal& reveal, int node, int layer, Direction direction);

// The parts of a step's description for the step bar, which words it in the
// user's language ("lstm, layer 0 forward: token 3 of 12").
struct StepLabel {
    ComputationStep::Kind kind = ComputationStep::Kind::Node;
    std::string node;     // the node's name
    OpKind op = OpKind::Dropout;
    int token = -1;       // timestep token or query row
    int position = 0;     // 1-based position of the timestep/row within its phase
    int count = 0;        // timesteps or rows in the phase
    int phase = -1;       // CellPhase of a sub-step (GruPhase when op is Gru)
};
StepLabel step_label(const Trace& trace, const StepPlan& plan, int step);

}  // namespace lstmscope::analysis
