#include "engine/op.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "engine/error.h"
#include "engine/json_excerpt.h"
#include "engine/safetensors.h"

namespace lstmscope {

namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t k = 0; k < shape.size(); ++k) s += (k ? ", " : "") + std::to_string(shape[k]);
    return s + "]";
}

std::string quoted_list(const std::vector<std::string_view>& names) {
    std::string s;
    for (size_t k = 0; k < names.size(); ++k) s += (k ? ", '" : "'") + std::string(names[k]) + "'";
    return s;
}

}  // namespace

BuildContext::BuildContext(const std::string& file, const nlohmann::json& node, std::string name,
                           const std::vector<std::pair<std::string, Shape>>& defined,
                           WeightStore& weights, std::vector<const nlohmann::json*> specs)
    : file_(file), node_(node), name_(std::move(name)), defined_(defined), weights_(weights),
      specs_(std::move(specs)) {
    // The loader reads these two itself.
    read_ = {"name", "op"};
    if (const auto kind = op_kind_from_name(node_.value("op", ""))) {
        known_op_ = true;
        known_ = op_fields(*kind);
    }
}

void BuildContext::mark_read(std::string_view key) {
    if (known_op_ && std::find(known_.begin(), known_.end(), key) == known_.end())
        throw Error("internal error: op '" + node_.value("op", "") + "' reads field '" + std::string(key) +
                        "', which its field list (engine/ops/registry.cpp) lacks",
                    ErrorKind::internal);
    read_.emplace_back(key);
}

BuildContext BuildContext::context_of(const InputRef& input) const {
    if (!input.spec)
        throw Error("internal error: node '" + input.name + "' has no manifest object here", ErrorKind::internal);
    return BuildContext(file_, *input.spec, input.name, defined_, weights_, specs_);
}

bool BuildContext::has(std::string_view key) const {
    auto it = node_.find(key);
    return it != node_.end() && !it->is_null();
}

const nlohmann::json& BuildContext::field(std::string_view key) {
    mark_read(key);
    return node_.at(std::string(key));
}

int BuildContext::integer(std::string_view key, std::optional<int> fallback) {
    if (!has(key)) {
        mark_read(key);
        if (fallback) return *fallback;
        fail_field(key, "missing required field");
    }
    const auto& v = field(key);
    if (v.is_number_integer()) {
        const auto x = v.get<int64_t>();
        if (x >= std::numeric_limits<int>::min() && x <= std::numeric_limits<int>::max())
            return static_cast<int>(x);
    } else if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 1e9) return static_cast<int>(d);
    }
    fail_field(key, "must be an integer, got " + json_excerpt(v));
}

int BuildContext::positive_integer(std::string_view key, std::optional<int> fallback) {
    const int x = integer(key, fallback);
    if (x <= 0) fail_field(key, "must be a positive integer, got " + std::to_string(x));
    // Guards against absurd sizes that would exhaust memory before any weight check.
    if (x > (1 << 24)) fail_field(key, "is implausibly large (" + std::to_string(x) + ")");
    return x;
}

double BuildContext::number(std::string_view key, std::optional<double> fallback) {
    if (!has(key)) {
        mark_read(key);
        if (fallback) return *fallback;
        fail_field(key, "missing required field");
    }
    const auto& v = field(key);
    if (!v.is_number()) fail_field(key, "must be a number, got " + json_excerpt(v));
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail_field(key, "must be finite");
    return d;
}

bool BuildContext::boolean(std::string_view key, std::optional<bool> fallback) {
    if (!has(key)) {
        mark_read(key);
        if (fallback) return *fallback;
        fail_field(key, "missing required field");
    }
    const auto& v = field(key);
    if (!v.is_boolean()) fail_field(key, "must be true or false, got " + json_excerpt(v));
    return v.get<bool>();
}

std::string BuildContext::string(std::string_view key, std::optional<std::string> fallback) {
    if (!has(key)) {
        mark_read(key);
        if (fallback) return *fallback;
        fail_field(key, "missing required field");
    }
    const auto& v = field(key);
    if (!v.is_string()) fail_field(key, "must be a string, got " + json_excerpt(v));
    return v.get<std::string>();
}

int BuildContext::choice_index(std::string_view key, const std::vector<std::string_view>& names,
                               bool has_fallback) {
    if (!has(key) && has_fallback) {
        mark_read(key);
        return -1;
    }
    const std::string value = string(key);
    for (size_t k = 0; k < names.size(); ++k)
        if (names[k] == value) return static_cast<int>(k);
    fail_field(key, quoted_excerpt(value) + " is not one of " + quoted_list(names));
}

InputRef BuildContext::resolve(std::string_view key, const std::string& ref) const {
    if (ref == "tokens") return InputRef{0, ref, Shape{Rows::Tokens, 0}};
    for (size_t k = 0; k < defined_.size(); ++k)
        if (defined_[k].first == ref)
            return InputRef{static_cast<int>(k) + 1, ref, defined_[k].second, k < specs_.size() ? specs_[k] : nullptr};
    fail_field(key, quoted_excerpt(ref, kMaxNameCodePoints) + " is not a node defined before this one");
}

