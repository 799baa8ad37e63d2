#include "gui/teaching/presenter.h"

#include <cmath>

#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QEvent>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSlider>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

#include "gui/i18n.h"
#include "gui/main_window.h"
#include "gui/plots/plot_scale.h"
#include "gui/teaching/step_bar.h"
#include "gui/teaching/teaching_style.h"
#include "gui/views/view_registry.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"
#include "gui/workspace/workspace.h"

namespace {

constexpr double kMinScale = 1.0, kMaxScale = 2.5;
constexpr int kSliderSteps = 100;  // per 1x

// A caption wraps to the width of the window. Tool bars ask their widgets
// for a size hint, not a height for a width, so the label answers with the
// height its text needs at its current width (or the bar clips the text).
class CaptionLabel : public QLabel {
public:
    using QLabel::QLabel;
    QSize sizeHint() const override {
        const int w = std::max(width(), 400);
        return {w, heightForWidth(w)};
    }
    QSize minimumSizeHint() const override { return {200, heightForWidth(std::max(width(), 200))}; }

protected:
    void resizeEvent(QResizeEvent* event) override {
        QLabel::resizeEvent(event);
        if (heightForWidth(width()) != height()) updateGeometry();
    }
};

bool typingInto(QObject* o) {
    return qobject_cast<QPlainTextEdit*>(o) || qobject_cast<QLineEdit*>(o) || qobject_cast<QAbstractSpinBox*>(o);
}

}  // namespace

Presenter::Presenter(MainWindow* window) : QObject(window), window_(window) {
    baseFont_ = QApplication::font();
    buildBar();
    installKeyFilter();
}

void Presenter::installKeyFilter() {
    // Application filters run newest first: presenting, these keys are ours
    // before the window's own arrow-key handling sees them.
    qApp->removeEventFilter(this);
    qApp->installEventFilter(this);
}

Presenter::~Presenter() { qApp->removeEventFilter(this); }

void Presenter::buildBar() {
    bar_ = new QToolBar(window_);
    bar_->setObjectName("presentationBar");
    bar_->setMovable(false);
    previousScene_ = bar_->addAction(QIcon(), QString(), this, &Presenter::previousScene);
    sceneLabel_ = new QLabel(bar_);
    bar_->addWidget(sceneLabel_);
    nextScene_ = bar_->addAction(QIcon(), QString(), this, &Presenter::nextScene);
    captionBar_ = new QToolBar(window_);
    captionBar_->setObjectName("captionBar");
    captionBar_->setMovable(false);
    caption_ = new CaptionLabel(captionBar_);
    caption_->setWordWrap(true);
    caption_->setTextFormat(Qt::PlainText);
    caption_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    caption_->setContentsMargins(12, 4, 12, 4);
    QFont f = caption_->font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    caption_->setFont(f);
    captionBar_->addWidget(caption_);
    // The controls stay on one row; the stretch keeps them apart from the
    // button that leaves.
    auto* spacer = new QWidget(bar_);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar_->addWidget(spacer);
    viewsButton_ = new QToolButton(bar_);
    viewsButton_->setPopupMode(QToolButton::InstantPopup);
    viewsButton_->setMenu(new QMenu(viewsButton_));
    bar_->addWidget(viewsButton_);
    scaleSlider_ = new QSlider(Qt::Horizontal, bar_);
    scaleSlider_->setRange(int(kMinScale * kSliderSteps), int(kMaxScale * kSliderSteps));
    scaleSlider_->setPageStep(25);
    scaleSlider_->setFixedWidth(140);
    scaleSlider_->setValue(kSliderSteps);
    bar_->addWidget(scaleSlider_);
    paletteBox_ = new QComboBox(bar_);
    paletteBox_->addItem(QString());
    paletteBox_->addItem(QString());
    bar_->addWidget(paletteBox_);
    leave_ = bar_->addAction(QIcon(), QString(), this, [this] { setPresenting(false); });

    connect(scaleSlider_, &QSlider::valueChanged, this,
            [this](int v) { setScale(static_cast<double>(v) / kSliderSteps); });
    connect(paletteBox_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { setHighContrast(index == 1); });
    connect(viewsButton_->menu(), &QMenu::aboutToShow, this, [this] {
        // The docks' own show/hide actions: the teacher's choice of views.
        QMenu* menu = viewsButton_->menu();
        menu->clear();
        for (const auto& spec : viewSpecs())
            if (QDockWidget* dock = window_->dock(spec.id)) menu->addAction(dock->toggleViewAction());
    });
    window_->addToolBar(Qt::TopToolBarArea, bar_);
    window_->addToolBarBreak(Qt::TopToolBarArea);
    window_->addToolBar(Qt::TopToolBarArea, captionBar_);
    bar_->hide();
    captionBar_->hide();
    retranslate();
}

