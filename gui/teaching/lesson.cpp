#include "gui/teaching/lesson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "gui/bundled_models.h"
#include "gui/i18n.h"

namespace {

constexpr const char* kFormat = "lstmscope-lesson";

QString pick(const QHash<QString, QString>& texts, const QString& language) {
    if (texts.contains(language)) return texts.value(language);
    if (texts.contains("en")) return texts.value("en");
    return texts.isEmpty() ? QString() : texts.begin().value();
}

// Reading one scene: every accessor names the field on failure; a field
// nobody asked for is an error (a typo must not be silently ignored).
class SceneReader {
public:
    SceneReader(const QString& where, const QJsonObject& object) : where_(where), object_(object) {}

    QString string(const QString& key, bool required) {
        read_ << key;
        const QJsonValue v = object_.value(key);
        if (v.isUndefined()) {
            if (required) fail(key, QStringLiteral("missing required field"));
            return {};
        }
        if (!v.isString()) fail(key, QStringLiteral("must be a string"));
        return v.toString();
    }
    int integer(const QString& key, int fallback, int minimum) {
        read_ << key;
        const QJsonValue v = object_.value(key);
        if (v.isUndefined()) return fallback;
        const double d = v.toDouble(-1e300);
        if (!v.isDouble() || d != static_cast<double>(static_cast<int>(d)) || d < minimum)
            fail(key, QStringLiteral("must be an integer >= %1").arg(minimum));
        return static_cast<int>(d);
    }
    bool boolean(const QString& key, bool fallback) {
        read_ << key;
        const QJsonValue v = object_.value(key);
        if (v.isUndefined()) return fallback;
        if (!v.isBool()) fail(key, QStringLiteral("must be true or false"));
        return v.toBool();
    }
    QJsonValue value(const QString& key) {
        read_ << key;
        return object_.value(key);
    }
    QHash<QString, QString> texts(const QString& key, bool required) {
        const QJsonValue v = value(key);
        QHash<QString, QString> out;
        if (v.isUndefined()) {
            if (required) fail(key, QStringLiteral("missing required field"));
            return out;
        }
        if (v.isString()) {
            out.insert("en", v.toString());
            return out;
        }
        if (!v.isObject()) fail(key, QStringLiteral("must be a string or an object {\"en\": ..., \"zh_CN\": ...}"));
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString language = i18n::normalize(it.key());
            if (language.isEmpty())
                fail(key, QStringLiteral("unknown language '%1' (known: %2)").arg(it.key(), i18n::languages().join(", ")));
            if (!it.value().isString()) fail(key + "." + it.key(), QStringLiteral("must be a string"));
            out.insert(language, it.value().toString());
        }
        return out;
    }
    void rejectUnknown() const {
        for (auto it = object_.begin(); it != object_.end(); ++it)
            if (!read_.contains(it.key())) fail(it.key(), QStringLiteral("unknown field"));
    }
    [[noreturn]] void fail(const QString& key, const QString& message) const {
        throw QStringLiteral("%1: field '%2': %3").arg(where_, key, message);
    }

private:
    QString where_;
    QJsonObject object_;
    QStringList read_;
};

// A model reference: as written if absolute; else next to the lesson; else a
// bundled model of that file name.
QString resolveModel(const QString& lessonPath, const QString& model) {
    if (model.isEmpty()) return {};
    const QFileInfo direct(model);
    if (direct.isAbsolute()) return model;
    const QFileInfo near(QFileInfo(lessonPath).dir(), model);
    if (near.exists()) return near.absoluteFilePath();
    const QString bundled = bundledModelsDirectory();
    if (!bundled.isEmpty()) {
        const QFileInfo b(QDir(bundled), QFileInfo(model).fileName());
        if (b.exists()) return b.absoluteFilePath();
    }
    return near.absoluteFilePath();  // reported as missing when the scene plays
}

