#include "gui/corpus/corpus_table_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace {

QDoubleSpinBox* rangeBox(double low, double high, double value, QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(low, high);
    box->setDecimals(2);
    box->setSingleStep(0.05);
    box->setValue(value);
    return box;
}

}  // namespace

CorpusTablePanel::CorpusTablePanel(QWidget* parent) : QWidget(parent) {
    model_ = new CorpusTableModel(this);
    proxy_ = new CorpusFilterProxy(this);
    proxy_->setSourceModel(model_);
    view_ = new QTableView(this);
    view_->setObjectName(QStringLiteral("corpusTexts"));
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(CorpusTableModel::Index, Qt::AscendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->setWordWrap(false);
    view_->setTextElideMode(Qt::ElideRight);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
    view_->horizontalHeader()->setSectionResizeMode(CorpusTableModel::Text, QHeaderView::Stretch);
    view_->horizontalHeader()->setMinimumSectionSize(36);

    predictionBox_ = new QComboBox(this);
    outcomeBox_ = new QComboBox(this);
    outcomeBox_->addItems({tr("all"), tr("right only"), tr("wrong only"), tr("unlabelled only")});
    confidenceMin_ = rangeBox(0, 1, 0, this);
    confidenceMax_ = rangeBox(0, 1, 1, this);
    tauMin_ = rangeBox(-1, 1, -1, this);
    tauMax_ = rangeBox(-1, 1, 1, this);
    tauMin_->setToolTip(tr("Kendall tau between attention and leave-one-out (runs with “Test attention "
                           "faithfulness”); a narrower range hides the texts without one"));
    tauMax_->setToolTip(tauMin_->toolTip());
    agreementLabel_ = new QLabel(tr("A vs B:"), this);
    agreementBox_ = new QComboBox(this);
    agreementBox_->addItems({tr("all"), tr("same prediction"), tr("different prediction")});
    textEdit_ = new QLineEdit(this);
    textEdit_->setPlaceholderText(tr("words in the text"));
    textEdit_->setClearButtonEnabled(true);
    count_ = new QLabel(this);

    auto* filters = new QGridLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    int column = 0;
    const auto add = [&](int row, const QString& label, QWidget* a, QWidget* b = nullptr) {
        auto* text = new QLabel(label, this);
        text->setBuddy(a);
        filters->addWidget(text, row, column);
        filters->addWidget(a, row, column + 1);
        if (b) filters->addWidget(b, row, column + 2);
    };
    add(0, tr("Prediction:"), predictionBox_);
    add(1, tr("Result:"), outcomeBox_);
    column = 3;
    add(0, tr("Confidence:"), confidenceMin_, confidenceMax_);
    add(1, tr("τ:"), tauMin_, tauMax_);
    filters->addWidget(agreementLabel_, 0, 6);
    filters->addWidget(agreementBox_, 0, 7);
    filters->addWidget(new QLabel(tr("Find:"), this), 1, 6);
    filters->addWidget(textEdit_, 1, 7);
    filters->setColumnStretch(7, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(view_, 1);
    layout->addWidget(count_);

    for (QComboBox* box : {predictionBox_, outcomeBox_, agreementBox_})
        connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this, &CorpusTablePanel::readControls);
    for (QDoubleSpinBox* box : {confidenceMin_, confidenceMax_, tauMin_, tauMax_})
        connect(box, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &CorpusTablePanel::readControls);
    connect(textEdit_, &QLineEdit::textChanged, this, &CorpusTablePanel::readControls);
    const auto open = [this](const QModelIndex& index) {
        if (index.isValid()) emit textActivated(index.data(CorpusTableModel::TextIndexRole).toInt());
    };
    connect(view_, &QTableView::clicked, this, open);
    connect(view_, &QTableView::activated, this, open);
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, &CorpusTablePanel::updateCount);
    connect(proxy_, &QAbstractItemModel::rowsRemoved, this, &CorpusTablePanel::updateCount);
    connect(proxy_, &QAbstractItemModel::modelReset, this, &CorpusTablePanel::updateCount);
    connect(proxy_, &QAbstractItemModel::layoutChanged, this, &CorpusTablePanel::updateCount);
    setResults(nullptr);
}

void CorpusTablePanel::setResults(const CorpusResults* results) {
    model_->setResults(results);
    fillPredictionChooser();
    updateColumns();
    updateCount();
}

