#include "gui/main_window.h"

#include "gui/teaching/lesson.h"
#include "gui/teaching/presenter.h"
#include "gui/teaching/step_bar.h"

#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSettings>
#include <QScreen>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include "engine/analysis/view_choice.h"
#include "engine/keras/keras_import.h"
#include "gui/bundled_models.h"
#include "gui/compare_area.h"
#include "gui/corpus/corpus_window.h"
#include "gui/pane_widget.h"
#include "gui/plots/steady_label.h"
#include "gui/stale_marker.h"
#include "gui/trace_export.h"
#include "gui/trace_labels.h"
#include "gui/workspace/import_sources.h"
#include "gui/view_export.h"
#include "gui/views/attention_view.h"
#include "gui/views/gates_view.h"
#include "gui/views/model_view.h"
#include "gui/views/pane_view.h"
#include "gui/views/prediction_view.h"
#include "gui/views/token_strip.h"
#include "gui/views/view_registry.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/workspace.h"

namespace {

constexpr int kMaxRecent = 8;
const char* const kRecentKey = "recentModels";

QDockWidget* makeDock(QMainWindow* window, const QString& title, const QString& objectName, QWidget* content) {
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(objectName);  // needed by saveState/restoreState
    dock->setWidget(content);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    return dock;
}

// Widgets whose own arrow keys mean something (a cursor, a current item).
bool ownsArrowKeys(QWidget* w) {
    return qobject_cast<QPlainTextEdit*>(w) || qobject_cast<QLineEdit*>(w) || qobject_cast<QComboBox*>(w) ||
           qobject_cast<QAbstractItemView*>(w) || qobject_cast<QAbstractSpinBox*>(w) ||
           qobject_cast<QAbstractSlider*>(w);
}

}  // namespace

MainWindow::MainWindow(bool persistent, QWidget* parent)
    : QMainWindow(parent), persistent_(persistent), workspace_(new Workspace(this)) {
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    // Open at a size that fits the screen (a 1280 x 800 laptop must not get
    // a 1600 x 1000 window cut off at the edges); the docks follow in
    // proportion (applyDefaultDockSizes).
    resize(initialWindowSize(screen() ? screen()->availableGeometry().size() : QSize()));
    buildViews();
    buildMenus();

    statusTokens_ = new SteadyLabel(SteadyLabel::Wrap::OneLine, this);
    statusTime_ = new SteadyLabel(SteadyLabel::Wrap::OneLine, this);
    statusMessage_ = new QLabel(this);
    statusMessage_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long error must not widen the window: the label gives way first.
    statusMessage_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusBar()->addWidget(statusMessage_, 1);
    statusBar()->addPermanentWidget(statusTokens_);
    statusBar()->addPermanentWidget(statusTime_);

    for (Pane* pane : workspace_->allPanes()) {
        Document* document = pane->document();
        connect(document, &Document::modelChanged, this, [this, pane] {
            if (pane == workspace_->paneA()) rebuildExamples();
            updateTitle();
            updateCompareActions();
        });
        connect(document, &Document::traceChanged, this, &MainWindow::updateStatus);
        connect(document, &Document::runFailed, this, &MainWindow::updateStatus);
        connect(document, &Document::runningChanged, this, &MainWindow::updateStatus);
    }
    connect(workspace_, &Workspace::modeChanged, this, &MainWindow::onModeChanged);
    qApp->installEventFilter(this);
    presenter_->installKeyFilter();  // presentation keys come before the window's arrow keys

    defaultState_ = saveState();
    if (persistent_) restoreSettings();
    updateTitle();
    updateStatus();
    updateCompareActions();
}

MainWindow::~MainWindow() { qApp->removeEventFilter(this); }

QSize MainWindow::initialWindowSize(const QSize& available) {
    const QSize wanted(1600, 1000);
    if (!available.isValid() || available.isEmpty()) return wanted;
    // A little less than the whole screen, so the frame and a panel fit too.
    return QSize(std::min(wanted.width(), available.width() * 94 / 100),
                 std::min(wanted.height(), available.height() * 92 / 100));
}

