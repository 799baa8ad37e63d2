// The corpus window's attention faithfulness page, from the summary of a
// run with "Test attention faithfulness": the histogram of Kendall's tau
// between each text's attention and its leave-one-out importance, with the
// range Jain & Wallace (2019) report for BiLSTM + tanh attention shaded; the
// output changes under uniform and permuted attention; and the erasure
// curve (Serrano & Smith 2019): the share of texts whose decision has
// flipped once the top x of their tokens by attention are zeroed.
#pragma once

#include <QWidget>
#include <vector>

#include "gui/corpus/corpus_results.h"

class BandedHistogram;
class QLabel;
class StepCurvePlot;

class FaithfulnessPanel : public QWidget {
    Q_OBJECT
public:
    explicit FaithfulnessPanel(QWidget* parent = nullptr);
    void setResults(const CorpusResults* results);

    BandedHistogram* tauHistogram() const { return tau_; }
    StepCurvePlot* erasureCurve() const { return erasure_; }
    QString tauText() const;
    QString interventionText() const;
    QString erasureText() const;

    // The range of tau between attention and leave-one-out in Jain &
    // Wallace's released results for BiLSTM + tanh attention.
    static constexpr double kSstLow = 0.27, kSstHigh = 0.32;
    static constexpr double kImdbLow = 0.29, kImdbHigh = 0.32;

private:
    BandedHistogram* tau_;
    QLabel* tauCaption_;
    QLabel* interventions_;
    StepCurvePlot* erasure_;
    QLabel* erasureCaption_;
};