LessonScene readScene(const QString& lessonPath, const QString& where, const QJsonObject& o,
                      const QStringList& knownViews) {
    SceneReader r(where, o);
    LessonScene s;
    s.model = resolveModel(lessonPath, r.string("model", true));
    s.text = r.string("text", true);
    s.expect = r.string("expect", false);
    const QJsonValue compare = r.value("compare");
    if (!compare.isUndefined()) {
        if (!compare.isObject()) r.fail("compare", QStringLiteral("must be an object {\"text\": ...} or {\"model\": ...}"));
        SceneReader c(where + ": field 'compare'", compare.toObject());
        s.compareText = c.string("text", false);
        s.compareModel = resolveModel(lessonPath, c.string("model", false));
        c.rejectUnknown();
        if (s.compareText.isEmpty() == s.compareModel.isEmpty())
            r.fail("compare", QStringLiteral("give either a second \"text\" or a second \"model\""));
    }
    const QJsonValue views = r.value("views");
    if (!views.isUndefined()) {
        if (!views.isArray()) r.fail("views", QStringLiteral("must be a list of view names"));
        for (const QJsonValue& v : views.toArray()) {
            if (!v.isString() || !knownViews.contains(v.toString()))
                r.fail("views", QStringLiteral("unknown view %1 (known: %2)")
                                    .arg(QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)),
                                         knownViews.join(", ")));
            s.views << v.toString();
        }
    }
    const QJsonValue selection = r.value("selection");
    if (!selection.isUndefined()) {
        if (!selection.isObject()) r.fail("selection", QStringLiteral("must be an object"));
        SceneReader sel(where + ": field 'selection'", selection.toObject());
        s.token = sel.integer("token", -1, 0);
        s.tokenLast = sel.integer("token_last", s.token, s.token);
        s.unit = sel.integer("unit", -1, 0);
        s.lstm = sel.string("lstm", false);
        s.layer = sel.integer("layer", 0, 0);
        const QString direction = sel.string("direction", false);
        if (!direction.isEmpty() && direction != "forward" && direction != "backward")
            sel.fail("direction", QStringLiteral("must be \"forward\" or \"backward\""));
        s.backward = direction == "backward";
        s.attention = sel.string("attention", false);
        s.head = sel.integer("head", 0, -1);
        sel.rejectUnknown();
    }
    const QJsonValue step = r.value("step");
    if (step.isString()) {
        if (step.toString() != "end") r.fail("step", QStringLiteral("must be a step number (from 0) or \"end\""));
        s.step = Lesson::kStepEnd;
    } else if (!step.isUndefined() && !step.isNull()) {
        s.step = SceneReader(where, QJsonObject{{"step", step}}).integer("step", -1, 0);
    }
    s.cellPhases = r.boolean("cell_phases", false);
    s.caption = r.texts("caption", false);
    r.rejectUnknown();
    return s;
}

QJsonValue textsJson(const QHash<QString, QString>& texts) {
    QJsonObject o;
    for (auto it = texts.begin(); it != texts.end(); ++it) o.insert(it.key(), it.value());
    return o;
}

// A model path as a lesson stores it: relative to the lesson if it is near
// it, the bare file name if it is a bundled model, else absolute.
QString storedModel(const QString& lessonPath, const QString& model) {
    const QFileInfo m(model);
    const QString bundled = bundledModelsDirectory();
    if (!bundled.isEmpty() && QFileInfo(m.absolutePath()) == QFileInfo(bundled)) return m.fileName();
    const QString relative = QFileInfo(lessonPath).dir().relativeFilePath(m.absoluteFilePath());
    return relative.startsWith("..") ? m.absoluteFilePath() : relative;
}

}  // namespace

QString LessonScene::captionIn(const QString& language) const { return pick(caption, language); }
QString Lesson::titleIn(const QString& language) const { return pick(title, language); }

