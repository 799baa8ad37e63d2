// The window's menus: File (open, compare, pin, export, save), View (colour
// map, compare layout, docks, reset) and Help. Part of MainWindow, in a file
// of its own so that main_window.cpp stays about wiring.
#include <algorithm>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QThread>

#include "gui/bundled_models.h"
#include "gui/i18n.h"
#include "gui/main_window.h"
#include "gui/workspace/document.h"

#include <QFileDialog>

#include "gui/teaching/lesson.h"
#include "gui/teaching/presenter.h"
#include "gui/teaching/step_bar.h"
#include "gui/plots/color_maps.h"

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open model…"), this, [this] { chooseModelFile(false); });
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
    QAction* compare = file->addAction(tr("Compare &with model…"), this, [this] { chooseModelFile(true); });
    compare->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    compare->setToolTip(tr("Open a second model beside this one, on the same text"));
    QMenu* compareBundled = file->addMenu(tr("Compare with b&undled model"));
    for (const auto& m : models) {
        const QString path = m.path;
        compareBundled->addAction(m.name, this, [this, path] { compareWithModel(path); })->setToolTip(path);
    }
    compareBundled->setEnabled(!models.empty());
    pinAction_ = file->addAction(tr("&Pin text"), this, [this] { pinText(); });
    pinAction_->setShortcut(QKeySequence(tr("Ctrl+P")));
    pinAction_->setToolTip(tr("Freeze the current text as side B of the same model, then edit the main text "
                              "(a minimal pair: what does one word change?)"));
    closeCompareAction_ = file->addAction(tr("C&lose comparison"), this, &MainWindow::closeComparison);
    closeCompareAction_->setShortcut(QKeySequence(tr("Ctrl+Shift+W")));
    file->addSeparator();
    QAction* dataset = file->addAction(tr("Open &dataset…"), this, [this] { openDataset(); });
    dataset->setShortcut(QKeySequence(tr("Ctrl+Shift+D")));
    dataset->setToolTip(tr("Run a whole dataset through the model: accuracy, the texts it gets wrong, gate "
                           "saturation, pattern search and attention faithfulness"));
    file->addSeparator();
    // Lessons: the bundled ones, any lesson file, and the current state
    // appended as a scene.
    QMenu* lessons = file->addMenu(tr("&Lessons"));
    const auto bundledList = bundledLessons();
    for (const auto& l : bundledList) {
        const QString path = l.path;
        lessons->addAction(l.title, this, [this, path] { openLesson(path); })->setToolTip(path);
    }
    if (!bundledList.empty()) lessons->addSeparator();
    lessons->addAction(tr("&Open lesson…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open lesson"), bundledLessonsDirectory(),
                                                          tr("Lessons (*.json)"));
        if (!path.isEmpty()) openLesson(path);
    });
    lessons->addAction(tr("&Save scene to lesson…"), this, &MainWindow::saveSceneToLesson)
        ->setToolTip(tr("Append the current model, text, views, selection and step to a lesson file"));
    lessons->addAction(tr("&Close lesson"), this, [this] { presenter_->closeLesson(); })
        ->setEnabled(presenter_->lesson().has_value());
    file->addSeparator();
    QAction* exportFocused = file->addAction(tr("&Export view…"), this, [this] {
        QString id;
        QWidget* view = focusedView(&id);
        exportView(view ? view : this, view ? tr("view") : tr("window"), view ? id : QStringLiteral("window"));
    });
    exportFocused->setShortcut(QKeySequence(tr("Ctrl+E")));
    exportFocused->setToolTip(tr("The view that has the keyboard focus, as PNG, SVG or PDF"));
    file->addAction(tr("Export &window…"), this, [this] { exportView(this, tr("window"), QStringLiteral("window")); })
        ->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    file->addAction(tr("Save trace as &JSON…"), this, [this] { saveTrace(false); })->setShortcut(QKeySequence::Save);
    file->addAction(tr("Save trace as &CSV…"), this, [this] { saveTrace(true); });
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);
    rebuildRecentMenu();

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    QMenu* colors = viewMenu_->addMenu(tr("&Colour map"));
    auto* group = new QActionGroup(colors);
    for (const QString& name : sequentialColorMapNames()) {
        QAction* a = colors->addAction(colorMapDisplayName(sequentialColorMapFromName(name)), this,
                                       [this, name] { setColorMap(sequentialColorMapFromName(name)); });
        a->setCheckable(true);
        a->setChecked(name == colorMapName(colorMap_));
        a->setObjectName("colormap-" + name);
        group->addAction(a);
    }
    QMenu* layoutMenu = viewMenu_->addMenu(tr("Compare &layout"));
    auto* layoutGroup = new QActionGroup(layoutMenu);
    sideBySideAction_ = layoutMenu->addAction(tr("&Side by side"), this, [this] { setCompareStacked(false); });
    stackedAction_ = layoutMenu->addAction(tr("S&tacked"), this, [this] { setCompareStacked(true); });
    for (QAction* a : {sideBySideAction_, stackedAction_}) {
        a->setCheckable(true);
        layoutGroup->addAction(a);
    }
    (compareStacked_ ? stackedAction_ : sideBySideAction_)->setChecked(true);
    buildLanguageMenu(viewMenu_->addMenu(tr("Lan&guage")));
    buildThreadsMenu(viewMenu_->addMenu(tr("Engine &threads")));
    QAction* present = viewMenu_->addAction(tr("&Present"), presenter_, &Presenter::setPresenting);
    present->setCheckable(true);
    present->setChecked(presenter_->presenting());
    present->setShortcut(QKeySequence(Qt::Key_F11));
    present->setToolTip(tr("Full screen, larger type, keyboard only: Space next step, Page Down next scene, Esc leaves"));
    connect(presenter_, &Presenter::presentingChanged, present, &QAction::setChecked);
    viewMenu_->addSeparator();
    for (QDockWidget* dock : dockOrder_) viewMenu_->addAction(dock->toggleViewAction());
    viewMenu_->addSeparator();
    viewMenu_->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout);

    // Step-through: the step bar's actions, with their window-wide keys.
    QMenu* stepMenu = menuBar()->addMenu(tr("&Step"));
    stepMenu->addAction(stepBar_->nextAction());
    stepMenu->addAction(stepBar_->previousAction());
    stepMenu->addAction(stepBar_->playAction());
    stepMenu->addSeparator();
    stepMenu->addAction(stepBar_->firstAction());
    stepMenu->addAction(stepBar_->lastAction());
    stepMenu->addSeparator();
    stepMenu->addAction(stepBar_->stopAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard and mouse"), this, [this] {
        QMessageBox::information(
            this, tr("Keyboard and mouse"),
            tr("<p><b>Click</b> a token (chip, heatmap cell or label, gate column) to select it in every view.<br>"
               "<b>Shift-click</b> a second token to select the tokens between (the query of File > Open dataset's "
               "pattern search).<br>"
               "<b>Click</b> a unit row in a gate heatmap to plot that unit over time.<br>"
               "<b>Left/Right</b> move the selected token, <b>Up/Down</b> the unit (when a view has focus).<br>"
               "<b>Wheel</b> zooms a heatmap, <b>drag</b> pans it, <b>double-click</b> resets it.<br>"
               "<b>Ctrl+Shift+O</b> compares with a second model, <b>Ctrl+P</b> pins the text to compare two texts; "
               "a selection in one pane selects the same characters in the other.<br>"
               "<b>Drop</b> a model's .json file on the window to open it.</p>"));
    });
    help->addAction(tr("&About lstmscope"), this, [this] {
        QMessageBox::about(this, tr("About lstmscope"),
                           tr("<p><b>lstmscope</b> %1</p><p>Looks inside LSTM, GRU and attention text models: "
                              "tokens, attention weights and every gate of every recurrent layer, linked.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::buildThreadsMenu(QMenu* menu) {
    // How many cores a run may use (the BiLSTM's two directions, the heads
    // of a multi-head attention). Every core is the default; fewer leaves
    // cores to other programs while a long text runs.
    menu->setToolTipsVisible(true);
    auto* group = new QActionGroup(menu);
    const int cores = std::max(1, QThread::idealThreadCount());
    auto add = [&](const QString& text, int threads) {
        QAction* a = menu->addAction(text, this, [this, threads] { setEngineThreads(threads); });
        a->setCheckable(true);
        a->setChecked(Document::engineThreads() == threads);
        a->setObjectName(QStringLiteral("threads-%1").arg(threads));
        group->addAction(a);
    };
    add(tr("&Every core (%n)", nullptr, cores), 0);
    menu->addSeparator();
    for (int n = 1; n <= std::min(cores, 8); ++n) add(tr("%n thread(s)", nullptr, n), n);
}

void MainWindow::setEngineThreads(int threads) {
    Document::setEngineThreads(threads);
    if (auto* action = findChild<QAction*>(QStringLiteral("threads-%1").arg(threads))) action->setChecked(true);
    if (persistent_) QSettings().setValue("engineThreads", threads);
}

void MainWindow::buildLanguageMenu(QMenu* menu) {
    // "System language" follows the locale at every start; a language picked
    // here is remembered. Each language is named in itself.
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto* group = new QActionGroup(menu);
    const QString saved = persistent_ ? i18n::savedLanguage() : QString();
    QAction* system = menu->addAction(tr("&System language"), this, [this] {
        if (persistent_) i18n::saveLanguage(QString());
        i18n::setLanguage(i18n::languageForLocale(QLocale::system()));
    });
    system->setObjectName(QStringLiteral("language-system"));
    system->setCheckable(true);
    system->setChecked(persistent_ && saved.isEmpty());
    group->addAction(system);
    menu->addSeparator();
    for (const QString& language : i18n::languages()) {
        QAction* a = menu->addAction(i18n::nativeName(language), this, [this, language] {
            if (persistent_) i18n::saveLanguage(language);
            i18n::setLanguage(language);
        });
        a->setObjectName(QStringLiteral("language-") + language);
        a->setCheckable(true);
        a->setChecked(!system->isChecked() && language == i18n::currentLanguage());
        group->addAction(a);
    }
}
