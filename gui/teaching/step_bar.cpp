#include "gui/teaching/step_bar.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

#include "gui/trace_labels.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"

namespace {

using lstmscope::analysis::ComputationStep;

// Speeds a class can follow: a step every 1.6 s down to 5 steps a second.
constexpr int kIntervals[] = {1600, 800, 400, 200};
constexpr int kDefaultSpeed = 1;

QString phaseName(int phase, lstmscope::OpKind op) {
    if (op == lstmscope::OpKind::Gru) {
        switch (phase) {
        case lstmscope::analysis::PhaseReset: return StepBar::tr("reset gate r");
        case lstmscope::analysis::PhaseUpdateGate: return StepBar::tr("update gate z");
        case lstmscope::analysis::PhaseCandidate: return StepBar::tr("candidate n");
        case lstmscope::analysis::PhaseNewState: return StepBar::tr("new state h");
        default: return {};
        }
    }
    switch (phase) {
    case lstmscope::analysis::PhaseForget: return StepBar::tr("forget");
    case lstmscope::analysis::PhaseInput: return StepBar::tr("input");
    case lstmscope::analysis::PhaseUpdate: return StepBar::tr("update the cell");
    case lstmscope::analysis::PhaseOutput: return StepBar::tr("output");
    default: return {};
    }
}

QString directionName(lstmscope::Direction d) {
    return d == lstmscope::Direction::Backward ? StepBar::tr("backward") : StepBar::tr("forward");
}

}  // namespace

StepBar::StepBar(Document* document, Selection* selection, QWidget* parent)
    : QWidget(parent), document_(document), selection_(selection), timer_(new QTimer(this)) {
    setObjectName("stepBar");
    setFocusPolicy(Qt::StrongFocus);
    buildActions();

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    for (QAction* a : {first_, previous_, play_, next_, last_}) {
        auto* b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setAutoRaise(true);
        if (a == play_) playButton_ = b;
        layout->addWidget(b);
    }
    speed_ = new QComboBox(this);
    for (int ms : kIntervals) speed_->addItem(QString(), ms);
    speed_->setCurrentIndex(kDefaultSpeed);
    layout->addWidget(speed_);
    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setMinimumWidth(120);
    slider_->setPageStep(10);
    layout->addWidget(slider_, 1);
    label_ = new QLabel(this);
    label_->setMinimumWidth(200);
    label_->setTextFormat(Qt::PlainText);
    layout->addWidget(label_, 2);
    phases_ = new QCheckBox(this);
    layout->addWidget(phases_);
    auto* stopButton = new QToolButton(this);
    stopButton->setDefaultAction(stop_);
    stopButton->setAutoRaise(true);
    layout->addWidget(stopButton);

    connect(slider_, &QSlider::valueChanged, this, [this](int v) {
        if (!updating_) go(v);
    });
    connect(speed_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this] { timer_->setInterval(interval()); });
    connect(phases_, &QCheckBox::toggled, this, [this](bool on) {
        // Keep the same timestep when switching between whole steps and stages.
        const StepContext before = stepContext(document_, selection_);
        const auto* cur = before.current();
        selection_->setCellPhases(on);
        if (!cur) return;
        const StepContext after = stepContext(document_, selection_);
        for (int k = 0; k < after.plan.size(); ++k) {
            const ComputationStep& s = after.plan.steps[static_cast<size_t>(k)];
            if (s.kind == cur->kind && s.node == cur->node && s.token == cur->token) {
                selection_->setStep(k);
                return;
            }
        }
    });
    timer_->setInterval(interval());
    connect(timer_, &QTimer::timeout, this, [this] {
        if (selection_->step() + 1 >= stepCount()) {
            togglePlay();  // stop at the end
            return;
        }
        next();
    });
    connect(selection_, &Selection::stepChanged, this, &StepBar::refresh);
    connect(selection_, &Selection::lstmChanged, this, &StepBar::refresh);
    connect(document_, &Document::traceChanged, this, &StepBar::refresh);
    retranslate();
    refresh();
}

