// The tokens of the current text as chips in reading order, wrapping over
// lines, coloured by a quantity the user picks: the attention row of the
// selected token, the attention-pool weights, or the selected LSTM or GRU unit's
// hidden or cell state, or each token's leave-one-out importance (how much
// the output moves when the token is deleted; computed in the background by
// gui/corpus/leave_one_out.h, not for texts over 400 tokens). Text the model never saw (dropped as unknown, cut by
// pad_to) appears as struck-through grey pseudo-chips where it was typed, so
// the strip always reads like the original text. Clicking a chip selects its
// token everywhere, shift-clicking selects the span from the selected token to
// it (the pattern search's query); hovering highlights it everywhere.
#pragma once

#include <QColor>
#include <QString>
#include <QWidget>
#include <vector>

#include "engine/trace.h"

#include "gui/plots/color_maps.h"
#include "gui/views/pane_view.h"

class Document;
class Selection;
class QCheckBox;
class QComboBox;
class QLabel;
class QScrollArea;
class QStackedWidget;
class TokenChipArea;
class ColorLegend;
class ElidedLabel;

class TokenStrip : public QWidget, public PaneView {
    Q_OBJECT
public:
    // What the chips are coloured by (the order of the combo box).
    enum class Source { AttentionRow, PoolWeights, HiddenState, CellState, LeaveOneOut, None };

    struct Chip {
        enum class Kind { Token, PadGroup, Dropped, Truncated };
        Kind kind = Kind::Token;
        int token = -1;            // first token index (Token, PadGroup); -1 for pseudo-chips
        int count = 1;             // tokens in a PadGroup
        QString text;              // as drawn, before eliding
        int start = -1, end = -1;  // code points in the text; -1 for padding
        bool unknown = false;
        bool whitespace = false;   // white space only: drawn as dimmed marks (␣ ↵ ⇥)
    };

    TokenStrip(Document* document, Selection* selection, QWidget* parent = nullptr);

    Source source() const { return source_; }
    void setSource(Source source);
    bool paddingShown() const { return showPadding_; }

    // Read-only state for tests and for the lead's wiring.
    const std::vector<Chip>& chips() const { return chips_; }
    // The chip drawing `token` (a collapsed pad group covers several), or -1.
    int chipIndexOfToken(int token) const;
    // Fill colour of the chip that draws `token` (the neutral colour when the
    // source is unavailable); invalid for a token not on the strip.
    QColor chipColor(int token) const;
    // The colouring value of `token`, NaN when there is none.
    double chipValue(int token) const;
    bool coloringAvailable() const { return !values_.empty(); }
    // Upper end of the colour range: the row maximum for weights, 1 for h and c.
    double rangeMax() const { return rangeMax_; }
    QString hintText() const;
    QString chipToolTip(int chipIndex) const;
    int selectedToken() const { return selectedToken_; }
    int selectedTokenLast() const { return selectedLast_; }
    int hoveredToken() const { return hoveredToken_; }
    // Step-through: the token the current step computes (an LSTM timestep's
    // token or an attention row's query), marked on its chip; -1 if none.
    int stepToken() const { return stepToken_; }
    // The chip area's geometry of a chip, in the coordinates of chipArea().
    QRect chipRect(int chipIndex) const;
    QWidget* chipArea() const;
    ColorMap sequentialColorMap() const { return sequentialMap_; }

    // Grows with the text up to a few lines, then the chips scroll.
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    void setSequentialColorMap(ColorMap map) override;
    void setPaddingShown(bool shown);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QSize laidOutHint_;  // the size hint the layout last heard of (rebuildChips)
    friend class TokenChipArea;

    void fitChipArea();

    void onModelChanged();
    void rebuildChips();
    void recomputeColors();
    void takeAttentionValues(const lstmscope::Trace& trace);
    void takeStateValues(const lstmscope::Trace& trace);
    void takeLeaveOneOutValues(const lstmscope::Trace& trace);
    void updateHeader();
    void showPlaceholder(const QString& text);
    void ensureSelectedVisible();
    Source defaultSourceForModel() const;
    QColor neutralColor() const;

    Document* document_;
    Selection* selection_;
    QComboBox* sourceBox_;
    QCheckBox* paddingBox_;
    ColorLegend* legend_;
    ElidedLabel* info_;  // where the colours come from, or what to click
    QStackedWidget* stack_;
    QLabel* placeholder_;
    QScrollArea* scroll_;
    TokenChipArea* area_;

    Source source_ = Source::PoolWeights;
    bool userChoseSource_ = false;
    bool showPadding_ = false;
    ColorMap sequentialMap_ = ColorMap::Viridis;

    std::vector<Chip> chips_;
    std::vector<int> chipOfToken_;  // token index -> chip index
    std::vector<double> values_;    // one per token; empty: no colouring
    std::vector<QColor> colors_;    // one per chip
    double rangeMax_ = 1;
    QString valueName_;      // "weight", "h", "c", "TVD"
    QString sourceCaption_;  // which node/head/unit the colours come from
    QString hintText_;
    int selectedToken_ = -1, selectedLast_ = -1;
    int stepToken_ = -1;
    int hoveredToken_ = -1, hoveredLast_ = -1;
};
