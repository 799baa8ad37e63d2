#include "gui/corpus/saturation_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cstdint>

#include "gui/corpus/context_text.h"
#include "gui/corpus/saturation_plot.h"
#include "gui/teaching/teaching_style.h"

namespace {

// The gates a saturation count covers, in SaturationCounts' order, and
// their index in teaching::gateColor's i, f, g, o (an LSTM's) or
// teaching::gruGateColor's r, z, n (a GRU's).
constexpr int kGateColor[3] = {0, 1, 3};
constexpr int kGruGateColor[2] = {0, 1};

}  // namespace

SaturationPanel::SaturationPanel(QWidget* parent) : QWidget(parent) {
    stateBox_ = new QComboBox(this);
    stateBox_->setToolTip(tr("The recurrent layer (LSTM or GRU) and direction whose units are plotted"));
    gateBox_ = new QComboBox(this);
    fillGates();
    gateBox_->setCurrentIndex(1);  // f, or a GRU's z: the gate that keeps the past
    caption_ = new QLabel(this);
    caption_->setWordWrap(true);
    caption_->setForegroundRole(QPalette::PlaceholderText);
    plot_ = new SaturationPlot(this);
    contextsTitle_ = new QLabel(this);
    contextsTitle_->setWordWrap(true);
    contexts_ = new QTableWidget(0, 3, this);
    contexts_->setObjectName(QStringLiteral("topContexts"));
    contexts_->setHorizontalHeaderLabels({tr("peak h"), tr("#"), tr("Context (the peak token highlighted)")});
    contexts_->horizontalHeader()->setStretchLastSection(true);
    contexts_->verticalHeader()->hide();
    contexts_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    contexts_->setSelectionBehavior(QAbstractItemView::SelectRows);
    contexts_->setSelectionMode(QAbstractItemView::SingleSelection);
    contexts_->setItemDelegateForColumn(2, new RichTextDelegate(contexts_));
    contexts_->setWordWrap(false);

    auto* choosers = new QHBoxLayout;
    choosers->addWidget(new QLabel(tr("Recurrent layer:"), this));
    choosers->addWidget(stateBox_);
    choosers->addSpacing(8);
    choosers->addWidget(new QLabel(tr("Gate:"), this));
    choosers->addWidget(gateBox_);
    choosers->addStretch(1);

    auto* bottom = new QWidget(this);
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(contextsTitle_);
    bottomLayout->addWidget(contexts_, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(plot_);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(choosers);
    layout->addWidget(caption_);
    layout->addWidget(split, 1);

    connect(stateBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        unit_ = -1;
        fillGates();
        refresh();
    });
    connect(gateBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, &SaturationPanel::refresh);
    connect(plot_, &SaturationPlot::unitClicked, this, &SaturationPanel::selectUnit);
    const auto open = [this](const QModelIndex& index) {
        const int text = contextText(index.row());
        if (text < 0 || !results_) return;
        const auto& list = results_->contexts.of(state(), unit_);
        const int token = list[static_cast<size_t>(index.row())].token;
        emit textRequested(text, token, token + 1);
    };
    connect(contexts_, &QTableWidget::clicked, this, open);
    connect(contexts_, &QTableWidget::activated, this, open);
    setResults(nullptr);
}

void SaturationPanel::setResults(const CorpusResults* results) {
    results_ = results;
    unit_ = -1;
    const QSignalBlocker block(stateBox_);
    stateBox_->clear();
    if (results_)
        for (const CorpusState& s : results_->states) {
            QString name = QString::fromStdString(s.node);
            name += tr(", layer %1").arg(s.layer);
            name += s.backward ? tr(", backward") : tr(", forward");
            stateBox_->addItem(name);
        }
    fillGates();
    refresh();
}

void SaturationPanel::fillGates() {
    const bool gru = results_ && state() >= 0 && state() < static_cast<int>(results_->states.size()) &&
                     results_->states[static_cast<size_t>(state())].op == lstmscope::OpKind::Gru;
    const QStringList names = gru ? QStringList{tr("reset gate r"), tr("update gate z")}
                                  : QStringList{tr("input gate i"), tr("forget gate f"), tr("output gate o")};
    QStringList current;
    for (int k = 0; k < gateBox_->count(); ++k) current << gateBox_->itemText(k);
    if (current == names) return;
    const int at = gateBox_->currentIndex();
    const QSignalBlocker block(gateBox_);
    gateBox_->clear();
    gateBox_->addItems(names);
    // The same place (f and z both keep the past), else the kind's second.
    gateBox_->setCurrentIndex(at >= 0 && at < names.size() ? at : 1);
}