void StepBar::buildActions() {
    auto make = [this](QStyle::StandardPixmap icon, const QKeySequence& key, void (StepBar::*slot)()) {
        auto* a = new QAction(style()->standardIcon(icon), QString(), this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    first_ = make(QStyle::SP_MediaSkipBackward, QKeySequence(Qt::ALT | Qt::Key_Home), &StepBar::first);
    previous_ = make(QStyle::SP_MediaSeekBackward, QKeySequence(Qt::ALT | Qt::Key_Left), &StepBar::previous);
    play_ = make(QStyle::SP_MediaPlay, QKeySequence(Qt::ALT | Qt::Key_P), &StepBar::togglePlay);
    next_ = make(QStyle::SP_MediaSeekForward, QKeySequence(Qt::ALT | Qt::Key_Right), &StepBar::next);
    last_ = make(QStyle::SP_MediaSkipForward, QKeySequence(Qt::ALT | Qt::Key_End), &StepBar::last);
    stop_ = make(QStyle::SP_DialogCloseButton, QKeySequence(Qt::ALT | Qt::Key_Backspace), &StepBar::stop);
}

void StepBar::retranslate() {
    first_->setText(tr("First step"));
    previous_->setText(tr("Previous step"));
    next_->setText(tr("Next step"));
    last_->setText(tr("Last step"));
    stop_->setText(tr("Show everything"));
    for (QAction* a : {first_, previous_, play_, next_, last_, stop_})
        a->setToolTip(QStringLiteral("%1 (%2)").arg(a->text(), a->shortcut().toString(QKeySequence::NativeText)));
    const QString speeds[] = {tr("slow"), tr("normal"), tr("fast"), tr("very fast")};
    for (int k = 0; k < speed_->count(); ++k) speed_->setItemText(k, speeds[k]);
    speed_->setToolTip(tr("Playing speed"));
    slider_->setToolTip(tr("Every step of the computation, in order"));
    phases_->setText(tr("Cell stages"));
    phases_->setToolTip(tr("Walk each timestep in four stages: for an LSTM forget, input, update the cell, output; "
                           "for a GRU the reset gate, the update gate, the candidate, the new state"));
    refresh();
}

void StepBar::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    if (event->type() == QEvent::StyleChange) {
        iconShowsPause_ = -1;  // the new style's icons
        refresh();
    }
    QWidget::changeEvent(event);
}

int StepBar::stepCount() const { return stepContext(document_, selection_).plan.size(); }

bool StepBar::playing() const { return timer_->isActive(); }

int StepBar::interval() const { return speed_->currentData().toInt(); }

QString StepBar::stepText() const { return label_->text(); }

void StepBar::go(int step) {
    const int n = stepCount();
    if (n == 0) return;
    selection_->setStep(std::clamp(step, 0, n - 1));
}

void StepBar::first() { go(0); }
void StepBar::previous() { go(selection_->stepping() ? selection_->step() - 1 : stepCount() - 1); }
void StepBar::next() { go(selection_->stepping() ? selection_->step() + 1 : 0); }
void StepBar::last() { go(stepCount() - 1); }

void StepBar::togglePlay() {
    if (timer_->isActive()) {
        timer_->stop();
    } else {
        // Play from the start when not stepping or already at the end.
        if (!selection_->stepping() || selection_->step() + 1 >= stepCount()) go(0);
        timer_->start(interval());
    }
    refresh();
}

void StepBar::stop() {
    timer_->stop();
    selection_->setStep(-1);
    refresh();
}

void StepBar::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Right: next(); return;
    case Qt::Key_Left: previous(); return;
    case Qt::Key_Home: first(); return;
    case Qt::Key_End: last(); return;
    case Qt::Key_Space: togglePlay(); return;
    case Qt::Key_Escape: stop(); return;
    default: QWidget::keyPressEvent(event);
    }
}

void StepBar::refresh() {
    const StepContext ctx = stepContext(document_, selection_);
    const int n = ctx.plan.size();
    updating_ = true;
    slider_->setRange(0, std::max(0, n - 1));
    slider_->setValue(ctx.active() ? ctx.step : std::max(0, n - 1));
    updating_ = false;
    const bool playing = timer_->isActive();
    // Asking the style for an icon loads its files each time (a tenth of the
    // step bar's share of a keystroke): only when play turns into pause or
    // back, or the language or style changed the text.
    const QString playText = playing ? tr("Pause") : tr("Play");
    if (iconShowsPause_ != int(playing) || play_->text() != playText) {
        play_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
        play_->setText(playText);
        play_->setToolTip(QStringLiteral("%1 (%2)").arg(playText, play_->shortcut().toString(QKeySequence::NativeText)));
        iconShowsPause_ = int(playing);
    }
    for (QAction* a : {first_, previous_, play_, next_, last_}) a->setEnabled(n > 0);
    stop_->setEnabled(ctx.active());
    {
        const QSignalBlocker quiet(phases_);  // only the user's toggle remaps the step
        phases_->setChecked(selection_->cellPhases());
    }
    phases_->setEnabled(ctx.plan.lstm_node >= 0);

    const lstmscope::Trace* trace = document_->trace();
    if (!trace || n == 0) {
        label_->setText(tr("Nothing to step through"));
        return;
    }
    if (!trace->complete()) {
        label_->setText(tr("Computing…"));
        return;
    }
    if (!ctx.active()) {
        label_->setText(tr("Showing the finished computation (%n steps)", nullptr, n));
        return;
    }
    const auto l = lstmscope::analysis::step_label(*trace, ctx.plan, ctx.step);
    const QString node = QString::fromStdString(l.node);
    QString what;
    switch (l.kind) {
    case ComputationStep::Kind::LstmTimestep: {
        const QString token = tokenLabel(trace->tokens.at(static_cast<size_t>(l.token)));
        what = tr("%1, layer %2 %3: token %4 of %5 “%6”")
                   .arg(node)
                   .arg(ctx.plan.layer)
                   .arg(directionName(ctx.plan.direction))
                   .arg(l.position)
                   .arg(l.count)
                   .arg(token);
        if (l.phase >= 0) what += QStringLiteral(" · ") + phaseName(l.phase, ctx.plan.op);
        break;
    }
    case ComputationStep::Kind::AttentionRow: {
        // A query that is not the text (one row, a learned query) names no token.
        const auto* attention = trace->find(l.node);
        const bool rowsAreTokens =
            attention && attentionRowsAreTokens(document_->model(), *attention, static_cast<int>(trace->tokens.size()));
        if (!rowsAreTokens) {
            what = tr("%1: query %2 of %3").arg(node).arg(l.position).arg(l.count);
            break;
        }
        const QString token = l.token < static_cast<int>(trace->tokens.size())
                                  ? tokenLabel(trace->tokens[static_cast<size_t>(l.token)])
                                  : QString::number(l.token);
        what = tr("%1: query %2 of %3 “%4”").arg(node).arg(l.position).arg(l.count).arg(token);
        break;
    }
    case ComputationStep::Kind::Node:
        what = node;
        break;
    }
    label_->setText(tr("Step %1 of %2 · %3").arg(ctx.step + 1).arg(n).arg(what));
}
