#include "gui/main_window.h"

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
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStatusBar>
#include <QVBoxLayout>

#include "gui/bundled_models.h"
#include "gui/document.h"
#include "gui/selection.h"
#include "gui/trace_export.h"
#include "gui/trace_labels.h"
#include "gui/view_export.h"
#include "gui/views/attention_view.h"
#include "gui/views/gates_view.h"
#include "gui/views/model_view.h"
#include "gui/views/prediction_view.h"
#include "gui/views/token_strip.h"

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
    : QMainWindow(parent), persistent_(persistent), document_(new Document(this)), selection_(new Selection(this)) {
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    buildViews();
    buildMenus();

    statusTokens_ = new QLabel(this);
    statusTime_ = new QLabel(this);
    statusMessage_ = new QLabel(this);
    statusMessage_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(statusMessage_, 1);
    statusBar()->addPermanentWidget(statusTokens_);
    statusBar()->addPermanentWidget(statusTime_);

    connect(document_, &Document::modelChanged, this, [this] {
        selection_->clear();
        rebuildExamples();
        updateTitle();
    });
    connect(document_, &Document::traceChanged, this, [this] {
        clampSelection();
        updateStatus();
    });
    connect(document_, &Document::runFailed, this, [this] { updateStatus(); });
    connect(document_, &Document::runningChanged, this, [this] { updateStatus(); });
    qApp->installEventFilter(this);

    resize(1600, 1000);
    defaultState_ = saveState();
    if (persistent_) restoreSettings();
    updateTitle();
    updateStatus();
}

MainWindow::~MainWindow() { qApp->removeEventFilter(this); }

void MainWindow::buildViews() {
    // Centre: the text and its tokens, the input everything else explains.
    auto* centre = new QWidget(this);
    auto* layout = new QVBoxLayout(centre);
    layout->setContentsMargins(6, 6, 6, 0);
    examples_ = new QComboBox(centre);
    // Long example texts must not make the whole centre column wide.
    examples_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    examples_->setMinimumContentsLength(24);
    examples_->setToolTip(tr("Example texts chosen to show something about this model"));
    connect(examples_, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        const QString text = examples_->itemData(index).toString();
        if (!text.isNull()) setText(text);
    });
    editor_ = new QPlainTextEdit(centre);
    editor_->setPlaceholderText(tr("Type or paste text here; the model re-runs as you type."));
    editor_->setTabChangesFocus(true);
    QFont editorFont = editor_->font();
    editorFont.setPointSizeF(editorFont.pointSizeF() * 1.25);
    editor_->setFont(editorFont);
    editor_->setMaximumHeight(QFontMetrics(editorFont).lineSpacing() * 4 + 16);
    connect(editor_, &QPlainTextEdit::textChanged, this, [this] { document_->setText(editor_->toPlainText()); });
    tokenStrip_ = new TokenStrip(document_, selection_, centre);
    layout->addWidget(examples_);
    layout->addWidget(editor_);
    layout->addWidget(tokenStrip_, 1);
    // The text area stops at about three lines of chips (the strip scrolls
    // beyond that); every other pixel goes to the heatmaps in the docks.
    const int chipLines = 3;
    centre->setMaximumHeight(examples_->sizeHint().height() + editor_->maximumHeight() +
                             tokenStrip_->minimumSizeHint().height() +
                             (chipLines - 1) * QFontMetrics(font()).height() * 2 + 4 * layout->spacing() + 6);
    setCentralWidget(centre);

    attentionView_ = new AttentionView(document_, selection_, this);
    gatesView_ = new GatesView(document_, selection_, this);
    predictionView_ = new PredictionView(document_, selection_, this);
    modelView_ = new ModelView(document_, selection_, this);

    // Side columns run the full height; the gates take the bottom middle.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    auto* attentionDock = makeDock(this, tr("Attention"), "attentionDock", attentionView_);
    auto* gatesDock = makeDock(this, tr("LSTM gates and states"), "gatesDock", gatesView_);
    auto* predictionDock = makeDock(this, tr("Prediction"), "predictionDock", predictionView_);
    auto* modelDock = makeDock(this, tr("Model"), "modelDock", modelView_);
    addDockWidget(Qt::LeftDockWidgetArea, predictionDock);
    addDockWidget(Qt::LeftDockWidgetArea, modelDock);
    addDockWidget(Qt::RightDockWidgetArea, attentionDock);
    addDockWidget(Qt::BottomDockWidgetArea, gatesDock);
    docks_ = {attentionDock, gatesDock, predictionDock, modelDock};
    applyDefaultDockSizes();
}

