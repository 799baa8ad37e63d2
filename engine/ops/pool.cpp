// `pool` (models/FORMAT.md): one row from a sequence. `final` is the final
// state of the lstm or gru node it reads (torch's h_n of the top layer), so
// one recurrent node serves both its sequence and its final state.
#include "engine/ops/ops.h"
#include "engine/ops/recurrent_common.h"

namespace lstmscope::ops {
namespace {

enum class PoolMode { Mean, Max, First, Last, Final };

class PoolOp final : public Op {
public:
    // `backward_cols`: final mode of a bidirectional input, the width of its
    // backward half (the last columns), else 0.
    PoolOp(int input, PoolMode mode, int backward_cols) : input_(input), mode_(mode), backward_cols_(backward_cols) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix& x = ctx.value(input_);
        switch (mode_) {
        case PoolMode::Mean: out.value = x.colwise().mean(); break;
        case PoolMode::Max: out.value = x.colwise().maxCoeff(); break;
        case PoolMode::First: out.value = x.topRows(1); break;
        case PoolMode::Last: out.value = x.bottomRows(1); break;
        case PoolMode::Final:
            // The forward direction ends at the last token, the backward
            // one at the first: torch.cat([h_n[-2], h_n[-1]], 1).
            out.value = x.bottomRows(1);
            if (backward_cols_ > 0) out.value.rightCols(backward_cols_) = x.topRows(1).rightCols(backward_cols_);
            break;
        }
    }

private:
    int input_;
    PoolMode mode_;
    int backward_cols_;
};

// For mode 'final': the width of the backward half of `in` (0 when it is
// one direction). Refuses an input that is not a recurrent sequence whose
// halves can be told apart.
int final_state_backward_cols(BuildContext& ctx, const InputRef& in) {
    const auto op = in.spec ? op_kind_from_name(in.spec->value("op", "")) : std::nullopt;
    if (op != OpKind::Lstm && op != OpKind::Gru)
        ctx.fail_field("mode", "'final' needs the final state of an lstm or gru node, but input '" + in.name +
                                   "' is " + (op ? "a " + std::string(op_kind_name(*op)) + " node" : "not known to be one") +
                                   " (use 'last' for the last row of any sequence)");
    // The input's own fields, read as its builder read them.
    BuildContext input_ctx = ctx.context_of(in);
    const RecurrentConfig config = read_recurrent_config(input_ctx, InputRef{0, "", Shape{Rows::Tokens, 0}}, "");
    if (config.ret != Return::Sequence)
        ctx.fail_field("input", "'" + in.name + "' has return: 'last', so it is its final state already; pool "
                                "mode 'final' needs return: 'sequence' (or use '" + in.name + "' itself)");
    if (!config.bidirectional) return 0;
    if (config.merge != Merge::Concat)
        ctx.fail_field("mode", "'final' needs the directions of '" + in.name +
                                   "' side by side, but its field 'merge' is not 'concat' (the merged rows no "
                                   "longer hold each direction's state)");
    return config.hidden;
}

}  // namespace

BuiltOp build_pool(BuildContext& ctx) {
    const InputRef in = ctx.input();
    const PoolMode mode = ctx.choice<PoolMode>("mode", {{"mean", PoolMode::Mean},
                                                       {"max", PoolMode::Max},
                                                       {"first", PoolMode::First},
                                                       {"last", PoolMode::Last},
                                                       {"final", PoolMode::Final}});
    const int backward_cols = mode == PoolMode::Final ? final_state_backward_cols(ctx, in) : 0;
    if (in.shape.rows != Rows::Tokens)
        ctx.fail_field("input", "'" + in.name + "' is " + in.shape.to_string() + "; pool needs a sequence (T rows)");
    return {std::make_unique<PoolOp>(in.index, mode, backward_cols), Shape{Rows::One, in.shape.cols}};
}

}  // namespace lstmscope::ops
