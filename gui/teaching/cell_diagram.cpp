#include "gui/teaching/cell_diagram.h"

#include <QEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "gui/teaching/teaching_style.h"

namespace {

using lstmscope::analysis::GateF;
using lstmscope::analysis::GateG;
using lstmscope::analysis::GateI;
using lstmscope::analysis::GateO;
using lstmscope::analysis::PhaseForget;
using lstmscope::analysis::PhaseInput;
using lstmscope::analysis::PhaseOutput;
using lstmscope::analysis::PhaseUpdate;
using lstmscope::analysis::PhaseCandidate;
using lstmscope::analysis::PhaseNewState;
using lstmscope::analysis::PhaseReset;
using lstmscope::analysis::PhaseUpdateGate;
using teaching::number;
using teaching::subscript;

// The diagram is laid out on a fixed logical canvas and scaled to fit, so
// its proportions (and its text, relative to it) never change.
constexpr double kWidth = 1000, kHeight = 430;
constexpr double kTop = 90;      // the cell-state line
constexpr double kBottom = 345;  // the h_{t-1}, x_t line feeding the gates
constexpr double kGateY = 250;   // gate box centres
constexpr double kGateW = 118, kGateH = 64;
constexpr double kOpR = 17;      // radius of a pointwise op
const double kGateX[4] = {420, 290, 550, 680};  // i, f, g, o
constexpr double kForgetX = 290, kAddX = 550, kInputOpY = 160, kOutX = 800;

}  // namespace

CellDiagram::CellDiagram(QWidget* parent) : QWidget(parent) {
    setObjectName("cellDiagram");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QSize CellDiagram::sizeHint() const {
    const int line = fontMetrics().lineSpacing();
    return {720, 300 + 8 * line};
}

QSize CellDiagram::minimumSizeHint() const {
    const int line = fontMetrics().lineSpacing();
    return {360, 150 + 8 * line};
}

void CellDiagram::setData(const Data& data) {
    data_ = data;
    valid_ = true;
    update();
}

void CellDiagram::clear() {
    valid_ = false;
    update();
}

void CellDiagram::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::FontChange) {
        updateGeometry();
        update();
    }
    QWidget::changeEvent(event);
}

int CellDiagram::lineStage(int line) const {
    if (data_.gru) {
        static const int stages[] = {PhaseReset, PhaseUpdateGate, PhaseCandidate, PhaseNewState};
        return line >= 0 && line < 4 ? stages[line] : -1;
    }
    static const int stages[] = {PhaseForget, PhaseInput, PhaseInput, PhaseUpdate, PhaseOutput, PhaseOutput};
    return line >= 0 && line < 6 ? stages[line] : -1;
}

QString CellDiagram::noteText() const {
    if (!valid_ || !data_.gru) return {};
    return tr("The cell diagram is drawn for LSTMs. This is a GRU: two gates, reset r and update z, a candidate n "
              "and the state h, no cell state. Below, its equations with the values the engine recorded for this "
              "unit and token; a GRU's gates are not split into input part, recurrent part and bias, so each "
              "gate shows its value.");
}

bool CellDiagram::lineLit(int line) const { return stageLit(lineStage(line)); }

