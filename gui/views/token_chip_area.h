// The token strip's painted chips (TokenStrip's private part, in a file of
// its own): one rounded chip per token in reading order, wrapping over
// lines, filled with the strip's colours. Geometry is recomputed only on
// resize or new chips; a paint touches only the chips in the exposed
// rectangle, so 300+ tokens cost nothing while scrolling or hovering.
#pragma once

#include <QHash>
#include <QStaticText>
#include <QWidget>
#include <vector>

class TokenStrip;
class QFontMetrics;
class QPainter;

// Chip geometry in pixels, scaled with the font in presentation mode.
namespace chip_geometry {
int padX();
int padY();
int gapX();
int gapY();
int margin();
int maxTextPixels();
// At most this many lines before the strip scrolls instead of growing.
constexpr int kMaxGrowLines = 4;
}  // namespace chip_geometry

class TokenChipArea : public QWidget {
public:
    explicit TokenChipArea(TokenStrip* strip);

    // Measures every chip once per trace (font metrics are the only costly
    // part; the cache spares re-shaping the tokens a keystroke left alone).
    void measure();
    int chipHeight() const;
    // Lays the chips out for `width`; returns the height needed.
    int layoutFor(int width, std::vector<QRect>* rects) const;
    int lineCount(int width) const;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    void relayout();
    const std::vector<QRect>& rects() const;
    int chipAt(const QPoint& pos) const;

protected:
    void resizeEvent(QResizeEvent*) override;
    void changeEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    void paintChip(QPainter& p, const QFontMetrics& fm, int k);
    // A chip's text elided and laid out once for `font` (`style`: plain,
    // struck out or italic), kept across paints and traces: drawText shapes
    // and lays its string out on every call, which for the visible chips was
    // ~1.3 ms of every keystroke's paint at 256 tokens, and most chips keep
    // their text from one keystroke to the next. Cleared with the font.
    const QStaticText& shapedText(const QString& text, const QFont& font, int style);

    TokenStrip* strip_;
    QHash<QString, QStaticText> shaped_;
    std::vector<int> textWidths_;
    std::vector<QRect> rects_;
};