Document* MainWindow::document() const { return workspace_->paneA()->document(); }
Selection* MainWindow::selection() const { return workspace_->paneA()->selection(); }
TokenStrip* MainWindow::tokenStrip() const { return qobject_cast<TokenStrip*>(views_.value("tokens")); }
AttentionView* MainWindow::attentionView() const { return qobject_cast<AttentionView*>(views_.value("attention")); }
GatesView* MainWindow::gatesView() const { return qobject_cast<GatesView*>(views_.value("gates")); }
PredictionView* MainWindow::predictionView() const {
    return qobject_cast<PredictionView*>(views_.value("prediction"));
}
ModelView* MainWindow::modelView() const { return qobject_cast<ModelView*>(views_.value("model")); }

void MainWindow::buildViews() {
    // Centre: the text and its tokens, the input everything else explains.
    centre_ = new QWidget(this);
    auto* layout = new QVBoxLayout(centre_);
    layout->setContentsMargins(6, 6, 6, 0);
    examples_ = new QComboBox(centre_);
    // Long example texts must not make the whole centre column wide.
    examples_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    examples_->setMinimumContentsLength(24);
    examples_->setToolTip(tr("Example texts chosen to show something about this model"));
    connect(examples_, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        const QString text = examples_->itemData(index).toString();
        if (!text.isNull()) setText(text);
    });
    editor_ = new QPlainTextEdit(centre_);
    editor_->setPlaceholderText(tr("Type or paste text here; the model re-runs as you type."));
    editor_->setTabChangesFocus(true);
    fitEditorFont();
    connect(editor_, &QPlainTextEdit::textChanged, this, [this] { workspace_->setText(editor_->toPlainText()); });
    centreStack_ = new QStackedWidget(centre_);
    layout->addWidget(examples_);
    layout->addWidget(editor_);
    layout->addWidget(centreStack_, 1);
    setCentralWidget(centre_);

    // Every view of the registry, for pane A: the centre one in the centre,
    // the others in docks. Side columns run the full height; the gates take
    // the bottom middle.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    for (const auto& spec : viewSpecs()) {
        QWidget* view = spec.create(workspace_->paneA(), this);
        view->setObjectName(spec.id + QStringLiteral("View"));
        views_.insert(spec.id, view);
        if (spec.place == ViewSpec::Place::Centre) {
            centreStack_->addWidget(view);
            markStale(spec, view, nullptr);
            continue;
        }
        auto* dock = makeDock(this, spec.displayTitle(), spec.id + QStringLiteral("Dock"), view);
        markStale(spec, view, dock);
        addDockWidget(spec.place == ViewSpec::Place::Left    ? Qt::LeftDockWidgetArea
                      : spec.place == ViewSpec::Place::Right ? Qt::RightDockWidgetArea
                                                             : Qt::BottomDockWidgetArea,
                      dock);
        docks_.insert(spec.id, dock);
        dockOrder_ << dock;
        if (!spec.shownByDefault) dock->hide();
    }
    // The step-through's controls, under everything: pane A's walk.
    auto* stepTools = new QToolBar(this);
    stepTools->setObjectName("stepToolBar");
    stepTools->setMovable(false);
    stepTools->setAllowedAreas(Qt::BottomToolBarArea | Qt::TopToolBarArea);
    stepBar_ = new StepBar(document(), selection(), stepTools);
    stepTools->addWidget(stepBar_);
    addToolBar(Qt::BottomToolBarArea, stepTools);
    presenter_ = new Presenter(this);
    // The text area stops at about three lines of chips (the strip scrolls
    // beyond that); every other pixel goes to the heatmaps in the docks.
    const int chipLines = 3;
    QWidget* strip = views_.value("tokens");
    singleCentreMaxHeight_ = examples_->sizeHint().height() + editor_->maximumHeight() +
                             (strip ? strip->minimumSizeHint().height() : 0) +
                             (chipLines - 1) * QFontMetrics(font()).height() * 2 + 4 * layout->spacing() + 6;
    centre_->setMaximumHeight(singleCentreMaxHeight_);
    applyDefaultDockSizes();
}

void MainWindow::markStale(const ViewSpec& spec, QWidget* view, QDockWidget* dock) {
    const QString title = spec.displayTitle();
    new StaleMarker(document(), {view},
                    dock ? std::function<void(const QString&)>([dock, title](const QString& suffix) {
                        dock->setWindowTitle(title + suffix);
                    })
                         : nullptr,
                    view);
}

void MainWindow::fitEditorFont() {
    // The text is what the class reads: a size larger than the interface's,
    // following it when presentation mode scales the application font.
    QFont editorFont = font();
    editorFont.setPointSizeF(editorFont.pointSizeF() * 1.25);
    editor_->setFont(editorFont);
    editorLineHeight_ = QFontMetrics(editorFont).lineSpacing();
    editor_->setMaximumHeight(editorLineHeight_ * 4 + 16);
}

