#include "gui/corpus/dataset_columns.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QCoreApplication>

using lstmscope::corpus::InputFormat;

InputFormat formatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("tsv")) return InputFormat::Tsv;
    if (suffix == QLatin1String("csv")) return InputFormat::Csv;
    if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson")) return InputFormat::Jsonl;
    return InputFormat::Lines;
}

QStringList splitRecord(const QString& line, QChar separator) {
    QStringList out;
    QString field;
    bool quoted = false;
    for (qsizetype k = 0; k < line.size(); ++k) {
        const QChar c = line[k];
        if (separator == QLatin1Char(',') && c == QLatin1Char('"')) {
            if (quoted && k + 1 < line.size() && line[k + 1] == QLatin1Char('"')) {
                field += c;
                ++k;
            } else {
                quoted = !quoted;
            }
        } else if (c == separator && !quoted) {
            out << field;
            field.clear();
        } else {
            field += c;
        }
    }
    out << field;
    return out;
}

DatasetColumns inspectDataset(const QString& path, InputFormat format, bool header) {
    DatasetColumns out;
    out.format = format == InputFormat::Auto ? formatForPath(path) : format;
    if (out.format == InputFormat::Lines) return out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        out.error = QCoreApplication::translate("DatasetColumns", "%1: cannot be read").arg(path);
        return out;
    }
    QString first;
    while (!file.atEnd()) {
        first = QString::fromUtf8(file.readLine()).trimmed();
        if (first.startsWith(QChar(0xFEFF))) first.remove(0, 1);
        if (!first.isEmpty()) break;
    }
    if (out.format == InputFormat::Jsonl) {
        out.columns = QJsonDocument::fromJson(first.toUtf8()).object().keys();
    } else {
        const QStringList fields = splitRecord(first, out.format == InputFormat::Tsv ? QLatin1Char('\t') : QLatin1Char(','));
        if (header) {
            for (const QString& f : fields) out.columns << f.trimmed();
        } else {
            for (qsizetype k = 0; k < fields.size(); ++k) out.columns << QString::number(k + 1);
        }
    }
    if (out.format == InputFormat::Jsonl || header) {
        for (qsizetype k = 0; k < out.columns.size(); ++k) {
            if (out.textColumn < 0 && out.columns[k].compare(QLatin1String("text"), Qt::CaseInsensitive) == 0)
                out.textColumn = static_cast<int>(k);
            if (out.labelColumn < 0 && out.columns[k].compare(QLatin1String("label"), Qt::CaseInsensitive) == 0)
                out.labelColumn = static_cast<int>(k);
        }
    }
    return out;
}
