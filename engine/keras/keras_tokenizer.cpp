#include "engine/keras/keras_tokenizer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace lstmscope::keras {

using nlohmann::json;

namespace {

// Keras' Tokenizer default `filters`: what our "keras" tokenizer type
// replaces by spaces.
const std::string kKerasFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::model, path, std::string("cannot open the tokenizer file (") + std::strerror(errno) + ")");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// A JSON value Keras may store as a JSON string inside the JSON.
json maybe_encoded(const json& v, const std::string& file, const char* field) {
    if (!v.is_string()) return v;
    try {
        return json::parse(v.get<std::string>());
    } catch (const json::exception& e) {
        throw Error(ErrorKind::model, file, std::string("tokenizer config '") + field + "' is not valid JSON (" + e.what() + ")");
    }
}

// An entry no text can produce, for ids without a token.
std::string unused_entry(const std::set<std::string>& taken, const std::string& base) {
    std::string s = base;
    for (int k = 1; taken.count(s); ++k) s = base + "_" + std::to_string(k);
    return s;
}

json from_keras_tokenizer(const json& doc, const std::string& file, const TokenizerRequest& request,
                          std::vector<std::string>& notes) {
    const json& c = doc.contains("config") ? doc["config"] : doc;
    const json index = maybe_encoded(c.value("word_index", json()), file, "word_index");
    if (!index.is_object() || index.empty()) throw Error(ErrorKind::model, file, "the Keras tokenizer has no word_index");
    std::map<int, std::string> by_id;
    for (const auto& [word, id] : index.items()) {
        if (!id.is_number_integer() || id.get<int64_t>() < 1 || id.get<int64_t>() > 100'000'000)
            throw Error(ErrorKind::model, file, "word_index['" + word.substr(0, 40) + "'] is not a positive id");
        by_id.emplace(id.get<int>(), word);  // the first word of an id wins, as Keras' index_word
    }
    int size = by_id.rbegin()->first + 1;
    if (c.contains("num_words") && c["num_words"].is_number_integer()) {
        // texts_to_sequences drops (or makes OOV) every id >= num_words.
        size = std::min(size, c["num_words"].get<int>());
    }
    if (request.embedding_rows > 0 && size > request.embedding_rows) {
        notes.push_back(file + ": the tokenizer knows " + std::to_string(size - 1) + " words, the Embedding has rows for ids below " +
                        std::to_string(request.embedding_rows) + "; the others are treated as unknown");
        size = request.embedding_rows;
    }
    std::set<std::string> taken;
    for (const auto& [id, word] : by_id)
        if (id < size) taken.insert(word);
    std::vector<std::string> vocab(static_cast<size_t>(size));
    vocab[0] = unused_entry(taken, "<pad>");
    taken.insert(vocab[0]);
    for (int id = 1; id < size; ++id) {
        auto it = by_id.find(id);
        vocab[static_cast<size_t>(id)] = it != by_id.end() ? it->second : unused_entry(taken, "<unused" + std::to_string(id) + ">");
        taken.insert(vocab[static_cast<size_t>(id)]);
    }
    json t{{"vocab", vocab}, {"pad", vocab[0]}, {"lowercase", c.value("lower", true)}};
    if (c.value("char_level", false)) {
        t["type"] = "keras_char";
    } else {
        const std::string filters = c.value("filters", kKerasFilters);
        const std::string split = c.value("split", std::string(" "));
        if (filters != kKerasFilters || split != " ")
            throw Error(ErrorKind::model, file, "the Keras tokenizer uses its own filters or split character; lstmscope's keras "
                               "tokenizer splits as Keras' defaults do (give a vocabulary file and --tokenizer-type instead)");
        t["type"] = "keras";
    }
    const json oov = c.value("oov_token", json());
    if (oov.is_string()) {
        auto it = index.find(oov.get<std::string>());
        if (it != index.end() && it->get<int>() < size) t["unk"] = oov.get<std::string>();
    }
    if (!t.contains("unk")) t["unk"] = nullptr;  // Keras drops unknown words without an oov_token
    return t;
}

json from_vocabulary_file(const std::string& text, const std::string& file, const std::string& type,
                          const TokenizerRequest& request) {
    std::vector<std::string> vocab;
    std::set<std::string> seen;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || seen.count(line)) line = unused_entry(seen, "<unused" + std::to_string(vocab.size()) + ">");
        seen.insert(line);
        vocab.push_back(line);
    }
    if (vocab.empty()) throw Error(ErrorKind::model, file, "the vocabulary file is empty");
    if (request.embedding_rows > 0 && static_cast<int>(vocab.size()) > request.embedding_rows)
        throw Error(ErrorKind::model, file, "the vocabulary has " + std::to_string(vocab.size()) + " entries but the Embedding has " +
                    std::to_string(request.embedding_rows) + " rows");
    json t{{"type", type.empty() ? "word" : type}, {"vocab", vocab}, {"pad", vocab[0]}, {"unk", nullptr}};
    for (const char* unk : {"<unk>", "[UNK]", "<UNK>", "<OOV>", "<oov>", "UNK"})
        if (seen.count(unk)) {
            t["unk"] = unk;
            break;
        }
    return t;
}

}  // namespace

json keras_tokenizer_manifest(const ImportOptions& options, const TokenizerRequest& request,
                              std::vector<std::string>& notes) {
    if (options.tokenizer.empty())
        throw NeedsTokenizer(ErrorKind::model, request.model_file,
                             "a Keras file holds no vocabulary; give the Keras Tokenizer's to_json() file or a "
                             "vocabulary text file (one token per line, line k is id k) with --tokenizer FILE");
    const std::string& file = options.tokenizer;
    const std::string text = read_text(file);
    json t;
    const auto first = text.find_first_not_of(" \t\r\n");
    json doc;
    if (first != std::string::npos && text[first] == '{') {
        try {
            doc = json::parse(text, [](int depth, json::parse_event_t, json&) {
                if (depth > 64) throw Error("nested too deeply");
                return true;
            });
        } catch (const std::exception& e) {
            throw Error(ErrorKind::model, file, std::string("the tokenizer file starts like JSON but is not valid JSON (") + e.what() + ")");
        }
    }
    if (doc.is_object()) t = from_keras_tokenizer(doc, file, request, notes);
    else t = from_vocabulary_file(text, file, options.tokenizer_type, request);

    const std::string padding = options.padding.value_or("pre");
    if (padding != "pre" && padding != "post" && padding != "none")
        throw Error("--padding must be pre, post or none, got '" + padding + "'", ErrorKind::usage);
    if (request.mask_zero) {
        notes.push_back("the Embedding masks padding (mask_zero): texts are not padded, which gives the same values");
    } else if (request.fixed_length && padding != "none") {
        t["pad_to"] = *request.fixed_length;
        t["padding"] = padding;
        notes.push_back("texts are padded to the model's input length " + std::to_string(*request.fixed_length) +
                        " (" + padding + (options.padding ? "" : ", pad_sequences' default") +
                        "), as in training; --padding post or none changes that");
    }
    return t;
}

}  // namespace lstmscope::keras
