#include <cmath>

#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

// Batch normalization at inference (torch.nn.BatchNorm1d in eval mode,
// Keras BatchNormalization called with training=False): each feature column
// is normalized with the running statistics, then scaled and shifted:
// (x - mean) / sqrt(var + eps) * weight + bias. Folded into one scale and
// one shift per column when the model loads.
class BatchNormOp final : public Op {
public:
    BatchNormOp(int input, RowVector scale, RowVector shift)
        : input_(input), scale_(std::move(scale)), shift_(std::move(shift)) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix& x = ctx.value(input_);
        out.value = (x.array().rowwise() * scale_.array()).rowwise() + shift_.array();
    }

private:
    int input_;
    RowVector scale_, shift_;
};

}  // namespace

BuiltOp build_batch_norm(BuildContext& ctx) {
    const InputRef in = ctx.input();
    const double eps = ctx.number("eps", 1e-5);
    if (!(eps > 0)) ctx.fail_field("eps", "must be positive");
    const int d = in.shape.cols;
    const RowVector mean = ctx.vector("running_mean", d);
    const RowVector var = ctx.vector("running_var", d);
    const RowVector weight = ctx.optional_vector("weight", d).value_or(RowVector::Ones(d));
    const RowVector bias = ctx.optional_vector("bias", d).value_or(RowVector::Zero(d));
    RowVector scale(d), shift(d);
    for (int j = 0; j < d; ++j) {
        if (var[j] < 0) ctx.fail_tensor("running_var", "holds a negative variance at column " + std::to_string(j));
        // In double, as the frameworks' float32 would round the same scale.
        const double inv = 1.0 / std::sqrt(static_cast<double>(var[j]) + eps);
        scale[j] = static_cast<float>(weight[j] * inv);
        shift[j] = static_cast<float>(bias[j] - mean[j] * weight[j] * inv);
    }
    return {std::make_unique<BatchNormOp>(in.index, std::move(scale), std::move(shift)), in.shape};
}

}  // namespace lstmscope::ops
