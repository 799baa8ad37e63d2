// The `tokenizer` object of an imported Keras model's manifest. A Keras file
// holds no vocabulary (it lives in the Python code, a pickle, or a
// `Tokenizer.to_json()` file), so it comes from ImportOptions: a Keras
// Tokenizer JSON (word index, num_words, oov_token, lower, char_level) or a
// plain vocabulary file (line k is id k).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/error.h"
#include "engine/import_options.h"

namespace lstmscope::keras {

// No vocabulary was given: the GUI catches this one to ask for a file.
class NeedsTokenizer : public Error {
public:
    using Error::Error;
};

struct TokenizerRequest {
    std::string model_file;            // for messages
    int embedding_rows = 0;            // ids must stay below this
    std::optional<int> fixed_length;   // the model's input length, if fixed
    bool mask_zero = false;            // the Embedding masks id 0
};

nlohmann::json keras_tokenizer_manifest(const ImportOptions& options, const TokenizerRequest& request,
                                        std::vector<std::string>& notes);

}  // namespace lstmscope::keras
