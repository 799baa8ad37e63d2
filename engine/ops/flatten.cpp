// `flatten` (models/FORMAT.md): a value of fixed rows (the r hops of an
// attention_pool, a parameter) as one row, row 0 first: torch's
// M.view(B, -1) / M.flatten(1) of a [B, r, D] tensor.
#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

class FlattenOp final : public Op {
public:
    explicit FlattenOp(int input) : input_(input) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix& x = ctx.value(input_);
        // Matrix is row-major: its storage is already the rows in order.
        out.value = Eigen::Map<const Matrix>(x.data(), 1, x.size());
    }

private:
    int input_;
};

}  // namespace

BuiltOp build_flatten(BuildContext& ctx) {
    const InputRef in = ctx.input();
    if (in.shape.rows == Rows::Tokens)
        ctx.fail_field("input", "'" + in.name + "' is " + in.shape.to_string() +
                                    "; flatten needs a fixed number of rows (a sequence has no fixed width: use "
                                    "pool or attention_pool first)");
    const int64_t cols = int64_t{in.shape.fixed_rows()} * in.shape.cols;
    if (cols > (int64_t{1} << 30)) ctx.fail_field("input", "'" + in.name + "' is too large to flatten");
    return {std::make_unique<FlattenOp>(in.index), Shape{Rows::One, static_cast<int>(cols)}};
}

}  // namespace lstmscope::ops
