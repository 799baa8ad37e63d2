// Ops that join several values: `concat` (feature axis) and `add` (residual).
#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

class ConcatOp final : public Op {
public:
    explicit ConcatOp(std::vector<int> inputs) : inputs_(std::move(inputs)) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        Eigen::Index cols = 0;
        for (int k : inputs_) cols += ctx.value(k).cols();
        out.value.resize(ctx.value(inputs_.front()).rows(), cols);
        Eigen::Index at = 0;
        for (int k : inputs_) {
            const Matrix& v = ctx.value(k);
            out.value.middleCols(at, v.cols()) = v;
            at += v.cols();
        }
    }

private:
    std::vector<int> inputs_;
};

class AddOp final : public Op {
public:
    explicit AddOp(std::vector<int> inputs) : inputs_(std::move(inputs)) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        out.value = ctx.value(inputs_.front());
        for (size_t k = 1; k < inputs_.size(); ++k) out.value += ctx.value(inputs_[k]);
    }

private:
    std::vector<int> inputs_;
};

std::vector<int> indices(const std::vector<InputRef>& refs) {
    std::vector<int> out;
    for (const auto& r : refs) out.push_back(r.index);
    return out;
}

}  // namespace

BuiltOp build_concat(BuildContext& ctx) {
    const auto inputs = ctx.input_list("inputs", 1);
    int cols = 0;
    for (const auto& in : inputs) {
        if (in.shape.rows != inputs.front().shape.rows)
            ctx.fail_field("inputs", "'" + in.name + "' is " + in.shape.to_string() + " but '" +
                                         inputs.front().name + "' is " + inputs.front().shape.to_string() +
                                         ": concat needs the same number of rows");
        cols += in.shape.cols;
    }
    return {std::make_unique<ConcatOp>(indices(inputs)), Shape{inputs.front().shape.rows, cols}};
}

BuiltOp build_add(BuildContext& ctx) {
    const auto inputs = ctx.input_list("inputs", 1);
    for (const auto& in : inputs)
        if (!(in.shape == inputs.front().shape))
            ctx.fail_field("inputs", "'" + in.name + "' is " + in.shape.to_string() + " but '" +
                                         inputs.front().name + "' is " + inputs.front().shape.to_string() +
                                         ": add needs one shape");
    return {std::make_unique<AddOp>(indices(inputs)), inputs.front().shape};
}

}  // namespace lstmscope::ops
