// Opens a Keras model file as an lstmscope model: a legacy HDF5 full model
// (Keras 2, tf.keras, Keras 3), a Keras 3 `.keras` zip, or a weights-only
// HDF5 file with its architecture from ImportOptions. The result is a
// manifest and its tensors, exactly what `import-keras` writes to disk and
// what Model::from_manifest checks and builds like any other model.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/error.h"
#include "engine/import_options.h"
#include "engine/safetensors.h"

namespace lstmscope::keras {

// The file holds weights only: the GUI catches this one to ask for the
// architecture file.
class NeedsArchitecture : public Error {
public:
    using Error::Error;
};

struct ImportedModel {
    nlohmann::json manifest;                       // "weights" names <stem>.safetensors
    std::map<std::string, StoredTensor> tensors;
    std::vector<std::string> notes;                // what was assumed or recognised
};

// By the first bytes: the HDF5 signature or a zip's "PK\3\4".
bool is_keras_file(const std::string& path);

ImportedModel import_keras(const std::string& path, const ImportOptions& options);

// What a Keras file still needs before it opens with `options`, cheaply
// (the GUI asks for these before converting): a vocabulary when none is
// given, an architecture for a weights-only .h5 when none is given. A file
// that cannot be read needs nothing here: opening it reports why.
struct MissingParts {
    bool vocabulary = false;
    bool architecture = false;
};
MissingParts missing_parts(const std::string& path, const ImportOptions& options);

}  // namespace lstmscope::keras
