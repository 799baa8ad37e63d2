// A plain-text label for text that changes with every run (a status bar's
// "engine 0.53 ms", a view's heading "t = 5 of 32"): it asks the window to
// lay out again only when its size hint changes.
//
// Why: QLabel::setText calls updateGeometry() whatever the text, which
// invalidates the layouts up to the main window; on every keystroke the
// status bar and two headings made the whole window lay out again (~1 ms
// of a 12 ms keystroke, with each word-wrapped label measured anew).
// Here, a wrapped label keeps its geometry while the new text takes as many
// lines at the current width, and a one-line label keeps the widest width
// it has had (until its font changes), so "9.87 ms" after "10.02 ms" moves
// nothing.
#pragma once

#include <QWidget>

class SteadyLabel : public QWidget {
    Q_OBJECT
public:
    enum class Wrap { OneLine, Words };
    explicit SteadyLabel(Wrap wrap, QWidget* parent = nullptr);

    void setText(const QString& text);
    QString text() const { return text_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return wrap_ == Wrap::Words; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    int textWidth() const;
    int wrappedHeight(int width) const;
    Wrap wrap_;
    QString text_;
    int widest_ = 0;  // OneLine: the widest text so far, in this font (its width)
    // Words: the last two heights measured, for this text and font (laying
    // out a wrapped text is the costly part; the layout and setText ask for
    // the same two widths over and over).
    struct Measured {
        int width = -1, height = 0;
    };
    mutable Measured measured_[2];
    mutable int textWidth_ = -1;  // the text's one-line width, once measured
};
