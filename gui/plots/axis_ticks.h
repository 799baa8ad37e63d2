// What the plot wrappers (HeatmapPlot, UnitLinePlot, PoolBarChart) share
// about an axis of cells (tokens, units): keeping the visible range on the
// cells, thinning the labels so that neighbours never overlap, and turning a
// token into the text drawn on the axis (zero-width characters made visible,
// elided, short CJK words kept upright on a turned axis).
// Pure functions apart from installUprightLabels and the ShownLabels cache;
// QCustomPlot stays in the .cpp.
#pragma once

#include <QFont>
#include <QHash>
#include <QString>
#include <QVector>
#include <unordered_map>
#include <utility>

class QCPAxis;
class QFontMetrics;

namespace axis_ticks {

// A visible range in axis coordinates, cell k at k.
struct Range {
    double lower = 0, upper = 0;
    bool operator==(const Range&) const = default;
};

// [lower, upper] shrunk and moved to lie on cells 0..count-1 (that is
// [-0.5, count - 0.5]): no empty space beyond the data, never narrower than
// one cell (or all of them when there are fewer). A range already inside
// comes back unchanged.
Range clampToCells(double lower, double upper, int count);

// The cells [lower, upper] touches, clipped to 0..count-1; first > last when none.
std::pair<int, int> visibleCells(double lower, double upper, int count);

// Show one label in `step` so that labels needing `labelPixels` each never
// overlap at `pixelsPerCell`.
int labelStep(double labelPixels, double pixelsPerCell);

// The cells in [first, last] that get a label: the multiples of `step`; and
// `keep` (>= 0) always, with the neighbours nearer to it than `step` dropped.
QVector<int> thinned(int first, int last, int step, int keep = -1);

// A label that reads correctly only level: one character, or a word of up to
// three CJK characters. On a turned axis these are drawn unrotated (stacked
// one glyph per line), never lying on their side.
bool standsUpright(const QString& label);

// "服务" -> "服\n务": the glyphs of an upright label one per line.
QString stacked(const QString& label);

// The text drawn for a token label: a label that would draw as nothing
// (zero-width characters only, such as U+200B, U+200D, U+FEFF) is named by
// its code points ("U+200B"), then elided to `maxPixels`; never an empty
// string for a non-empty label. With `stackUpright`, an upright label of
// several glyphs is stacked (for a turned axis).
QString displayLabel(const QString& label, const QFontMetrics& fm, int maxPixels, bool stackUpright = false);

// displayLabel() in one font and its horizontal advance, remembered. Eliding
// and measuring shape the text (HarfBuzz), and the token axes do it for
// every label on every new trace: at 256 tokens that was a sixth of a
// keystroke's redraw, though a keystroke changes one token. A plain cache
// for the GUI thread (Qt fonts live there): one table per font, width and
// stacking, keyed by the label alone (building a composite key per label
// was itself a twentieth of a 5,000-token redraw); all tables emptied when
// they hold more than ~50,000 labels. Make one ShownLabels per batch of
// labels: finding the font's table costs more than a look-up.
//
// The tables hash labels with qHash(label, 0), not QHash's seeded hash: on
// Debian's Qt 6.4 a seeded qHash of a short QString takes ~250 ns (SipHash),
// seed 0 ~11 ns, and a 5,000-token keystroke looks up ~35,000 labels
// (11 ms of it went to hashing). The labels are the user's own text, and the
// tables are capped, so a crafted text can slow a lookup, not break one.
struct ShownLabel {
    QString text;
    int advance = 0;  // QFontMetrics::horizontalAdvance(text)
};
class ShownLabels {
public:
    explicit ShownLabels(const QFont& font);
    const ShownLabel& operator()(const QString& label, int maxPixels, bool stackUpright = false) const;
    // QFontMetrics(font).horizontalAdvance(text), remembered the same way
    // (the token chips measure every token of every trace).
    int advance(const QString& text) const;

    struct FastHash {
        size_t operator()(const QString& s) const noexcept { return qHash(s, 0); }
    };
    using Table = std::unordered_map<QString, ShownLabel, FastHash>;

private:
    Table& table(int maxPixels, bool stackUpright) const;

    QFont font_;
    QString fontKey_;
    // The table of the last (width, stacking) asked for: batches ask for one.
    mutable Table* last_ = nullptr;
    mutable int lastPixels_ = 0;
    mutable bool lastStack_ = false;
    mutable unsigned lastGeneration_ = 0;
};

// The angle a tick label is drawn at on an axis turned by `axisRotation`:
// 0 for upright labels (see standsUpright; stacked ones included), else the
// axis's own.
double labelRotation(const QString& shownText, double axisRotation);

// Makes `axis` draw each tick label at labelRotation(text, axis rotation),
// so Chinese characters stand upright among turned words. Call once, right
// after creating the plot.
void installUprightLabels(QCPAxis* axis);

// Pulls `axis` back inside `count` cells after a zoom or pan (clampToCells),
// without emitting rangeChanged again: zoom and pan never show empty space
// beyond the tokens.
void clampAxisToCells(QCPAxis* axis, int count);

}  // namespace axis_ticks