QStringList CellDiagram::equationLines() const {
    if (!valid_) return {};
    const auto& e = data_.eq;
    const QString t = subscript(data_.position);
    const QString p = data_.prevPosition > 0 ? subscript(data_.prevPosition) : QString(QChar(0x2080));
    const QString sigma = data_.hardSigmoid ? tr("hard σ") : QStringLiteral("σ");
    if (data_.gru) {
        const auto& g = data_.gruEq;
        QStringList lines;
        lines << QStringLiteral("r%1 = %2(W·x%1 + U·h%3 + b) = %4").arg(t, sigma, p, number(g.r));
        lines << QStringLiteral("z%1 = %2(W·x%1 + U·h%3 + b) = %4").arg(t, sigma, p, number(g.z));
        if (data_.resetAfter)
            lines << QStringLiteral("n%1 = tanh(W·x%1 + b + r%1 × (U·h%2 + b′)) = %3").arg(t, p, number(g.n));
        else
            lines << QStringLiteral("n%1 = tanh(W·x%1 + U·(r%1 × h%2) + b) = %3").arg(t, p, number(g.n));
        lines << QStringLiteral("h%1 = (1 − z%1) × n%1 + z%1 × h%2 = (1 − %3) × %4 + %3 × %5 = %6")
                     .arg(t, p, number(g.z), number(g.n, true), number(g.h_prev, true), number(g.h));
        return lines;
    }
    auto gateLine = [&](int gate, const QString& name, const QString& act) {
        return QStringLiteral("%1%2 = %3(%4 + %5 + %6) = %3(%7) = %8")
            .arg(name, t, act, number(e.input[gate]), number(e.recurrent[gate], true), number(e.bias[gate], true),
                 number(e.z[gate]), number(e.value[gate]));
    };
    QStringList lines;
    lines << gateLine(GateF, "f", sigma) << gateLine(GateI, "i", sigma) << gateLine(GateG, "g", "tanh");
    lines << QStringLiteral("c%1 = f%1 × c%2 + i%1 × g%1 = %3 × %4 + %5 × %6 = %7")
                 .arg(t, p, number(e.value[GateF]), number(e.c_prev, true), number(e.value[GateI]),
                      number(e.value[GateG], true), number(e.c));
    lines << gateLine(GateO, "o", sigma);
    lines << QStringLiteral("h%1 = o%1 × tanh(c%1) = %2 × tanh(%3) = %2 × %4 = %5")
                 .arg(t, number(e.value[GateO]), number(e.c), number(e.tanh_c, true), number(e.h));
    return lines;
}

void CellDiagram::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    if (!valid_) return;
    if (data_.gru) return paintGru(p);
    const int line = fontMetrics().lineSpacing();
    const double equationsH = 7.4 * line;
    const QRectF diagram(0, 0, width(), std::max(60.0, height() - equationsH));
    if (cachesShapes_ && p.paintEngine() && p.paintEngine()->type() == QPaintEngine::Raster) {
        const qreal dpr = devicePixelRatioF();
        const QSize size = diagram.size().toSize();
        const QString key = shapesKey(size, dpr);
        if (key != shapesKey_ || shapes_.isNull()) {
            shapes_ = QPixmap(size * dpr);
            shapes_.setDevicePixelRatio(dpr);
            shapes_.fill(Qt::transparent);
            QPainter sp(&shapes_);
            sp.setRenderHint(QPainter::Antialiasing);
            sp.setFont(font());
            paintDiagram(sp, QRectF(QPointF(0, 0), diagram.size()), Layer::Shapes);
            shapesKey_ = key;
        }
        p.drawPixmap(diagram.topLeft(), shapes_);
        paintDiagram(p, diagram, Layer::Numbers);
    } else {
        paintDiagram(p, diagram, Layer::Both);
    }
    paintEquations(p, QRectF(0, diagram.bottom(), width(), height() - diagram.bottom()));
}

QString CellDiagram::shapesKey(const QSize& size, qreal dpr) const {
    QStringList parts{QString::number(size.width()), QString::number(size.height()), QString::number(dpr),
                      QString::number(data_.phase), QString::number(data_.hardSigmoid), font().key(),
                      QString::number(palette().cacheKey()), teaching::inactiveColor().name(),
                      teaching::textColor().name(), teaching::cellStateColor().name(),
                      teaching::hiddenStateColor().name()};
    for (int g = 0; g < 4; ++g) parts << teaching::gateColor(g).name();
    return parts.join(QChar(0x1f));
}