void MainWindow::changeEvent(QEvent* event) {
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::FontChange && editor_) fitEditorFont();
    // Installing a translator and removing the old one send one event each;
    // the rebuild deletes widgets that are still receiving this event, so it
    // runs afterwards, once.
    if (event->type() == QEvent::LanguageChange && !retranslatePending_) {
        retranslatePending_ = true;
        QTimer::singleShot(0, this, &MainWindow::retranslate);
    }
}

void MainWindow::retranslate() {
    retranslatePending_ = false;
    // Strings are set where widgets are built, so the views are built anew
    // in the new language, in place: the same docks (their layout stays),
    // the same Workspace (model, text, comparison, selection: token, unit,
    // node, head), the colour map. What each view keeps only for itself
    // (a sort order, "fit range", zoom) starts over.
    examples_->setToolTip(tr("Example texts chosen to show something about this model"));
    editor_->setPlaceholderText(tr("Type or paste text here; the model re-runs as you type."));
    for (const auto& spec : viewSpecs()) {
        QWidget* old = views_.value(spec.id);
        if (!old) continue;
        QWidget* view = spec.create(workspace_->paneA(), this);
        view->setObjectName(old->objectName());
        if (auto* v = dynamic_cast<PaneView*>(view)) v->setSequentialColorMap(colorMap_);
        views_.insert(spec.id, view);
        if (spec.place == ViewSpec::Place::Centre) {
            const bool current = centreStack_->currentWidget() == old;
            centreStack_->insertWidget(centreStack_->indexOf(old), view);
            if (current) centreStack_->setCurrentWidget(view);
            markStale(spec, view, nullptr);
        } else if (QDockWidget* dock = docks_.value(spec.id)) {
            dock->setWindowTitle(spec.displayTitle());
            dock->setWidget(view);
            markStale(spec, view, dock);
        }
        delete old;
    }
    if (compareArea_) {
        delete compareScroll_;  // and the area with it
        buildCompareArea();
    }
    // A new menu bar: every action, and the recent and bundled lists, in
    // the new language. The old one goes at once, with its shortcuts.
    QMenuBar* oldMenus = menuBar();
    setMenuBar(new QMenuBar(this));
    delete oldMenus;
    buildMenus();
    rebuildExamples();
    updateTitle();
    updateStatus();
    updateCompareActions();
}

void MainWindow::applyDefaultDockSizes() {
    // Proportions rather than pixels, so that a 1280-pixel laptop and a
    // projector both get every view at a usable size.
    QDockWidget* prediction = docks_.value("prediction");
    QDockWidget* attention = docks_.value("attention");
    QDockWidget* model = docks_.value("model");
    if (!prediction || !attention || !model) return;
    const int w = std::max(width(), 800), h = std::max(height(), 600);
    resizeDocks({prediction, attention}, {w * 23 / 100, w * 38 / 100}, Qt::Horizontal);
    resizeDocks({prediction, model}, {h * 24 / 100, h * 76 / 100}, Qt::Vertical);
}

void MainWindow::resetLayout() {
    if (workspace_->comparing()) closeComparison();
    restoreState(defaultState_);
    for (QDockWidget* dock : dockOrder_) dock->show();
    // restoreState brings the docks back but sizes them for the window the
    // default state was saved at: size them for this one.
    applyDefaultDockSizes();
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    // The first show knows the real window size; a layout the user saved wins.
    if (!shownOnce_ && !restoredLayout_) applyDefaultDockSizes();
    shownOnce_ = true;
}

void MainWindow::restoreSettings() {
    QSettings settings;
    restoreGeometry(settings.value("geometry").toByteArray());
    restoredLayout_ = restoreState(settings.value("windowState").toByteArray());
    setColorMap(sequentialColorMapFromName(settings.value("colorMap", "viridis").toString()));
    if (auto* action = findChild<QAction*>("colormap-" + colorMapName(colorMap_))) action->setChecked(true);
    setCompareStacked(settings.value("compareStacked", false).toBool());
    setEngineThreads(settings.value("engineThreads", 0).toInt());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (persistent_) {
        QSettings settings;
        // The single-mode layout is the one worth keeping.
        if (workspace_->comparing()) closeComparison();
        settings.setValue("geometry", saveGeometry());
        settings.setValue("windowState", saveState());
        settings.setValue("colorMap", colorMapName(colorMap_));
        settings.setValue("compareStacked", compareStacked_);
        if (!document()->modelPath().isEmpty()) settings.setValue("lastModel", document()->modelPath());
    }
    QMainWindow::closeEvent(event);
}

