#include "gui/corpus/dataset_options.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>

#include "gui/corpus/dataset_columns.h"

using lstmscope::corpus::InputFormat;

namespace {

// The format chooser's entries, in order.
constexpr InputFormat kFormats[] = {InputFormat::Auto, InputFormat::Lines, InputFormat::Tsv, InputFormat::Csv,
                                    InputFormat::Jsonl};

}  // namespace

DatasetOptions::DatasetOptions(QWidget* parent) : QWidget(parent) {
    pathEdit_ = new QLineEdit(this);
    pathEdit_->setObjectName(QStringLiteral("datasetPath"));
    pathEdit_->setPlaceholderText(tr("a .txt (one text per line), .tsv, .csv or .jsonl file"));
    browseButton_ = new QPushButton(tr("&Browse…"), this);
    formatBox_ = new QComboBox(this);
    formatBox_->addItems({tr("by extension"), tr("one text per line"), tr("TSV"), tr("CSV"), tr("JSON Lines")});
    headerBox_ = new QCheckBox(tr("first row names the columns"), this);
    headerBox_->setChecked(true);
    textBox_ = new QComboBox(this);
    textBox_->setObjectName(QStringLiteral("textColumn"));
    labelBox_ = new QComboBox(this);
    labelBox_->setObjectName(QStringLiteral("labelColumn"));
    for (QComboBox* box : {textBox_, labelBox_}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(12);
    }
    hint_ = new QLabel(this);
    hint_->setWordWrap(true);
    faithfulnessBox_ = new QCheckBox(tr("Test attention &faithfulness"), this);
    faithfulnessBox_->setToolTip(
        tr("Per text also: each token's leave-one-out importance, Kendall's tau between it and the attention, the "
           "output under uniform and permuted attention, and erasure. About one run of the model per token."));
    permutationsBox_ = new QSpinBox(this);
    permutationsBox_->setRange(1, 100);
    permutationsBox_->setValue(10);
    permutationsBox_->setToolTip(tr("Random permutations of the attention per text"));

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    auto* datasetLabel = new QLabel(tr("&Dataset:"), this);
    datasetLabel->setBuddy(pathEdit_);
    grid->addWidget(datasetLabel, 0, 0);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(pathEdit_, 1);
    pathRow->addWidget(browseButton_);
    grid->addLayout(pathRow, 0, 1, 1, 7);
    grid->addWidget(new QLabel(tr("Format:"), this), 1, 0);
    grid->addWidget(formatBox_, 1, 1);
    grid->addWidget(headerBox_, 1, 2);
    grid->addWidget(new QLabel(tr("Text column:"), this), 1, 3);
    grid->addWidget(textBox_, 1, 4);
    grid->addWidget(new QLabel(tr("Label column:"), this), 1, 5);
    grid->addWidget(labelBox_, 1, 6);
    grid->setColumnStretch(7, 1);
    auto* faithRow = new QHBoxLayout;
    faithRow->addWidget(faithfulnessBox_);
    faithRow->addSpacing(12);
    faithRow->addWidget(new QLabel(tr("Permutations:"), this));
    faithRow->addWidget(permutationsBox_);
    faithRow->addStretch(1);
    grid->addLayout(faithRow, 2, 0, 1, 4);
    grid->addWidget(hint_, 2, 4, 1, 4);

    connect(browseButton_, &QPushButton::clicked, this, &DatasetOptions::browseRequested);
    connect(pathEdit_, &QLineEdit::editingFinished, this, [this] {
        if (pathEdit_->isModified()) {
            pathEdit_->setModified(false);
            inspect();
        }
    });
    connect(formatBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, &DatasetOptions::inspect);
    connect(headerBox_, &QCheckBox::toggled, this, &DatasetOptions::inspect);
    connect(textBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        detectedText_ = true;  // the user chose
        hint_->setText(hintText());
        emit changed();
    });
    connect(labelBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        hint_->setText(hintText());
        emit changed();
    });
    connect(faithfulnessBox_, &QCheckBox::toggled, permutationsBox_, &QWidget::setEnabled);
    connect(faithfulnessBox_, &QCheckBox::toggled, this, &DatasetOptions::changed);
    permutationsBox_->setEnabled(false);
    inspect();
}

void DatasetOptions::setPath(const QString& path) {
    pathEdit_->setText(path);
    inspect();
}

QString DatasetOptions::path() const { return pathEdit_->text().trimmed(); }

