#include "engine/ops/activations.h"

#include <cmath>
#include <limits>

namespace lstmscope::ops {

Activation read_activation(BuildContext& ctx, std::string_view key, std::optional<Activation> fallback) {
    return ctx.choice<Activation>(key,
                                  {{"linear", Activation::Linear},
                                   {"relu", Activation::Relu},
                                   {"tanh", Activation::Tanh},
                                   {"sigmoid", Activation::Sigmoid},
                                   {"softmax", Activation::Softmax},
                                   {"gelu", Activation::Gelu}},
                                  fallback);
}

void softmax_rows(Matrix& m) {
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        auto row = m.row(r);
        const float top = row.maxCoeff();
        if (!std::isfinite(top)) {
            // Every entry masked: no position to attend to. Uniform zero is the
            // honest answer (PyTorch would give NaN); it cannot happen with a
            // causal mask, which always leaves the diagonal.
            row.setZero();
            continue;
        }
        // Masked (-infinity) entries are set to exactly 0 rather than left to
        // exp(): Eigen's vectorised exp clamps its argument near -88, so
        // without AVX (a -DLSTMSCOPE_NATIVE=OFF build) exp(-inf) came out as
        // the denormal 2.9e-39, not the 0 the mask promises.
        const auto shifted = row.array() - top;
        row = (shifted == -std::numeric_limits<float>::infinity()).select(0.0f, shifted.exp());
        row /= row.sum();
    }
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
    case Activation::Gelu:
        // Exact GELU, torch.nn.functional.gelu(approximate='none'): x * Phi(x).
        m = m.unaryExpr([](float x) { return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f)); });
        return;
    }
}

}  // namespace lstmscope::ops