bool MainWindow::reportFailure(const QString& title, const QString& error, bool quiet) {
    lastError_ = error;
    if (!quiet) QMessageBox::critical(this, title, error);
    statusMessage_->setText(tr("Not opened: %1").arg(error));
    return false;
}

bool MainWindow::askForKerasParts(const QString& path, bool quiet) {
    if (quiet || !isKerasModelFile(path)) return true;
    lstmscope::ImportOptions o = importOptionsFor(path);
    const auto missing = lstmscope::keras::missing_parts(path.toStdString(), o);
    const QString name = QFileInfo(path).fileName();
    const QString dir = QFileInfo(path).absolutePath();
    if (missing.vocabulary) {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Vocabulary of %1").arg(name), dir,
            tr("Keras Tokenizer JSON or vocabulary, one token per line (*.json *.txt *.vocab);;All files (*)"));
        if (file.isEmpty()) return false;
        o.tokenizer = file.toStdString();
        if (!file.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive)) {
            // How the list's tokens are cut out of a text.
            const QStringList kinds{tr("word: words and punctuation"), tr("char: each character, spaces skipped"),
                                    tr("keras: as Keras' Tokenizer() (default filters)"),
                                    tr("keras_char: as Keras' Tokenizer(char_level=True), spaces included"),
                                    tr("whitespace: split on spaces only")};
            bool ok = false;
            const QString kind = QInputDialog::getItem(this, tr("Vocabulary of %1").arg(name),
                                                       tr("How does this vocabulary split a text?"), kinds, 0, false, &ok);
            if (!ok) return false;
            static const char* const names[] = {"word", "char", "keras", "keras_char", "whitespace"};
            o.tokenizer_type = names[std::max<qsizetype>(0, kinds.indexOf(kind))];
        }
    }
    if (missing.architecture) {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Architecture of %1 (it holds weights only)").arg(name), dir,
            tr("Keras model.to_json() or model.to_yaml() (*.json *.yml *.yaml);;All files (*)"));
        if (file.isEmpty()) return false;
        o.architecture = file.toStdString();
    }
    rememberImportOptions(path, o);
    return true;
}

bool MainWindow::openModel(const QString& path, bool quiet) {
    if (!askForKerasParts(path, quiet)) return false;
    QString error;
    if (!workspace_->openModel(path, &error)) return reportFailure(tr("Cannot open the model"), error, quiet);
    lastError_.clear();
    rememberRecent(path);
    // A pinned pair compares one model: it follows pane A's new model.
    if (workspace_->mode() == Workspace::Mode::TwoTexts) workspace_->pinText(workspace_->paneB()->document()->text(), nullptr);
    // A new model starts on its first example when the editor is empty;
    // otherwise loadModel has already run it on the current text.
    if (editor_->toPlainText().trimmed().isEmpty() && examples_->count() > 1)
        setText(examples_->itemData(1).toString());
    return true;
}

bool MainWindow::compareWithModel(const QString& path, bool quiet) {
    if (!askForKerasParts(path, quiet)) return false;
    QString error;
    if (!workspace_->openCompareModel(path, &error))
        return reportFailure(tr("Cannot open the model to compare with"), error, quiet);
    lastError_.clear();
    rememberRecent(path);
    return true;
}

bool MainWindow::pinText(const QString& text, bool quiet) {
    QString error;
    if (!workspace_->pinText(text, &error)) {
        lastError_ = error;
        if (!quiet) QMessageBox::information(this, tr("Cannot pin the text"), error);
        statusMessage_->setText(error);
        return false;
    }
    lastError_.clear();
    return true;
}

void MainWindow::closeComparison() { workspace_->closeB(); }

bool MainWindow::openLesson(const QString& path, bool quiet) {
    QString error;
    if (!presenter_->openLesson(path, &error)) return reportFailure(tr("Cannot open the lesson"), error, quiet);
    lastError_.clear();
    return true;
}