InputFormat DatasetOptions::format() const { return kFormats[std::max(0, formatBox_->currentIndex())]; }

void DatasetOptions::inspect() {
    const DatasetColumns found = path().isEmpty() ? DatasetColumns() : inspectDataset(path(), format(), headerBox_->isChecked());
    columns_ = found.columns;
    inspectError_ = found.error;
    const bool table = found.format == InputFormat::Tsv || found.format == InputFormat::Csv;
    headerBox_->setEnabled(table);
    {
        const QSignalBlocker b1(textBox_), b2(labelBox_);
        textBox_->clear();
        labelBox_->clear();
        textBox_->addItems(columns_);
        labelBox_->addItem(tr("(no labels)"));
        labelBox_->addItems(columns_);
        detectedText_ = found.textColumn >= 0;
        textBox_->setCurrentIndex(found.textColumn >= 0 ? found.textColumn : columns_.isEmpty() ? -1 : 0);
        labelBox_->setCurrentIndex(found.labelColumn + 1);
    }
    textBox_->setEnabled(!columns_.isEmpty());
    labelBox_->setEnabled(!columns_.isEmpty());
    hint_->setText(hintText());
    emit changed();
}

QString DatasetOptions::problem() const {
    if (path().isEmpty()) return tr("Choose a dataset file.");
    if (!inspectError_.isEmpty()) return inspectError_;
    const InputFormat f = format() == InputFormat::Auto ? formatForPath(path()) : format();
    if (f != InputFormat::Lines && textBox_->currentIndex() < 0) return tr("Choose the text column.");
    return {};
}

QString DatasetOptions::hintText() const {
    const QString blocking = problem();
    if (!blocking.isEmpty()) return blocking;
    if (!detectedText_ && columns_.size() > 1) return tr("No column is called “text”: check the text column.");
    return {};
}

lstmscope::corpus::InputOptions DatasetOptions::inputOptions(bool* ignoreLabels) const {
    lstmscope::corpus::InputOptions o;
    o.format = format();
    const InputFormat f = o.format == InputFormat::Auto ? formatForPath(path()) : o.format;
    o.header = headerBox_->isChecked();
    *ignoreLabels = false;
    if (f == InputFormat::Lines) return o;
    // With a header (or JSON), columns by name; without, by number.
    const bool named = f == InputFormat::Jsonl || o.header;
    const auto column = [&](int k) { return named ? columns_.value(k).toStdString() : std::to_string(k + 1); };
    if (textBox_->currentIndex() >= 0) o.text_column = column(textBox_->currentIndex());
    if (labelBox_->currentIndex() > 0) o.label_column = column(labelBox_->currentIndex() - 1);
    else *ignoreLabels = true;
    return o;
}

void DatasetOptions::setTextColumn(const QString& name) {
    const int k = static_cast<int>(columns_.indexOf(name));
    if (k >= 0) {
        detectedText_ = true;  // the user's choice
        textBox_->setCurrentIndex(k);
    }
}

void DatasetOptions::setLabelColumn(const QString& name) {
    labelBox_->setCurrentIndex(name.isEmpty() ? 0 : static_cast<int>(columns_.indexOf(name)) + 1);
}

bool DatasetOptions::faithfulness() const { return faithfulnessBox_->isChecked(); }
void DatasetOptions::setFaithfulness(bool on) { faithfulnessBox_->setChecked(on); }
int DatasetOptions::permutations() const { return permutationsBox_->value(); }

DatasetOptions::Choice DatasetOptions::choice() const {
    Choice c;
    c.path = path();
    c.format = formatBox_->currentIndex();
    c.header = headerBox_->isChecked();
    c.textColumn = textBox_->currentText();
    c.labelColumn = labelBox_->currentIndex() > 0 ? labelBox_->currentText() : QString();
    c.faithfulness = faithfulness();
    c.permutations = permutations();
    return c;
}

void DatasetOptions::setChoice(const Choice& c) {
    {
        const QSignalBlocker b1(formatBox_), b2(headerBox_);
        pathEdit_->setText(c.path);
        formatBox_->setCurrentIndex(c.format);
        headerBox_->setChecked(c.header);
    }
    inspect();
    if (!c.textColumn.isEmpty()) setTextColumn(c.textColumn);
    setLabelColumn(c.labelColumn);
    setFaithfulness(c.faithfulness);
    permutationsBox_->setValue(c.permutations);
}
