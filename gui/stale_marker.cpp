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
    connect(&runningDelay_, &QTimer::timeout, this, &StaleMarker::update);
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

void StaleMarker::update() {
    // Only a trace that is there and old is marked (no trace at all is the
    // views' own placeholder's business), and only when it stays old: a run
    // failed, or a run has gone on for kRunningDimDelayMs. The debounce while
    // typing is stale too but short; dimming for it would make every
    // keystroke flicker.
    const bool failed = !document_->runError().isEmpty();
    const bool old = document_->stale() && document_->trace() != nullptr && (failed || document_->running());
    if (!old) runningDelay_.stop();
    else if (!failed && !marked_ && !runningDelay_.isActive() && sender() != &runningDelay_) {
        runningDelay_.start();
        return;
    }
    const bool stale = old && (failed || marked_ || !runningDelay_.isActive());
    apply(stale);
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