void Presenter::retranslate() {
    previousScene_->setText(tr("◀ Scene"));
    previousScene_->setToolTip(tr("Previous scene (Page Up)"));
    nextScene_->setText(tr("Scene ▶"));
    nextScene_->setToolTip(tr("Next scene (Page Down)"));
    viewsButton_->setText(tr("Views"));
    viewsButton_->setToolTip(tr("Choose the views to present"));
    scaleSlider_->setToolTip(tr("Size of text, chips and diagrams (1× to 2.5×)"));
    paletteBox_->setItemText(0, tr("Standard colours"));
    paletteBox_->setItemText(1, tr("High contrast"));
    paletteBox_->setToolTip(tr("Both palettes are safe for colour-blind viewers"));
    leave_->setText(tr("Leave (Esc)"));
    refreshBar();
}

bool Presenter::highContrast() const { return teaching::palette() == teaching::Palette::HighContrast; }

void Presenter::setPresenting(bool on) {
    if (on == presenting_) return;
    presenting_ = on;
    if (on) {
        wasMaximized_ = window_->isMaximized();
        window_->showFullScreen();
    } else {
        if (wasMaximized_)
            window_->showMaximized();
        else
            window_->showNormal();
    }
    applyScale();
    refreshBar();
    emit presentingChanged(on);
}

void Presenter::setScale(double factor) {
    factor = std::clamp(factor, kMinScale, kMaxScale);
    if (factor == scale_) return;
    scale_ = factor;
    {
        const QSignalBlocker quiet(scaleSlider_);
        scaleSlider_->setValue(static_cast<int>(factor * kSliderSteps + 0.5));
    }
    applyScale();
}

void Presenter::applyScale() {
    // The whole interface follows the application font: chips, labels,
    // plots' tick labels and the teaching diagrams are sized from it.
    QFont f = baseFont_;
    const double factor = presenting_ ? scale_ : 1.0;
    // Pens are made with lineScale(); set it before the font change makes
    // the plots rescale theirs, so both agree.
    setLineScale(factor);
    if (baseFont_.pointSizeF() > 0)
        f.setPointSizeF(baseFont_.pointSizeF() * factor);
    else
        f.setPixelSize(static_cast<int>(baseFont_.pixelSize() * factor + 0.5));
    QApplication::setFont(f);
    QFont captionFont = f;  // explicitly set, so it does not follow by itself
    captionFont.setPointSizeF(f.pointSizeF() * 1.25);
    caption_->setFont(captionFont);
}

void Presenter::setHighContrast(bool on) {
    teaching::setPalette(on ? teaching::Palette::HighContrast : teaching::Palette::Standard);
    {
        const QSignalBlocker quiet(paletteBox_);
        paletteBox_->setCurrentIndex(on ? 1 : 0);
    }
    // Cividis is made for colour-vision deficiencies and keeps a steady
    // lightness ramp, the high-contrast choice; viridis is the default.
    window_->setColorMap(on ? ColorMap::Cividis : ColorMap::Viridis);
    for (QWidget* w : QApplication::allWidgets()) w->update();
}

bool Presenter::openLesson(const QString& path, QString* error) {
    auto lesson = Lesson::load(path, error);
    if (!lesson) return false;
    lesson_ = std::move(lesson);
    scene_ = -1;
    goToScene(0);
    return true;
}

