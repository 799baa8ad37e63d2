// Ops that join several values: `concat` (feature axis) and `add` (residual).
#include <algorithm>

#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

class ConcatOp final : public Op {
public:
    explicit ConcatOp(std::vector<int> inputs) : inputs_(std::move(inputs)) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        Eigen::Index cols = 0, rows = 1;
        for (int k : inputs_) {
            cols += ctx.value(k).cols();
            rows = std::max(rows, ctx.value(k).rows());
        }
        out.value.resize(rows, cols);
        Eigen::Index at = 0;
        for (int k : inputs_) {
            const Matrix& v = ctx.value(k);
            // A single row among longer values is repeated on every row
            // (the builder allows no other mismatch).
            if (v.rows() == rows)
                out.value.middleCols(at, v.cols()) = v;
            else
                out.value.middleCols(at, v.cols()) = v.row(0).replicate(rows, 1);
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

// Inputs of one row may join longer ones (each is repeated on every row:
// the "attentive RNN" joins every row of a sequence with the final state);
// otherwise every input needs the same rows: T with T, or r with r.
BuiltOp build_concat(BuildContext& ctx) {
    const auto inputs = ctx.input_list("inputs", 1);
    const InputRef* longest = &inputs.front();  // the first input of more than one row, if any
    for (const auto& in : inputs)
        if (in.shape.rows != Rows::One) {
            longest = &in;
            break;
        }
    int64_t cols = 0;
    for (const auto& in : inputs) {
        if (in.shape.rows != Rows::One && !in.shape.same_rows(longest->shape))
            ctx.fail_field("inputs", "'" + in.name + "' is " + in.shape.to_string() + " but '" + longest->name +
                                         "' is " + longest->shape.to_string() +
                                         ": concat needs the same number of rows (only a 1-row input is "
                                         "repeated to match)");
        cols += in.shape.cols;
    }
    if (cols > (int64_t{1} << 30)) ctx.fail_field("inputs", "join to more than 2^30 columns");
    Shape output = longest->shape;
    output.cols = static_cast<int>(cols);
    return {std::make_unique<ConcatOp>(indices(inputs)), output};
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
