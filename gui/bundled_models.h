// The models shipped in models/: found next to the binary (build/../models),
// in the source tree the binary was built from, or in the install prefix.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

struct BundledModel {
    QString path;   // absolute path of the manifest
    QString name;   // the manifest's "name", or the file name if unreadable
};

// The first directory that holds bundled models, or empty.
QString bundledModelsDirectory();
// Every *.json manifest in it, sorted by file name.
std::vector<BundledModel> bundledModels();
// The model the program opens when nothing else is asked for.
QString defaultModelPath();

struct ExampleText {
    QString text;
    QString note;
};
// metadata.examples of a model manifest ([{text, note}]); empty if none.
std::vector<ExampleText> exampleTexts(const QString& manifestPath);
