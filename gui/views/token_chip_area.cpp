#include "gui/views/token_chip_area.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

#include "gui/plots/axis_ticks.h"
#include "gui/plots/color_maps.h"
#include "gui/plots/plot_scale.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/selection.h"

using namespace chip_geometry;

namespace {

// Chip geometry. The gaps are wider than the selection outline (3 px drawn
// 2.5 px outside the chip) so outlines of neighbours never touch.
constexpr int kPadX = 7;
constexpr int kPadY = 4;
constexpr int kGapX = 9;
constexpr int kGapY = 10;
constexpr int kMargin = 7;
constexpr int kMaxTextPixels = 170;  // longer tokens are elided; the tooltip has the full text
constexpr double kRadius = 6;
// The sizes above are for the normal scale; presentation mode multiplies
// them (with the font) so chips keep their proportions on a projector.
int scaledPixels(int base) { return static_cast<int>(base * lineScale() + 0.5); }
const QColor kUnknownRed(214, 39, 40);

}  // namespace

namespace chip_geometry {
int padX() { return scaledPixels(kPadX); }
int padY() { return scaledPixels(kPadY); }
int gapX() { return scaledPixels(kGapX); }
int gapY() { return scaledPixels(kGapY); }
int margin() { return scaledPixels(kMargin); }
int maxTextPixels() { return scaledPixels(kMaxTextPixels); }
}  // namespace chip_geometry

TokenChipArea::TokenChipArea(TokenStrip* strip) : QWidget(strip), strip_(strip) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void TokenChipArea::measure() {
    const axis_ticks::ShownLabels measured(font());
    textWidths_.clear();
    textWidths_.reserve(strip_->chips_.size());
    for (const auto& chip : strip_->chips_)
        textWidths_.push_back(std::min(measured.advance(chip.text), maxTextPixels()));
    relayout();
}

int TokenChipArea::chipHeight() const { return QFontMetrics(font()).height() + 2 * padY(); }

int TokenChipArea::layoutFor(int width, std::vector<QRect>* rects) const {
    const int h = chipHeight();
    int x = margin(), y = margin();
    const int right = std::max(width - margin(), margin() + 40);
    if (rects) rects->clear();
    for (int w : textWidths_) {
        const int cw = w + 2 * padX();
        if (x > margin() && x + cw > right) {
            x = margin();
            y += h + gapY();
        }
        if (rects) rects->emplace_back(x, y, cw, h);
        x += cw + gapX();
    }
    return textWidths_.empty() ? 2 * margin() + h : y + h + margin();
}

int TokenChipArea::lineCount(int width) const {
    return std::max(1, (layoutFor(width, nullptr) - 2 * margin() + gapY()) / (chipHeight() + gapY()));
}

bool TokenChipArea::hasHeightForWidth() const { return true; }

int TokenChipArea::heightForWidth(int width) const { return layoutFor(width, nullptr); }

QSize TokenChipArea::sizeHint() const { return {400, heightForWidth(400)}; }

QSize TokenChipArea::minimumSizeHint() const { return {60, chipHeight() + 2 * margin()}; }

void TokenChipArea::relayout() {
    layoutFor(width(), &rects_);
    update();
}

const std::vector<QRect>& TokenChipArea::rects() const { return rects_; }

int TokenChipArea::chipAt(const QPoint& pos) const {
    // Chips are laid out in order, so the first chip whose line is at or
    // below `pos` starts the search; a linear scan is fine at these sizes.
    for (size_t k = 0; k < rects_.size(); ++k)
        if (rects_[k].adjusted(-gapX() / 2, -gapY() / 2, gapX() / 2, gapY() / 2).contains(pos))
            return static_cast<int>(k);
    return -1;
}

void TokenChipArea::resizeEvent(QResizeEvent*) { relayout(); }

// Presentation mode scales the application font: chips are measured in
// the font, so they are measured again (or their text would be clipped).
void TokenChipArea::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        shaped_.clear();
        measure();
        strip_->fitChipArea();
        updateGeometry();
    }
}

void TokenChipArea::paintEvent(QPaintEvent* event) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm(font());
    const QRect exposed = event->rect().adjusted(-6, -6, 6, 6);
    const auto& chips = strip_->chips_;
    for (size_t k = 0; k < rects_.size() && k < chips.size(); ++k) {
        if (!rects_[k].intersects(exposed)) continue;
        paintChip(p, fm, static_cast<int>(k));
    }
}

void TokenChipArea::mouseMoveEvent(QMouseEvent* event) {
    const int chip = chipAt(event->position().toPoint());
    int token = -1;
    if (chip >= 0) {
        const auto& c = strip_->chips_[chip];
        if (c.kind == TokenStrip::Chip::Kind::Token || c.kind == TokenStrip::Chip::Kind::PadGroup) token = c.token;
    }
    if (strip_->selection_) strip_->selection_->setHoverToken(token);
    // Keep a visible tooltip in step with the chip under the mouse.
    if (QToolTip::isVisible()) {
        if (chip >= 0)
            QToolTip::showText(event->globalPosition().toPoint(), strip_->chipToolTip(chip), this);
        else
            QToolTip::hideText();
    }
}

void TokenChipArea::leaveEvent(QEvent*) {
    // The mouse was over this strip, so the hover was ours to clear.
    if (strip_->selection_) strip_->selection_->setHoverToken(-1);
}

