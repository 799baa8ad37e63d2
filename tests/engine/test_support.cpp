#include "test_support.h"

#include <cstring>
#include <random>
#include <stdexcept>

#include "engine/op_kind.h"

namespace lstmscope::testing {

std::vector<unsigned char> make_safetensors(const Tensors& tensors) {
    nlohmann::json header = nlohmann::json::object();
    std::vector<unsigned char> data;
    for (const auto& [name, t] : tensors) {
        const auto& [shape, values] = t;
        int64_t count = 1;
        for (int64_t d : shape) count *= d;
        if (count != static_cast<int64_t>(values.size()))
            throw std::invalid_argument("make_safetensors: tensor '" + name + "' has " +
                                        std::to_string(values.size()) + " values for its shape");
        const size_t begin = data.size();
        data.resize(begin + values.size() * sizeof(float));
        // Little-endian float32, as every machine this runs on stores it.
        if (!values.empty()) std::memcpy(data.data() + begin, values.data(), values.size() * sizeof(float));
        header[name] = {{"dtype", "F32"}, {"shape", shape}, {"data_offsets", {begin, data.size()}}};
    }
    std::string text = header.dump();
    // The format pads the header with spaces to a multiple of 8 bytes.
    while (text.size() % 8 != 0) text += ' ';
    std::vector<unsigned char> bytes(8 + text.size() + data.size());
    const uint64_t n = text.size();
    for (size_t k = 0; k < 8; ++k) bytes[k] = static_cast<unsigned char>(n >> (8 * k));
    std::memcpy(bytes.data() + 8, text.data(), text.size());
    if (!data.empty()) std::memcpy(bytes.data() + 8 + text.size(), data.data(), data.size());
    return bytes;
}

TensorData tensor(const Matrix& m) {
    // Matrix is row-major, so its storage is already the safetensors order.
    return {{m.rows(), m.cols()}, std::vector<float>(m.data(), m.data() + m.size())};
}

TensorData tensor(const std::vector<float>& v) { return {{static_cast<int64_t>(v.size())}, v}; }

Matrix random_matrix(Eigen::Index rows, Eigen::Index cols, unsigned seed, float scale) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(-scale, scale);
    Matrix m(rows, cols);
    for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = dist(gen);
    return m;
}

NodeHarness::NodeHarness(nlohmann::json node_json, std::vector<std::pair<std::string, Shape>> defined_nodes,
                         const Tensors& tensors)
    : node(std::move(node_json)), defined(std::move(defined_nodes)),
      weights(WeightStore::parse(make_safetensors(tensors), "test.safetensors")) {}

BuiltOp NodeHarness::build() {
    const auto kind = op_kind_from_name(node.value("op", ""));
    if (!kind) throw std::invalid_argument("NodeHarness: unknown op " + node.value("op", ""));
    BuildContext ctx(file, node, node.value("name", "node"), defined, weights);
    return build_node(*kind, ctx);
}

NodeTrace run_op(const Op& op, const std::vector<const Matrix*>& inputs, bool details, int threads) {
    RunContext ctx;
    ctx.details = details;
    ctx.threads = threads;
    return run_op(op, inputs, ctx);
}

NodeTrace run_op(const Op& op, const std::vector<const Matrix*>& inputs, RunContext ctx) {
    std::vector<int32_t> ids(inputs.empty() ? 0 : static_cast<size_t>(inputs.front()->rows()), 0);
    ctx.ids = ids;
    ctx.values.clear();
    ctx.values.push_back(nullptr);
    ctx.values.insert(ctx.values.end(), inputs.begin(), inputs.end());
    NodeTrace out;
    op.run(ctx, out);
    return out;
}

}  // namespace lstmscope::testing
