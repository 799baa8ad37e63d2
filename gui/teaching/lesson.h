// A lesson: an ordered list of scenes a teacher plays as slides
// (resources/lessons/FORMAT.md). A scene names the model, the text (and a
// second text or model to compare with), the views to show, the selection
// (token, unit, LSTM node/layer/direction, attention node/head), the
// step-through position and a caption in English and Chinese.
//
// Reading checks everything and names the file, the scene and the field in
// its message; nothing half-read is ever played.
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

struct LessonScene {
    QString model;          // a path, absolute or resolved against the lesson's folder or the bundled models
    QString text;
    QString expect;         // the label the model must predict for `text` (checked by the tests), or empty
    QString compareModel;   // a second model on the same text (compare mode), or empty
    QString compareText;    // a pinned second text for the same model, or empty
    QStringList views;      // view ids (view_registry), empty: leave the views as they are
    int token = -1, tokenLast = -1;
    int unit = -1;
    QString lstm;           // node name, empty: the default
    int layer = 0;
    bool backward = false;
    QString attention;      // node name, empty: the default
    int head = 0;           // -1: the mean of the heads
    int step = -1;          // -1: not stepping; a step index; kStepEnd: the last step
    bool cellPhases = false;
    QHash<QString, QString> caption;  // language code -> text ("en", "zh_CN")
    QString captionIn(const QString& language) const;
};

struct Lesson {
    static constexpr int kStepEnd = 1 << 30;
    QString path;
    QHash<QString, QString> title;
    std::vector<LessonScene> scenes;
    QString titleIn(const QString& language) const;

    // Reads and checks a lesson file. On failure returns nullopt and puts
    // "<file>: scene 2: field 'step': ..." in *error.
    static std::optional<Lesson> load(const QString& path, QString* error);
    // Writes it back (File > Save scene appends a scene and saves).
    bool save(const QString& path, QString* error) const;
};

// The lessons shipped in resources/lessons (found like the bundled models).
struct BundledLesson {
    QString path;
    QString title;  // in the interface language
};
std::vector<BundledLesson> bundledLessons();
QString bundledLessonsDirectory();
