// The cell view: one cell of the pane's chosen LSTM layer and direction, for
// the selected unit, at the current step's token (or the selected token when
// not stepping), drawn with its real numbers (CellDiagram). The numbers are
// the trace's: the engine records the gate pre-activations split into input
// part, recurrent part and bias when a run asks for them, and this view asks
// (Document::requestDetails) while shown. A GRU's cell is shown as its
// equations with the recorded gate values (the engine splits no GRU
// pre-activations), under a note that the diagram is for LSTMs.
#pragma once

#include <QWidget>

#include "gui/views/pane_view.h"

class CellDiagram;
class Document;
class Selection;
class QLabel;
class SteadyLabel;
class QSpinBox;
class QStackedWidget;

class CellView : public QWidget, public PaneView {
    Q_OBJECT
public:
    CellView(Document* document, Selection* selection, QWidget* parent = nullptr);

    CellDiagram* diagram() const { return diagram_; }
    QString headingText() const;
    bool placeholderVisible() const;
    QString placeholderText() const;
    // The token and unit shown (-1: none).
    int shownToken() const { return token_; }
    int shownUnit() const { return unit_; }

public slots:
    void setSequentialColorMap(ColorMap) override {}  // the gate colours are fixed (teaching_style.h)

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void refresh();
    void showPlaceholder(const QString& text);

    Document* document_;
    Selection* selection_;
    QStackedWidget* stack_;
    QLabel* placeholder_;
    SteadyLabel* heading_;
    QSpinBox* unitBox_;
    CellDiagram* diagram_;
    int token_ = -1, unit_ = -1;
    bool updating_ = false;
};
