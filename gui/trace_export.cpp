#include "gui/trace_export.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <charconv>
#include <sstream>

#include "engine/trace_json.h"

namespace {

bool writeAll(const QString& path, const std::string& bytes, QString* error) {
    QSaveFile file(path);  // atomic: never a half-written file on failure
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(bytes.data(), static_cast<qint64>(bytes.size())) != static_cast<qint64>(bytes.size()) ||
        !file.commit()) {
        if (error) *error = path + ": " + file.errorString();
        return false;
    }
    return true;
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

void appendFloat(std::string& out, float x) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
    out.append(buf, end);
}

}  // namespace

bool saveTraceJson(const lstmscope::Trace& trace, const QString& path, QString* error) {
    std::ostringstream json;
    lstmscope::write_trace_json(json, trace);
    return writeAll(path, json.str(), error);
}

bool saveTraceCsv(const lstmscope::Trace& trace, const QString& path, QString* error) {
    std::string out = "node,kind,layer,direction,head,row,token,column,value\n";
    auto tokenText = [&](long row, long rows) -> std::string {
        // Rows of sequence values belong to tokens; a 1-row value does not.
        if (rows != static_cast<long>(trace.tokens.size()) || row >= rows) return "";
        return trace.tokens[static_cast<size_t>(row)].text;
    };
    auto writeMatrix = [&](const std::string& node, const std::string& kind, const std::string& layer,
                    const std::string& direction, const std::string& head, const lstmscope::Matrix& m) {
        const std::string prefix = csvField(node) + "," + kind + "," + layer + "," + direction + "," + head + ",";
        for (long r = 0; r < m.rows(); ++r) {
            const std::string rowPrefix = prefix + std::to_string(r) + "," + csvField(tokenText(r, m.rows())) + ",";
            for (long c = 0; c < m.cols(); ++c) {
                out += rowPrefix;
                out += std::to_string(c);
                out += ',';
                appendFloat(out, m(r, c));
                out += '\n';
            }
        }
    };
    for (const auto& node : trace.nodes) {
        writeMatrix(node.name, "value", "", "", "", node.value);
        for (const auto& g : node.gates) {
            const std::string layer = std::to_string(g.layer);
            const std::string dir = g.direction == lstmscope::Direction::Forward ? "forward" : "backward";
            const std::pair<const char*, const lstmscope::Matrix*> parts[] = {
                {"i", &g.i}, {"f", &g.f}, {"g", &g.g}, {"o", &g.o}, {"c", &g.c},
                {"r", &g.r}, {"z", &g.z}, {"n", &g.n}, {"h", &g.h}};  // an LSTM's or a GRU's (the rest are empty)
            for (const auto& [kind, m] : parts) writeMatrix(node.name, kind, layer, dir, "", *m);
        }
        for (size_t h = 0; h < node.attention.size(); ++h)
            writeMatrix(node.name, "attention", "", "", node.attention.size() > 1 ? std::to_string(h) : "", node.attention[h]);
    }
    return writeAll(path, out, error);
}

QString tracePathForB(const QString& pathA) {
    const QFileInfo info(pathA);
    const QString suffix = info.suffix();
    const QString stem = suffix.isEmpty() ? info.fileName() : info.completeBaseName();
    const QString name = stem + QStringLiteral("-B") + (suffix.isEmpty() ? QString() : QStringLiteral(".") + suffix);
    return info.dir().filePath(name);
}
