// Where a Keras model's missing parts (its vocabulary, the architecture of a
// weights-only file, a custom-layer mapping) come from in the application:
// remembered per model file, so a Keras model reopens (from File > Recent,
// at start-up, in the corpus window) as it was first opened. The command
// line's --tokenizer / --architecture / --custom-layers set them; File >
// Open asks for what is missing (MainWindow::askForKerasParts).
#pragma once

#include <QString>

#include "engine/import_options.h"

// The options remembered for `modelPath` (empty for a manifest or a Keras
// file opened for the first time).
lstmscope::ImportOptions importOptionsFor(const QString& modelPath);
// Remembers `options` for `modelPath`: in QSettings (keyed by the absolute
// path), or with `persist` false for this process only (a --screenshot run
// leaves the user's settings alone).
void rememberImportOptions(const QString& modelPath, const lstmscope::ImportOptions& options, bool persist = true);
// Whether the file is a Keras model (.h5 / .keras, by its first bytes).
bool isKerasModelFile(const QString& path);
