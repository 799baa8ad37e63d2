// Marks a document's views as out of date while the trace they show is not
// of the current text (a run failed: empty text, too many tokens; or a long
// run is still going): the views are dimmed and the titles say why, so old
// results never pass for the new text's.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
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
    static bool isDimmed(const QWidget* view);

private:
    void update();

    Document* document_;
    QList<QPointer<QWidget>> views_;
    std::function<void(const QString&)> setTitleSuffix_;
    bool marked_ = false;
};