void CellDiagram::paintDiagram(QPainter& p, const QRectF& area, Layer layer) const {
    const bool shapes = layer != Layer::Numbers, numbers = layer != Layer::Shapes;
    const double scale = std::min(area.width() / kWidth, area.height() / kHeight);
    p.save();
    p.translate(area.x() + (area.width() - kWidth * scale) / 2, area.y() + (area.height() - kHeight * scale) / 2);
    p.scale(scale, scale);
    const auto& e = data_.eq;
    const QColor grey = teaching::inactiveColor();
    const QColor ink = teaching::textColor();

    QFont label = font();
    label.setPixelSize(22);
    QFont small = font();
    small.setPixelSize(18);
    QFont big = font();
    big.setPixelSize(26);
    big.setBold(true);

    auto pen = [&](const QColor& c, bool lit, double w = 4) {
        return QPen(lit ? c : grey, lit ? w : 2.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    };
    auto line = [&](const QPointF& a, const QPointF& b, const QColor& c, bool lit, double w = 4) {
        if (!shapes) return;
        p.setPen(pen(c, lit, w));
        p.drawLine(a, b);
    };
    auto drawText = [&](const QRectF& r, int flags, const QString& s, const QFont& f, const QColor& c, bool lit) {
        p.setFont(f);
        p.setPen(lit ? c : grey);
        p.drawText(r, flags, s);
    };
    // Text with a number or the token in it, and fixed labels.
    auto text = [&](const QRectF& r, int flags, const QString& s, const QFont& f, const QColor& c, bool lit) {
        if (numbers) drawText(r, flags, s, f, c, lit);
    };
    auto fixedText = [&](const QRectF& r, int flags, const QString& s, const QFont& f, const QColor& c, bool lit) {
        if (shapes) drawText(r, flags, s, f, c, lit);
    };
    auto op = [&](const QPointF& c, const QString& symbol, const QColor& colour, bool lit) {
        if (!shapes) return;
        p.setPen(pen(colour, lit, 3));
        p.setBrush(palette().base());
        p.drawEllipse(c, kOpR, kOpR);
        fixedText(QRectF(c.x() - kOpR, c.y() - kOpR, 2 * kOpR, 2 * kOpR), Qt::AlignCenter, symbol, label, colour, lit);
    };

    const bool forget = stageLit(PhaseForget), input = stageLit(PhaseInput), update = stageLit(PhaseUpdate),
               output = stageLit(PhaseOutput);
    const QString t = subscript(data_.position);
    const QString prev = data_.prevPosition > 0 ? subscript(data_.prevPosition) : QString();

    // The cell body.
    if (shapes) {
        p.setPen(QPen(grey, 2));
        p.setBrush(palette().alternateBase());
        p.drawRoundedRect(QRectF(160, 40, 720, 345), 24, 24);
    }

    // Inputs along the bottom: h_{t-1} from the left, x_t from below; they
    // feed all four gates.
    const QColor hColor = teaching::hiddenStateColor();
    const bool anyGate = forget || input || output;
    line({40, kBottom}, {kGateX[GateO], kBottom}, hColor, anyGate, 3.5);
    line({230, 425}, {230, kBottom}, hColor, anyGate, 3.5);
    const QString hPrev = data_.prevPosition > 0 ? QStringLiteral("h%1 = %2").arg(prev, number(e.h_prev))
                                                  : tr("h = 0 (start)");
    text(QRectF(0, kBottom + 6, 220, 28), Qt::AlignLeft | Qt::AlignTop, hPrev, label, ink, anyGate);
    const QString xLabel = data_.layer > 0 ? tr("x%1: layer %2 at “%3”").arg(t).arg(data_.layer - 1).arg(data_.token)
                                           : QStringLiteral("x%1 “%2”").arg(t, data_.token);
    text(QRectF(245, 392, 400, 36), Qt::AlignLeft | Qt::AlignVCenter, xLabel, label, ink, anyGate);

    // The four gates.
    const char* names[4] = {"i", "f", "g", "o"};
    const int stageOf[4] = {PhaseInput, PhaseForget, PhaseInput, PhaseOutput};
    for (int g = 0; g < 4; ++g) {
        const bool lit = stageLit(stageOf[g]);
        const QColor c = teaching::gateColor(g);
        line({kGateX[g], kBottom}, {kGateX[g], kGateY + kGateH / 2}, c, lit, 3);
        const QRectF box(kGateX[g] - kGateW / 2, kGateY - kGateH / 2, kGateW, kGateH);
        if (shapes) {
            p.setPen(pen(c, lit, 3));
            QColor fill = lit ? c : grey;
            fill.setAlpha(40);
            p.setBrush(fill);
            p.drawRoundedRect(box, 8, 8);
        }
        const QString act = g == GateG ? QStringLiteral("tanh") : (data_.hardSigmoid ? tr("hard σ") : "σ");
        fixedText(box.adjusted(4, 2, -4, -kGateH / 2), Qt::AlignCenter, QStringLiteral("%1  %2").arg(names[g], act), small,
             c, lit);
        text(box.adjusted(4, kGateH / 2 - 2, -4, -2), Qt::AlignCenter, number(e.value[g]), label, ink, lit);
    }

    // Forget: c_{t-1} x f.
    const QColor cColor = teaching::cellStateColor();
    line({40, kTop}, {kForgetX - kOpR, kTop}, cColor, forget || update, 5);
    line({kGateX[GateF], kGateY - kGateH / 2}, {kForgetX, kTop + kOpR}, teaching::gateColor(GateF), forget);
    op({kForgetX, kTop}, QStringLiteral("×"), cColor, forget);
    const QString cPrev = data_.prevPosition > 0 ? QStringLiteral("c%1 = %2").arg(prev, number(e.c_prev))
                                                  : tr("c = 0 (start)");
    text(QRectF(0, kTop - 44, 260, 30), Qt::AlignLeft | Qt::AlignBottom, cPrev, label, ink, forget);
    text(QRectF(kForgetX + 22, kTop + 8, 200, 30), Qt::AlignLeft | Qt::AlignTop,
         QStringLiteral("f·c = %1").arg(number(e.forget_term)), small, ink, forget || update);

    // Input: i x g.
    const QPointF inputOp(kAddX, kInputOpY);
    line({kGateX[GateI], kGateY - kGateH / 2}, {kGateX[GateI], kInputOpY}, teaching::gateColor(GateI), input);
    line({kGateX[GateI], kInputOpY}, {kAddX - kOpR, kInputOpY}, teaching::gateColor(GateI), input);
    line({kGateX[GateG], kGateY - kGateH / 2}, {kAddX, kInputOpY + kOpR}, teaching::gateColor(GateG), input);
    op(inputOp, QStringLiteral("×"), cColor, input);
    text(QRectF(kAddX + 22, kInputOpY - 4, 200, 30), Qt::AlignLeft | Qt::AlignTop,
         QStringLiteral("i·g = %1").arg(number(e.input_term)), small, ink, input || update);

    // Update: c_t = f c_{t-1} + i g.
    line({kForgetX + kOpR, kTop}, {kAddX - kOpR, kTop}, cColor, update, 5);
    line({kAddX, kInputOpY - kOpR}, {kAddX, kTop + kOpR}, cColor, update);
    op({kAddX, kTop}, QStringLiteral("+"), cColor, update);
    line({kAddX + kOpR, kTop}, {990, kTop}, cColor, update || output, 5);
    text(QRectF(720, kTop - 46, 275, 34), Qt::AlignRight | Qt::AlignBottom,
         QStringLiteral("c%1 = %2").arg(t, number(e.c)), big, cColor, update);

    // Output: h_t = o tanh(c_t).
    const QColor oColor = teaching::gateColor(GateO);
    const QRectF tanhBox(kOutX - 48, 150, 96, 40);
    line({kOutX, kTop}, {kOutX, tanhBox.top()}, cColor, output);
    if (shapes) {
        p.setPen(pen(cColor, output, 3));
        p.setBrush(palette().base());
        p.drawEllipse(tanhBox);
    }
    fixedText(tanhBox, Qt::AlignCenter, QStringLiteral("tanh"), small, ink, output);
    text(QRectF(kOutX + 54, 150, 150, 40), Qt::AlignLeft | Qt::AlignVCenter, number(e.tanh_c), small, ink, output);
    line({kOutX, tanhBox.bottom()}, {kOutX, kGateY - kOpR}, cColor, output);
    line({kGateX[GateO] + kGateW / 2, kGateY}, {kOutX - kOpR, kGateY}, oColor, output);
    op({kOutX, kGateY}, QStringLiteral("×"), hColor, output);
    line({kOutX, kGateY + kOpR}, {kOutX, kBottom}, hColor, output, 4);
    line({kOutX, kBottom}, {990, kBottom}, hColor, output, 4);
    text(QRectF(720, kBottom + 4, 275, 34), Qt::AlignRight | Qt::AlignTop,
         QStringLiteral("h%1 = %2").arg(t, number(e.h)), big, hColor, output);
    p.restore();
}

void CellDiagram::paintEquations(QPainter& p, const QRectF& area) const {
    const QStringList lines = equationLines();
    // The longest equation must fit the width: shrink the type if needed
    // (down to 60%) rather than cut a number off.
    QFont f = font();
    QFont bold = f;
    bold.setBold(true);
    double widest = 0;
    for (const QString& l : lines) widest = std::max<double>(widest, QFontMetricsF(bold).horizontalAdvance(l));
    const double room = area.width() - 24 - QFontMetricsF(f).lineSpacing();
    if (widest > room && widest > 0) {
        const double factor = std::max(0.6, room / widest);
        if (f.pointSizeF() > 0)
            f.setPointSizeF(f.pointSizeF() * factor);
        else
            f.setPixelSize(std::max(6, int(f.pixelSize() * factor)));
    }
    const int step = QFontMetrics(f).lineSpacing();
    QFont legend = f;
    legend.setItalic(true);
    double y = area.top() + step * 0.2;
    p.setFont(legend);
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(QRectF(area.left() + 12, y, area.width() - 24, step), Qt::AlignLeft | Qt::AlignVCenter,
               tr("each gate: activation(input part W·x + recurrent part U·h + bias b)"));
    y += step * 1.2;
    // Colour of each line: its gate, or the state it computes.
    const QColor colours[6] = {teaching::gateColor(GateF), teaching::gateColor(GateI), teaching::gateColor(GateG),
                               teaching::cellStateColor(), teaching::gateColor(GateO), teaching::hiddenStateColor()};
    for (int k = 0; k < lines.size(); ++k) {
        const bool lit = lineLit(k);
        QFont lf = f;
        lf.setBold(lit && data_.phase >= 0);
        p.setFont(lf);
        // A swatch in the line's colour, then the text.
        p.setPen(Qt::NoPen);
        p.setBrush(lit ? colours[k] : teaching::inactiveColor());
        p.drawRoundedRect(QRectF(area.left() + 12, y + step * 0.25, step * 0.5, step * 0.5), 2, 2);
        p.setPen(lit ? teaching::textColor() : teaching::inactiveColor().darker(130));
        p.drawText(QRectF(area.left() + 12 + step * 0.8, y, area.width() - 24 - step, step),
                   Qt::AlignLeft | Qt::AlignVCenter, lines[k]);
        y += step;
    }
}

void CellDiagram::paintGru(QPainter& p) const {
    // The note, then the equations in a larger type, each with its swatch.
    const QRectF area = QRectF(rect()).adjusted(12, 8, -12, -8);
    QFont noteFont = font();
    noteFont.setItalic(true);
    p.setFont(noteFont);
    p.setPen(palette().color(QPalette::PlaceholderText));
    const int noteFlags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;
    const QRectF note = p.boundingRect(area, noteFlags, noteText());
    p.drawText(area, noteFlags, noteText());

    const QStringList lines = equationLines();
    // As large as the longest line lets them be, up to 1.8 times the
    // widget's type (a projector), down to 0.6 times (a narrow dock).
    QFont f = font();
    QFont bold = f;
    bold.setBold(true);
    double widest = 0;
    for (const QString& l : lines) widest = std::max<double>(widest, QFontMetricsF(bold).horizontalAdvance(l));
    const double room = area.width() - 1.5 * QFontMetricsF(f).lineSpacing();
    const double factor = widest > 0 ? std::clamp(room / widest, 0.6, 1.8) : 1.0;
    if (f.pointSizeF() > 0) f.setPointSizeF(f.pointSizeF() * factor);
    else f.setPixelSize(std::max(6, int(f.pixelSize() * factor)));
    const int step = QFontMetrics(f).lineSpacing() * 3 / 2;
    double y = note.bottom() + step * 0.6;
    // r, z, n in their gate colours (teaching::gruGateColor), h in the state's.
    const QColor colours[4] = {teaching::gruGateColor(0), teaching::gruGateColor(1), teaching::gruGateColor(2),
                               teaching::hiddenStateColor()};
    for (int k = 0; k < lines.size() && k < 4; ++k) {
        const bool lit = lineLit(k);
        QFont lf = f;
        lf.setBold(lit && data_.phase >= 0);
        p.setFont(lf);
        const double swatch = QFontMetricsF(f).lineSpacing();
        p.setPen(Qt::NoPen);
        p.setBrush(lit ? colours[k] : teaching::inactiveColor());
        p.drawRoundedRect(QRectF(area.left(), y + swatch * 0.25, swatch * 0.5, swatch * 0.5), 2, 2);
        p.setPen(lit ? teaching::textColor() : teaching::inactiveColor().darker(130));
        p.drawText(QRectF(area.left() + swatch * 0.8, y, area.width() - swatch, swatch),
                   Qt::AlignLeft | Qt::AlignVCenter, lines[k]);
        y += step;
    }
}
