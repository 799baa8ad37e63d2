#include "gui/plots/axis_ticks.h"

#include "gui/plots/whitespace_marks.h"

#include <QFontMetrics>
#include <QHash>
#include <QSignalBlocker>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace axis_ticks {

namespace {

constexpr int kMaxUprightCjk = 3;  // longer CJK words read fine turned, and stacks grow tall

bool isCjk(char32_t c) {
    switch (QChar::script(c)) {
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
    case QChar::Script_Hangul:
    case QChar::Script_Bopomofo: return true;
    default: break;
    }
    // CJK punctuation and full-width forms ("，", "。", "！") stand upright too.
    return (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef);
}

// Characters that draw nothing and take no room: format characters (U+200B,
// U+200D, U+FEFF, U+2060, ...) and controls. A label of only these would
// make a zero-size tick label, which QCustomPlot caches in a null pixmap.
bool isInvisible(char32_t c) {
    const auto category = QChar::category(c);
    return category == QChar::Other_Format || category == QChar::Other_Control;
}

QList<char32_t> visibleCodePoints(const QString& label) {
    QList<char32_t> out;
    for (char32_t c : label.toUcs4())
        if (!isInvisible(c)) out << c;
    return out;
}

}  // namespace

Range clampToCells(double lower, double upper, int count) {
    const double lo = -0.5, hi = std::max(1, count) - 0.5;
    double size = std::isfinite(upper - lower) ? upper - lower : hi - lo;
    size = std::clamp(size, std::min(1.0, hi - lo), hi - lo);
    const double start = std::clamp(std::isfinite(lower) ? lower : lo, lo, hi - size);
    // Unchanged when already inside: callers compare to decide whether to write back.
    if (start == lower && size == upper - lower) return {lower, upper};
    return {start, start + size};
}

std::pair<int, int> visibleCells(double lower, double upper, int count) {
    if (count <= 0) return {0, -1};
    const int first = std::max(0, static_cast<int>(std::floor(lower)));
    const int last = std::min(count - 1, static_cast<int>(std::ceil(upper)));
    return {first, last};
}

int labelStep(double labelPixels, double pixelsPerCell) {
    if (!(pixelsPerCell > 0) || !std::isfinite(pixelsPerCell)) return 1 << 20;  // no room: no labels but the first
    return std::max(1, static_cast<int>(std::ceil(labelPixels / pixelsPerCell - 1e-9)));
}

QVector<int> thinned(int first, int last, int step, int keep) {
    step = std::max(1, step);
    QVector<int> out;
    for (int k = std::max(0, first); k <= last; ++k) {
        const bool onStep = k % step == 0 && (keep < 0 || std::abs(k - keep) >= step);
        if (onStep || k == keep) out << k;
    }
    return out;
}

bool standsUpright(const QString& label) {
    // Most labels are ASCII words: upright only when one character shows.
    // Asked for every tick label at every replot, so without the UCS-4
    // copy the general case makes (a fifth of the token axes' label time).
    int visible = 0;
    bool ascii = true;
    for (QChar c : label) {
        if (c.unicode() >= 0x80) {
            ascii = false;
            break;
        }
        if (c.unicode() >= 0x20 && c.unicode() != 0x7f) ++visible;  // controls (and '\n') draw nothing
    }
    if (ascii) return visible == 1;
    const QList<char32_t> chars = visibleCodePoints(QString(label).remove(QLatin1Char('\n')));
    if (chars.size() == 1) return true;
    if (chars.isEmpty() || chars.size() > kMaxUprightCjk) return false;
    return std::all_of(chars.begin(), chars.end(), isCjk);
}

QString stacked(const QString& label) {
    QStringList glyphs;
    for (char32_t c : visibleCodePoints(label)) glyphs << QString::fromUcs4(&c, 1);
    return glyphs.join(QLatin1Char('\n'));
}

QString displayLabel(const QString& label, const QFontMetrics& fm, int maxPixels, bool stackUpright) {
    if (label.isEmpty()) return {};
    QString text;
    if (visibleCodePoints(label).isEmpty()) {
        QStringList names;
        for (char32_t c : label.toUcs4()) names << QStringLiteral("U+%1").arg(static_cast<uint>(c), 4, 16, QLatin1Char('0')).toUpper();
        text = names.join(QLatin1Char(' '));
    } else {
        // Controls (a newline token) would break the label into lines: shown as spaces.
        for (char32_t c : label.toUcs4())
            text += QChar::category(c) == QChar::Other_Control ? QString(QLatin1Char(' ')) : QString::fromUcs4(&c, 1);
    }
    if (stackUpright && standsUpright(text) && visibleCodePoints(text).size() > 1) return stacked(text);
    QString elided = fm.elidedText(text, Qt::ElideRight, maxPixels);
    if (elided.isEmpty() || visibleCodePoints(elided).isEmpty()) elided = QString(QChar(0x2026));  // "…"
    return elided;
}

ShownLabels::ShownLabels(const QFont& font) : font_(font), fontKey_(font.key()) {}

namespace {
constexpr int kMaxCachedLabels = 50000;
struct LabelTables {
    std::unordered_map<QString, ShownLabels::Table, ShownLabels::FastHash> byFont;  // font key + width + stacking
    int entries = 0;
    unsigned generation = 0;  // bumped when emptied: every ShownLabels forgets its table
};
LabelTables& labelTables() {
    static LabelTables tables;
    return tables;
}
// The width under which advance() files its entries: no label is elided to it.
constexpr int kAdvanceTable = -1;
}  // namespace

