#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

class EmbeddingOp final : public Op {
public:
    explicit EmbeddingOp(Matrix table) : table_(std::move(table)) {}
    void run(const RunContext& ctx, NodeTrace& out) const override {
        out.value.resize(ctx.tokens(), table_.cols());
        for (int t = 0; t < ctx.tokens(); ++t) out.value.row(t) = table_.row(ctx.ids[static_cast<size_t>(t)]);
    }

private:
    Matrix table_;
};

}  // namespace

BuiltOp build_embedding(BuildContext& ctx) {
    const InputRef in = ctx.input();
    if (in.index != 0) ctx.fail_field("input", "an embedding must read 'tokens', not '" + in.name + "'");
    const auto shape = ctx.weight_shape("weight");
    if (shape.size() != 2 || shape[0] <= 0 || shape[1] <= 0)
        ctx.fail_tensor("weight", "must be a 2-D [vocab, dim] matrix");
    // The vocabulary size is checked against the tokenizer by the loader.
    Matrix table = ctx.matrix("weight", shape[0], shape[1]);
    const int cols = static_cast<int>(shape[1]);
    return {std::make_unique<EmbeddingOp>(std::move(table)), Shape{Rows::Tokens, cols}};
}

}  // namespace lstmscope::ops
