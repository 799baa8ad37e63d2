#include "engine/runner.h"

#include <cstdio>
#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/parallel.h"
#include "engine/utf8.h"

namespace lstmscope {

namespace {

RunContext make_context(const Model& model, std::span<const int32_t> ids, const RunOptions& options) {
    RunContext ctx;
    ctx.ids = ids;
    ctx.details = options.details;
    ctx.threads = resolve_threads(options.threads);
    ctx.cancel = options.cancel;
    ctx.attention_first = options.attention_first;
    ctx.attention_end = options.attention_end;
    ctx.attention_block_floats = options.attention_block_floats;
    ctx.attention_record_limit = options.attention_record_limit;
    ctx.attention_summary_bins = options.attention_summary_bins;
    ctx.memory_budget = options.memory_budget;
    ctx.values.assign(model.nodes.size() + 1, nullptr);
    return ctx;
}

std::vector<int32_t> token_ids(const std::vector<Token>& tokens) {
    std::vector<int32_t> ids;
    ids.reserve(tokens.size());
    for (const auto& t : tokens) ids.push_back(t.id);
    return ids;
}

// A problem with the text, with its numbers for callers that say it in
// their own words (the GUI); the message reads "text: DETAIL" until the
// caller names the text's source (Error::in_file).
Error text_error(ErrorCode code, int64_t count, int64_t limit, const std::string& detail) {
    ErrorParts parts;
    parts.kind = ErrorKind::text;
    parts.code = code;
    parts.count = count;
    parts.limit = limit;
    return Error(std::move(parts), detail);
}

std::string gib(int64_t bytes) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f GiB", static_cast<double>(bytes) / (1 << 30));
    return buffer;
}

}  // namespace

void RunContext::reserve_recording(int64_t bytes) const {
    recorded_bytes += bytes;
    if (memory_budget < 0 || recorded_bytes <= memory_budget) return;
    ErrorParts parts;
    parts.kind = ErrorKind::text;
    parts.node = std::string(node_name);
    parts.code = ErrorCode::over_memory_budget;
    parts.count = recorded_bytes;
    parts.limit = memory_budget;
    throw Error(std::move(parts), "recording its attention weights on this text would take " + gib(recorded_bytes) +
                                      " in all, more than the memory budget of " + gib(memory_budget) +
                                      " (record fewer rows, or raise the budget)");
}

Trace run(const Model& model, std::string_view text, const RunOptions& options) {
    // A padded model makes every text exactly pad_to tokens: refuse it here,
    // before the tokenizer copies the pad entry pad_to times (up to 2^20)
    // only for run_tokens to refuse the result.
    if (const auto pad_to = model.tokenizer.pad_to; pad_to && *pad_to > options.max_tokens)
        throw text_error(ErrorCode::pad_over_limit, *pad_to, options.max_tokens,
                         "the tokenizer pads or cuts every text to " + std::to_string(*pad_to) +
                             " tokens (its pad_to), more than the limit of " + std::to_string(options.max_tokens) +
                             " tokens per run");
    Trace trace;
    // Spans count code points of this sanitised text, which has exactly the
    // code points the tokenizer saw (one U+FFFD per invalid byte).
    trace.text = sanitize_utf8(text);
    Tokenized tokenized = tokenize(model.tokenizer, text);
    if (tokenized.tokens.empty())
        throw tokenized.dropped.empty()
            ? text_error(ErrorCode::empty_text, 0, -1, "the text has no tokens (it is empty or only white space)")
            : text_error(ErrorCode::no_known_tokens, static_cast<int64_t>(tokenized.dropped.size()), -1,
                         "every token of the text is unknown to the vocabulary and was dropped (" +
                             std::to_string(tokenized.dropped.size()) + " dropped)");
    trace.tokens = std::move(tokenized.tokens);
    trace.dropped = std::move(tokenized.dropped);
    trace.truncated = std::move(tokenized.truncated);
    return run_tokens(model, std::move(trace), options);
}

Trace run_tokens(const Model& model, Trace trace, const RunOptions& options) {
    if (trace.tokens.empty()) throw text_error(ErrorCode::empty_text, 0, -1, "there are no tokens to run");
    if (static_cast<int64_t>(trace.tokens.size()) > options.max_tokens)
        throw text_error(ErrorCode::too_many_tokens, static_cast<int64_t>(trace.tokens.size()), options.max_tokens,
                         std::to_string(trace.tokens.size()) + " tokens is more than the limit of " +
                             std::to_string(options.max_tokens) + " tokens per run");
    trace.model = model.name;
    const std::vector<int32_t> ids = token_ids(trace.tokens);
    RunContext ctx = make_context(model, ids, options);
    trace.nodes.assign(model.nodes.size(), NodeTrace());
    for (size_t k = 0; k < model.nodes.size(); ++k) {
        trace.nodes[k].name = model.nodes[k].name;
        trace.nodes[k].op = model.nodes[k].op;
    }
    trace.output_node = model.output_node;
    trace.labels = model.labels;
    trace.argmax.clear();
    for (size_t k = 0; k < model.nodes.size(); ++k) {
        NodeTrace& out = trace.nodes[k];
        ctx.check_cancel();
        ctx.node = static_cast<int>(k);
        ctx.node_name = model.nodes[k].name;
        model.nodes[k].impl->run(ctx, out);
        ctx.values[k + 1] = &out.value;
        if (options.on_node_done) {
            trace.nodes_run = static_cast<int>(k + 1);
            options.on_node_done(trace);
        }
    }
    trace.nodes_run = -1;

    const Matrix& y = trace.output();
    trace.argmax.resize(static_cast<size_t>(y.rows()));
    for (Eigen::Index r = 0; r < y.rows(); ++r) {
        Eigen::Index best = 0;
        y.row(r).maxCoeff(&best);
        trace.argmax[static_cast<size_t>(r)] = static_cast<int>(best);
    }
    return trace;
}

Matrix run_output_from(const Model& model, const Trace& base, int first_node, const RunOptions& options,
                       const AttentionIntervention* intervention) {
    if (!base.complete() || base.nodes.size() != model.nodes.size())
        throw Error("run: the earlier run is not a finished run of model '" + model.name + "'", ErrorKind::usage);
    if (first_node < 0 || first_node >= static_cast<int>(model.nodes.size()))
        throw Error("run: there is no node number " + std::to_string(first_node) + " in model '" + model.name + "'");
    const std::vector<int32_t> ids = token_ids(base.tokens);
    RunContext ctx = make_context(model, ids, options);
    // Whatever comes before first_node is the earlier run's, unchanged.
    for (int k = 0; k < first_node; ++k) ctx.values[static_cast<size_t>(k) + 1] = &base.nodes[static_cast<size_t>(k)].value;
    ctx.intervention = intervention;
    std::vector<NodeTrace> fresh(model.nodes.size() - static_cast<size_t>(first_node));
    for (size_t k = static_cast<size_t>(first_node); k < model.nodes.size(); ++k) {
        NodeTrace& out = fresh[k - static_cast<size_t>(first_node)];
        out.name = model.nodes[k].name;
        out.op = model.nodes[k].op;
        ctx.check_cancel();
        ctx.node = static_cast<int>(k);
        ctx.node_name = model.nodes[k].name;
        model.nodes[k].impl->run(ctx, out);
        ctx.values[k + 1] = &out.value;
    }
    if (model.output_node < first_node) return base.output();
    return std::move(fresh[static_cast<size_t>(model.output_node - first_node)].value);
}

}  // namespace lstmscope
