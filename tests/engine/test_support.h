// Helpers for engine unit tests that build single ops without files on disk:
// float tensors serialised as safetensors bytes, and a harness that owns
// everything a BuildContext refers to.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/matrix.h"
#include "engine/op.h"
#include "engine/safetensors.h"
#include "engine/shape.h"
#include "engine/trace.h"

namespace lstmscope::testing {

// shape, row-major values (product(shape) of them)
using TensorData = std::pair<std::vector<int64_t>, std::vector<float>>;
using Tensors = std::map<std::string, TensorData>;

// The bytes of a safetensors file holding every tensor as F32.
std::vector<unsigned char> make_safetensors(const Tensors& tensors);

// A tensor with the matrix's shape and values.
TensorData tensor(const Matrix& m);
// A 1-D tensor.
TensorData tensor(const std::vector<float>& v);

// A deterministic pseudo-random matrix with entries in [-scale, scale].
Matrix random_matrix(Eigen::Index rows, Eigen::Index cols, unsigned seed, float scale = 1.0f);

// One node built outside a model. `defined` lists the nodes before it, so
// that input names resolve ("x" -> index 1 for the first entry, ...).
struct NodeHarness {
    std::string file = "test.json";
    nlohmann::json node;  // the manifest object, "name" and "op" included
    std::vector<std::pair<std::string, Shape>> defined;
    WeightStore weights;

    NodeHarness(nlohmann::json node_json, std::vector<std::pair<std::string, Shape>> defined_nodes,
                const Tensors& tensors);

    // As the loader does (build_node): rejects fields unknown to the op, runs
    // the builder, then rejects the fields it left unread.
    // Throws lstmscope::Error.
    BuiltOp build();
};

// Runs a built op with `inputs[k]` as the value of `defined[k]` and returns
// its trace. The token count is the row count of the first input.
// `details`: as RunOptions::details (record pre-activations and scores).
// Runs with `threads` threads allowed (RunContext::threads): 2 by default,
// so the ops' threaded paths run wherever the work is large enough.
NodeTrace run_op(const Op& op, const std::vector<const Matrix*>& inputs, bool details = false, int threads = 2);
// The same with the rest of the context as given (record limits, summary
// bins, block sizes); ids and values are filled in.
NodeTrace run_op(const Op& op, const std::vector<const Matrix*>& inputs, RunContext ctx);

}  // namespace lstmscope::testing
