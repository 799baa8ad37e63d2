// A one-line label that gives way when space is short: it elides its text
// instead of holding the layout wide, and keeps the full text in a tooltip
// (unless the caller sets its own).
#pragma once

#include <QLabel>

class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    void setFullText(const QString& text);
    QString fullText() const { return full_; }
    // Keep a tooltip of the caller's instead of the full text.
    void setFixedToolTip(const QString& tip);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void elide();
    QString full_;
    bool fixedTip_ = false;
};