InputRef BuildContext::input(std::string_view key) {
    if (!has(key)) {
        mark_read(key);
        fail_field(key, "missing required field");
    }
    const auto& v = field(key);
    if (!v.is_string()) fail_field(key, "must be the name of a node, got " + json_excerpt(v));
    InputRef ref = resolve(key, v.get<std::string>());
    // Only the embedding reads raw ids; everything else needs float values.
    if (ref.index == 0 && op_kind_from_name(node_.value("op", "")) != OpKind::Embedding)
        fail_field(key, "only an embedding node can read 'tokens'");
    return ref;
}

std::optional<InputRef> BuildContext::optional_input(std::string_view key) {
    if (!has(key)) {
        mark_read(key);
        return std::nullopt;
    }
    return input(key);
}

std::vector<InputRef> BuildContext::input_list(std::string_view key, size_t min_count) {
    if (!has(key)) {
        mark_read(key);
        fail_field(key, "missing required field");
    }
    const auto& v = field(key);
    if (!v.is_array()) fail_field(key, "must be a list of node names, got " + json_excerpt(v));
    if (v.size() < min_count)
        fail_field(key, "needs at least " + std::to_string(min_count) + " names, got " +
                            std::to_string(v.size()));
    std::vector<InputRef> refs;
    for (const auto& item : v) {
        if (!item.is_string()) fail_field(key, "must be a list of node names, got " + json_excerpt(item));
        refs.push_back(resolve(key, item.get<std::string>()));
        if (refs.back().index == 0) fail_field(key, "only an embedding node can read 'tokens'");
    }
    return refs;
}

std::string BuildContext::tensor_name(std::string_view suffix) const {
    return name_ + "." + std::string(suffix);
}

bool BuildContext::has_weight(std::string_view suffix) const {
    return weights_.contains(tensor_name(suffix));
}

std::vector<int64_t> BuildContext::weight_shape(std::string_view suffix) {
    StoredTensor* t = weights_.find(tensor_name(suffix));
    if (!t) fail_tensor(suffix, "missing weight in " + weights_.path());
    return t->shape;
}

Matrix BuildContext::matrix(std::string_view suffix, int64_t rows, int64_t cols) {
    StoredTensor* t = weights_.find(tensor_name(suffix));
    if (!t) fail_tensor(suffix, "missing weight in " + weights_.path());
    if (t->shape != std::vector<int64_t>{rows, cols})
        fail_tensor(suffix, "has shape " + shape_text(t->shape) + ", expected " + shape_text({rows, cols}));
    t->used = true;
    Matrix m(rows, cols);
    std::copy(t->data.begin(), t->data.end(), m.data());
    return m;
}

RowVector BuildContext::vector(std::string_view suffix, int64_t n) {
    StoredTensor* t = weights_.find(tensor_name(suffix));
    if (!t) fail_tensor(suffix, "missing weight in " + weights_.path());
    if (t->shape != std::vector<int64_t>{n})
        fail_tensor(suffix, "has shape " + shape_text(t->shape) + ", expected " + shape_text({n}));
    t->used = true;
    RowVector v(n);
    std::copy(t->data.begin(), t->data.end(), v.data());
    return v;
}

std::optional<Matrix> BuildContext::optional_matrix(std::string_view suffix, int64_t rows, int64_t cols) {
    if (!has_weight(suffix)) return std::nullopt;
    return matrix(suffix, rows, cols);
}

std::optional<RowVector> BuildContext::optional_vector(std::string_view suffix, int64_t n) {
    if (!has_weight(suffix)) return std::nullopt;
    return vector(suffix, n);
}

// The parts name the node and its field or tensor; Error quotes them cut
// short (names come from the file too).
void BuildContext::fail(std::string_view message) const { fail_at({}, {}, message); }

void BuildContext::fail_field(std::string_view key, std::string_view message) const {
    fail_at(std::string(key), {}, message);
}

void BuildContext::fail_tensor(std::string_view suffix, std::string_view message) const {
    fail_at({}, tensor_name(suffix), message);
}

void BuildContext::fail_at(std::string field, std::string tensor, std::string_view message) const {
    ErrorParts parts;
    parts.kind = tensor.empty() ? ErrorKind::model : ErrorKind::weights;
    parts.file = file_;
    parts.node = name_;
    parts.field = std::move(field);
    parts.tensor = std::move(tensor);
    throw Error(std::move(parts), std::string(message));
}

void BuildContext::reject_fields_unknown_to_op() const {
    for (const auto& [key, value] : node_.items()) {
        if (key == "name" || key == "op") continue;
        if (std::find(known_.begin(), known_.end(), key) == known_.end())
            fail_field(key, "unknown field for op " + quoted_excerpt(node_.value("op", "")));
    }
}

void BuildContext::reject_unknown_fields() const {
    for (const auto& [key, value] : node_.items()) {
        if (std::find(read_.begin(), read_.end(), key) == read_.end())
            fail_field(key, "unknown field for op " + quoted_excerpt(node_.value("op", "")));
    }
}

}  // namespace lstmscope
