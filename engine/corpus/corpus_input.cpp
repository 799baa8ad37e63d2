#include "engine/corpus/corpus_input.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "engine/error.h"

namespace lstmscope::corpus {
namespace {

[[noreturn]] void fail(const std::string& file, int line, const std::string& message) {
    throw Error(ErrorKind::input, file, "line " + std::to_string(line) + ": " + message);
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Splits the file into records of fields. TSV: fields split at tabs, one
// record per line (no quoting, as the UCI and most TSV files are). CSV:
// RFC 4180, quoted fields may hold commas, doubled quotes and line breaks.
struct Record {
    int line = 0;
    std::vector<std::string> fields;
};

std::vector<Record> split_records(const std::string& s, char sep, bool quoting, const std::string& file) {
    std::vector<Record> records;
    Record current;
    std::string field;
    int line = 1;
    current.line = 1;
    bool in_quotes = false, quoted_field = false, any = false;
    auto end_field = [&] {
        current.fields.push_back(std::move(field));
        field.clear();
        quoted_field = false;
    };
    auto end_record = [&] {
        end_field();
        // A line with nothing on it is not a record.
        if (!(current.fields.size() == 1 && current.fields[0].empty())) records.push_back(std::move(current));
        current = Record();
        any = false;
    };
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < s.size() && s[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    in_quotes = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (!any) {
            current.line = line;
            any = true;
        }
        if (c == sep) {
            end_field();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
            end_record();
            ++line;
        } else if (quoting && c == '"' && field.empty() && !quoted_field) {
            in_quotes = true;
            quoted_field = true;
        } else {
            field += c;
        }
    }
    if (in_quotes) fail(file, current.line, "a quoted field is never closed");
    if (any) end_record();
    return records;
}

// The column a --text-column/--label-column names: by header name, or a
// 1-based number when there is no header. -1 when an optional default is
// missing.
int find_column(const std::vector<std::string>* header, const std::string& wanted, const std::string& fallback,
                const std::string& option, const std::string& file) {
    const std::string name = wanted.empty() ? fallback : wanted;
    if (!header) {
        if (wanted.empty()) return -1;
        try {
            size_t used = 0;
            const int n = std::stoi(name, &used);
            if (used == name.size() && n >= 1) return n - 1;
        } catch (const std::exception&) {
        }
        throw Error(ErrorKind::input, file, option + " '" + name +
                    "' must be a column number (1, 2, ...) when the file has no header row");
    }
    for (size_t k = 0; k < header->size(); ++k)
        if ((*header)[k] == name) return static_cast<int>(k);
    if (wanted.empty() && option == "--label-column") return -1;
    std::string have;
    for (const auto& h : *header) have += (have.empty() ? "'" : ", '") + h + "'";
    throw Error(ErrorKind::input, file, "line 1: no column '" + name + "' for " + option + " (the header has " + have + ")");
}

Corpus parse_table(Corpus corpus, const std::string& contents, char sep, const InputOptions& options) {
    std::vector<Record> records = split_records(contents, sep, sep == ',', corpus.file);
    const std::vector<std::string>* header = nullptr;
    std::vector<std::string> header_row;
    size_t first = 0;
    if (options.header) {
        if (records.empty()) throw Error(ErrorKind::input, corpus.file, "the file is empty (no header row)");
        header_row = records[0].fields;
        header = &header_row;
        first = 1;
    }
    const int text_col = find_column(header, options.text_column, "text", "--text-column", corpus.file);
    const int label_col = find_column(header, options.label_column, "label", "--label-column", corpus.file);
    if (text_col < 0) throw Error(ErrorKind::input, corpus.file, "give --text-column N for a file without a header row");
    corpus.labelled = label_col >= 0;
    for (size_t r = first; r < records.size(); ++r) {
        const Record& rec = records[r];
        const int need = std::max(text_col, label_col) + 1;
        if (static_cast<int>(rec.fields.size()) < need)
            fail(corpus.file, rec.line,
                 "has " + std::to_string(rec.fields.size()) + " field" + (rec.fields.size() == 1 ? "" : "s") +
                     ", the text" + (label_col >= 0 ? " and label need " : " needs ") + std::to_string(need));
        CorpusText t;
        t.index = static_cast<int>(corpus.texts.size());
        t.line = rec.line;
        t.text = rec.fields[static_cast<size_t>(text_col)];
        if (label_col >= 0) t.label = rec.fields[static_cast<size_t>(label_col)];
        corpus.texts.push_back(std::move(t));
    }
    return corpus;
}

// Calls f(line number, line) for every line that is not blank, without its
// line break (\n or \r\n).
template <class F>
void for_each_line(const std::string& contents, F&& f) {
    size_t start = 0;
    int line = 0;
    while (start < contents.size()) {
        size_t end = contents.find('\n', start);
        if (end == std::string::npos) end = contents.size();
        ++line;
        std::string_view row(contents.data() + start, end - start);
        start = end + 1;
        if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
        if (row.find_first_not_of(" \t") != std::string_view::npos) f(line, row);
    }
}

std::optional<std::string> json_label(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return std::nullopt;
}

Corpus parse_jsonl(Corpus corpus, const std::string& contents, const InputOptions& options) {
    const std::string text_key = options.text_column.empty() ? "text" : options.text_column;
    const std::string label_key = options.label_column.empty() ? "label" : options.label_column;
    bool any_label = false;
    for_each_line(contents, [&](int line, std::string_view row) {
        nlohmann::json j;
        try {
            // Depth-limited by the parser callback: a hostile line of nested
            // arrays must not recurse the stack away.
            j = nlohmann::json::parse(row, [](int d, nlohmann::json::parse_event_t, nlohmann::json&) {
                if (d > 64) throw Error("nested more than 64 levels deep");
                return true;
            });
        } catch (const nlohmann::json::exception& e) {
            fail(corpus.file, line, std::string("not valid JSON (") + e.what() + ")");
        } catch (const Error& e) {
            fail(corpus.file, line, e.what());
        }
        if (!j.is_object()) fail(corpus.file, line, "is not a JSON object");
        const auto it = j.find(text_key);
        if (it == j.end() || !it->is_string()) fail(corpus.file, line, "has no string field '" + text_key + "'");
        CorpusText t;
        t.index = static_cast<int>(corpus.texts.size());
        t.line = line;
        t.text = it->get<std::string>();
        const auto lab = j.find(label_key);
        if (lab != j.end() && !lab->is_null()) {
            t.label = json_label(*lab);
            if (!t.label) fail(corpus.file, line, "field '" + label_key + "' must be a string or an integer");
            any_label = true;
        } else if (!options.label_column.empty()) {
            fail(corpus.file, line, "has no field '" + label_key + "' for --label-column");
        }
        corpus.texts.push_back(std::move(t));
    });
    corpus.labelled = any_label;
    return corpus;
}

Corpus parse_lines(Corpus corpus, const std::string& contents) {
    for_each_line(contents, [&](int line, std::string_view row) {
        CorpusText t;
        t.index = static_cast<int>(corpus.texts.size());
        t.line = line;
        t.text = std::string(row);
        corpus.texts.push_back(std::move(t));
    });
    return corpus;
}

}  // namespace

InputFormat format_from_name(const std::string& name) {
    if (name == "auto") return InputFormat::Auto;
    if (name == "lines") return InputFormat::Lines;
    if (name == "tsv") return InputFormat::Tsv;
    if (name == "csv") return InputFormat::Csv;
    if (name == "jsonl") return InputFormat::Jsonl;
    throw Error("--format: '" + name + "' is not one of auto, lines, tsv, csv, jsonl");
}

const char* format_name(InputFormat format) {
    switch (format) {
    case InputFormat::Auto: return "auto";
    case InputFormat::Lines: return "lines";
    case InputFormat::Tsv: return "tsv";
    case InputFormat::Csv: return "csv";
    case InputFormat::Jsonl: return "jsonl";
    }
    return "?";
}

Corpus parse_corpus(const std::string& contents, const std::string& file, const InputOptions& options) {
    Corpus corpus;
    corpus.file = file;
    InputFormat format = options.format;
    if (format == InputFormat::Auto) {
        if (ends_with(file, ".tsv")) format = InputFormat::Tsv;
        else if (ends_with(file, ".csv")) format = InputFormat::Csv;
        else if (ends_with(file, ".jsonl") || ends_with(file, ".ndjson")) format = InputFormat::Jsonl;
        else format = InputFormat::Lines;
    }
    corpus.format = format;
    switch (format) {
    case InputFormat::Tsv: return parse_table(std::move(corpus), contents, '\t', options);
    case InputFormat::Csv: return parse_table(std::move(corpus), contents, ',', options);
    case InputFormat::Jsonl: return parse_jsonl(std::move(corpus), contents, options);
    default: return parse_lines(std::move(corpus), contents);
    }
}

Corpus read_corpus(const std::string& path, const InputOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::input, path, std::string("cannot read the dataset (") + std::strerror(errno) + ")");
    const std::string contents(std::istreambuf_iterator<char>(in), {});
    return parse_corpus(contents, path, options);
}

}  // namespace lstmscope::corpus
