// The models shipped in models/: installed in <prefix>/share/lstmscope/models,
// or, for a program run from its build tree, in the source tree.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

struct BundledModel {
    QString path;   // absolute path of the manifest
    QString name;   // the manifest's "name", or the file name if unreadable
};

// Where to look for the bundled models: the parts of the search, passed in
// so that a test can place the program anywhere.
struct ModelSearchPlaces {
    QString environment;        // $LSTMSCOPE_MODELS: wins when set
    QString programDir;         // the folder of the running program
    QString modelsFromProgram;  // installed models relative to the program's bin/: ../share/lstmscope/models
    QString installModels;      // the models folder of the configured install prefix
    QString buildBinDir;        // the build tree's folder of programs
    QString sourceModels;       // the source tree's models/, only for a program in buildBinDir
};
// The folders to try, in order: $LSTMSCOPE_MODELS; for a program in the build
// tree the source tree; then the program's own prefix and the configured one.
QStringList modelDirectoryCandidates(const ModelSearchPlaces& places);
// The first of them that holds a model manifest (canonical), or empty.
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
