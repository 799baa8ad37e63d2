// The one numeric type of the engine: a row-major float32 matrix.
// Row-major because every value is "one row per token", and both the trace
// printer and the LSTM time loop walk rows.
#pragma once

#include <Eigen/Core>

namespace lstmscope {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;

}  // namespace lstmscope