std::optional<Lesson> Lesson::load(const QString& path, QString* error) {
    // View ids are the registry's; kept here as plain strings so this file
    // needs no widgets.
    static const QStringList knownViews{"tokens", "prediction", "model", "attention", "gates", "cell", "equation"};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) *error = QStringLiteral("%1: cannot read the lesson (%2)").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > 8 * 1024 * 1024) {
        if (error) *error = QStringLiteral("%1: a lesson file of %2 bytes is too large (8 MiB at most)").arg(path).arg(file.size());
        return std::nullopt;
    }
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parse);
    if (parse.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = QStringLiteral("%1: not a JSON object (%2 at byte %3)")
                         .arg(path, parse.error != QJsonParseError::NoError ? parse.errorString() : "wrong type")
                         .arg(parse.offset);
        return std::nullopt;
    }
    try {
        SceneReader top(path, doc.object());
        if (top.string("format", true) != kFormat)
            top.fail("format", QStringLiteral("must be \"%1\"").arg(kFormat));
        if (top.integer("format_version", -1, 1) != 1) top.fail("format_version", QStringLiteral("must be 1"));
        Lesson lesson;
        lesson.path = QFileInfo(path).absoluteFilePath();
        lesson.title = top.texts("title", true);
        const QJsonValue scenes = top.value("scenes");
        if (!scenes.isArray() || scenes.toArray().isEmpty())
            top.fail("scenes", QStringLiteral("must be a non-empty list of scenes"));
        const QJsonArray list = scenes.toArray();
        for (int k = 0; k < list.size(); ++k) {
            const QString where = QStringLiteral("%1: scene %2").arg(path).arg(k + 1);
            if (!list[k].isObject()) throw QStringLiteral("%1: must be an object").arg(where);
            lesson.scenes.push_back(readScene(lesson.path, where, list[k].toObject(), knownViews));
        }
        top.rejectUnknown();
        return lesson;
    } catch (const QString& message) {
        if (error) *error = message;
        return std::nullopt;
    }
}

bool Lesson::save(const QString& target, QString* error) const {
    QJsonArray scenes;
    for (const LessonScene& s : this->scenes) {
        QJsonObject o{{"model", storedModel(target, s.model)}, {"text", s.text}};
        if (!s.expect.isEmpty()) o.insert("expect", s.expect);
        if (!s.compareText.isEmpty()) o.insert("compare", QJsonObject{{"text", s.compareText}});
        if (!s.compareModel.isEmpty()) o.insert("compare", QJsonObject{{"model", storedModel(target, s.compareModel)}});
        if (!s.views.isEmpty()) o.insert("views", QJsonArray::fromStringList(s.views));
        QJsonObject sel;
        if (s.token >= 0) sel.insert("token", s.token);
        if (s.tokenLast > s.token) sel.insert("token_last", s.tokenLast);
        if (s.unit >= 0) sel.insert("unit", s.unit);
        if (!s.lstm.isEmpty()) sel.insert("lstm", s.lstm);
        if (s.layer) sel.insert("layer", s.layer);
        if (s.backward) sel.insert("direction", "backward");
        if (!s.attention.isEmpty()) sel.insert("attention", s.attention);
        if (s.head) sel.insert("head", s.head);
        if (!sel.isEmpty()) o.insert("selection", sel);
        if (s.step == kStepEnd)
            o.insert("step", "end");
        else if (s.step >= 0)
            o.insert("step", s.step);
        if (s.cellPhases) o.insert("cell_phases", true);
        if (!s.caption.isEmpty()) o.insert("caption", textsJson(s.caption));
        scenes.append(o);
    }
    const QJsonObject root{{"format", kFormat}, {"format_version", 1}, {"title", textsJson(title)}, {"scenes", scenes}};
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0 ||
        !file.commit()) {
        if (error) *error = QStringLiteral("%1: cannot write the lesson (%2)").arg(target, file.errorString());
        return false;
    }
    return true;
}

QString bundledLessonsDirectory() {
    // Next to the bundled models: models/../resources/lessons in the source
    // tree, share/lstmscope/lessons when installed.
    const QString models = bundledModelsDirectory();
    if (models.isEmpty()) return {};
    for (const QString& candidate : {QStringLiteral("../resources/lessons"), QStringLiteral("../lessons")}) {
        const QDir d(QDir(models).filePath(candidate));
        if (d.exists()) return d.absolutePath();
    }
    return {};
}

std::vector<BundledLesson> bundledLessons() {
    std::vector<BundledLesson> out;
    const QString dir = bundledLessonsDirectory();
    if (dir.isEmpty()) return out;
    for (const QFileInfo& f : QDir(dir).entryInfoList({"*.json"}, QDir::Files, QDir::Name)) {
        QString error;
        const auto lesson = Lesson::load(f.absoluteFilePath(), &error);
        if (!lesson) continue;  // tests check every bundled lesson loads
        out.push_back({f.absoluteFilePath(), lesson->titleIn(i18n::currentLanguage())});
    }
    return out;
}
