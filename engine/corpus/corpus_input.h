// Reading a dataset for `lstmscope-cli corpus` and the corpus window: one
// text per line, TSV or CSV with a text column and an optional label column,
// or JSON Lines with a text key and an optional label key.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lstmscope::corpus {

enum class InputFormat { Auto, Lines, Tsv, Csv, Jsonl };

struct InputOptions {
    InputFormat format = InputFormat::Auto;  // Auto: by extension (.tsv .csv .jsonl .ndjson), else Lines
    // TSV/CSV: a column name (the first row is a header) or, with
    // header = false, a 1-based column number. JSONL: a key. Empty: the
    // defaults "text" and "label"; a missing default label column means the
    // texts have no labels, a missing named one is an error.
    std::string text_column;
    std::string label_column;
    bool header = true;  // TSV/CSV: the first row names the columns
};

struct CorpusText {
    int index = 0;           // 0-based, in file order
    int line = 0;            // 1-based line where the record starts (for messages)
    std::string text;
    std::optional<std::string> label;  // as written (a label name or a class number)
};

struct Corpus {
    std::string file;
    InputFormat format = InputFormat::Lines;
    bool labelled = false;   // a label column was found
    std::vector<CorpusText> texts;
};

// Throws Error ("FILE: line N: ...") for a file that cannot be read, a
// missing column, a CSV quote left open or a JSONL line that is not an
// object with a string text. Empty lines of a Lines file are skipped.
Corpus read_corpus(const std::string& path, const InputOptions& options = {});

// The same from text already in memory (tests, standard input).
Corpus parse_corpus(const std::string& contents, const std::string& file, const InputOptions& options = {});

InputFormat format_from_name(const std::string& name);  // "lines", "tsv", ...; throws Error
const char* format_name(InputFormat format);

}  // namespace lstmscope::corpus
