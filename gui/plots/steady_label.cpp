#include "gui/plots/steady_label.h"

#include <QEvent>
#include <QPainter>
#include <algorithm>

namespace {
// Room for the longest word when space is short, as QLabel gives a wrapped label.
constexpr int kMinimumEms = 8;
// A wrapped label's preferred width: beyond it the text wraps.
constexpr int kPreferredEms = 40;
}  // namespace

SteadyLabel::SteadyLabel(Wrap wrap, QWidget* parent) : QWidget(parent), wrap_(wrap) {
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(wrap == Wrap::Words);
    setSizePolicy(policy);
}

int SteadyLabel::textWidth() const {
    if (textWidth_ < 0) textWidth_ = fontMetrics().horizontalAdvance(text_);
    return textWidth_;
}

void SteadyLabel::setText(const QString& text) {
    if (text == text_) return;
    const QSize oldHint = sizeHint();
    const int oldHeight = wrap_ == Wrap::Words ? heightForWidth(width()) : 0;
    text_ = text;
    measured_[0] = measured_[1] = Measured{};
    textWidth_ = -1;
    setAccessibleName(text);
    if (wrap_ == Wrap::OneLine) widest_ = std::max(widest_, textWidth());
    const bool moved = sizeHint() != oldHint || (wrap_ == Wrap::Words && heightForWidth(width()) != oldHeight);
    // A label that is not laid out yet (hidden, or never shown) has no
    // width to keep: let the layout see it.
    if (moved || !isVisible() || width() <= 0) updateGeometry();
    update();
}

QSize SteadyLabel::sizeHint() const {
    const QFontMetrics fm = fontMetrics();
    if (wrap_ == Wrap::OneLine) return {widest_ + 2, fm.height()};
    // Not the text's own width: that changes with every number in it, and
    // the label is given the room of its row anyway (it stretches).
    const int width = kPreferredEms * fm.averageCharWidth() + 2;
    return {width, heightForWidth(width)};
}

QSize SteadyLabel::minimumSizeHint() const {
    if (wrap_ == Wrap::OneLine) return sizeHint();
    const int width = std::min(textWidth(), kMinimumEms * fontMetrics().averageCharWidth()) + 2;
    return {width, fontMetrics().height()};
}

int SteadyLabel::heightForWidth(int width) const {
    if (wrap_ == Wrap::OneLine || text_.isEmpty()) return fontMetrics().height();
    for (const Measured& m : measured_)
        if (m.width == width) return m.height;
    measured_[1] = measured_[0];
    measured_[0] = Measured{width, wrappedHeight(width)};
    return measured_[0].height;
}

int SteadyLabel::wrappedHeight(int width) const {
    const QRect bounds = fontMetrics().boundingRect(QRect(0, 0, std::max(1, width - 2), 1 << 20),
                                                    Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text_);
    return std::max(bounds.height(), fontMetrics().height());
}

void SteadyLabel::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setPen(palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, foregroundRole()));
    const int flags = Qt::AlignLeft | Qt::AlignVCenter | (wrap_ == Wrap::Words ? Qt::TextWordWrap : Qt::TextSingleLine);
    p.drawText(rect().adjusted(1, 0, -1, 0), flags, text_);
}

// Presentation mode scales the fonts: measure again, from this font's widths.
void SteadyLabel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        measured_[0] = measured_[1] = Measured{};
        textWidth_ = -1;
        widest_ = wrap_ == Wrap::OneLine ? textWidth() : 0;
        updateGeometry();
        update();
    }
}
