// One pane of compare mode: a title with the pane's badge and model name,
// then the pane's own token strip, prediction, attention and gates views
// (the views marked inComparePane in view_registry.cpp). Pane B of a pinned
// pair also has an editor for its own text.
#pragma once

#include <QHash>
#include <QWidget>

class Pane;
class QLabel;
class QLineEdit;
class QSplitter;
class QToolButton;

class PaneWidget : public QWidget {
    Q_OBJECT
public:
    // `ownText`: pane B of a pinned pair, edited here rather than in the main editor.
    PaneWidget(Pane* pane, bool ownText, QWidget* parent = nullptr);

    Pane* pane() const { return pane_; }
    // The pane's view with this registry id ("attention"), or null.
    QWidget* view(const QString& id) const { return views_.value(id); }
    QList<QWidget*> views() const { return views_.values(); }
    QLineEdit* textEditor() const { return textEdit_; }
    QString titleText() const;
    // Side by side the panes are tall and narrow: sections go top to bottom.
    // Stacked they are wide and short: sections go left to right.
    void setStacked(bool stacked);

signals:
    void closeRequested();
    void textEdited(const QString& text);

private:
    void updateTitle();

    Pane* pane_;
    QLabel* badge_;
    QLabel* title_;
    QLineEdit* textEdit_ = nullptr;
    QToolButton* close_ = nullptr;
    QSplitter* sections_;
    QSplitter* top_;
    QHash<QString, QWidget*> views_;
    QString staleSuffix_;
};
