#include "gui/gate_quantities.h"

#include <QCoreApplication>
#include <array>

#include "engine/analysis/view_choice.h"

namespace gate_quantities {
namespace {

// Source texts in the "GatesView" context: one translation for the heatmap
// titles, the line plot's legend and the compare view's chooser.
constexpr std::array<const char*, Count> kTitles{{
    QT_TRANSLATE_NOOP("GatesView", "i: input gate"),
    QT_TRANSLATE_NOOP("GatesView", "f: forget gate"),
    QT_TRANSLATE_NOOP("GatesView", "g: cell candidate"),
    QT_TRANSLATE_NOOP("GatesView", "o: output gate"),
    QT_TRANSLATE_NOOP("GatesView", "c: cell state"),
    QT_TRANSLATE_NOOP("GatesView", "h: hidden state"),
    QT_TRANSLATE_NOOP("GatesView", "r: reset gate"),
    QT_TRANSLATE_NOOP("GatesView", "z: update gate"),
    QT_TRANSLATE_NOOP("GatesView", "n: candidate"),
}};

constexpr std::array<char, Count> kSymbols{{'i', 'f', 'g', 'o', 'c', 'h', 'r', 'z', 'n'}};

}  // namespace

CellKind kindOf(const lstmscope::GateTrace& gates) {
    return lstmscope::analysis::is_gru(gates) ? CellKind::Gru : CellKind::Lstm;
}

const std::vector<int>& shown(CellKind kind) {
    static const std::vector<int> lstm{InputGate, ForgetGate, CellCandidate, OutputGate, CellState, HiddenState};
    static const std::vector<int> gru{ResetGate, UpdateGate, NewCandidate, HiddenState};
    return kind == CellKind::Gru ? gru : lstm;
}

const lstmscope::Matrix& matrixOf(const lstmscope::GateTrace& g, int q) {
    switch (q) {
    case InputGate: return g.i;
    case ForgetGate: return g.f;
    case CellCandidate: return g.g;
    case OutputGate: return g.o;
    case CellState: return g.c;
    case ResetGate: return g.r;
    case UpdateGate: return g.z;
    case NewCandidate: return g.n;
    default: return g.h;
    }
}

bool isGate(int q) {
    return q == InputGate || q == ForgetGate || q == OutputGate || q == ResetGate || q == UpdateGate;
}

QString symbol(int q) { return q >= 0 && q < Count ? QString(QLatin1Char(kSymbols[q])) : QString(); }

const char* titleSource(int q) { return q >= 0 && q < Count ? kTitles[q] : ""; }

QString name(int q) { return QCoreApplication::translate("GatesView", titleSource(q)); }

}  // namespace gate_quantities
