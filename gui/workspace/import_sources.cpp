#include "gui/workspace/import_sources.h"

#include <QCryptographicHash>
#include <QHash>
#include <QFileInfo>
#include <QSettings>

#include "engine/keras/keras_import.h"

namespace {

// QSettings keys cannot hold every path character: a hash of the absolute path.
QString groupFor(const QString& modelPath) {
    const QByteArray path = QFileInfo(modelPath).absoluteFilePath().toUtf8();
    return QStringLiteral("kerasModels/") +
           QString::fromLatin1(QCryptographicHash::hash(path, QCryptographicHash::Sha1).toHex());
}

// Options remembered for this process only; consulted first.
QHash<QString, lstmscope::ImportOptions>& sessionOptions() {
    static QHash<QString, lstmscope::ImportOptions> options;
    return options;
}

}  // namespace

lstmscope::ImportOptions importOptionsFor(const QString& modelPath) {
    if (auto it = sessionOptions().find(groupFor(modelPath)); it != sessionOptions().end()) return *it;
    lstmscope::ImportOptions o;
    QSettings settings;
    settings.beginGroup(groupFor(modelPath));
    o.tokenizer = settings.value("tokenizer").toString().toStdString();
    o.tokenizer_type = settings.value("tokenizerType").toString().toStdString();
    o.architecture = settings.value("architecture").toString().toStdString();
    o.custom_layers = settings.value("customLayers").toString().toStdString();
    if (settings.contains("padding")) o.padding = settings.value("padding").toString().toStdString();
    return o;
}

void rememberImportOptions(const QString& modelPath, const lstmscope::ImportOptions& o, bool persist) {
    if (!persist) {
        sessionOptions()[groupFor(modelPath)] = o;
        return;
    }
    sessionOptions().remove(groupFor(modelPath));
    QSettings settings;
    settings.beginGroup(groupFor(modelPath));
    settings.setValue("model", QFileInfo(modelPath).absoluteFilePath());  // for a person reading the settings
    auto put = [&](const char* key, const std::string& value) {
        if (value.empty()) settings.remove(key);
        else settings.setValue(key, QString::fromStdString(value));
    };
    put("tokenizer", o.tokenizer);
    put("tokenizerType", o.tokenizer_type);
    put("architecture", o.architecture);
    put("customLayers", o.custom_layers);
    put("padding", o.padding.value_or(""));
}

bool isKerasModelFile(const QString& path) { return lstmscope::keras::is_keras_file(path.toStdString()); }
