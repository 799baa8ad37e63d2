// The main window only wires things together: one Document, one Selection,
// the views in docks, menus, settings. It computes nothing itself.
#pragma once

#include <QMainWindow>
#include <QPointer>

#include "gui/color_maps.h"

class QComboBox;
class QDockWidget;
class QLabel;
class QMenu;
class QPlainTextEdit;
class Document;
class Selection;
class TokenStrip;
class AttentionView;
class GatesView;
class PredictionView;
class ModelView;

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

    Document* document() const { return document_; }
    Selection* selection() const { return selection_; }
    QPlainTextEdit* textEditor() const { return editor_; }
    TokenStrip* tokenStrip() const { return tokenStrip_; }
    AttentionView* attentionView() const { return attentionView_; }
    GatesView* gatesView() const { return gatesView_; }
    PredictionView* predictionView() const { return predictionView_; }
    ModelView* modelView() const { return modelView_; }
    QString lastError() const { return lastError_; }
    QString statusText() const;

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildViews();
    void buildMenus();
    void applyDefaultDockSizes();
    void restoreSettings();
    void rememberRecent(const QString& path);
    void rebuildRecentMenu();
    void rebuildExamples();
    void updateStatus();
    void updateTitle();
    void setColorMap(ColorMap map);
    void clampSelection();
    bool handleSelectionKey(QKeyEvent* event);
    QWidget* focusedView() const;

    void chooseModelFile();
    void exportView(QWidget* view, const QString& what);
    void saveTrace(bool csv);

    bool persistent_;
    Document* document_;
    Selection* selection_;
    QPlainTextEdit* editor_ = nullptr;
    QComboBox* examples_ = nullptr;
    TokenStrip* tokenStrip_ = nullptr;
    AttentionView* attentionView_ = nullptr;
    GatesView* gatesView_ = nullptr;
    PredictionView* predictionView_ = nullptr;
    ModelView* modelView_ = nullptr;
    QList<QDockWidget*> docks_;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QLabel* statusTokens_ = nullptr;
    QLabel* statusTime_ = nullptr;
    QLabel* statusMessage_ = nullptr;
    QString lastError_;
    ColorMap colorMap_ = ColorMap::Viridis;
    QByteArray defaultState_;
    bool shownOnce_ = false;
    bool restoredLayout_ = false;
};
