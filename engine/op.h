// The interface every op implements, and the context an op's builder uses to
// read its node from the manifest. Builders check everything (fields, input
// shapes, weight shapes) at load time, so an op that was built can run on any
// text without further checks.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/error.h"
#include "engine/intervention.h"
#include "engine/matrix.h"
#include "engine/op_kind.h"
#include "engine/shape.h"
#include "engine/trace.h"

namespace lstmscope {

class WeightStore;

// A reference to a value the op reads: index 0 is the token ids (only
// `embedding` may read it), index k >= 1 is the output of node k-1.
struct InputRef {
    int index = 0;
    std::string name;
    Shape shape;
    // The manifest object of the node it names (already built, so checked);
    // null for `tokens` or when the context was given none (unit tests).
    const nlohmann::json* spec = nullptr;
};

struct RunContext {
    std::span<const int32_t> ids;          // token ids, padding included
    std::vector<const Matrix*> values;     // values[index]; values[0] is null
    bool details = false;                  // RunOptions::details: record pre-activations and scores
    int threads = 1;                       // RunOptions::threads, resolved (>= 1): for run_parallel
    const std::atomic<bool>* cancel = nullptr;  // RunOptions::cancel
    int attention_first = 0;                    // RunOptions::attention_first / attention_end
    int attention_end = std::numeric_limits<int>::max();
    int attention_block_floats = 1 << 16;       // RunOptions::attention_block_floats
    int64_t attention_record_limit = -1;        // RunOptions::attention_record_limit
    int attention_summary_bins = 256;           // RunOptions::attention_summary_bins
    int64_t memory_budget = -1;                 // RunOptions::memory_budget
    int node = -1;                              // the index of the node running now (set by the runner)
    std::string_view node_name;                 // its name, for messages
    // Bytes of attention weights (and scores) recorded so far in this run.
    // The runner runs one node at a time and an op reserves once, before
    // its workers start, hence mutable and not atomic.
    mutable int64_t recorded_bytes = 0;
    // Called by an op before it allocates what it will record: throws an
    // Error (ErrorCode::over_memory_budget, naming the node) when the run's
    // recordings would pass memory_budget. Defined in runner.cpp.
    void reserve_recording(int64_t bytes) const;
    // An attention node's weights replaced after its softmax (engine/intervention.h,
    // engine/rerun.h); applies only to the node it names.
    const AttentionIntervention* intervention = nullptr;
    bool intervenes() const { return intervention && intervention->node == node; }
    // Attention ops call this on every block of softmaxed weights.
    void intervene(int head, Eigen::Index first_row, bool causal, Matrix& weights) const {
        if (intervenes()) apply_intervention(*intervention, head, static_cast<int>(first_row), causal, weights);
    }
    // Throws Cancelled if the run was cancelled; cheap enough for a loop.
    void check_cancel() const {
        if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled();
    }
    const Matrix& value(int index) const { return *values[static_cast<size_t>(index)]; }
    int tokens() const { return static_cast<int>(ids.size()); }
};

class Op {
public:
    virtual ~Op() = default;
    // Computes the node's value into out.value and records gates/attention.
    // out.name and out.op are already set.
    virtual void run(const RunContext& ctx, NodeTrace& out) const = 0;
};

// Reads one node of the manifest. Every accessor marks its field as known;
// after the builder returns, any field it did not ask for is an error
// ("unknown field"). Weight accessors mark tensors as used.
class BuildContext {
public:
    // `specs`, when given, holds the manifest object of each node of
    // `defined` (same order): see InputRef::spec.
    BuildContext(const std::string& file, const nlohmann::json& node, std::string name,
                 const std::vector<std::pair<std::string, Shape>>& defined, WeightStore& weights,
                 std::vector<const nlohmann::json*> specs = {});

    const std::string& name() const { return name_; }
    const std::string& file() const { return file_; }

