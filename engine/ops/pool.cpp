#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

enum class PoolMode { Mean, Max, First, Last };

class PoolOp final : public Op {
public:
    PoolOp(int input, PoolMode mode) : input_(input), mode_(mode) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix& x = ctx.value(input_);
        switch (mode_) {
        case PoolMode::Mean: out.value = x.colwise().mean(); break;
        case PoolMode::Max: out.value = x.colwise().maxCoeff(); break;
        case PoolMode::First: out.value = x.topRows(1); break;
        case PoolMode::Last: out.value = x.bottomRows(1); break;
        }
    }

private:
    int input_;
    PoolMode mode_;
};

}  // namespace

BuiltOp build_pool(BuildContext& ctx) {
    const InputRef in = ctx.input();
    const PoolMode mode = ctx.choice<PoolMode>(
        "mode", {{"mean", PoolMode::Mean}, {"max", PoolMode::Max}, {"first", PoolMode::First}, {"last", PoolMode::Last}});
    if (in.shape.rows != Rows::Tokens)
        ctx.fail_field("input", "'" + in.name + "' is " + in.shape.to_string() + "; pool needs a sequence (T rows)");
    return {std::make_unique<PoolOp>(in.index, mode), Shape{Rows::One, in.shape.cols}};
}

}  // namespace lstmscope::ops
