#include <cmath>

#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

// torch.nn.LayerNorm over the last axis: biased variance, eps inside the sqrt.
class LayerNormOp final : public Op {
public:
    LayerNormOp(int input, RowVector weight, RowVector bias, float eps)
        : input_(input), weight_(std::move(weight)), bias_(std::move(bias)), eps_(eps) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix& x = ctx.value(input_);
        out.value.resize(x.rows(), x.cols());
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            const auto row = x.row(r).array();
            const float mean = row.mean();
            const float var = (row - mean).square().mean();
            const float inv = 1.0f / std::sqrt(var + eps_);
            out.value.row(r) = ((row - mean) * inv * weight_.array() + bias_.array()).matrix();
        }
    }

private:
    int input_;
    RowVector weight_, bias_;
    float eps_;
};

}  // namespace

BuiltOp build_layer_norm(BuildContext& ctx) {
    const InputRef in = ctx.input();
    const double eps = ctx.number("eps", 1e-5);
    if (eps <= 0) ctx.fail_field("eps", "must be positive");
    RowVector weight = ctx.vector("weight", in.shape.cols);
    RowVector bias = ctx.vector("bias", in.shape.cols);
    return {std::make_unique<LayerNormOp>(in.index, std::move(weight), std::move(bias), static_cast<float>(eps)),
            in.shape};
}

}  // namespace lstmscope::ops
