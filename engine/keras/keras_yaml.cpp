#include "engine/keras/keras_yaml.h"

#include <yaml-cpp/depthguard.h>  // YAML::DeepRecursion, not in yaml.h
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "engine/error.h"

namespace lstmscope::keras {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 256;
constexpr long kMaxValues = 1'000'000;  // aliases can repeat a subtree exponentially often
constexpr int kMaxDecodes = 4;
const std::string kCore = "tag:yaml.org,2002:";
const std::string kPython = kCore + "python/";

// ---- PyYAML's implicit resolver (yaml/resolver.py) and its int and float
// constructors (yaml/constructor.py), written out by hand: std::regex
// recurses per character and a long hostile scalar would overflow the stack.

bool digit(char c) { return c >= '0' && c <= '9'; }
bool digit_(char c) { return digit(c) || c == '_'; }

// (?:[eE][-+][0-9]+)?$ from position i.
bool exponent_then_end(const std::string& v, size_t i) {
    if (i == v.size()) return true;
    if (v[i] != 'e' && v[i] != 'E') return false;
    if (++i == v.size() || (v[i] != '-' && v[i] != '+')) return false;
    const size_t first = ++i;
    while (i < v.size() && digit(v[i])) ++i;
    return i > first && i == v.size();
}

// (?::[0-5]?[0-9])+ from position i, which it advances past the groups.
bool sexagesimal_groups(const std::string& v, size_t& i) {
    int groups = 0;
    while (i < v.size() && v[i] == ':') {
        ++i;
        if (i + 1 < v.size() && v[i] >= '0' && v[i] <= '5' && digit(v[i + 1])) i += 2;
        else if (i < v.size() && digit(v[i])) i += 1;
        else return false;
        ++groups;
    }
    return groups > 0;
}

size_t skip_sign(const std::string& v) { return !v.empty() && (v[0] == '-' || v[0] == '+') ? 1 : 0; }

bool is_float(const std::string& v) {
    const size_t s = skip_sign(v);
    const std::string rest = v.substr(s);
    if (rest == ".inf" || rest == ".Inf" || rest == ".INF") return true;
    if (s == 0 && (rest == ".nan" || rest == ".NaN" || rest == ".NAN")) return true;
    size_t i = 0;
    if (v[0] == '.') {  // \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?  (no sign)
        if (v.size() < 2 || !digit(v[1])) return false;
        for (i = 2; i < v.size() && digit_(v[i]);) ++i;
        return exponent_then_end(v, i);
    }
    i = s;
    if (i >= v.size() || !digit(v[i])) return false;
    while (++i < v.size() && digit_(v[i])) {}
    if (i < v.size() && v[i] == '.') {  // [-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?
        while (++i < v.size() && digit_(v[i])) {}
        return exponent_then_end(v, i);
    }
    // [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    if (!sexagesimal_groups(v, i) || i >= v.size() || v[i] != '.') return false;
    while (++i < v.size() && digit_(v[i])) {}
    return i == v.size();
}

bool all_of(const std::string& v, size_t from, bool (*ok)(char)) {
    if (from >= v.size()) return false;
    for (size_t i = from; i < v.size(); ++i)
        if (!ok(v[i])) return false;
    return true;
}

bool is_int(const std::string& v) {
    const size_t s = skip_sign(v);
    if (s >= v.size()) return false;
    if (v.compare(s, 2, "0b") == 0) return all_of(v, s + 2, [](char c) { return c == '0' || c == '1' || c == '_'; });
    if (v.compare(s, 2, "0x") == 0) return all_of(v, s + 2, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == '_'; });
    if (v[s] == '0') return s + 1 == v.size() || all_of(v, s + 1, [](char c) { return (c >= '0' && c <= '7') || c == '_'; });
    if (!digit(v[s])) return false;
    size_t i = s + 1;
    while (i < v.size() && digit_(v[i])) ++i;
    return i == v.size() || (sexagesimal_groups(v, i) && i == v.size());
}

std::string without_underscores(const std::string& v) {
    std::string out;
    for (char c : v)
        if (c != '_') out += c;
    return out;
}

