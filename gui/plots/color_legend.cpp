#include "gui/plots/color_legend.h"

#include <QEvent>
#include <QLinearGradient>
#include <QPainter>
#include <algorithm>

namespace {
constexpr int kInlineBar = 96;
// An inline bar gives way down to this when a header is short of room, so
// that the name beside it (a gate's, wider in Chinese) is not the only
// thing cut.
constexpr int kInlineBarMin = 40;
constexpr int kTickedBar = 220;
constexpr int kSpace = 5;
constexpr int kTicks = 4;  // intervals on a ticked bar

void fillBar(QPainter& p, const QRect& bar, ColorMap map, const QColor& frame) {
    QLinearGradient g(bar.left(), 0, bar.right(), 0);
    for (int k = 0; k <= 16; ++k) g.setColorAt(k / 16.0, colorAt(map, k / 16.0));
    p.fillRect(bar, g);
    p.setPen(frame);
    p.drawRect(bar.adjusted(0, 0, -1, -1));
}
}  // namespace

ColorLegend::ColorLegend(Style style, QWidget* parent) : QWidget(parent), style_(style) {
    setSizePolicy(style == Style::Inline ? QSizePolicy::Maximum : QSizePolicy::Preferred, QSizePolicy::Fixed);
}

// Views set their legends on every new trace, mostly to what they were. A
// geometry update makes the whole window lay itself out again (on a
// keystroke: every dock, splitter and label), so it is asked for only when
// the size it asks for changes: the texts of the token strip's legend
// change with every keystroke ("0.0123" .. "0.412"), its width only
// when they are wider than any before (textsChanged).
void ColorLegend::setRange(ColorMap map, double lower, double upper, const QString& caption) {
    const QString low = QString::number(lower, 'g', 3), high = QString::number(upper, 'g', 3);
    const bool sameTexts = caption == caption_ && low == low_ && high == high_;
    if (sameTexts && map == map_ && lower == lower_ && upper == upper_) return;
    map_ = map;
    lower_ = lower;
    upper_ = upper;
    caption_ = caption;
    low_ = low;
    high_ = high;
    if (!sameTexts) textsChanged();
    update();
}

void ColorLegend::setEndTexts(ColorMap map, const QString& low, const QString& high) {
    const bool sameTexts = low == low_ && high == high_;
    if (sameTexts && map == map_) return;
    map_ = map;
    low_ = low;
    high_ = high;
    if (!sameTexts) textsChanged();
    update();
}

void ColorLegend::textsChanged() {
    const int width = naturalWidth();
    if (width <= widest_) return;
    widest_ = width;
    updateGeometry();
}

void ColorLegend::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);  // a new font: updateGeometry() there
    if (event->type() == QEvent::FontChange) widest_ = naturalWidth();
}

QSize ColorLegend::minimumSizeHint() const {
    if (style_ != Style::Inline) return QWidget::minimumSizeHint();
    // As sizeHint(), from the widest texts: the layout hears of neither
    // changing while the texts fit.
    const QSize hint = sizeHint();
    return {hint.width() - (kInlineBar - kInlineBarMin), hint.height()};
}

int ColorLegend::naturalWidth() const {
    const QFontMetrics fm(font());
    if (style_ == Style::Inline) return fm.horizontalAdvance(low_) + kInlineBar + fm.horizontalAdvance(high_) + 2 * kSpace + 2;
    const int captionWidth = caption_.isEmpty() ? 0 : fm.horizontalAdvance(caption_) + 12;
    return captionWidth + kTickedBar;
}

QSize ColorLegend::sizeHint() const {
    const QFontMetrics fm(font());
    const int width = std::max(naturalWidth(), widest_);
    return {width, style_ == Style::Inline ? fm.height() + 4 : fm.height() * 2 + 10};
}

void ColorLegend::paintEvent(QPaintEvent*) {
    QPainter p(this);
    if (style_ == Style::Inline) paintInline(p);
    else paintTicked(p);
}

void ColorLegend::paintInline(QPainter& p) {
    const QFontMetrics fm(font());
    const int textY = (height() + fm.ascent() - fm.descent()) / 2;
    const QColor text = palette().color(QPalette::WindowText);
    int x = 0;
    p.setPen(text);
    p.drawText(x, textY, low_);
    x += fm.horizontalAdvance(low_) + kSpace;
    const int barH = std::min(12, height() - 4);
    const int barW = std::clamp(width() - x - kSpace - fm.horizontalAdvance(high_) - 2, kInlineBarMin, kInlineBar);
    fillBar(p, QRect(x, (height() - barH) / 2, barW, barH), map_, palette().color(QPalette::Mid));
    x += barW + kSpace;
    p.setPen(text);
    p.drawText(x, textY, high_);
}

void ColorLegend::paintTicked(QPainter& p) {
    const QFontMetrics fm(font());
    const QColor text = palette().color(QPalette::WindowText);
    const int captionWidth = caption_.isEmpty() ? 0 : fm.horizontalAdvance(caption_);
    const int barLeft = captionWidth ? captionWidth + 12 : fm.horizontalAdvance(low_) / 2 + 2;
    const int barRight = width() - fm.horizontalAdvance(high_) / 2 - 2;
    const int barTop = 3, barHeight = std::max(8, fm.height() - 4);
    p.setPen(text);
    if (captionWidth)
        p.drawText(QRect(0, barTop + barHeight / 2 - fm.height() / 2, captionWidth, fm.height()),
                   Qt::AlignVCenter | Qt::AlignLeft, caption_);
    if (barRight <= barLeft + 10) return;
    fillBar(p, QRect(barLeft, barTop, barRight - barLeft, barHeight), map_, QColor(0, 0, 0, 90));
    p.setPen(text);
    for (int k = 0; k <= kTicks; ++k) {
        const double v = lower_ + (upper_ - lower_) * k / kTicks;
        const int x = barLeft + (barRight - barLeft - 1) * k / kTicks;
        const QString label = QString::number(v, 'g', 2);
        const int w = fm.horizontalAdvance(label);
        p.drawLine(x, barTop + barHeight, x, barTop + barHeight + 3);
        p.drawText(QRect(x - w / 2 - 2, barTop + barHeight + 3, w + 4, fm.height()), Qt::AlignCenter, label);
    }
}
