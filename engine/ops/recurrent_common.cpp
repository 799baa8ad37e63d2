#include "engine/ops/recurrent_common.h"

namespace lstmscope::ops {

RecurrentConfig read_recurrent_config(BuildContext& ctx, const InputRef& in, const std::string& op) {
    RecurrentConfig c;
    c.hidden = ctx.positive_integer("hidden_size");
    c.layers = ctx.positive_integer("num_layers", 1);
    c.bidirectional = ctx.boolean("bidirectional", false);
    // A merge mode on a one-direction network would be silently
    // meaningless, and usually means `bidirectional` was forgotten: refuse it.
    if (!c.bidirectional && ctx.has("merge")) ctx.fail_field("merge", "merge needs bidirectional: true");
    c.merge = ctx.choice<Merge>(
        "merge", {{"concat", Merge::Concat}, {"sum", Merge::Sum}, {"mul", Merge::Mul}, {"ave", Merge::Ave}},
        Merge::Concat);
    c.ret = ctx.choice<Return>("return", {{"sequence", Return::Sequence}, {"last", Return::Last}}, Return::Sequence);
    c.act = ctx.choice<GateActivation>(
        "gate_activation", {{"sigmoid", GateActivation::Sigmoid},
                            {"hard_sigmoid", GateActivation::HardSigmoid},
                            {"hard_sigmoid_keras3", GateActivation::HardSigmoid6}},
        GateActivation::Sigmoid);
    if (in.shape.rows != Rows::Tokens)
        ctx.fail_field("input", "'" + in.name + "' is " + in.shape.to_string() + "; " + op +
                                    " needs a sequence (T rows)");
    return c;
}

void recurrent_value(const RecurrentConfig& config, const Matrix& sequence, const std::vector<GateTrace>& gates,
                     Matrix& value) {
    const Eigen::Index T = sequence.rows();
    const size_t dirs = config.bidirectional ? 2 : 1;
    const GateTrace& last_fwd = gates[gates.size() - dirs];
    if (config.ret == Return::Sequence) {
        value = sequence;
    } else if (T == 0) {
        value = Matrix::Zero(1, config.merged_width());
    } else if (!config.bidirectional) {
        value = last_fwd.h.row(T - 1);
    } else {
        merge_directions(config.merge, config.hidden, last_fwd.h.row(T - 1), gates.back().h.row(0), value);
    }
}

}  // namespace lstmscope::ops
