// `feature_attention`: attention over a fixed number of positions, taken
// separately for every feature. It is what a hand-written Keras
// `AttentionLayer` with a time-step x time-step weight computes (published
// as "attention over time steps"; ../shared/samples/keras, jiahenghuang):
//   S = tanh(X^T W + b)            D x T: feature d's score for position t
//   A = softmax over t of each row D x T
//   out_d = sum_t A[d, t] X[t, d]  1 x D
// W [T, T] and b [T] fix the number of positions, so the model's tokenizer
// pads to T. Records A (one row per feature, not per token).
#include <string>

#include "engine/error.h"
#include "engine/ops/activations.h"
#include "engine/ops/ops.h"

namespace lstmscope::ops {
namespace {

class FeatureAttentionOp final : public Op {
public:
    FeatureAttentionOp(std::string file, std::string node, int input, Matrix weight, RowVector bias)
        : file_(std::move(file)), node_(std::move(node)), input_(input), weight_(std::move(weight)), bias_(std::move(bias)) {}

    void run(const RunContext& ctx, NodeTrace& out) const override {
        const Matrix& x = ctx.value(input_);
        if (x.rows() != weight_.rows()) {
            ErrorParts parts;
            parts.file = file_;
            parts.node = node_;
            throw Error(std::move(parts), "has weights for exactly " + std::to_string(weight_.rows()) +
                                              " positions but the text has " + std::to_string(x.rows()) +
                                              " tokens (its tokenizer should pad to " +
                                              std::to_string(weight_.rows()) + ")");
        }
        Matrix a = x.transpose() * weight_;  // D x T
        a.rowwise() += bias_;
        a.array() = a.array().tanh();
        const bool record = ctx.attention_first < ctx.attention_end;
        out.scores.clear();
        if (ctx.details && record) out.scores.push_back(a);
        softmax_rows(a);
        ctx.intervene(0, 0, false, a);
        out.value = a.cwiseProduct(x.transpose()).rowwise().sum().transpose();
        out.attention.clear();
        out.attention_first_row = 0;
        out.attention_rows_total = static_cast<int>(a.rows());
        if (record) out.attention.push_back(std::move(a));
    }

private:
    std::string file_, node_;  // for the message: the model's file and this node
    int input_;
    Matrix weight_;
    RowVector bias_;
};

}  // namespace

BuiltOp build_feature_attention(BuildContext& ctx) {
    const InputRef in = ctx.input();
    if (in.shape.rows != Rows::Tokens)
        ctx.fail_field("input", "'" + in.name + "' is " + in.shape.to_string() +
                                    "; feature_attention needs a sequence (T rows)");
    const auto shape = ctx.weight_shape("weight");
    if (shape.size() != 2 || shape[0] <= 0 || shape[0] != shape[1])
        ctx.fail_tensor("weight", "must be a square [T, T] matrix (T: the number of positions)");
    const int64_t t = shape[0];
    Matrix weight = ctx.matrix("weight", t, t);
    RowVector bias = ctx.optional_vector("bias", t).value_or(RowVector::Zero(t));
    return {std::make_unique<FeatureAttentionOp>(ctx.file(), ctx.name(), in.index,
                                                 std::move(weight), std::move(bias)),
            Shape{Rows::One, in.shape.cols}};
}

}  // namespace lstmscope::ops
