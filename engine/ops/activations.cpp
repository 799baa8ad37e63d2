#include "engine/ops/activations.h"

#include <cmath>

#include "engine/kernels/softmax.h"

namespace lstmscope::ops {

Activation read_activation(BuildContext& ctx, std::string_view key, std::optional<Activation> fallback) {
    return ctx.choice<Activation>(key,
                                  {{"linear", Activation::Linear},
                                   {"relu", Activation::Relu},
                                   {"tanh", Activation::Tanh},
                                   {"sigmoid", Activation::Sigmoid},
                                   {"softmax", Activation::Softmax},
                                   {"gelu", Activation::Gelu},
                                   {"log_softmax", Activation::LogSoftmax}},
                                  fallback);
}

void softmax_rows(Matrix& m) {
    // Matrix is row-major, so each row is contiguous. An all-masked row
    // (no position to attend to) comes out all zeros: the honest answer
    // (PyTorch would give NaN); a causal mask always leaves the diagonal.
    for (Eigen::Index r = 0; r < m.rows(); ++r) kernels::softmax_row(m.row(r).data(), static_cast<int>(m.cols()));
}

void apply_activation(Activation activation, Matrix& m) {
    switch (activation) {
    case Activation::Linear:
        return;
    case Activation::Relu:
        m = m.cwiseMax(0.0f);
        return;
    case Activation::Tanh:
        m = m.array().tanh().matrix();
        return;
    case Activation::Sigmoid:
        // 1 / (1 + exp(-x)), as torch.sigmoid.
        m = (1.0f / (1.0f + (-m.array()).exp())).matrix();
        return;
    case Activation::Softmax:
        softmax_rows(m);
        return;
    case Activation::LogSoftmax:
        // x - max - log(sum exp(x - max)), as torch.log_softmax: stable for
        // large scores, and exact where softmax would round to 0 or 1.
        for (Eigen::Index r = 0; r < m.rows(); ++r) {
            auto row = m.row(r).array();
            const float top = row.maxCoeff();
            const float log_sum = std::log((row - top).exp().sum());
            row = row - top - log_sum;
        }
        return;
    case Activation::Gelu:
        // Exact GELU, torch.nn.functional.gelu(approximate='none'): x * Phi(x).
        m = m.unaryExpr([](float x) { return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f)); });
        return;
    }
}

}  // namespace lstmscope::ops
