// The single exception type of the engine, and what it is about.
//
// An Error carries its parts (the file, the node, the field or tensor at
// fault, what kind of input is to blame, and for the text errors a user
// meets while typing a code with its numbers), and a message composed from
// them that the CLI prints verbatim: "FILE: node 'N': field 'F': DETAIL".
// Callers use the parts instead of parsing the message: the CLI names a
// text by its source (in_file), the GUI says the text errors in the
// interface language and selects the failing node in the model view.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace lstmscope {

enum class ErrorKind {
    model,     // the manifest, its graph, its tokenizer, an imported architecture
    weights,   // the weights file or one of its tensors
    text,      // the text given to a run
    input,     // any other input file: a corpus, a shard summary, a vocabulary
    usage,     // what the caller asked for: an intervention, a node number
    internal,  // a bug in lstmscope
};

// The errors a caller may want to say in its own words, with their numbers
// (ErrorParts::count, limit). Everything else is `other`.
enum class ErrorCode {
    other,
    empty_text,       // no tokens at all
    no_known_tokens,  // every token unknown and dropped; count = how many
    too_many_tokens,  // count tokens, over the limit
    pad_over_limit,   // the tokenizer pads to count, over the limit
    too_long_text,    // more code points (count) than spans can index
    over_memory_budget,  // recording would take count bytes, over the budget (limit); names the node
};

struct ErrorParts {
    ErrorKind kind = ErrorKind::model;
    // The file at fault as the user named it. Empty for a text given inline:
    // the message then starts with "text".
    std::string file;
    std::string node;    // the manifest node's name
    std::string field;   // a field of the manifest, node or tokenizer
    std::string tensor;  // a weight's full name
    ErrorCode code = ErrorCode::other;
    int64_t count = -1;
    int64_t limit = -1;
};

class Error : public std::runtime_error {
public:
    // A message with no parts to tell (kind internal or usage call sites
    // that say everything in words).
    explicit Error(const std::string& message, ErrorKind kind = ErrorKind::usage)
        : std::runtime_error(message), detail_(message) {
        parts_.kind = kind;
    }
    // "FILE: DETAIL": the common case of a whole-file problem.
    Error(ErrorKind kind, std::string file, const std::string& detail)
        : Error(make_parts(kind, std::move(file)), detail) {}
    // The message is composed from the parts: file (or "text"), node,
    // field or tensor, then the detail.
    Error(ErrorParts parts, const std::string& detail)
        : std::runtime_error(compose(parts, detail)), parts_(std::move(parts)), detail_(detail) {}

    const ErrorParts& parts() const { return parts_; }
    ErrorKind kind() const { return parts_.kind; }
    // What went wrong, without the file, node, field or tensor in front.
    const std::string& detail() const { return detail_; }

    // The same error about `file`: a text error made by the runner, once the
    // caller knows where the text came from (a file name, "standard input").
    Error in_file(std::string file) const {
        ErrorParts p = parts_;
        p.file = std::move(file);
        return Error(std::move(p), detail_);
    }

    static std::string compose(const ErrorParts& parts, const std::string& detail);

private:
    static ErrorParts make_parts(ErrorKind kind, std::string file) {
        ErrorParts p;
        p.kind = kind;
        p.file = std::move(file);
        return p;
    }
    ErrorParts parts_;
    std::string detail_;
};

// The name of a kind as messages and the docs spell it: "model", "text", ...
const char* error_kind_name(ErrorKind kind);

// Thrown by a run whose RunOptions::cancel flag was raised. Not an Error:
// nothing is wrong with the model or the text, the caller gave up on it.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("the run was cancelled") {}
};

}  // namespace lstmscope