void MainWindow::applyDefaultDockSizes() {
    // Proportions rather than pixels, so that a 1280-pixel laptop and a
    // projector both get every view at a usable size.
    const int w = std::max(width(), 800), h = std::max(height(), 600);
    resizeDocks({docks_[2], docks_[0]}, {w * 23 / 100, w * 38 / 100}, Qt::Horizontal);
    resizeDocks({docks_[2], docks_[3]}, {h * 24 / 100, h * 76 / 100}, Qt::Vertical);
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    // The first show knows the real window size; a layout the user saved wins.
    if (!shownOnce_ && !restoredLayout_) applyDefaultDockSizes();
    shownOnce_ = true;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open model…"), this, &MainWindow::chooseModelFile);
    open->setShortcut(QKeySequence::Open);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    QMenu* bundled = file->addMenu(tr("&Bundled models"));
    const auto models = bundledModels();
    for (const auto& m : models) {
        const QString path = m.path;
        bundled->addAction(m.name, this, [this, path] { openModel(path); })->setToolTip(path);
    }
    bundled->setEnabled(!models.empty());
    file->addSeparator();
    QAction* exportFocused = file->addAction(tr("&Export view…"), this, [this] {
        QWidget* view = focusedView();
        exportView(view ? view : this, view ? tr("view") : tr("window"));
    });
    exportFocused->setShortcut(QKeySequence(tr("Ctrl+E")));
    exportFocused->setToolTip(tr("The view that has the keyboard focus, as PNG, SVG or PDF"));
    file->addAction(tr("Export &window…"), this, [this] { exportView(this, tr("window")); })
        ->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    file->addAction(tr("Save trace as &JSON…"), this, [this] { saveTrace(false); })->setShortcut(QKeySequence::Save);
    file->addAction(tr("Save trace as &CSV…"), this, [this] { saveTrace(true); });
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);
    rebuildRecentMenu();

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    QMenu* colors = viewMenu_->addMenu(tr("&Colour map"));
    auto* group = new QActionGroup(this);
    for (const QString& name : sequentialColorMapNames()) {
        QAction* a = colors->addAction(name, this, [this, name] { setColorMap(sequentialColorMapFromName(name)); });
        a->setCheckable(true);
        a->setChecked(name == colorMapName(colorMap_));
        a->setObjectName("colormap-" + name);
        group->addAction(a);
    }
    viewMenu_->addSeparator();
    for (QDockWidget* dock : docks_) viewMenu_->addAction(dock->toggleViewAction());
    viewMenu_->addSeparator();
    viewMenu_->addAction(tr("&Reset layout"), this, [this] {
        restoreState(defaultState_);
        for (QDockWidget* dock : docks_) dock->show();
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard and mouse"), this, [this] {
        QMessageBox::information(
            this, tr("Keyboard and mouse"),
            tr("<p><b>Click</b> a token (chip, heatmap cell or label, gate column) to select it in every view.<br>"
               "<b>Click</b> a unit row in a gate heatmap to plot that unit over time.<br>"
               "<b>Left/Right</b> move the selected token, <b>Up/Down</b> the unit (when a view has focus).<br>"
               "<b>Wheel</b> zooms a heatmap, <b>drag</b> pans it, <b>double-click</b> resets it.<br>"
               "<b>Drop</b> a model's .json file on the window to open it.</p>"));
    });
    help->addAction(tr("&About lstmscope"), this, [this] {
        QMessageBox::about(this, tr("About lstmscope"),
                           tr("<p><b>lstmscope</b> %1</p><p>Looks inside LSTM and attention text models: "
                              "tokens, attention weights and every gate of every LSTM layer, linked.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::restoreSettings() {
    QSettings settings;
    restoreGeometry(settings.value("geometry").toByteArray());
    restoredLayout_ = restoreState(settings.value("windowState").toByteArray());
    setColorMap(sequentialColorMapFromName(settings.value("colorMap", "viridis").toString()));
    if (auto* action = findChild<QAction*>("colormap-" + colorMapName(colorMap_))) action->setChecked(true);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (persistent_) {
        QSettings settings;
        settings.setValue("geometry", saveGeometry());
        settings.setValue("windowState", saveState());
        settings.setValue("colorMap", colorMapName(colorMap_));
        if (!document_->modelPath().isEmpty()) settings.setValue("lastModel", document_->modelPath());
    }
    QMainWindow::closeEvent(event);
}

bool MainWindow::openModel(const QString& path, bool quiet) {
    QString error;
    if (!document_->loadModel(path, &error)) {
        lastError_ = error;
        if (!quiet) QMessageBox::critical(this, tr("Cannot open the model"), error);
        statusMessage_->setText(tr("Not opened: %1").arg(error));
        return false;
    }
    lastError_.clear();
    rememberRecent(path);
    // A new model starts on its first example when the editor is empty;
    // otherwise loadModel has already run it on the current text.
    if (editor_->toPlainText().trimmed().isEmpty() && examples_->count() > 1)
        setText(examples_->itemData(1).toString());
    return true;
}

void MainWindow::setText(const QString& text) {
    if (editor_->toPlainText() != text) editor_->setPlainText(text);  // textChanged -> document
    document_->runNow();
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
    const auto examples = exampleTexts(document_->modelPath());
    examples_->addItem(examples.empty() ? tr("This model has no example texts") : tr("Example texts…"), QVariant());
    for (const auto& e : examples) {
        QString label = e.note.isEmpty() ? e.text : e.note + " — " + e.text;
        if (label.size() > 110) label = label.left(107) + "…";
        examples_->addItem(label, e.text);
    }
    examples_->setEnabled(!examples.empty());
}

void MainWindow::updateTitle() {
    const auto* model = document_->model();
    setWindowTitle(model ? QString::fromStdString(model->name) + " — lstmscope" : QStringLiteral("lstmscope"));
}

QString MainWindow::statusText() const {
    return statusTokens_->text() + " " + statusTime_->text() + " " + statusMessage_->text();
}

void MainWindow::updateStatus() {
    const auto* trace = document_->trace();
    const int tokens = trace ? static_cast<int>(trace->tokens.size()) : 0;
    statusTokens_->setText(!trace ? QString() : tokens == 1 ? tr("1 token") : tr("%1 tokens").arg(tokens));
    statusTime_->setText(document_->running() ? tr("running…")
                                               : (trace ? tr("engine %1 ms").arg(document_->lastRunMs(), 0, 'f', 2)
                                                        : QString()));
    const QString error = document_->runError();
    statusMessage_->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("color: #b00020"));
    if (!error.isEmpty()) statusMessage_->setText(error);
    else if (!document_->model()) statusMessage_->setText(tr("Open a model with File > Open model (Ctrl+O) or drop a .json file here."));
    else statusMessage_->setText(QFileInfo(document_->modelPath()).fileName());
}

void MainWindow::setColorMap(ColorMap map) {
    colorMap_ = map;
    tokenStrip_->setSequentialColorMap(map);
    attentionView_->setSequentialColorMap(map);
    gatesView_->setSequentialColorMap(map);
}

void MainWindow::clampSelection() {
    const auto* trace = document_->trace();
    if (!trace) return;
    const int tokens = static_cast<int>(trace->tokens.size());
    if (selection_->token() >= tokens) selection_->setToken(tokens - 1);
    if (selection_->hoverToken() >= tokens) selection_->setHoverToken(-1);
}

QWidget* MainWindow::focusedView() const {
    QWidget* focus = QApplication::focusWidget();
    for (QWidget* view : std::initializer_list<QWidget*>{tokenStrip_, attentionView_, gatesView_, predictionView_, modelView_})
        if (focus && (focus == view || view->isAncestorOf(focus))) return view;
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
    const auto* trace = document_->trace();
    if (!trace || event->modifiers() & (Qt::ControlModifier | Qt::AltModifier)) return false;
    const int tokens = static_cast<int>(trace->tokens.size());
    int units = 0;
    for (const auto& info : lstmNodes(*trace))
        if (info.name == selection_->lstmNode()) units = info.hidden;
    switch (event->key()) {
    case Qt::Key_Left:
        selection_->setToken(std::max(0, selection_->token() - 1));
        return true;
    case Qt::Key_Right:
        selection_->setToken(std::min(tokens - 1, selection_->token() + 1));
        return true;
    case Qt::Key_Up:
        if (units == 0) return false;
        selection_->setUnit(std::max(0, selection_->unit() - 1));
        return true;
    case Qt::Key_Down:
        if (units == 0) return false;
        selection_->setUnit(std::min(units - 1, selection_->unit() + 1));
        return true;
    default:
        return false;
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile() && url.toLocalFile().endsWith(".json", Qt::CaseInsensitive)) {
            event->acceptProposedAction();
            return;
        }
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile() && url.toLocalFile().endsWith(".json", Qt::CaseInsensitive)) {
            openModel(url.toLocalFile());
            event->acceptProposedAction();
            return;
        }
}

void MainWindow::chooseModelFile() {
    const QString start = document_->modelPath().isEmpty() ? bundledModelsDirectory()
                                                           : QFileInfo(document_->modelPath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), start,
                                                      tr("lstmscope models (*.json);;All files (*)"));
    if (!path.isEmpty()) openModel(path);
}

void MainWindow::exportView(QWidget* view, const QString& what) {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(what), QStringLiteral("lstmscope.png"),
                                                      tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportWidget(view, path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
    else statusMessage_->setText(tr("Exported %1 to %2").arg(what, path));
}

void MainWindow::saveTrace(bool csv) {
    const auto trace = document_->sharedTrace();
    if (!trace) {
        QMessageBox::information(this, tr("No trace"), tr("There is no trace to save yet: open a model and type a text."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, csv ? tr("Save trace as CSV") : tr("Save trace as JSON"),
                                                      csv ? QStringLiteral("trace.csv") : QStringLiteral("trace.json"),
                                                      csv ? tr("CSV (*.csv)") : tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    const bool ok = csv ? saveTraceCsv(*trace, path, &error) : saveTraceJson(*trace, path, &error);
    if (!ok) QMessageBox::warning(this, tr("Save failed"), error);
    else statusMessage_->setText(tr("Saved the trace to %1").arg(path));
}