// construct_yaml_int: 0b.., 0x.., 0.. (octal), a:b:c (base 60), decimal.
// Python's ints are unbounded; past 64 bits we give a double.
json make_int(const std::string& text) {
    std::string v = without_underscores(text);
    const bool negative = !v.empty() && v[0] == '-';
    v = v.substr(skip_sign(v));
    unsigned base = 10;
    if (v.compare(0, 2, "0b") == 0) base = 2, v = v.substr(2);
    else if (v.compare(0, 2, "0x") == 0) base = 16, v = v.substr(2);
    else if (v.size() > 1 && v[0] == '0') base = 8, v = v.substr(1);
    if (v.empty()) return text;  // "0b_": PyYAML fails here too
    long double big = 0;
    unsigned __int128 exact = 0;
    const unsigned __int128 cap = static_cast<unsigned __int128>(1) << 100;
    auto add = [&](unsigned __int128 scale, unsigned __int128 digit_value) {
        big = big * static_cast<long double>(scale) + static_cast<long double>(digit_value);
        exact = exact < cap ? exact * scale + digit_value : cap;
    };
    if (base == 10 && v.find(':') != std::string::npos) {
        size_t at = 0;
        while (at <= v.size()) {  // each part is a decimal number, each worth 60 of the next
            const size_t colon = std::min(v.find(':', at), v.size());
            unsigned part = 0;
            for (size_t k = at; k < colon; ++k) part = part * 10 + static_cast<unsigned>(v[k] - '0');
            add(60, part);
            at = colon + 1;
        }
    } else {
        for (char c : v) add(base, static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::tolower(c) - 'a' + 10)));
    }
    const unsigned __int128 int64_max = static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max());
    if (!negative && exact <= int64_max) return static_cast<int64_t>(exact);
    if (negative && exact <= int64_max + 1) return static_cast<int64_t>(-static_cast<__int128>(exact));
    if (!negative && exact <= std::numeric_limits<uint64_t>::max()) return static_cast<uint64_t>(exact);
    return static_cast<double>(negative ? -big : big);
}

double parse_double(const std::string& v) {
    double d = 0;
    std::from_chars(v.data(), v.data() + v.size(), d);  // locale-free, unlike strtod
    return d;
}

// construct_yaml_float: .inf, .nan, a:b:c.d (base 60), else Python's float().
json make_float(const std::string& text) {
    std::string v = without_underscores(text);
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const double sign = !v.empty() && v[0] == '-' ? -1.0 : 1.0;
    v = v.substr(skip_sign(v));
    if (v == ".inf") return sign * std::numeric_limits<double>::infinity();
    if (v == ".nan") return std::numeric_limits<double>::quiet_NaN();
    double value = 0;
    size_t at = 0;
    do {  // one part, or base-60 parts
        const size_t colon = std::min(v.find(':', at), v.size());
        value = value * 60 + parse_double(v.substr(at, colon - at));
        at = colon + 1;
    } while (at <= v.size());
    return sign * value;
}

