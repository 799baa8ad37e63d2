// The corpus window's pattern search, as in LSTMVis (Strobelt et al. 2018):
// the user selects a span of tokens in the main window (click a token,
// shift-click another; or one token and a span length here), the units of
// the LSTM the gates view shows that stay above a threshold over the whole
// span become the query (corpus::units_above, the threshold suggested by
// corpus::suggest_threshold and adjustable), and Search runs the corpus
// again in the background (corpus::search_patterns) for the spans where all
// of them are on. The matches are listed ranked; a click opens the text
// with the match selected.
#pragma once

#include <QWidget>
#include <vector>

#include "engine/corpus/pattern_search.h"
#include "gui/corpus/corpus_results.h"

class PatternSearchJob;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QTableWidget;
class Workspace;

class PatternSearchPanel : public QWidget {
    Q_OBJECT
public:
    PatternSearchPanel(Workspace* workspace, PatternSearchJob* job, QWidget* parent = nullptr);

    void setResults(const CorpusResults* results);

    // The query as it stands: the span [first, end) of the main window's
    // text, the units above the threshold, and whether Search can run.
    int spanFirst() const { return first_; }
    int spanEnd() const { return end_; }
    QString spanText() const;
    const std::vector<int>& queryUnits() const { return units_; }
    double threshold() const;
    void setThreshold(double threshold);
    double suggestedThreshold() const { return suggested_; }
    void setSpanLength(int tokens);
    bool canSearch() const;
    QString statusText() const;

    void search();
    PatternSearchJob* job() const { return job_; }
    QTableWidget* matchTable() const { return matches_; }
    // At most this many matches are listed (the best).
    static constexpr int kLimit = 200;
    void setLimit(int limit) { limit_ = limit; }

signals:
    // Open text `index` with tokens [first, end) selected.
    void textRequested(int index, int first, int end);

private:
    void updateQuery();
    void updateUnits();
    void showMatches();
    void updateButtons();
    // The corpus run's state for the LSTM or GRU the gates view shows, or none.
    bool queryState(lstmscope::corpus::StateRef* ref) const;

    Workspace* workspace_;
    PatternSearchJob* job_;
    const CorpusResults* results_ = nullptr;
    QLabel* spanLabel_;
    QSpinBox* lengthBox_;
    QSlider* slider_;
    QDoubleSpinBox* thresholdBox_;
    QPushButton* suggestButton_;
    QLabel* unitsLabel_;
    QPushButton* searchButton_;
    QPushButton* cancelButton_;
    QProgressBar* progress_;
    QLabel* status_;
    QTableWidget* matches_;

    int first_ = -1, end_ = -1;
    QString stateName_;
    std::string node_;
    int layer_ = 0;
    lstmscope::Direction direction_ = lstmscope::Direction::Forward;
    double suggested_ = 0;
    std::vector<int> units_;
    QString problem_;  // why there is no query
    int limit_ = kLimit;
};
