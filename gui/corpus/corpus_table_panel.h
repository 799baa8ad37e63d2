// The texts of a corpus run: the filters (prediction, right or wrong,
// confidence, Kendall tau, agreement with model B, words in the text) over a
// sortable table. A click or Enter on a row asks to open its text.
#pragma once

#include <QWidget>

#include "gui/corpus/corpus_table_model.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QTableView;

class CorpusTablePanel : public QWidget {
    Q_OBJECT
public:
    explicit CorpusTablePanel(QWidget* parent = nullptr);

    void setResults(const CorpusResults* results);
    void rowsAppended(int first, int count);

    // The narrow columns sized to what they hold (at the start and end of a run).
    void fitColumns();
    // Sets the filter and the controls that show it.
    void setFilter(const CorpusFilterProxy::Filter& filter);
    const CorpusFilterProxy::Filter& filter() const { return proxy_->filter(); }
    int shownRows() const;
    // The text shown in table row `row` (after sorting and filtering).
    int textAt(int row) const;

    QTableView* view() const { return view_; }
    CorpusTableModel* model() const { return model_; }
    CorpusFilterProxy* proxy() const { return proxy_; }

signals:
    void textActivated(int index);

private:
    void readControls();
    void fillPredictionChooser();
    void updateCount();
    void updateColumns();

    CorpusTableModel* model_;
    CorpusFilterProxy* proxy_;
    QTableView* view_;
    QComboBox* predictionBox_;
    QComboBox* outcomeBox_;
    QDoubleSpinBox* confidenceMin_;
    QDoubleSpinBox* confidenceMax_;
    QDoubleSpinBox* tauMin_;
    QDoubleSpinBox* tauMax_;
    QLabel* agreementLabel_;
    QComboBox* agreementBox_;
    QLineEdit* textEdit_;
    QLabel* count_;
};