// The type PyYAML gives an untagged plain scalar.
json resolve_plain(const std::string& v) {
    if (v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL") return nullptr;
    static const char* const kTrue[] = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
    static const char* const kFalse[] = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
    for (const char* t : kTrue)
        if (v == t) return true;
    for (const char* f : kFalse)
        if (v == f) return false;
    if (is_float(v)) return make_float(v);
    if (is_int(v)) return make_int(v);
    return v;  // timestamps too: they stay text
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string where(const YAML::Mark& mark) {
    if (mark.line < 0) return "";
    return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ": ";
}

// The tag of a scalar as PyYAML's constructor sees it: "" for a plain
// scalar left to the implicit resolver, "str" for a quoted one, else the
// core or python type. Tags we do not know are dropped (read as untagged).
std::string scalar_kind(const YAML::Node& node) {
    const std::string& tag = node.Tag();
    if (tag == "!") return "str";  // quoted
    if (tag == kCore + "str" || tag == kPython + "str" || tag == kPython + "unicode" || tag == kCore + "binary" ||
        tag == kPython + "bytes")
        return "str";
    if (tag == kCore + "int" || tag == kPython + "int" || tag == kPython + "long") return "int";
    if (tag == kCore + "float" || tag == kPython + "float") return "float";
    if (tag == kCore + "bool" || tag == kPython + "bool") return "bool";
    if (tag == kCore + "null" || tag == kPython + "none") return "null";
    return "";
}

class Converter {
public:
    explicit Converter(const std::string& file) : file_(file) {}

    json convert(const YAML::Node& node, int depth) {
        if (depth > kMaxDepth) throw Error(ErrorKind::model, file_, "YAML nested more than 256 levels deep");
        if (++values_ > kMaxValues)
            throw Error(ErrorKind::model, file_, "YAML expands to more than " + std::to_string(kMaxValues) +
                        " values (an alias repeated over and over?)");
        switch (node.Type()) {
            case YAML::NodeType::Null:
            case YAML::NodeType::Undefined:
                return nullptr;
            case YAML::NodeType::Scalar:
                return scalar(node);
            case YAML::NodeType::Sequence: {
                json out = json::array();
                for (const YAML::Node& item : node) out.push_back(convert(item, depth + 1));
                return out;
            }
            case YAML::NodeType::Map:
                return mapping(node, depth);
        }
        return nullptr;
    }

    json scalar(const YAML::Node& node) const {
        const std::string kind = scalar_kind(node);
        const std::string& text = node.Scalar();
        if (kind == "str") return text;
        json value = resolve_plain(text);
        if (kind.empty()) return value;
        const bool ok = (kind == "int" && is_int(text) && value.is_number()) ||  // a double past 64 bits
                        (kind == "float" && value.is_number()) || (kind == "bool" && value.is_boolean()) ||
                        (kind == "null" && value.is_null());
        if (!ok) throw Error(ErrorKind::model, file_, "YAML " + where(node.Mark()) + "'" + text + "' is not a valid !!" + kind);
        if (kind == "float") return value.get<double>();
        return value;
    }

    json mapping(const YAML::Node& node, int depth) {
        const std::string& tag = node.Tag();
        // PyYAML's python/object/new: and /apply: objects: the parts that
        // hold the data (a _ListWrapper's listitems, a _DictWrapper's
        // dictitems), else the object's state or constructor arguments.
        if (starts_with(tag, kPython + "object/new:") || starts_with(tag, kPython + "object/apply:")) {
            for (const char* part : {"listitems", "dictitems", "state", "args"})
                if (const YAML::Node inner = node[part]) return convert(inner, depth + 1);
        }
        json out = json::object();
        std::vector<json> merges;
        for (const auto& pair : node) {
            const YAML::Node& key = pair.first;
            if (key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<") {
                merges.push_back(convert(pair.second, depth + 1));
                continue;
            }
            out[key_text(key)] = convert(pair.second, depth + 1);
        }
        // `<<: *base` or `<<: [*a, *b]`: keys written out win, then the
        // earlier merged mappings over the later ones (PyYAML's order).
        for (const json& merge : merges) {
            const json list = merge.is_array() ? merge : json::array({merge});
            for (const json& m : list) {
                if (!m.is_object())
                    throw Error(ErrorKind::model, file_, "YAML " + where(node.Mark()) + "'<<' merges something that is not a mapping");
                for (const auto& [k, v] : m.items())
                    if (!out.contains(k)) out[k] = v;
            }
        }
        return out;
    }

    // JSON keys are strings; a YAML key is written as json.dumps would write
    // the Python key (None -> "null", True -> "true", 0x10 -> "16").
    std::string key_text(const YAML::Node& key) const {
        if (key.IsNull()) return "null";
        if (!key.IsScalar()) throw Error(ErrorKind::model, file_, "YAML " + where(key.Mark()) + "a mapping key is not a plain value");
        const json k = scalar(key);
        if (k.is_string()) return k.get<std::string>();
        if (k.is_null()) return "null";
        if (k.is_number_float()) return key.Scalar();
        return k.dump();
    }

private:
    const std::string& file_;
    long values_ = 0;
};

bool is_string(const YAML::Node& node) {
    if (!node.IsScalar()) return false;
    const std::string kind = scalar_kind(node);
    return kind == "str" || (kind.empty() && resolve_plain(node.Scalar()).is_string());
}

const char* kind_of(const json& j) {
    switch (j.type()) {
        case json::value_t::null: return "null";
        case json::value_t::boolean: return "boolean";
        case json::value_t::string: return "string";
        case json::value_t::array: return "list";
        default: return "number";
    }
}

YAML::Node load(const std::string& text, const std::string& file, int decoded) {
    const std::string which = decoded == 0 ? "" : " (in the YAML string the file holds)";
    try {
        return YAML::Load(text);
    } catch (const YAML::DeepRecursion&) {
        throw Error(ErrorKind::model, file, "YAML nested more than 256 levels deep");
    } catch (const YAML::Exception& e) {
        throw Error(ErrorKind::model, file, "not valid YAML" + which + ": " + where(e.mark) + e.msg);
    }
}

}  // namespace

json keras_yaml_to_json(const std::string& text, const std::string& file) {
    YAML::Node root = load(text, file, 0);
    // yaml.dump(model.to_yaml()) wraps the whole YAML in one string scalar.
    for (int decoded = 1; decoded <= kMaxDecodes && is_string(root); ++decoded)
        root = load(root.Scalar(), file, decoded);
    try {
        json out = Converter(file).convert(root, 0);
        if (!out.is_object())
            throw Error(ErrorKind::model, file, std::string("the YAML holds a ") + kind_of(out) + ", not a Keras model architecture (a mapping)");
        return out;
    } catch (const YAML::Exception& e) {  // yaml-cpp can still throw while walking nodes
        throw Error(ErrorKind::model, file, "not valid YAML: " + where(e.mark) + e.msg);
    }
}

}  // namespace lstmscope::keras