void Presenter::closeLesson() {
    lesson_.reset();
    scene_ = -1;
    sceneError_.clear();
    refreshBar();
}

bool Presenter::goToScene(int k) {
    if (!lesson_) return false;
    k = std::clamp(k, 0, static_cast<int>(lesson_->scenes.size()) - 1);
    const LessonScene& s = lesson_->scenes[static_cast<size_t>(k)];
    scene_ = k;
    sceneError_.clear();
    Workspace* ws = window_->workspace();
    bool ok = true;
    if (QFileInfo(window_->document()->modelPath()).absoluteFilePath() != QFileInfo(s.model).absoluteFilePath()) {
        ws->closeB();
        ok = window_->openModel(s.model, /*quiet=*/true);
    }
    if (ok) {
        window_->setText(s.text);
        if (!s.compareModel.isEmpty())
            ok = window_->compareWithModel(s.compareModel, true);
        else if (!s.compareText.isEmpty())
            ok = window_->pinText(s.compareText, true);
        else if (ws->comparing())
            window_->closeComparison();
    }
    if (!ok) sceneError_ = window_->lastError();
    if (!s.views.isEmpty()) {
        for (const auto& spec : viewSpecs())
            if (QDockWidget* dock = window_->dock(spec.id))
                dock->setVisible(s.views.contains(spec.id) && !ws->comparing());
        // The teaching diagrams need room to be read from the back of a
        // class: the right column gets about 40% of the width when one
        // shows, the left one about 20%.
        // Deferred: the dock layout settles (and a screenshot resizes the
        // window) only once the events of this change have run.
        QTimer::singleShot(0, this, [this] {
            QList<QDockWidget*> right;
            for (const QString id : {"cell", "equation"})
                if (QDockWidget* d = window_->dock(id); d && d->isVisibleTo(window_)) right << d;
            QList<int> widths;
            for (int k = 0; k < right.size(); ++k) widths << window_->width() * 40 / 100;
            // The left column keeps room for the prediction's bars.
            for (const QString id : {"prediction", "model"})
                if (QDockWidget* d = window_->dock(id); d && d->isVisibleTo(window_)) {
                    right << d;
                    // and grows a little with the presentation scale.
                    widths << static_cast<int>(window_->width() * std::min(0.3, 0.2 * std::sqrt(presenting_ ? scale_ : 1.0)));
                }
            if (!right.isEmpty()) window_->resizeDocks(right, widths, Qt::Horizontal);
        });
    }
    for (Pane* pane : ws->allPanes()) {
        if (!ws->comparing() && pane != ws->paneA()) continue;
        Selection* sel = pane->selection();
        sel->setStep(-1);
        if (!s.lstm.isEmpty())
            sel->setLstm(s.lstm, s.layer, s.backward ? lstmscope::Direction::Backward : lstmscope::Direction::Forward);
        if (!s.attention.isEmpty()) sel->setAttention(s.attention, s.head);
        if (s.unit >= 0) sel->setUnit(s.unit);
        sel->setCellPhases(s.cellPhases);
        if (pane == ws->paneA()) sel->setTokenRange(s.token, s.tokenLast);
        if (s.step >= 0) {
            const int n = stepContext(pane->document(), sel).plan.size();
            if (n > 0) sel->setStep(std::min(s.step, n - 1));
        }
    }
    refreshBar();
    emit sceneChanged(scene_);
    return ok;
}

void Presenter::nextScene() {
    if (lesson_ && scene_ + 1 < static_cast<int>(lesson_->scenes.size())) goToScene(scene_ + 1);
}

void Presenter::previousScene() {
    if (lesson_ && scene_ > 0) goToScene(scene_ - 1);
}

QString Presenter::captionText() const { return caption_->text(); }