ShownLabels::Table& ShownLabels::table(int maxPixels, bool stackUpright) const {
    auto& tables = labelTables();
    if (last_ && lastGeneration_ == tables.generation && lastPixels_ == maxPixels && lastStack_ == stackUpright)
        return *last_;
    const QString key = fontKey_ + QChar(0x1f) + QString::number(maxPixels) + (stackUpright ? u's' : u'l');
    last_ = &tables.byFont[key];
    lastPixels_ = maxPixels;
    lastStack_ = stackUpright;
    lastGeneration_ = tables.generation;
    return *last_;
}

const ShownLabel& ShownLabels::operator()(const QString& label, int maxPixels, bool stackUpright) const {
    auto& tables = labelTables();
    if (tables.entries >= kMaxCachedLabels) {
        tables.byFont.clear();
        tables.entries = 0;
        ++tables.generation;
    }
    Table& t = table(maxPixels, stackUpright);
    const auto it = t.find(label);
    if (it != t.end()) return it->second;
    const QFontMetrics fm(font_);
    ShownLabel shown;
    shown.text = maxPixels == kAdvanceTable ? label : displayLabel(label, fm, maxPixels, stackUpright);
    shown.advance = fm.horizontalAdvance(shown.text);
    ++tables.entries;
    return t.emplace(label, std::move(shown)).first->second;
}

int ShownLabels::advance(const QString& text) const { return (*this)(text, kAdvanceTable).advance; }

double labelRotation(const QString& shownText, double axisRotation) {
    return standsUpright(shownText) ? 0.0 : axisRotation;
}

namespace {

// QCustomPlot turns every tick label of an axis by the same angle. This
// painter turns each label by labelRotation(): the angle is switched around
// the base class's placement and size measurement of that one label. Its
// label cache is keyed by the text, and the angle is a function of the
// text, so cached labels stay right.
class UprightLabelPainter : public QCPAxisPainterPrivate {
public:
    // QCustomPlot keeps the pixmaps of only 16 tick labels per axis; a token
    // axis shows more (the unit plot ~40 at 256 tokens), so every replot
    // laid out, shaped and rendered most labels again (a fifth of a
    // keystroke's replot time at 256 tokens). A small pixmap each: 128 of
    // them are a few hundred KB.
    explicit UprightLabelPainter(QCustomPlot* plot) : QCPAxisPainterPrivate(plot) { mLabelCache.setMaxCost(128); }

protected:
    void placeTickLabel(QCPPainter* painter, double position, int distanceToAxis, const QString& text,
                        QSize* tickLabelsSize) override {
        const double axisRotation = tickLabelRotation;
        tickLabelRotation = labelRotation(text, axisRotation);
        // White-space tokens (␣ ↵ ⇥) dimmer than words: marks, not text.
        // Labels are drawn with the painter's pen (set once per axis to the
        // label colour); like the angle, the colour is a function of the
        // text, so the label cache (keyed by text) stays right.
        const QPen axisPen = painter->pen();
        if (whitespace_marks::isMarksOnly(text)) {
            QColor dim = axisPen.color();
            dim.setAlphaF(dim.alphaF() * 0.6f);
            painter->setPen(QPen(dim));
        }
        QCPAxisPainterPrivate::placeTickLabel(painter, position, distanceToAxis, text, tickLabelsSize);
        painter->setPen(axisPen);
        tickLabelRotation = axisRotation;
    }
    void getMaxTickLabelSize(const QFont& font, const QString& text, QSize* tickLabelsSize) const override {
        auto* self = const_cast<UprightLabelPainter*>(this);
        const double axisRotation = tickLabelRotation;
        self->tickLabelRotation = labelRotation(text, axisRotation);
        QCPAxisPainterPrivate::getMaxTickLabelSize(font, text, tickLabelsSize);
        self->tickLabelRotation = axisRotation;
    }
};

// QCPAxis keeps its painter in a protected member; a pointer to it taken
// through a derived class is the standard way to reach it without a cast.
struct PainterAccess : QCPAxis {
    static QCPAxisPainterPrivate*& painterOf(QCPAxis* axis) { return axis->*(&PainterAccess::mAxisPainter); }
};

}  // namespace

void installUprightLabels(QCPAxis* axis) {
    QCPAxisPainterPrivate*& slot = PainterAccess::painterOf(axis);
    auto* painter = new UprightLabelPainter(axis->parentPlot());
    const QCPAxisPainterPrivate* old = slot;
    // The settings QCPAxis keeps only in its painter (the rest it copies in
    // before every layout and draw).
    painter->type = old->type;
    painter->lowerEnding = old->lowerEnding;
    painter->upperEnding = old->upperEnding;
    painter->labelPadding = old->labelPadding;
    painter->tickLabelPadding = old->tickLabelPadding;
    painter->tickLabelRotation = old->tickLabelRotation;
    painter->tickLabelSide = old->tickLabelSide;
    painter->numberMultiplyCross = old->numberMultiplyCross;
    painter->tickLengthIn = old->tickLengthIn;
    painter->tickLengthOut = old->tickLengthOut;
    painter->subTickLengthIn = old->subTickLengthIn;
    painter->subTickLengthOut = old->subTickLengthOut;
    painter->offset = old->offset;
    delete old;
    slot = painter;
}

void clampAxisToCells(QCPAxis* axis, int count) {
    const QCPRange r = axis->range();
    const Range c = clampToCells(r.lower, r.upper, count);
    if (c.lower != r.lower || c.upper != r.upper) {
        const QSignalBlocker block(axis);
        axis->setRange(c.lower, c.upper);
    }
}

}  // namespace axis_ticks
