// Presentation mode and lesson playback for the main window.
//
// Presenting (View > Present, F11): full screen, the interface scaled by a
// factor the teacher picks (1x to 2.5x: fonts, and with them chips, labels
// and the teaching diagrams), only the views the teacher chose, a standard
// or high-contrast palette (both colour-blind safe), and the keyboard only:
// Space or Right next step, Left previous, Home/End first/last step, Page
// Up/Down previous/next scene, Esc leaves.
//
// A lesson (lesson.h) is a list of scenes; playing one applies the scene's
// model, text, comparison, views, selection and step to the window and shows
// its caption in the interface language above the views.
#pragma once

#include <QFont>
#include <QObject>
#include <QPointer>
#include <optional>

#include "gui/teaching/lesson.h"

class MainWindow;
class QAction;
class QComboBox;
class QLabel;
class QSlider;
class QToolBar;
class QToolButton;

class Presenter : public QObject {
    Q_OBJECT
public:
    explicit Presenter(MainWindow* window);
    ~Presenter() override;

    bool presenting() const { return presenting_; }
    double scale() const { return scale_; }
    bool highContrast() const;

    // Lessons. open() loads and plays scene 1; on failure returns false with
    // the file, scene and field in *error.
    bool openLesson(const QString& path, QString* error);
    void closeLesson();
    const std::optional<Lesson>& lesson() const { return lesson_; }
    int scene() const { return scene_; }  // 0-based; -1 without a lesson
    // Plays scene k (clamped). Returns false with a message if its model or
    // text cannot be shown (the message is also on the caption bar).
    bool goToScene(int k);
    QString captionText() const;
    // The window's current state as a scene (File > Save scene).
    LessonScene currentScene() const;

    QToolBar* bar() const { return bar_; }
    // (Re)installs the key filter on the application so that it runs before
    // every filter installed so far; the window calls it last thing.
    void installKeyFilter();

public slots:
    void setPresenting(bool on);
    void setScale(double factor);  // clamped to [1, 2.5]
    void setHighContrast(bool on);
    void nextScene();
    void previousScene();

signals:
    void presentingChanged(bool on);
    void sceneChanged(int scene);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildBar();
    void retranslate();
    void refreshBar();
    void applyScale();

    MainWindow* window_;
    QToolBar* bar_;
    QToolBar* captionBar_;  // the caption on its own row, the width of the window
    QLabel* caption_;
    QLabel* sceneLabel_;
    QToolButton* viewsButton_;
    QSlider* scaleSlider_;
    QComboBox* paletteBox_;
    QAction* previousScene_;
    QAction* nextScene_;
    QAction* leave_;
    bool presenting_ = false;
    double scale_ = 1.0;
    QFont baseFont_;
    bool wasMaximized_ = false;
    std::optional<Lesson> lesson_;
    int scene_ = -1;
    QString sceneError_;
};