void MainWindow::saveSceneToLesson() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save scene to lesson"),
                                                      presenter_->lesson() ? presenter_->lesson()->path : QString(),
                                                      tr("Lessons (*.json)"), nullptr,
                                                      QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty()) return;
    QString error;
    Lesson lesson;
    if (QFileInfo::exists(path)) {
        auto existing = Lesson::load(path, &error);
        if (!existing) {
            reportFailure(tr("Cannot add to the lesson"), error, false);
            return;
        }
        lesson = *existing;
    } else {
        lesson.title.insert("en", QFileInfo(path).completeBaseName());
    }
    lesson.scenes.push_back(presenter_->currentScene());
    if (!lesson.save(path, &error)) {
        reportFailure(tr("Cannot save the lesson"), error, false);
        return;
    }
    statusMessage_->setText(tr("Scene %1 saved to %2").arg(lesson.scenes.size()).arg(QFileInfo(path).fileName()));
}

CorpusWindow* MainWindow::corpusWindow() const { return corpusWindow_.data(); }

CorpusWindow* MainWindow::openDataset(const QString& path, bool show) {
    if (!corpusWindow_) {
        corpusWindow_ = new CorpusWindow(workspace_, this);
        connect(corpusWindow_, &CorpusWindow::textRequested, this, &MainWindow::setText);
    }
    if (!path.isEmpty()) corpusWindow_->setDataset(path);
    if (!show) return corpusWindow_;
    corpusWindow_->show();
    corpusWindow_->raise();
    corpusWindow_->activateWindow();
    return corpusWindow_;
}

void MainWindow::setCompareStacked(bool stacked) {
    compareStacked_ = stacked;
    (stacked ? stackedAction_ : sideBySideAction_)->setChecked(true);
    if (compareArea_) compareArea_->setStacked(stacked);
}

void MainWindow::onModeChanged() {
    const bool comparing = workspace_->comparing();
    if (comparing && !compareArea_) {
        // The docks make room for two panes; they come back as they were.
        docksHiddenForCompare_.clear();
        for (QDockWidget* dock : dockOrder_)
            if (dock->isVisibleTo(this)) {  // also before the window is first shown
                docksHiddenForCompare_ << dock;
                dock->hide();
            }
        // In a scroll area: two panes and the differences need more height
        // than a small screen has; then the page scrolls instead of cutting
        // the bottom (and the status bar) off.
        buildCompareArea();
        // Minimal pairs are short: two lines of editor leave the panes room.
        editor_->setMaximumHeight(editorLineHeight_ * 2 + 16);
        centre_->setMaximumHeight(QWIDGETSIZE_MAX);
    } else if (comparing && compareArea_) {
        // Another mode of comparison: pane B's editor comes or goes. The
        // docks stay hidden, and docksHiddenForCompare_ still says which
        // come back.
        delete compareScroll_;  // and the area with it
        buildCompareArea();
    } else if (!comparing && compareArea_) {
        centreStack_->setCurrentWidget(views_.value("tokens"));
        delete compareScroll_;
        editor_->setMaximumHeight(editorLineHeight_ * 4 + 16);
        centre_->setMaximumHeight(singleCentreMaxHeight_);
        for (QDockWidget* dock : docksHiddenForCompare_) dock->show();
        docksHiddenForCompare_.clear();
    }
    updateTitle();
    updateStatus();
    updateCompareActions();
}

void MainWindow::buildCompareArea() {
    compareScroll_ = new QScrollArea(centreStack_);
    compareScroll_->setWidgetResizable(true);
    compareScroll_->setFrameShape(QFrame::NoFrame);
    compareArea_ = new CompareArea(workspace_, compareScroll_);
    compareScroll_->setWidget(compareArea_);
    compareArea_->setStacked(compareStacked_);
    compareArea_->setSequentialColorMap(colorMap_);
    connect(compareArea_, &CompareArea::closeRequested, this, &MainWindow::closeComparison);
    centreStack_->addWidget(compareScroll_);
    centreStack_->setCurrentWidget(compareScroll_);
}

void MainWindow::updateCompareActions() {
    const bool hasModel = document()->model() != nullptr;
    pinAction_->setEnabled(hasModel);
    closeCompareAction_->setEnabled(workspace_->comparing());
}

void MainWindow::setText(const QString& text) {
    if (editor_->toPlainText() != text) editor_->setPlainText(text);  // textChanged -> workspace
    document()->runNow();
    if (workspace_->mode() == Workspace::Mode::TwoModels) workspace_->paneB()->document()->runNow();
}