LessonScene Presenter::currentScene() const {
    LessonScene s;
    Workspace* ws = window_->workspace();
    s.model = window_->document()->modelPath();
    s.text = window_->document()->text();
    if (ws->mode() == Workspace::Mode::TwoModels) s.compareModel = ws->paneB()->document()->modelPath();
    if (ws->mode() == Workspace::Mode::TwoTexts) s.compareText = ws->paneB()->document()->text();
    for (const auto& spec : viewSpecs()) {
        QDockWidget* dock = window_->dock(spec.id);
        if (spec.place == ViewSpec::Place::Centre || (dock && dock->isVisibleTo(window_))) s.views << spec.id;
    }
    const Selection* sel = window_->selection();
    s.token = sel->token();
    s.tokenLast = sel->tokenLast();
    s.unit = sel->unit();
    s.lstm = sel->lstmNode();
    s.layer = sel->layer();
    s.backward = sel->direction() == lstmscope::Direction::Backward;
    s.attention = sel->attentionNode();
    s.head = sel->head();
    s.step = sel->step();
    s.cellPhases = sel->cellPhases();
    if (lesson_ && scene_ >= 0) s.caption = lesson_->scenes[static_cast<size_t>(scene_)].caption;
    return s;
}

void Presenter::refreshBar() {
    const bool lesson = lesson_.has_value();
    bar_->setVisible(presenting_ || lesson);
    captionBar_->setVisible(presenting_ || lesson);
    previousScene_->setVisible(lesson);
    nextScene_->setVisible(lesson);
    sceneLabel_->setVisible(lesson);
    for (QWidget* w : std::initializer_list<QWidget*>{viewsButton_, scaleSlider_, paletteBox_}) w->setVisible(presenting_);
    leave_->setVisible(presenting_);
    if (!lesson) {
        caption_->setText(presenting_ ? tr("Presenting: Space or → next step, ← previous, Esc leaves") : QString());
        return;
    }
    const int n = static_cast<int>(lesson_->scenes.size());
    sceneLabel_->setText(tr("%1 · scene %2 of %3").arg(lesson_->titleIn(i18n::currentLanguage())).arg(scene_ + 1).arg(n));
    previousScene_->setEnabled(scene_ > 0);
    nextScene_->setEnabled(scene_ + 1 < n);
    QString caption = scene_ >= 0 ? lesson_->scenes[static_cast<size_t>(scene_)].captionIn(i18n::currentLanguage()) : QString();
    if (!sceneError_.isEmpty()) caption = tr("This scene cannot be shown: %1").arg(sceneError_);
    caption_->setText(caption);
}

bool Presenter::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::LanguageChange && watched == bar_) retranslate();
    if (event->type() != QEvent::KeyPress || !(presenting_ || lesson_)) return QObject::eventFilter(watched, event);
    auto* key = static_cast<QKeyEvent*>(event);
    if (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return QObject::eventFilter(watched, event);
    // Only keys meant for the window: a focused text field keeps its keys
    // (Esc hands the focus back, so the next keys drive the presentation).
    QWidget* focus = QApplication::focusWidget();
    if (typingInto(focus)) {
        if (key->key() == Qt::Key_Escape) {
            focus->clearFocus();
            window_->setFocus();
            return true;
        }
        return QObject::eventFilter(watched, event);
    }
    if (!window_->isActiveWindow()) return QObject::eventFilter(watched, event);
    StepBar* steps = window_->stepBar();
    switch (key->key()) {
    case Qt::Key_PageDown: if (lesson_) { nextScene(); return true; } break;
    case Qt::Key_PageUp: if (lesson_) { previousScene(); return true; } break;
    case Qt::Key_Escape: if (presenting_) { setPresenting(false); return true; } break;
    default: break;
    }
    if (!presenting_) return QObject::eventFilter(watched, event);
    switch (key->key()) {
    case Qt::Key_Space:
    case Qt::Key_Right: steps->next(); return true;
    case Qt::Key_Left: steps->previous(); return true;
    case Qt::Key_Home: steps->first(); return true;
    case Qt::Key_End: steps->last(); return true;
    default: return QObject::eventFilter(watched, event);
    }
}
