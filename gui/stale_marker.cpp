#include "gui/stale_marker.h"

#include <QGraphicsOpacityEffect>
#include <QWidget>

#include "gui/workspace/document.h"

StaleMarker::StaleMarker(Document* document, QList<QWidget*> views, std::function<void(const QString&)> setTitleSuffix,
                         QObject* parent)
    : QObject(parent), document_(document), setTitleSuffix_(std::move(setTitleSuffix)) {
    for (QWidget* v : views) views_ << v;
    runningDelay_.setSingleShot(true);
    runningDelay_.setInterval(kRunningDimDelayMs);
    connect(&runningDelay_, &QTimer::timeout, this, &StaleMarker::dimAfterDelay);
    connect(document_, &Document::staleChanged, this, &StaleMarker::update);
    connect(document_, &Document::traceChanged, this, &StaleMarker::update);
    connect(document_, &Document::runFailed, this, &StaleMarker::update);
    connect(document_, &Document::runningChanged, this, &StaleMarker::update);
    update();
}

bool StaleMarker::isDimmed(const QWidget* view) {
    const auto* effect = qobject_cast<const QGraphicsOpacityEffect*>(view->graphicsEffect());
    return effect && effect->isEnabled() && effect->opacity() < 1.0;
}

// Only a trace that is there and old is marked (no trace at all is the
// views' own placeholder's business), and only when it stays old: a run
// failed, or a run has gone on for kRunningDimDelayMs. The debounce while
// typing is stale too but short; dimming for it would make every keystroke
// flicker.
bool StaleMarker::traceIsOld(bool* failed) const {
    const bool runFailed = !document_->runError().isEmpty();
    if (failed) *failed = runFailed;
    return document_->stale() && document_->trace() != nullptr && (runFailed || document_->running());
}

void StaleMarker::update() {
    bool failed = false;
    if (!traceIsOld(&failed)) {
        runningDelay_.stop();
        apply(false);
    } else if (failed || marked_) {
        apply(true);  // marked already: the reason may have changed
    } else if (!runningDelay_.isActive()) {
        runningDelay_.start();  // dimAfterDelay(), if the run lasts
    }
}

void StaleMarker::dimAfterDelay() {
    if (traceIsOld()) apply(true);
}

void StaleMarker::apply(bool stale) {
    const QString tip = stale ? tr("Out of date: %1").arg(document_->staleReason()) : QString();
    if (stale == marked_) {
        // The reason can change while it stays stale ("running…" -> an error).
        for (const auto& view : views_)
            if (view && stale) view->setToolTip(tip);
        return;
    }
    marked_ = stale;
    for (const auto& view : views_) {
        if (!view) continue;
        if (stale) {
            auto* effect = new QGraphicsOpacityEffect(view);
            effect->setOpacity(kStaleOpacity);
            view->setGraphicsEffect(effect);  // takes ownership, replaces any old one
            view->setToolTip(tip);
        } else {
            view->setGraphicsEffect(nullptr);
            view->setToolTip(QString());
        }
    }
    if (setTitleSuffix_) setTitleSuffix_(stale ? tr(" (out of date)") : QString());
}
