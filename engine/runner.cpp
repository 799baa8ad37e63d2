#include "engine/runner.h"

#include "engine/error.h"
#include "engine/parallel.h"
#include "engine/utf8.h"

namespace lstmscope {

Trace run(const Model& model, std::string_view text, const RunOptions& options) {
    Trace trace;
    trace.model = model.name;
    // Spans count code points of this sanitised text, which has exactly the
    // code points the tokenizer saw (one U+FFFD per invalid byte).
    trace.text = sanitize_utf8(text);
    Tokenized tokenized = tokenize(model.tokenizer, text);
    if (tokenized.tokens.empty())
        throw Error(tokenized.dropped.empty()
                        ? std::string("text: the text has no tokens (it is empty or only white space)")
                        : "text: every token of the text is unknown to the vocabulary and was dropped (" +
                              std::to_string(tokenized.dropped.size()) + " dropped)");
    if (static_cast<int64_t>(tokenized.tokens.size()) > options.max_tokens)
        throw Error("text: " + std::to_string(tokenized.tokens.size()) + " tokens is more than the limit of " +
                    std::to_string(options.max_tokens) + " tokens per run");
    trace.tokens = std::move(tokenized.tokens);
    trace.dropped = std::move(tokenized.dropped);
    trace.truncated = std::move(tokenized.truncated);

    std::vector<int32_t> ids;
    ids.reserve(trace.tokens.size());
    for (const auto& t : trace.tokens) ids.push_back(t.id);

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
    ctx.values.assign(model.nodes.size() + 1, nullptr);
    trace.nodes.resize(model.nodes.size());
    for (size_t k = 0; k < model.nodes.size(); ++k) {
        trace.nodes[k].name = model.nodes[k].name;
        trace.nodes[k].op = model.nodes[k].op;
    }
    trace.output_node = model.output_node;
    trace.labels = model.labels;
    for (size_t k = 0; k < model.nodes.size(); ++k) {
        NodeTrace& out = trace.nodes[k];
        ctx.check_cancel();
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

}  // namespace lstmscope
