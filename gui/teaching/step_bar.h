// The step-through's controls: first, previous, play/pause with a speed,
// next, last, a slider over every step, what the current step computes, and
// a switch that walks each LSTM or GRU timestep in its four stages. It drives one
// pane's Selection::step(); every view of the pane follows that.
//
// Keys: its actions carry window-wide shortcuts (Alt+Right next, Alt+Left
// previous, Alt+Home first, Alt+End last, Alt+P play/pause, Alt+Backspace
// stop), so they work while the text editor has the focus; with the bar
// itself focused, the bare arrows, Home, End and Space do the same.
#pragma once

#include <QPointer>
#include <QWidget>

class Document;
class Selection;
class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

class StepBar : public QWidget {
    Q_OBJECT
public:
    StepBar(Document* document, Selection* selection, QWidget* parent = nullptr);

    // The actions, for the menu bar (and tests).
    QAction* firstAction() const { return first_; }
    QAction* previousAction() const { return previous_; }
    QAction* playAction() const { return play_; }
    QAction* nextAction() const { return next_; }
    QAction* lastAction() const { return last_; }
    QAction* stopAction() const { return stop_; }
    bool playing() const;
    // Milliseconds between steps while playing.
    int interval() const;
    QString stepText() const;  // the label's text

public slots:
    void first();
    void previous();
    void next();
    void last();
    void togglePlay();
    void stop();  // leave step-through: every view shows everything again

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void buildActions();
    void retranslate();
    void refresh();
    void go(int step);
    int stepCount() const;

    Document* document_;
    Selection* selection_;
    QAction *first_, *previous_, *play_, *next_, *last_, *stop_;
    QToolButton* playButton_;
    QComboBox* speed_;
    QSlider* slider_;
    QLabel* label_;
    QCheckBox* phases_;
    QTimer* timer_;
    bool updating_ = false;
    int iconShowsPause_ = -1;  // the play action's icon: 0 play, 1 pause, -1 not set (refresh())
};
