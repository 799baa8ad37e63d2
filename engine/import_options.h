// Where the parts a Keras file does not hold come from when lstmscope opens
// it directly (the CLI's --tokenizer / --architecture / --custom-layers, the
// GUI's questions). A manifest needs none of them.
#pragma once

#include <optional>
#include <string>

namespace lstmscope {

struct ImportOptions {
    // A Keras `Tokenizer.to_json()` file, or a vocabulary text file (one
    // token per line, line k is id k). Required: a .h5 holds no vocabulary.
    std::string tokenizer;
    // For a vocabulary text file: how text is split ("word", "char",
    // "whitespace", "keras", "keras_char"); default "word".
    std::string tokenizer_type;
    // `model.to_json()` / `model.to_yaml()` output, for weights-only files.
    std::string architecture;
    // The custom-layer mapping file (README, "Custom Keras layers").
    std::string custom_layers;
    // "pre" or "post": the side pad_sequences padded in training; Keras'
    // default ("pre") when not given. Used when the model has a fixed length.
    std::optional<std::string> padding;
};

}  // namespace lstmscope
