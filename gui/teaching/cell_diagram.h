// One LSTM cell at one timestep, drawn as in Olah's "Understanding LSTM
// Networks": the cell state running along the top through the forget
// product and the input sum, the four gates fed by h_{t-1} and x_t, and
// tanh(c_t) times the output gate leaving as h_t; underneath, the six
// equations with the unit's real numbers. Painted with QPainter only, so the
// view exports to SVG and PDF as vectors.
//
// A stage (analysis::CellPhase) lights the paths and equations being
// computed and greys the rest; -1 lights everything.
//
// A GRU gets no diagram (it is drawn for LSTMs, and says so): a note, then
// its four equations with the recorded r, z, n and h (analysis::GruEquation),
// lit by GruPhase.
#pragma once

#include <QPixmap>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "engine/analysis/computation_steps.h"
#include "engine/analysis/equations.h"

class CellDiagram : public QWidget {
    Q_OBJECT
public:
    struct Data {
        lstmscope::analysis::CellEquation eq;
        int position = 0;      // t, 1-based: the token's place in the text
        int prevPosition = 0;  // the place of the token whose state is h_{t-1} (0: none, the start)
        QString token;         // x_t's token, as shown on chips
        bool hardSigmoid = false;
        int layer = 0;         // > 0: x_t is the layer below's output
        int phase = -1;
        // A GRU's cell: `gruEq` holds its numbers and `eq` is unused.
        bool gru = false;
        lstmscope::analysis::GruEquation gruEq;
        bool resetAfter = true;  // the node's reset_after (how n reads r)
    };

    explicit CellDiagram(QWidget* parent = nullptr);

    void setData(const Data& data);
    void clear();
    bool hasData() const { return valid_; }
    const Data& data() const { return data_; }
    // The equations as drawn, one per line (tests read the numbers here).
    QStringList equationLines() const;
    // A GRU's note that the diagram is for LSTMs (empty for an LSTM).
    QString noteText() const;
    // Which equation lines the current stage lights (all when phase is -1).
    bool lineLit(int line) const;

    // On by default; tests turn it off to compare against the plain drawing.
    void setCachesShapes(bool on) { cachesShapes_ = on; update(); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    // The diagram's shapes and fixed labels depend only on the size, the
    // stage and the colours, the numbers and the token on the data: a
    // keystroke or a step redraws the numbers over a cached picture of the
    // rest (thick antialiased strokes and scaled text were a tenth of a
    // short text's keystroke). Vector output (SVG, PDF) draws both.
    enum class Layer { Shapes, Numbers, Both };
    void paintDiagram(QPainter& p, const QRectF& area, Layer layer) const;
    QString shapesKey(const QSize& size, qreal dpr) const;
    void paintEquations(QPainter& p, const QRectF& area) const;
    void paintGru(QPainter& p) const;
    bool stageLit(int phase) const { return data_.phase < 0 || data_.phase == phase; }
    // Which stage each equation line belongs to: f, i, g, c, o, h (a GRU:
    // r, z, n, h).
    int lineStage(int line) const;

    Data data_;
    bool valid_ = false;
    mutable QPixmap shapes_;  // Layer::Shapes of the diagram area, at the device's pixel ratio
    mutable QString shapesKey_;
    bool cachesShapes_ = true;
};
