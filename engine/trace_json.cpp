// A streaming writer: traces of long texts hold millions of floats, and a
// JSON DOM would triple the memory and time. Strings go through nlohmann for
// correct escaping; floats through std::to_chars, whose shortest form
// round-trips a float32 exactly.
#include "engine/trace_json.h"

#include <charconv>
#include <cmath>
#include <span>

#include <nlohmann/json.hpp>

namespace lstmscope {

namespace {

void write_string(std::ostream& out, const std::string& s) {
    // The replace handler keeps us from throwing on invalid UTF-8; the runner
    // already sanitised the text, this guards the vocabulary strings.
    out << nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write_float(std::ostream& out, float x) {
    if (!std::isfinite(x)) {
        out << "null";
        return;
    }
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
    out.write(buf, end - buf);
}

template <class M>
void write_matrix(std::ostream& out, const M& m) {
    out << '[';
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        out << (r ? ",[" : "[");
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            if (c) out << ',';
            write_float(out, m(r, c));
        }
        out << ']';
    }
    out << ']';
}

const char* direction_name(Direction d) { return d == Direction::Forward ? "forward" : "backward"; }

void write_row(std::ostream& out, const RowVector& v) {
    out << '[';
    for (Eigen::Index c = 0; c < v.size(); ++c) {
        if (c) out << ',';
        write_float(out, v(c));
    }
    out << ']';
}

// "preactivation": {"i": {"input": T x H, "recurrent": T x H, "bias": [H]}, "f": ..., "g": ..., "o": ...}
// Split per gate so that a reader needs no knowledge of the 4H column order.
void write_preactivation(std::ostream& out, const GateTrace& g) {
    const Eigen::Index h = g.i.cols();
    out << ",\"preactivation\":{";
    const char* names[] = {"i", "f", "g", "o"};
    for (int k = 0; k < 4; ++k) {
        const Eigen::Index at = k * h;
        out << (k ? "," : "") << '"' << names[k] << "\":{\"input\":";
        write_matrix(out, g.pre_input.middleCols(at, h));
        out << ",\"recurrent\":";
        write_matrix(out, g.pre_recurrent.middleCols(at, h));
        out << ",\"bias\":";
        write_row(out, g.bias.segment(at, h));
        out << '}';
    }
    out << '}';
}

// One matrix per head for multihead_attention, a single matrix otherwise
// (the same nesting as "attention").
void write_attention_like(std::ostream& out, const char* key, OpKind op, const std::vector<Matrix>& ms) {
    out << ",\"" << key << "\":";
    if (op != OpKind::MultiheadAttention) {
        write_matrix(out, ms.at(0));
        return;
    }
    out << '[';
    for (size_t h = 0; h < ms.size(); ++h) {
        if (h) out << ',';
        write_matrix(out, ms[h]);
    }
    out << ']';
}

void write_node(std::ostream& out, const NodeTrace& node) {
    out << "{\"op\":";
    write_string(out, std::string(op_kind_name(node.op)));
    out << ",\"value\":";
    write_matrix(out, node.value);
    if (node.op == OpKind::Lstm || node.op == OpKind::Gru) {
        out << ",\"gates\":[";
        for (size_t k = 0; k < node.gates.size(); ++k) {
            const GateTrace& g = node.gates[k];
            out << (k ? "," : "") << "{\"layer\":" << g.layer << ",\"direction\":\"" << direction_name(g.direction)
                << "\"";
            const std::pair<const char*, const Matrix*> lstm_parts[] = {{"i", &g.i}, {"f", &g.f}, {"g", &g.g},
                                                                        {"o", &g.o}, {"c", &g.c}, {"h", &g.h}};
            const std::pair<const char*, const Matrix*> gru_parts[] = {{"r", &g.r}, {"z", &g.z}, {"n", &g.n},
                                                                       {"h", &g.h}};
            const std::span<const std::pair<const char*, const Matrix*>> parts =
                node.op == OpKind::Gru ? std::span<const std::pair<const char*, const Matrix*>>(gru_parts)
                                       : std::span<const std::pair<const char*, const Matrix*>>(lstm_parts);
            for (const auto& [key, m] : parts) {
                out << ",\"" << key << "\":";
                write_matrix(out, *m);
            }
            if (g.has_details()) write_preactivation(out, g);
            out << '}';
        }
        out << ']';
    }
    if ((node.op == OpKind::Attention || node.op == OpKind::AttentionPool || node.op == OpKind::FeatureAttention ||
         node.op == OpKind::MultiheadAttention) &&
        !node.attention.empty()) {
        write_attention_like(out, "attention", node.op, node.attention);
        if (!node.scores.empty()) write_attention_like(out, "scores", node.op, node.scores);
        if (node.attention_partial())
            out << ",\"attention_rows\":[" << node.attention_first_row << ','
                << node.attention_first_row + node.attention.front().rows() << ']';
    }
    out << '}';
}

}  // namespace

void write_trace_json(std::ostream& out, const Trace& trace, const TraceJsonOptions& options) {
    out << "{\"format\":\"lstmscope-trace\",\"format_version\":1,\"model\":";
    write_string(out, trace.model);
    out << ",\"text\":";
    write_string(out, trace.text);
    out << ",\"tokens\":[";
    for (size_t k = 0; k < trace.tokens.size(); ++k) {
        const Token& t = trace.tokens[k];
        out << (k ? "," : "") << "{\"text\":";
        write_string(out, t.text);
        out << ",\"id\":" << t.id << ",\"start\":" << t.start << ",\"end\":" << t.end
            << ",\"pad\":" << (t.pad ? "true" : "false") << '}';
    }
    out << "],\"dropped\":[";
    for (size_t k = 0; k < trace.dropped.size(); ++k) {
        const DroppedSpan& d = trace.dropped[k];
        out << (k ? "," : "") << "{\"text\":";
        write_string(out, d.text);
        out << ",\"start\":" << d.start << ",\"end\":" << d.end << '}';
    }
    out << "],\"output\":{\"node\":";
    write_string(out, trace.nodes.at(static_cast<size_t>(trace.output_node)).name);
    out << ",\"value\":";
    write_matrix(out, trace.output());
    out << ",\"labels\":[";
    for (size_t k = 0; k < trace.labels.size(); ++k) {
        if (k) out << ',';
        write_string(out, trace.labels[k]);
    }
    out << "],\"argmax\":[";
    for (size_t k = 0; k < trace.argmax.size(); ++k) out << (k ? "," : "") << trace.argmax[k];
    out << "]},\"nodes\":{";
    bool first = true;
    for (size_t k = 0; k < trace.nodes.size(); ++k) {
        if (!options.nodes.empty() && !options.nodes.count(trace.nodes[k].name)) continue;
        if (!first) out << ',';
        first = false;
        write_string(out, trace.nodes[k].name);
        out << ':';
        write_node(out, trace.nodes[k]);
    }
    out << "}}\n";
}

}  // namespace lstmscope
