#include "engine/kernels/packed_gemm.h"
#include "engine/ops/activations.h"
#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

// y = x W^T + b on every row (torch.nn.Linear; Keras Dense and
// TimeDistributed(Dense) are the same thing row by row).
class DenseOp final : public Op {
public:
    DenseOp(int input, const Matrix& weight_t, RowVector bias, Activation activation)
        : input_(input), weight_(weight_t), bias_(std::move(bias)), activation_(activation) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix& x = ctx.value(input_);
        weight_.multiply(x, out.value, ctx.threads);
        if (bias_.size()) out.value.rowwise() += bias_;
        apply_activation(activation_, out.value);
    }

private:
    int input_;
    kernels::PackedGemm weight_;  // W^T [in, out], transposed and packed once at load
    RowVector bias_;   // empty when the manifest has none
    Activation activation_;
};

}  // namespace

BuiltOp build_dense(BuildContext& ctx) {
    const InputRef in = ctx.input();
    const Activation activation = read_activation(ctx, "activation", Activation::Linear);
    const auto shape = ctx.weight_shape("weight");
    if (shape.size() != 2 || shape[0] <= 0)
        ctx.fail_tensor("weight", "must be a 2-D [out, in] matrix");
    if (shape[1] != in.shape.cols)
        ctx.fail_tensor("weight", "expects " + std::to_string(shape[1]) + " input features but '" + in.name +
                                      "' gives " + std::to_string(in.shape.cols));
    const int out_features = static_cast<int>(shape[0]);
    Matrix weight = ctx.matrix("weight", out_features, in.shape.cols);
    RowVector bias = ctx.optional_vector("bias", out_features).value_or(RowVector());
    return {std::make_unique<DenseOp>(in.index, Matrix(weight.transpose()), std::move(bias), activation),
            Shape{in.shape.rows, out_features, in.shape.count}};
}

}  // namespace lstmscope::ops
