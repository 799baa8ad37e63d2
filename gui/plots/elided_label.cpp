#include "gui/plots/elided_label.h"

ElidedLabel::ElidedLabel(QWidget* parent) : QLabel(parent) { setTextFormat(Qt::PlainText); }

void ElidedLabel::setFullText(const QString& text) {
    // Unchanged text: no geometry update, which would lay the whole window
    // out again (views set their labels on every new trace).
    if (text == full_) return;
    full_ = text;
    if (!fixedTip_) setToolTip(text);
    updateGeometry();
    elide();
}

void ElidedLabel::setFixedToolTip(const QString& tip) {
    fixedTip_ = true;
    setToolTip(tip);
}

QSize ElidedLabel::sizeHint() const { return {fontMetrics().horizontalAdvance(full_) + 4, QLabel::sizeHint().height()}; }

QSize ElidedLabel::minimumSizeHint() const { return {0, QLabel::minimumSizeHint().height()}; }

void ElidedLabel::resizeEvent(QResizeEvent* event) {
    QLabel::resizeEvent(event);
    elide();
}

void ElidedLabel::elide() { setText(fontMetrics().elidedText(full_, Qt::ElideRight, width())); }