void MainWindow::rememberRecent(const QString& path) {
    if (!persistent_) return;
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = persistent_ ? QSettings().value(kRecentKey).toStringList() : QStringList();
    for (const QString& path : recent)
        recentMenu_->addAction(QFileInfo(path).fileName(), this, [this, path] { openModel(path); })->setToolTip(path);
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::rebuildExamples() {
    examples_->clear();
    const auto examples = exampleTexts(document()->modelPath());
    examples_->addItem(examples.empty() ? tr("This model has no example texts") : tr("Example texts…"), QVariant());
    for (const auto& e : examples) {
        QString label = e.note.isEmpty() ? e.text : e.note + " — " + e.text;
        if (label.size() > 110) label = label.left(107) + "…";
        examples_->addItem(label, e.text);
    }
    examples_->setEnabled(!examples.empty());
}

void MainWindow::updateTitle() {
    const QString a = workspace_->paneA()->modelName();
    QString title = a;
    if (workspace_->mode() == Workspace::Mode::TwoModels) title = tr("%1 vs %2").arg(a, workspace_->paneB()->modelName());
    else if (workspace_->mode() == Workspace::Mode::TwoTexts) title = tr("%1, two texts").arg(a);
    setWindowTitle(title.isEmpty() ? QStringLiteral("lstmscope") : title + QStringLiteral(" — lstmscope"));
}

QString MainWindow::statusText() const {
    return statusTokens_->text() + " " + statusTime_->text() + " " + statusMessage_->text();
}

void MainWindow::updateStatus() {
    QStringList tokens, times;
    QString error;
    const QList<Pane*> panes = workspace_->comparing() ? QList<Pane*>{workspace_->paneA(), workspace_->paneB()}
                                                        : QList<Pane*>{workspace_->paneA()};
    for (Pane* pane : panes) {
        const Document* d = pane->document();
        const auto* trace = d->trace();
        const QString prefix = panes.size() > 1 ? pane->badge() + QStringLiteral(": ") : QString();
        const int n = trace ? static_cast<int>(trace->tokens.size()) : 0;
        if (trace) tokens << prefix + tr("%n tokens", nullptr, n);
        if (d->running()) times << prefix + tr("running…");
        else if (trace) times << prefix + tr("engine %1 ms").arg(d->lastRunMs(), 0, 'f', 2);
        if (error.isEmpty() && !d->runError().isEmpty()) error = prefix + d->runError();
    }
    statusTokens_->setText(tokens.join(QStringLiteral(" · ")));
    statusTime_->setText(times.join(QStringLiteral(" · ")));
    statusMessage_->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("color: #b00020"));
    if (!error.isEmpty()) statusMessage_->setText(error);
    else if (!document()->model())
        statusMessage_->setText(tr("Open a model with File > Open model (Ctrl+O) or drop a .json file here."));
    else statusMessage_->setText(QFileInfo(document()->modelPath()).fileName());
}

void MainWindow::setColorMap(ColorMap map) {
    colorMap_ = map;
    for (QWidget* view : views_)
        if (auto* v = dynamic_cast<PaneView*>(view)) v->setSequentialColorMap(map);
    if (compareArea_) compareArea_->setSequentialColorMap(map);
}

Pane* MainWindow::focusedPane() const {
    QWidget* focus = QApplication::focusWidget();
    if (compareArea_ && focus) {
        for (int k = 0; k < 2; ++k) {
            PaneWidget* p = compareArea_->paneWidget(k);
            if (p->isAncestorOf(focus)) return p->pane();
        }
    }
    return workspace_->paneA();
}