int SaturationPanel::state() const { return stateBox_->currentIndex(); }
void SaturationPanel::setState(int state) { stateBox_->setCurrentIndex(state); }
int SaturationPanel::gate() const { return gateBox_->currentIndex(); }
void SaturationPanel::setGate(int gate) { gateBox_->setCurrentIndex(gate); }

int SaturationPanel::contextText(int row) const {
    if (!results_) return -1;
    const auto& list = results_->contexts.of(state(), unit_);
    return row >= 0 && row < static_cast<int>(list.size()) ? list[static_cast<size_t>(row)].text : -1;
}

void SaturationPanel::refresh() {
    const bool done = results_ && results_->summary && results_->state == CorpusResults::State::Done;
    stateBox_->setEnabled(done && stateBox_->count() > 1);
    gateBox_->setEnabled(done);
    const auto* summary = done ? &*results_->summary : nullptr;
    const int s = state();
    if (!summary) {
        plot_->clearPoints(tr("Run the corpus: the saturation of every unit is counted over all its texts."));
        caption_->clear();
    } else if (summary->texts() == summary->skipped()) {
        plot_->clearPoints(tr("No text of the dataset could run."));
        caption_->clear();
    } else if (summary->saturation().empty() || s < 0 || s >= static_cast<int>(summary->saturation().size())) {
        plot_->clearPoints(tr("This model has no LSTM or GRU."));
        caption_->clear();
    } else {
        const auto& counts = summary->saturation()[static_cast<size_t>(s)];
        const int g = std::clamp(gate(), 0, counts.gate_count() - 1);
        const bool gru = counts.op == lstmscope::OpKind::Gru;
        // The fractions the CLI's summary reports: counts over the steps.
        const double steps = static_cast<double>(std::max<int64_t>(1, counts.steps));
        std::vector<double> x, y;
        for (size_t u = 0; u < counts.low[g].size(); ++u) {
            x.push_back(static_cast<double>(counts.low[g][u]) / steps);
            y.push_back(static_cast<double>(counts.high[g][u]) / steps);
        }
        plot_->setPoints(x, y, QString::fromLatin1(counts.gate_name(g)),
                         gru ? teaching::gruGateColor(kGruGateColor[g]) : teaching::gateColor(kGateColor[g]));
        caption_->setText(tr("%n unit(s) over %1 steps of %2 texts: a dot far right or far up is a gate that "
                             "is mostly shut or mostly open. Click a dot for the unit's top contexts.",
                             nullptr, static_cast<int>(x.size()))
                              .arg(counts.steps)
                              .arg(summary->texts() - summary->skipped()));
    }
    plot_->setSelectedUnit(unit_);
    fillContexts();
}

void SaturationPanel::showUnit(int unit) {
    unit_ = unit;
    plot_->setSelectedUnit(unit);
    fillContexts();
}

void SaturationPanel::selectUnit(int unit) {
    showUnit(unit);
    if (results_ && unit >= 0 && state() >= 0 && state() < static_cast<int>(results_->states.size()))
        emit unitSelected(results_->states[static_cast<size_t>(state())], unit);
}

void SaturationPanel::fillContexts() {
    contexts_->setRowCount(0);
    if (!results_ || unit_ < 0 || !results_->modelA) {
        contextsTitle_->setText(tr("Click a unit to list the texts where its hidden state h peaks highest."));
        return;
    }
    const auto& list = results_->contexts.of(state(), unit_);
    contextsTitle_->setText(tr("Unit %1: its top %n context(s) across the corpus (each text's highest h)", nullptr,
                               static_cast<int>(list.size()))
                                .arg(unit_));
    contexts_->setRowCount(static_cast<int>(list.size()));
    for (int r = 0; r < static_cast<int>(list.size()); ++r) {
        const UnitContext& c = list[static_cast<size_t>(r)];
        auto* value = new QTableWidgetItem(QString::number(static_cast<double>(c.value), 'f', 3));
        value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto* index = new QTableWidgetItem(QString::number(c.text + 1));
        index->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        const std::string& text = results_->text(c.text);
        auto* context = new QTableWidgetItem(highlightedContext(*results_->modelA, text, c.token, c.token + 1));
        context->setToolTip(QString::fromStdString(text));
        contexts_->setItem(r, 0, value);
        contexts_->setItem(r, 1, index);
        contexts_->setItem(r, 2, context);
    }
    contexts_->resizeColumnToContents(0);
    contexts_->resizeColumnToContents(1);
}
