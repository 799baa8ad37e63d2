#include "gui/bundled_models.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

constexpr const char* kDefaultModel = "sentiment_en_bilstm_pool.json";

QJsonObject readManifest(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool isManifest(const QJsonObject& o) { return o.value("format").toString() == QLatin1String("lstmscope-model"); }

}  // namespace

QStringList modelDirectoryCandidates(const ModelSearchPlaces& places) {
    QStringList out;
    if (!places.environment.isEmpty()) out << places.environment;
    // A program in the build tree is the developer's: the models it was
    // built with, even when an older copy is installed.
    const QString bin = QDir(places.programDir).canonicalPath();
    const bool inBuildTree = !bin.isEmpty() && bin == QDir(places.buildBinDir).canonicalPath();
    if (inBuildTree) out << places.sourceModels;
    // Installed: the prefix the program is in (bin/../share/lstmscope/models),
    // then the prefix it was configured for. Never the source tree, which may
    // be a different version, or gone.
    out << QDir::cleanPath(places.programDir + "/" + places.modelsFromProgram) << places.installModels;
    return out;
}

QString bundledModelsDirectory() {
    const QStringList candidates = modelDirectoryCandidates({
        qEnvironmentVariable("LSTMSCOPE_MODELS"),
        QCoreApplication::applicationDirPath(),
        QStringLiteral(LSTMSCOPE_MODELS_FROM_BIN),
        QStringLiteral(LSTMSCOPE_INSTALL_MODELS),
        QStringLiteral(LSTMSCOPE_BUILD_BIN_DIR),
        QStringLiteral(LSTMSCOPE_SOURCE_MODELS),
    });
    for (const QString& dir : candidates) {
        if (dir.isEmpty()) continue;
        const QDir d(dir);
        if (d.exists() && !d.entryList({"*.json"}, QDir::Files).isEmpty()) return d.canonicalPath();
    }
    return {};
}

std::vector<BundledModel> bundledModels() {
    std::vector<BundledModel> out;
    const QString dir = bundledModelsDirectory();
    if (dir.isEmpty()) return out;
    for (const QFileInfo& info : QDir(dir).entryInfoList({"*.json"}, QDir::Files, QDir::Name)) {
        const QJsonObject manifest = readManifest(info.absoluteFilePath());
        if (!isManifest(manifest)) continue;
        const QString name = manifest.value("name").toString(info.completeBaseName());
        out.push_back({info.absoluteFilePath(), name});
    }
    return out;
}

QString defaultModelPath() {
    const QString dir = bundledModelsDirectory();
    if (dir.isEmpty()) return {};
    const QString preferred = dir + "/" + kDefaultModel;
    if (QFileInfo::exists(preferred)) return preferred;
    const auto models = bundledModels();
    return models.empty() ? QString() : models.front().path;
}

std::vector<ExampleText> exampleTexts(const QString& manifestPath) {
    std::vector<ExampleText> out;
    const QJsonArray examples = readManifest(manifestPath).value("metadata").toObject().value("examples").toArray();
    for (const QJsonValue& v : examples) {
        if (v.isString()) {
            out.push_back({v.toString(), {}});
        } else if (v.isObject()) {
            const QJsonObject o = v.toObject();
            if (o.value("text").isString()) out.push_back({o.value("text").toString(), o.value("note").toString()});
        }
    }
    return out;
}
