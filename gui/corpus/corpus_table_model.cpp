#include "gui/corpus/corpus_table_model.h"

#include <QColor>
#include <QFont>
#include <cmath>

namespace {

QString oneLine(const std::string& text) {
    QString s = QString::fromStdString(text);
    s.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    return s;
}

QString figure(float v, int decimals) {
    return std::isfinite(v) ? QString::number(static_cast<double>(v), 'f', decimals) : QStringLiteral("—");
}

double sortable(float v) { return std::isfinite(v) ? static_cast<double>(v) : -std::numeric_limits<double>::infinity(); }

}  // namespace

CorpusTableModel::CorpusTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void CorpusTableModel::setResults(const CorpusResults* results) {
    beginResetModel();
    results_ = results;
    shown_ = results ? static_cast<int>(results->rows.size()) : 0;
    endResetModel();
}

void CorpusTableModel::rowsAppended(int first, int count) {
    if (!results_ || count <= 0) return;
    if (first != shown_) {  // not the rows that follow: start over
        setResults(results_);
        return;
    }
    beginInsertRows(QModelIndex(), first, first + count - 1);
    shown_ = first + count;
    endInsertRows();
}

int CorpusTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : shown_; }

int CorpusTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString CorpusTableModel::labelName(int k) const {
    if (k < 0 || !results_ || !results_->modelA || k >= static_cast<int>(results_->modelA->labels.size()))
        return QStringLiteral("—");
    return QString::fromStdString(results_->modelA->labels[static_cast<size_t>(k)]);
}

QVariant CorpusTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !results_ || index.row() >= shown_) return {};
    const CorpusRow& r = rowAt(index.row());
    if (role == TextIndexRole) return r.index;
    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Index: return r.index + 1;
        case Text: return oneLine(results_->text(r.index));
        case Label: return r.labelled() ? labelName(r.label) : QStringLiteral("—");
        case Prediction: return r.ran() ? labelName(r.predicted) : tr("not run");
        case Confidence: return figure(r.confidence, 3);
        case Result: return r.right() ? tr("right") : r.wrong() ? tr("wrong") : QStringLiteral("—");
        case Tau: return figure(r.tau, 2);
        case PredictionB: return r.hasB() ? labelName(r.predictedB) : QStringLiteral("—");
        case Agreement: return !r.hasB() || !r.ran() ? QStringLiteral("—") : r.disagrees() ? tr("differs") : tr("same");
        default: return {};
        }
    }
    if (role == SortRole) {
        switch (column) {
        case Index: return r.index;
        case Text: return oneLine(results_->text(r.index));
        case Label: return r.label;
        case Prediction: return r.predicted;
        case Confidence: return sortable(r.confidence);
        case Result: return r.right() ? 1 : r.wrong() ? 0 : -1;
        case Tau: return sortable(r.tau);
        case PredictionB: return r.predictedB;
        case Agreement: return !r.hasB() ? -1 : r.disagrees() ? 1 : 0;
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (!r.ran()) {
            const auto it = results_->errors.find(r.index);
            return it != results_->errors.end() ? QString::fromStdString(it->second) : QString();
        }
        if (column == Text) return QString::fromStdString(results_->text(r.index));
        if (column == Tau)
            return tr("Kendall's tau between the attention and the leave-one-out importance of this text's tokens");
        if (column == Confidence) return tr("The probability model A gives its prediction");
        return {};
    }
    if (role == Qt::ForegroundRole) {
        if (column == Result && r.wrong()) return QColor(176, 0, 32);
        if (column == Result && r.right()) return QColor(0, 110, 50);
        if (column == Agreement && r.disagrees()) return QColor(176, 0, 32);
        if (!r.ran()) return QColor(128, 128, 128);
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        if (column == Index || column == Confidence || column == Tau)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant CorpusTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Index: return tr("#");
        case Text: return tr("Text");
        case Label: return tr("Label");
        case Prediction: return tr("Prediction");
        case Confidence: return tr("Confidence");
        case Result: return tr("Right?");
        case Tau: return tr("τ");
        case PredictionB: return tr("B predicts");
        case Agreement: return tr("A vs B");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Tau:
            return tr("Kendall's tau-b between the attention each token receives and its leave-one-out importance "
                      "(only with “Test attention faithfulness”)");
        case PredictionB: return tr("Model B's prediction (compare mode)");
        case Agreement: return tr("Whether model B predicts the same class as model A");
        default: return {};
        }
    }
    return {};
}

CorpusFilterProxy::CorpusFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(CorpusTableModel::SortRole);
    setDynamicSortFilter(true);
}

void CorpusFilterProxy::setFilter(const Filter& filter) {
    if (filter == filter_) return;
    filter_ = filter;
    invalidateRowsFilter();
}

bool CorpusFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
    const auto* model = static_cast<const CorpusTableModel*>(sourceModel());
    const CorpusRow& r = model->rowAt(sourceRow);
    const Filter& f = filter_;
    if (f.prediction >= 0 && r.predicted != f.prediction) return false;
    switch (f.outcome) {
    case Outcome::All: break;
    case Outcome::Right: if (!r.right()) return false; break;
    case Outcome::Wrong: if (!r.wrong()) return false; break;
    case Outcome::Unlabelled: if (r.labelled()) return false; break;
    }
    if (f.confidenceMin > 0 || f.confidenceMax < 1) {
        if (!std::isfinite(r.confidence) || r.confidence < f.confidenceMin || r.confidence > f.confidenceMax) return false;
    }
    if (f.tauMin > -1 || f.tauMax < 1) {
        if (!std::isfinite(r.tau) || r.tau < f.tauMin || r.tau > f.tauMax) return false;
    }
    if (f.agreement == Agreement::Agree && (!r.hasB() || r.disagrees())) return false;
    if (f.agreement == Agreement::Disagree && !r.disagrees()) return false;
    if (!f.text.isEmpty() &&
        !QString::fromStdString(model->results()->text(r.index)).contains(f.text, Qt::CaseInsensitive))
        return false;
    return true;
}

bool CorpusFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const QVariant a = left.data(sortRole()), b = right.data(sortRole());
    if (a.typeId() == QMetaType::QString) return a.toString().compare(b.toString(), Qt::CaseInsensitive) < 0;
    const double x = a.toDouble(), y = b.toDouble();
    if (x != y) return x < y;
    return left.data(CorpusTableModel::TextIndexRole).toInt() < right.data(CorpusTableModel::TextIndexRole).toInt();
}