QWidget* MainWindow::focusedView(QString* id) const {
    QWidget* focus = QApplication::focusWidget();
    if (!focus) return nullptr;
    auto match = [&](const QString& key, QWidget* view) {
        if (focus == view || view->isAncestorOf(focus)) {
            if (id) *id = key;
            return true;
        }
        return false;
    };
    for (auto it = views_.begin(); it != views_.end(); ++it)
        if (it.value()->isVisible() && match(it.key(), it.value())) return it.value();
    if (compareArea_)
        for (int k = 0; k < 2; ++k) {
            PaneWidget* p = compareArea_->paneWidget(k);
            for (const auto& spec : viewSpecs())
                if (QWidget* view = p->view(spec.id); view && match(spec.id + p->pane()->badge(), view)) return view;
        }
    return nullptr;
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::KeyPress) {
        auto* w = qobject_cast<QWidget*>(watched);
        if (w && isAncestorOf(w) && !ownsArrowKeys(w) && handleSelectionKey(static_cast<QKeyEvent*>(event))) return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

bool MainWindow::handleSelectionKey(QKeyEvent* event) {
    Pane* pane = focusedPane();
    Selection* selection = pane->selection();
    const auto* trace = pane->document()->trace();
    if (!trace || event->modifiers() & (Qt::ControlModifier | Qt::AltModifier)) return false;
    const int tokens = static_cast<int>(trace->tokens.size());
    // The units of the LSTM the gates view shows (the same fallback it uses).
    const auto lstm = lstmscope::analysis::resolve_lstm(*trace, selection->lstmNode().toStdString(), selection->layer(),
                                                        selection->direction());
    const int units = lstm.gates ? static_cast<int>(lstm.gates->h.cols()) : 0;
    switch (event->key()) {
    case Qt::Key_Left:
        selection->setToken(std::max(0, selection->token() - 1));
        return true;
    case Qt::Key_Right:
        selection->setToken(std::min(tokens - 1, selection->token() + 1));
        return true;
    case Qt::Key_Up:
        if (units == 0) return false;
        selection->setUnit(std::clamp(selection->unit() - 1, 0, units - 1));
        return true;
    case Qt::Key_Down:
        if (units == 0) return false;
        selection->setUnit(std::clamp(selection->unit() + 1, 0, units - 1));
        return true;
    default:
        return false;
    }
}

namespace {
// What File > Open and a drop accept: manifests and Keras files.
bool isModelFileName(const QString& path) {
    for (const char* ext : {".json", ".h5", ".hdf5", ".keras"})
        if (path.endsWith(QLatin1String(ext), Qt::CaseInsensitive)) return true;
    return false;
}
}  // namespace

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile() && isModelFileName(url.toLocalFile())) {
            event->acceptProposedAction();
            return;
        }
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile() && isModelFileName(url.toLocalFile())) {
            openModel(url.toLocalFile());
            event->acceptProposedAction();
            return;
        }
}

void MainWindow::chooseModelFile(bool compare) {
    const QString start = document()->modelPath().isEmpty() ? bundledModelsDirectory()
                                                             : QFileInfo(document()->modelPath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, compare ? tr("Compare with model") : tr("Open model"), start,
                                                      tr("Models (*.json *.h5 *.hdf5 *.keras);;lstmscope models (*.json);;Keras models (*.h5 *.hdf5 *.keras);;All files (*)"));
    if (path.isEmpty()) return;
    if (compare) compareWithModel(path);
    else openModel(path);
}

void MainWindow::exportView(QWidget* view, const QString& what, const QString& stem) {
    // Named after the model and the view, so exports do not overwrite each other.
    const QString suggested = defaultExportFileName(workspace_->paneA()->modelName(), stem, workspace_->comparing());
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(what), suggested,
                                                      tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportWidget(view, path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
    else statusMessage_->setText(tr("Exported %1 to %2").arg(what, path));
}

void MainWindow::saveTrace(bool csv) {
    const auto trace = document()->sharedTrace();
    if (!trace) {
        QMessageBox::information(this, tr("No trace"), tr("There is no trace to save yet: open a model and type a text."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, csv ? tr("Save trace as CSV") : tr("Save trace as JSON"),
                                                      csv ? QStringLiteral("trace.csv") : QStringLiteral("trace.json"),
                                                      csv ? tr("CSV (*.csv)") : tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    // Compare mode writes both traces: pane B's beside pane A's, "-B" added
    // to the name, each a complete trace file other tools can read.
    QStringList written;
    const auto save = [&](const lstmscope::Trace& t, const QString& target) {
        const bool ok = csv ? saveTraceCsv(t, target, &error) : saveTraceJson(t, target, &error);
        if (ok) written << target;
        return ok;
    };
    bool ok = save(*trace, path);
    if (ok && workspace_->comparing())
        if (const auto traceB = workspace_->paneB()->document()->sharedTrace()) ok = save(*traceB, tracePathForB(path));
    if (!ok) QMessageBox::warning(this, tr("Save failed"), error);
    else if (written.size() == 2) statusMessage_->setText(tr("Saved the traces to %1 and %2").arg(written[0], written[1]));
    else statusMessage_->setText(tr("Saved the trace to %1").arg(written.value(0)));
}

CompareArea* MainWindow::compareArea() const { return compareArea_.data(); }
