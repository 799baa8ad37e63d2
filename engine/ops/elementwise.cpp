// Ops that map a value to a value of the same shape: `activation`, `dropout`.
#include "engine/ops/activations.h"
#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

class ActivationOp final : public Op {
public:
    ActivationOp(int input, Activation activation) : input_(input), activation_(activation) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        out.value = ctx.value(input_);
        apply_activation(activation_, out.value);
    }

private:
    int input_;
    Activation activation_;
};

}  // namespace

BuiltOp build_activation(BuildContext& ctx) {
    const InputRef in = ctx.input();
    const Activation activation = read_activation(ctx, "function", std::nullopt);
    return {std::make_unique<ActivationOp>(in.index, activation), in.shape};
}

BuiltOp build_dropout(BuildContext& ctx) {
    const InputRef in = ctx.input();
    // Dropout is the identity at inference; the node stays so that an exported
    // graph mirrors its source.
    return {std::make_unique<ActivationOp>(in.index, Activation::Linear), in.shape};
}

}  // namespace lstmscope::ops
