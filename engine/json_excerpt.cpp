#include "engine/json_excerpt.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "engine/utf8.h"

namespace lstmscope {

namespace {

using nlohmann::json;

// Enough to recognise a value in a message; anything longer is cut.
constexpr size_t kMaxBytes = 80;
// The recursion below goes no deeper than this, whatever the value's depth.
constexpr int kMaxDepth = 3;

// The first `max_code_points` code points of `text` as valid UTF-8; `cut`
// tells whether anything was left out. Only a prefix is decoded, so a huge
// string costs no more than a short one.
std::string utf8_prefix(std::string_view text, size_t max_code_points, bool& cut) {
    std::u32string cps = decode_utf8(text.substr(0, max_code_points * 4));
    cut = cps.size() > max_code_points || text.size() > max_code_points * 4;
    if (cps.size() > max_code_points) cps.resize(max_code_points);
    return encode_utf8(cps);
}

void append_json_string(std::string& out, std::string_view text) {
    bool cut = false;
    const std::string shown = utf8_prefix(text, kMaxBytes, cut);
    out += '"';
    for (const char c : shown) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";  // the escapes dump() writes, so short values read as before
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
            out += escape;
        } else {
            out += c;
        }
    }
    // A cut string gets no closing quote: the whole excerpt is cut anyway
    // once it passes kMaxBytes, and "..." follows.
    if (!cut) out += '"';
}

// Stops adding as soon as `out` is past the limit: the rest would be cut.
void render(const json& value, int depth, std::string& out) {
    if (out.size() > kMaxBytes) return;
    switch (value.type()) {
    case json::value_t::array: {
        if (value.empty() || depth >= kMaxDepth) {
            out += value.empty() ? "[]" : "[...]";
            return;
        }
        out += '[';
        bool first = true;
        for (const auto& item : value) {
            if (out.size() > kMaxBytes) break;
            if (!first) out += ", ";
            first = false;
            render(item, depth + 1, out);
        }
        out += ']';
        return;
    }
    case json::value_t::object: {
        if (value.empty() || depth >= kMaxDepth) {
            out += value.empty() ? "{}" : "{...}";
            return;
        }
        out += '{';
        bool first = true;
        for (const auto& [key, item] : value.items()) {
            if (out.size() > kMaxBytes) break;
            if (!first) out += ", ";
            first = false;
            append_json_string(out, key);
            out += ": ";
            render(item, depth + 1, out);
        }
        out += '}';
        return;
    }
    case json::value_t::string: append_json_string(out, value.get_ref<const std::string&>()); return;
    case json::value_t::binary: out += "<binary>"; return;
    case json::value_t::discarded: out += "<discarded>"; return;
    default: out += value.dump(); return;  // null, booleans, numbers: never nested
    }
}

}  // namespace

std::string json_excerpt(const json& value) {
    std::string out;
    render(value, 0, out);
    if (out.size() <= kMaxBytes) return out;
    // Cut on a code point boundary, so the excerpt stays valid UTF-8.
    size_t n = kMaxBytes;
    while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;
    out.resize(n);
    return out + "...";
}

std::string text_excerpt(std::string_view text, size_t max_code_points) {
    bool cut = false;
    std::string out = utf8_prefix(text, max_code_points, cut);
    if (cut) out += "...";
    return out;
}

std::string quoted_excerpt(std::string_view text, size_t max_code_points) {
    std::string out = "'";  // appended, not "'" + ...: GCC 12 warns falsely (-Wrestrict) on that
    out += text_excerpt(text, max_code_points);
    out += "'";
    return out;
}

}  // namespace lstmscope
