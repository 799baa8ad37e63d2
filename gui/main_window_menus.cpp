// The window's menus: File (open, compare, pin, export, save), View (colour
// map, compare layout, docks, reset) and Help. Part of MainWindow, in a file
// of its own so that main_window.cpp stays about wiring.
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

#include "gui/bundled_models.h"
#include "gui/main_window.h"
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
    auto* group = new QActionGroup(this);
    for (const QString& name : sequentialColorMapNames()) {
        QAction* a = colors->addAction(name, this, [this, name] { setColorMap(sequentialColorMapFromName(name)); });
        a->setCheckable(true);
        a->setChecked(name == colorMapName(colorMap_));
        a->setObjectName("colormap-" + name);
        group->addAction(a);
    }
    QMenu* layoutMenu = viewMenu_->addMenu(tr("Compare &layout"));
    auto* layoutGroup = new QActionGroup(this);
    sideBySideAction_ = layoutMenu->addAction(tr("&Side by side"), this, [this] { setCompareStacked(false); });
    stackedAction_ = layoutMenu->addAction(tr("S&tacked"), this, [this] { setCompareStacked(true); });
    for (QAction* a : {sideBySideAction_, stackedAction_}) {
        a->setCheckable(true);
        layoutGroup->addAction(a);
    }
    sideBySideAction_->setChecked(true);
    viewMenu_->addSeparator();
    for (QDockWidget* dock : dockOrder_) viewMenu_->addAction(dock->toggleViewAction());
    viewMenu_->addSeparator();
    viewMenu_->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard and mouse"), this, [this] {
        QMessageBox::information(
            this, tr("Keyboard and mouse"),
            tr("<p><b>Click</b> a token (chip, heatmap cell or label, gate column) to select it in every view.<br>"
               "<b>Click</b> a unit row in a gate heatmap to plot that unit over time.<br>"
               "<b>Left/Right</b> move the selected token, <b>Up/Down</b> the unit (when a view has focus).<br>"
               "<b>Wheel</b> zooms a heatmap, <b>drag</b> pans it, <b>double-click</b> resets it.<br>"
               "<b>Ctrl+Shift+O</b> compares with a second model, <b>Ctrl+P</b> pins the text to compare two texts; "
               "a selection in one pane selects the same characters in the other.<br>"
               "<b>Drop</b> a model's .json file on the window to open it.</p>"));
    });
    help->addAction(tr("&About lstmscope"), this, [this] {
        QMessageBox::about(this, tr("About lstmscope"),
                           tr("<p><b>lstmscope</b> %1</p><p>Looks inside LSTM and attention text models: "
                              "tokens, attention weights and every gate of every LSTM layer, linked.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}