    // --- fields ---------------------------------------------------------
    bool has(std::string_view key) const;
    int integer(std::string_view key, std::optional<int> fallback = std::nullopt);
    int positive_integer(std::string_view key, std::optional<int> fallback = std::nullopt);
    double number(std::string_view key, std::optional<double> fallback = std::nullopt);
    bool boolean(std::string_view key, std::optional<bool> fallback = std::nullopt);
    std::string string(std::string_view key, std::optional<std::string> fallback = std::nullopt);
    // A string field that must be one of `table`'s names; returns its enum.
    template <class E>
    E choice(std::string_view key, std::initializer_list<std::pair<std::string_view, E>> table,
             std::optional<E> fallback = std::nullopt) {
        std::vector<std::string_view> names;
        for (const auto& [n, e] : table) names.push_back(n);
        const int k = choice_index(key, names, fallback.has_value());
        if (k < 0) return *fallback;
        return std::data(table)[k].second;
    }

    // --- inputs ---------------------------------------------------------
    // A required input field naming an earlier node (or `tokens`).
    InputRef input(std::string_view key = "input");
    // An optional input field; nullopt if absent.
    std::optional<InputRef> optional_input(std::string_view key);
    // A list of input names (concat/add "inputs"), at least `min_count`.
    std::vector<InputRef> input_list(std::string_view key, size_t min_count);

    // --- weights (named "<node>.<suffix>") -------------------------------
    bool has_weight(std::string_view suffix) const;
    // The stored shape of a weight; throws "missing weight" if absent.
    std::vector<int64_t> weight_shape(std::string_view suffix);
    // A 2-D weight of exactly [rows, cols].
    Matrix matrix(std::string_view suffix, int64_t rows, int64_t cols);
    // A 1-D weight of exactly [n], as a 1 x n row vector.
    RowVector vector(std::string_view suffix, int64_t n);
    std::optional<Matrix> optional_matrix(std::string_view suffix, int64_t rows, int64_t cols);
    std::optional<RowVector> optional_vector(std::string_view suffix, int64_t n);

    // --- errors ---------------------------------------------------------
    // "<file>: node '<name>': <message>"
    [[noreturn]] void fail(std::string_view message) const;
    // "<file>: node '<name>': field '<key>': <message>"
    [[noreturn]] void fail_field(std::string_view key, std::string_view message) const;
    // "<file>: node '<name>': tensor '<name>.<suffix>': <message>"
    [[noreturn]] void fail_tensor(std::string_view suffix, std::string_view message) const;

    // A context that reads the manifest object of `input` (a node built
    // before this one, with InputRef::spec set), for an op whose meaning
    // depends on how its input was configured (`pool` mode 'final' reads
    // an lstm's `bidirectional` and `merge` with the lstm's own reader, so
    // defaults stay in one place). Errors would name the input node.
    BuildContext context_of(const InputRef& input) const;

    // Called by the loader before the builder: rejects fields that no
    // configuration of the op reads (op_fields), so that a misspelt field
    // ("hiden_size") is reported before the weight errors it may cause.
    void reject_fields_unknown_to_op() const;
    // Called by the loader after the builder: rejects fields nobody read.
    void reject_unknown_fields() const;

private:
    [[noreturn]] void fail_at(std::string field, std::string tensor, std::string_view message) const;
    // Records that the builder read `key`; a key missing from the op's
    // field list (op_fields) is a bug in that list: an internal error.
    void mark_read(std::string_view key);
    int choice_index(std::string_view key, const std::vector<std::string_view>& names, bool has_fallback);
    const nlohmann::json& field(std::string_view key);
    std::string tensor_name(std::string_view suffix) const;
    InputRef resolve(std::string_view key, const std::string& ref) const;

    const std::string& file_;
    const nlohmann::json& node_;
    std::string name_;
    const std::vector<std::pair<std::string, Shape>>& defined_;
    WeightStore& weights_;
    std::vector<const nlohmann::json*> specs_;
    bool known_op_ = false;                    // the node's op exists (a test may build any json)
    std::span<const std::string_view> known_;  // op_fields of that op
    std::vector<std::string> read_;
};

struct BuiltOp {
    std::unique_ptr<Op> op;
    Shape output;
};

using OpBuilder = std::function<BuiltOp(BuildContext&)>;

// The table from op kind to builder (engine/ops/registry.cpp).
const OpBuilder& op_builder(OpKind kind);
// Every field some configuration of the op reads, besides "name" and "op"
// (engine/ops/registry.cpp).
std::span<const std::string_view> op_fields(OpKind kind);
// What the loader does with one node: unknown fields first, then the
// builder, then the fields this configuration left unread.
BuiltOp build_node(OpKind kind, BuildContext& ctx);

}  // namespace lstmscope