void CorpusTablePanel::rowsAppended(int first, int count) {
    if (first == 0 && count > 0) {
        fillPredictionChooser();  // the model's labels are known now
        updateColumns();
    }
    model_->rowsAppended(first, count);
    if (first == 0) fitColumns();
    updateCount();
}

void CorpusTablePanel::fitColumns() {
    // From the rows on screen (Qt looks at the visible ones): cheap for any corpus size.
    for (int c : {CorpusTableModel::Index, CorpusTableModel::Label, CorpusTableModel::Prediction,
                  CorpusTableModel::Confidence, CorpusTableModel::Result, CorpusTableModel::Tau,
                  CorpusTableModel::PredictionB, CorpusTableModel::Agreement})
        view_->resizeColumnToContents(c);
    // "−0.25" is the widest a tau gets.
    view_->setColumnWidth(CorpusTableModel::Tau,
                          std::max(view_->columnWidth(CorpusTableModel::Tau),
                                   view_->fontMetrics().horizontalAdvance(QStringLiteral("-0.00")) + 16));
}

void CorpusTablePanel::fillPredictionChooser() {
    const QSignalBlocker block(predictionBox_);
    const int current = predictionBox_->currentIndex();
    predictionBox_->clear();
    predictionBox_->addItem(tr("any"));
    const CorpusResults* results = model_->results();
    if (results)
        for (const auto& label : results->labels()) predictionBox_->addItem(QString::fromStdString(label));
    predictionBox_->setCurrentIndex(current >= 0 && current < predictionBox_->count() ? current : 0);
}

void CorpusTablePanel::updateColumns() {
    const CorpusResults* results = model_->results();
    const bool comparing = results && !results->settings.modelB.empty();
    const bool faithfulness = results && results->settings.faithfulness;
    view_->setColumnHidden(CorpusTableModel::PredictionB, !comparing);
    view_->setColumnHidden(CorpusTableModel::Agreement, !comparing);
    view_->setColumnHidden(CorpusTableModel::Tau, !faithfulness);
    // A corpus without labels has nothing to say right or wrong about.
    const bool labelled = !results || !results->corpus || results->corpus->labelled;
    view_->setColumnHidden(CorpusTableModel::Label, !labelled);
    view_->setColumnHidden(CorpusTableModel::Result, !labelled);
    outcomeBox_->setEnabled(labelled);
    agreementLabel_->setVisible(comparing);
    agreementBox_->setVisible(comparing);
    tauMin_->setEnabled(faithfulness);
    tauMax_->setEnabled(faithfulness);
}

void CorpusTablePanel::readControls() {
    CorpusFilterProxy::Filter f;
    f.prediction = predictionBox_->currentIndex() - 1;
    f.outcome = static_cast<CorpusFilterProxy::Outcome>(std::max(0, outcomeBox_->currentIndex()));
    f.confidenceMin = confidenceMin_->value();
    f.confidenceMax = confidenceMax_->value();
    f.tauMin = tauMin_->value();
    f.tauMax = tauMax_->value();
    f.agreement = static_cast<CorpusFilterProxy::Agreement>(std::max(0, agreementBox_->currentIndex()));
    f.text = textEdit_->text().trimmed();
    proxy_->setFilter(f);
    updateCount();
}

void CorpusTablePanel::setFilter(const CorpusFilterProxy::Filter& f) {
    {
        const QSignalBlocker b1(predictionBox_), b2(outcomeBox_), b3(confidenceMin_), b4(confidenceMax_), b5(tauMin_),
            b6(tauMax_), b7(agreementBox_), b8(textEdit_);
        predictionBox_->setCurrentIndex(f.prediction + 1);
        outcomeBox_->setCurrentIndex(static_cast<int>(f.outcome));
        confidenceMin_->setValue(f.confidenceMin);
        confidenceMax_->setValue(f.confidenceMax);
        tauMin_->setValue(f.tauMin);
        tauMax_->setValue(f.tauMax);
        agreementBox_->setCurrentIndex(static_cast<int>(f.agreement));
        textEdit_->setText(f.text);
    }
    readControls();
}

int CorpusTablePanel::shownRows() const { return proxy_->rowCount(); }

int CorpusTablePanel::textAt(int row) const {
    return proxy_->index(row, 0).data(CorpusTableModel::TextIndexRole).toInt();
}

void CorpusTablePanel::updateCount() {
    count_->setText(tr("%1 of %n text(s) shown", nullptr, model_->rowCount()).arg(proxy_->rowCount()));
}
