// `parameter` (models/FORMAT.md): a learned constant with no inputs, e.g.
// the learned query of an attention (nn.Parameter(torch.randn(1, D))).
// Its value is the weight itself on every text.
#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

class ParameterOp final : public Op {
public:
    explicit ParameterOp(Matrix weight) : weight_(std::move(weight)) {}
    void run(const RunContext&, NodeTrace& out) const override { out.value = weight_; }

private:
    Matrix weight_;
};

}  // namespace

BuiltOp build_parameter(BuildContext& ctx) {
    const auto shape = ctx.weight_shape("weight");
    // A 1-D [D] vector would leave open whether it is one row or D rows.
    if (shape.size() != 2 || shape[0] <= 0 || shape[1] <= 0)
        ctx.fail_tensor("weight", "must be a 2-D [rows, width] matrix (a single vector is [1, width])");
    if (shape[0] > (1 << 24) || shape[1] > (1 << 24)) ctx.fail_tensor("weight", "is implausibly large");
    Matrix weight = ctx.matrix("weight", shape[0], shape[1]);
    const Shape output = fixed_shape(static_cast<int>(shape[0]), static_cast<int>(shape[1]));
    return {std::make_unique<ParameterOp>(std::move(weight)), output};
}

}  // namespace lstmscope::ops
