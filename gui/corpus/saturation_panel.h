// The corpus window's gate saturation page: for the chosen LSTM or GRU layer
// and direction and gate (an LSTM's i, f or o, a GRU's r or z), the scatter of every unit's saturation
// over the whole corpus (CorpusSummary::saturation), and for the unit
// clicked its top activating contexts: the texts where its h peaked
// highest, the peak token highlighted. A click on a unit selects it in the
// main window's gates view; a click on a context opens that text.
#pragma once

#include <QWidget>

#include "gui/corpus/corpus_results.h"

class QComboBox;
class QLabel;
class QTableWidget;
class SaturationPlot;

class SaturationPanel : public QWidget {
    Q_OBJECT
public:
    explicit SaturationPanel(QWidget* parent = nullptr);

    // A finished run's results (or null, or an unfinished run: a message).
    void setResults(const CorpusResults* results);
    void setState(int state);  // index into results->states
    int state() const;
    // The gate, in SaturationCounts' order: 0 input, 1 forget, 2 output (a
    // GRU: 0 reset, 1 update).
    void setGate(int gate);
    int gate() const;
    // Rings the unit and lists its top contexts (no signal).
    void showUnit(int unit);
    // The same, as a click on its dot: also selects it in the main window.
    void selectUnit(int unit);
    int shownUnit() const { return unit_; }

    SaturationPlot* plot() const { return plot_; }
    QComboBox* gateChooser() const { return gateBox_; }
    QTableWidget* contextTable() const { return contexts_; }
    // The text index of context row `row`.
    int contextText(int row) const;

    static constexpr int kContexts = 10;

signals:
    // The user clicked a unit: select it in the main window.
    void unitSelected(const CorpusState& state, int unit);
    // Open text `index` with tokens [first, end) selected.
    void textRequested(int index, int first, int end);

private:
    void refresh();
    void fillGates();  // the gates of the chosen state's kind
    void fillContexts();

    const CorpusResults* results_ = nullptr;
    QComboBox* stateBox_;
    QComboBox* gateBox_;
    QLabel* caption_;
    SaturationPlot* plot_;
    QLabel* contextsTitle_;
    QTableWidget* contexts_;
    int unit_ = -1;
};