void TokenChipArea::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    const int chip = chipAt(event->position().toPoint());
    if (chip < 0) return;
    const auto& c = strip_->chips_[chip];
    if (!strip_->selection_ || (c.kind != TokenStrip::Chip::Kind::Token && c.kind != TokenStrip::Chip::Kind::PadGroup))
        return;
    Selection* selection = strip_->selection_;
    // Shift-click: the span from the selected token to this one.
    if (event->modifiers() & Qt::ShiftModifier && selection->token() >= 0) {
        const int anchor = c.token >= selection->token() ? selection->token() : selection->tokenLast();
        selection->setTokenRange(std::min(anchor, c.token), std::max(anchor, c.token));
    } else {
        selection->setToken(c.token);
    }
}

bool TokenChipArea::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int chip = chipAt(help->pos());
        if (chip >= 0)
            QToolTip::showText(help->globalPos(), strip_->chipToolTip(chip), this, rects_[chip]);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void TokenChipArea::paintChip(QPainter& p, const QFontMetrics& fm, int k) {
    using Kind = TokenStrip::Chip::Kind;
    const auto& chip = strip_->chips_[k];
    const QRectF r = QRectF(rects_[k]).adjusted(0.5, 0.5, -0.5, -0.5);
    const bool pseudo = chip.kind == Kind::Dropped || chip.kind == Kind::Truncated;
    const QColor fill = k < static_cast<int>(strip_->colors_.size()) ? strip_->colors_[k] : strip_->neutralColor();
    const QColor grey = palette().color(QPalette::PlaceholderText);

    if (pseudo || chip.unknown) {
        p.setBrush(pseudo ? QBrush(Qt::NoBrush) : QBrush(fill));
        p.setPen(pseudo ? QPen(grey, lineScale(), Qt::DotLine) : QPen(kUnknownRed, 2 * lineScale(), Qt::DashLine));
        p.drawRoundedRect(r, kRadius * lineScale(), kRadius * lineScale());
    } else {
        // The outline as a filled ring: the border colour's rounded rect with
        // the fill's inside it. Stroking a rounded outline (the raster
        // engine builds and fills its path) was most of the strip's paint,
        // ~1.5 ms for 256 chips at every keystroke; two fills look the same.
        const double w = lineScale();
        const QRectF outer = r.adjusted(-0.5 * w, -0.5 * w, 0.5 * w, 0.5 * w);
        p.setPen(Qt::NoPen);
        p.setBrush(fill.darker(125));
        p.drawRoundedRect(outer, kRadius * w + 0.5 * w, kRadius * w + 0.5 * w);
        p.setBrush(fill);
        p.drawRoundedRect(outer.adjusted(w, w, -w, -w), kRadius * w - 0.5 * w, kRadius * w - 0.5 * w);
    }

    // Ranges: a word selected in another pane's word model selects
    // every character chip it covers here.
    auto covers = [&](int first, int last) {
        return chip.token >= 0 && first >= 0 && first < chip.token + chip.count && last >= chip.token;
    };
    const bool selected = covers(strip_->selectedToken_, strip_->selectedLast_);
    const bool hovered = covers(strip_->hoveredToken_, strip_->hoveredLast_);
    const QColor accent = palette().color(QPalette::Highlight);
    if (hovered && !selected) {
        QColor light = accent;
        light.setAlpha(120);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(light, 2 * lineScale()));
        p.drawRoundedRect(r.adjusted(-2.5 * lineScale(), -2.5 * lineScale(), 2.5 * lineScale(), 2.5 * lineScale()), kRadius * lineScale() + 2, kRadius * lineScale() + 2);
    }
    if (selected) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(accent.darker(115), 3 * lineScale()));
        p.drawRoundedRect(r.adjusted(-3 * lineScale(), -3 * lineScale(), 3 * lineScale(), 3 * lineScale()), kRadius * lineScale() + 3, kRadius * lineScale() + 3);
    }
    if (covers(strip_->stepToken_, strip_->stepToken_)) {
        // The step being computed: a bar under the chip in the text
        // colour, unlike any selection or colour-map colour.
        p.setPen(Qt::NoPen);
        p.setBrush(palette().color(QPalette::WindowText));
        p.drawRoundedRect(QRectF(r.left(), r.bottom() + 2.5 * lineScale(), r.width(), 3.5 * lineScale()), 1.5, 1.5);
    }

    QFont f = font();
    QColor ink = pseudo ? grey : textColorOn(fill);
    // White space as marks (␣ ↵ ⇥), dimmer than words: not letters of the text.
    if (chip.whitespace) ink.setAlphaF(ink.alphaF() * 0.5f);
    if (pseudo) f.setStrikeOut(true);
    if (chip.kind == Kind::PadGroup) {
        f.setItalic(true);
        if (!strip_->coloringAvailable() || chip.count > 1) ink = grey.darker(130);
    }
    p.setFont(f);
    p.setPen(ink);
    const int style = pseudo ? 1 : chip.kind == Kind::PadGroup ? 2 : 0;
    const QStaticText& text = shapedText(chip.text, f, style);
    // Vertically centred as drawText(AlignVCenter) centres a line.
    const QRect box = rects_[k].adjusted(padX(), 0, -padX() + 2, 0);
    p.drawStaticText(QPointF(box.left(), box.top() + (box.height() - fm.height()) / 2.0), text);
}

const QStaticText& TokenChipArea::shapedText(const QString& text, const QFont& font, int style) {
    if (shaped_.size() > 8192) shaped_.clear();  // a bound, far above what a screen shows
    const QString key = QString::number(style) + QChar(0x1F) + text;
    auto it = shaped_.find(key);
    if (it != shaped_.end()) return *it;
    QStaticText shaped(QFontMetrics(font).elidedText(text, Qt::ElideRight, maxTextPixels()));
    shaped.setTextFormat(Qt::PlainText);
    shaped.prepare(QTransform(), font);
    return *shaped_.insert(key, shaped);
}
