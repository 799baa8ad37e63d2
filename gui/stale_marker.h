// Marks a document's views as out of date while the trace they show is not
// of the current text (a run failed: empty text, too many tokens; or a long
// run is still going): the views are dimmed and the titles say why, so old
// results never pass for the new text's.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <functional>

class Document;
class QWidget;

class StaleMarker : public QObject {
    Q_OBJECT
public:
    // `setTitleSuffix` is told " (out of date)" or "" (a dock or pane title).
    StaleMarker(Document* document, QList<QWidget*> views, std::function<void(const QString&)> setTitleSuffix,
                QObject* parent = nullptr);

    bool marked() const { return marked_; }
    // How much a stale view is dimmed (its opacity).
    static constexpr double kStaleOpacity = 0.45;
    // A run dims the views only once it has lasted this long: dimming and
    // undimming repaint every view through an opacity effect (20 ms each at
    // 5,000 tokens), which for a run of a few tens of milliseconds was a
    // flicker and most of a keystroke's time. A failed run dims at once.
    static constexpr int kRunningDimDelayMs = 250;
    static bool isDimmed(const QWidget* view);

private:
    bool traceIsOld(bool* failed = nullptr) const;
    void update();
    void dimAfterDelay();
    void apply(bool stale);

    Document* document_;
    QList<QPointer<QWidget>> views_;
    std::function<void(const QString&)> setTitleSuffix_;
    bool marked_ = false;
    QTimer runningDelay_;  // started when a run makes the views stale
};
