// The attention equation view: for the pane's attention node and the
// selected query token (the pooling node has one query; a multi-hop pool one
// per hop, chosen with a hop box that shows only then), how the weights
// came about: the node's own score formula, the scores, the softmax with its
// maximum and sum, the weights of the top keys with a bar each, and the
// weighted sum they form. The numbers are the trace's (scores are recorded
// by runs with details, which this view asks for while shown); while
// stepping through an attention node row by row it follows the row being
// computed.
#pragma once

#include <QStringList>
#include <QWidget>
#include <optional>

#include "engine/analysis/equations.h"
#include "gui/views/pane_view.h"

class Document;
class Selection;
class QLabel;
class SteadyLabel;
class QSpinBox;
class QStackedWidget;

class AttentionEquationPanel;

class AttentionEquationView : public QWidget, public PaneView {
    Q_OBJECT
public:
    AttentionEquationView(Document* document, Selection* selection, QWidget* parent = nullptr);

    bool placeholderVisible() const;
    QString placeholderText() const;
    QString headingText() const;
    // The lines drawn, top to bottom (tests read the numbers here).
    QStringList lines() const;
    int shownRow() const { return row_; }
    int shownHead() const { return head_; }
    int topCount() const;

public slots:
    void setSequentialColorMap(ColorMap map) override;

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void refresh();
    void showPlaceholder(const QString& text);
    QString formulaText(const lstmscope::analysis::ScoreFormula& f, const QString& q) const;
    // A multi-hop pool's score for hop `row` (its own row of the context weights).
    QString hopFormulaText(const lstmscope::analysis::ScoreFormula& f, int row) const;

    Document* document_;
    Selection* selection_;
    QStackedWidget* stack_;
    QLabel* placeholder_;
    SteadyLabel* heading_;
    QSpinBox* topBox_;
    QSpinBox* rowBox_;
    AttentionEquationPanel* panel_;
    QSize panelHint_;  // the panel size hint the layout last heard of
    int row_ = -1, head_ = -1;
};
