// The texts of a corpus run as a table, one row per text, read from the
// compact rows (CorpusResults::rows) and the corpus' texts; and the proxy
// that sorts it by any column and filters it by prediction, confidence,
// right or wrong, Kendall tau and agreement with model B.
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <limits>

#include "gui/corpus/corpus_results.h"

class CorpusTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Index, Text, Label, Prediction, Confidence, Result, Tau, PredictionB, Agreement, ColumnCount };
    // The value columns sort by (numbers as numbers; NaN as lowest).
    static constexpr int SortRole = Qt::UserRole + 1;
    // The text's index in the corpus, for every column.
    static constexpr int TextIndexRole = Qt::UserRole + 2;

    explicit CorpusTableModel(QObject* parent = nullptr);

    // Shows `results` (its rows so far); null: none.
    void setResults(const CorpusResults* results);
    // results->rows grew by `count` rows from `first`.
    void rowsAppended(int first, int count);
    const CorpusRow& rowAt(int row) const { return results_->rows[static_cast<size_t>(row)]; }
    const CorpusResults* results() const { return results_; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString labelName(int k) const;

    const CorpusResults* results_ = nullptr;
    int shown_ = 0;  // rows announced to the views
};

class CorpusFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Outcome { All, Right, Wrong, Unlabelled };
    enum class Agreement { All, Agree, Disagree };
    struct Filter {
        int prediction = -1;  // a class, or -1 for any
        Outcome outcome = Outcome::All;
        double confidenceMin = 0, confidenceMax = 1;
        // Rows without a tau (no faithfulness run, a one-token text) pass
        // only while the range is the whole [-1, 1].
        double tauMin = -1, tauMax = 1;
        Agreement agreement = Agreement::All;
        QString text;  // contained in the text, any case
        bool operator==(const Filter&) const = default;
    };

    explicit CorpusFilterProxy(QObject* parent = nullptr);
    void setFilter(const Filter& filter);
    const Filter& filter() const { return filter_; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    Filter filter_;
};
