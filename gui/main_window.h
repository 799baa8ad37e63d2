// The main window only wires things together: the Workspace (pane A, and in
// compare mode pane B), the views of view_registry.cpp in docks (one model)
// or the CompareArea (two), the editor, menus, settings. It computes
// nothing itself.
#pragma once

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include "gui/plots/color_maps.h"

class QComboBox;
class QDockWidget;
class QLabel;
class SteadyLabel;
class QMenu;
class QAction;
class QPlainTextEdit;
class QScrollArea;
class QStackedWidget;
class Document;
class Selection;
class Workspace;
class Pane;
class CompareArea;
class TokenStrip;
class AttentionView;
class GatesView;
class PredictionView;
class ModelView;
class StepBar;
class Presenter;
class CorpusWindow;
struct ViewSpec;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `persistent`: restore and save the window layout, recent models and
    // colour map (QSettings). Screenshots and tests run without it.
    explicit MainWindow(bool persistent = true, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a model; on failure shows the engine's message in a dialog
    // (unless `quiet`) and keeps the current model. Returns success.
    bool openModel(const QString& path, bool quiet = false);
    void setText(const QString& text);
    // Compare mode: a second model on the same text, or the current model
    // on a pinned second text (`text` empty: the current text).
    bool compareWithModel(const QString& path, bool quiet = false);
    bool pinText(const QString& text = QString(), bool quiet = false);
    void closeComparison();
    void setCompareStacked(bool stacked);
    // Opens a lesson and plays its first scene; on failure shows (unless
    // `quiet`) and remembers the message naming the file, scene and field.
    bool openLesson(const QString& path, bool quiet = false);
    // Asks for a lesson file and appends the current state to it as a scene.
    void saveSceneToLesson();
    // File > Open dataset…: shows the corpus window (made on first use),
    // with `path` chosen as its dataset when given. A click on one of its
    // texts opens the text here, as typing it would. `show` false: made but
    // not shown (screenshots render it themselves).
    CorpusWindow* openDataset(const QString& path = QString(), bool show = true);
    CorpusWindow* corpusWindow() const;  // null until opened

    Workspace* workspace() const { return workspace_; }
    // Pane A, the one single mode shows.
    Document* document() const;
    Selection* selection() const;
    QPlainTextEdit* textEditor() const { return editor_; }
    // View > Engine threads: threads every run may use (0: every core).
    void setEngineThreads(int threads);
    // Pane A's docked views (single mode).
    QWidget* dockedView(const QString& id) const { return views_.value(id); }
    TokenStrip* tokenStrip() const;
    AttentionView* attentionView() const;
    GatesView* gatesView() const;
    PredictionView* predictionView() const;
    ModelView* modelView() const;
    StepBar* stepBar() const { return stepBar_; }
    Presenter* presenter() const { return presenter_; }
    // The sequential colour map of every view (View > Colour map).
    void setColorMap(ColorMap map);
    QDockWidget* dock(const QString& id) const { return docks_.value(id); }
    CompareArea* compareArea() const;
    QString lastError() const { return lastError_; }
    QString statusText() const;
    // Puts every dock back where and how large it first was.
    void resetLayout();
    // The size the window opens at on a screen with this available area.
    static QSize initialWindowSize(const QSize& available);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void fitEditorFont();

private:
    void buildViews();
    void buildMenus();
    void buildLanguageMenu(QMenu* menu);
    void buildThreadsMenu(QMenu* menu);
    void buildCompareArea();
    // The stale marker of a view of pane A (and its dock's title suffix).
    void markStale(const ViewSpec& spec, QWidget* view, QDockWidget* dock);
    // Rebuilds menus and views in the language just installed (i18n::setLanguage).
    void retranslate();
    void applyDefaultDockSizes();
    void restoreSettings();
    void rememberRecent(const QString& path);
    void rebuildRecentMenu();
    void rebuildExamples();
    void updateStatus();
    void updateTitle();
    void updateCompareActions();
    void onModeChanged();
    bool handleSelectionKey(QKeyEvent* event);
    Pane* focusedPane() const;
    QWidget* focusedView(QString* id) const;

    // Remembers and shows why a model did not open; returns false.
    bool reportFailure(const QString& title, const QString& error, bool quiet);
    void chooseModelFile(bool compare);
    // For a Keras file, asks for what it lacks (its vocabulary, the
    // architecture of a weights-only file) and remembers the answers; false
    // when the user cancels. Quiet: asks nothing (opening then says what is missing).
    bool askForKerasParts(const QString& path, bool quiet);
    void exportView(QWidget* view, const QString& what, const QString& stem);
    void saveTrace(bool csv);

    bool persistent_;
    Workspace* workspace_;
    QPlainTextEdit* editor_ = nullptr;
    QComboBox* examples_ = nullptr;
    QStackedWidget* centreStack_ = nullptr;
    QWidget* centre_ = nullptr;
    int singleCentreMaxHeight_ = QWIDGETSIZE_MAX;
    int editorLineHeight_ = 20;
    QHash<QString, QWidget*> views_;        // pane A's docked views by registry id
    QHash<QString, QDockWidget*> docks_;    // by registry id
    QList<QDockWidget*> dockOrder_;
    QPointer<CompareArea> compareArea_;
    QPointer<CorpusWindow> corpusWindow_;
    QPointer<QScrollArea> compareScroll_;
    QList<QDockWidget*> docksHiddenForCompare_;
    bool compareStacked_ = false;
    StepBar* stepBar_ = nullptr;  // pane A's step-through, in a bottom tool bar
    Presenter* presenter_ = nullptr;  // presentation mode and lessons
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QAction* pinAction_ = nullptr;
    QAction* closeCompareAction_ = nullptr;
    QAction* stackedAction_ = nullptr;
    QAction* sideBySideAction_ = nullptr;
    SteadyLabel* statusTokens_ = nullptr;  // both change with every run (SteadyLabel)
    SteadyLabel* statusTime_ = nullptr;
    QLabel* statusMessage_ = nullptr;
    QString lastError_;
    ColorMap colorMap_ = ColorMap::Viridis;
    QByteArray defaultState_;
    bool shownOnce_ = false;
    bool restoredLayout_ = false;
    bool retranslatePending_ = false;
};
