#include "gui/corpus/pattern_search_panel.h"

#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <set>

#include "engine/analysis/view_choice.h"
#include "gui/corpus/context_text.h"
#include "gui/corpus/corpus_job.h"
#include "gui/trace_labels.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/workspace.h"

namespace corpus = lstmscope::corpus;

namespace {

constexpr double kSliderSteps = 100.0;  // the slider moves in hundredths over [-1, 1]

QString sameFile(const std::string& a) { return QFileInfo(QString::fromStdString(a)).canonicalFilePath(); }

}  // namespace

PatternSearchPanel::PatternSearchPanel(Workspace* workspace, PatternSearchJob* job, QWidget* parent)
    : QWidget(parent), workspace_(workspace), job_(job) {
    auto* intro = new QLabel(tr("Select tokens in the main window (click one, shift-click another): the units of the "
                                "LSTM or GRU layer the gates view shows that stay above the threshold over them "
                                "are searched for across the corpus."),
                             this);
    intro->setWordWrap(true);
    spanLabel_ = new QLabel(this);
    spanLabel_->setWordWrap(true);
    spanLabel_->setTextFormat(Qt::RichText);
    lengthBox_ = new QSpinBox(this);
    lengthBox_->setRange(1, 20);
    lengthBox_->setValue(1);
    lengthBox_->setToolTip(tr("When one token is selected: the span is this many tokens, ending at it"));
    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setRange(static_cast<int>(-kSliderSteps), static_cast<int>(kSliderSteps));
    thresholdBox_ = new QDoubleSpinBox(this);
    thresholdBox_->setRange(-1, 1);
    thresholdBox_->setDecimals(3);
    thresholdBox_->setSingleStep(0.01);
    thresholdBox_->setToolTip(tr("A unit is on where its hidden state h is above this"));
    suggestButton_ = new QPushButton(tr("Su&ggest"), this);
    suggestButton_->setToolTip(tr("The 80th percentile of every h over the selected span (as LSTMVis suggests)"));
    unitsLabel_ = new QLabel(this);
    unitsLabel_->setWordWrap(true);
    searchButton_ = new QPushButton(tr("Searc&h"), this);
    searchButton_->setObjectName(QStringLiteral("patternSearchButton"));
    cancelButton_ = new QPushButton(tr("Cancel"), this);
    progress_ = new QProgressBar(this);
    progress_->setTextVisible(true);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    matches_ = new QTableWidget(0, 6, this);
    matches_->setObjectName(QStringLiteral("patternMatches"));
    matches_->setHorizontalHeaderLabels(
        {tr("Rank"), tr("#"), tr("Match (highlighted)"), tr("Tokens"), tr("Extra units"), tr("Mean h")});
    matches_->horizontalHeaderItem(4)->setToolTip(
        tr("Units beyond the query that are also on over the whole match: fewer is a more precise match"));
    matches_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    matches_->verticalHeader()->hide();
    matches_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    matches_->setSelectionBehavior(QAbstractItemView::SelectRows);
    matches_->setSelectionMode(QAbstractItemView::SingleSelection);
    matches_->setItemDelegateForColumn(2, new RichTextDelegate(matches_));
    matches_->setWordWrap(false);

    auto* grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("Span:"), this), 0, 0);
    grid->addWidget(spanLabel_, 0, 1, 1, 4);
    grid->addWidget(new QLabel(tr("Tokens when one is selected:"), this), 1, 0);
    grid->addWidget(lengthBox_, 1, 1);
    grid->addWidget(new QLabel(tr("Threshold:"), this), 2, 0);
    grid->addWidget(slider_, 2, 1, 1, 2);
    grid->addWidget(thresholdBox_, 2, 3);
    grid->addWidget(suggestButton_, 2, 4);
    grid->addWidget(unitsLabel_, 3, 0, 1, 5);
    grid->setColumnStretch(2, 1);
    auto* run = new QHBoxLayout;
    run->addWidget(searchButton_);
    run->addWidget(cancelButton_);
    run->addWidget(progress_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(grid);
    layout->addLayout(run);
    layout->addWidget(status_);
    layout->addWidget(matches_, 1);

    Pane* pane = workspace_->paneA();
    connect(pane->selection(), &Selection::tokenChanged, this, &PatternSearchPanel::updateQuery);
    connect(pane->selection(), &Selection::lstmChanged, this, &PatternSearchPanel::updateQuery);
    connect(pane->document(), &Document::traceChanged, this, &PatternSearchPanel::updateQuery);
    connect(pane->document(), &Document::modelChanged, this, &PatternSearchPanel::updateQuery);
    connect(lengthBox_, qOverload<int>(&QSpinBox::valueChanged), this, &PatternSearchPanel::updateQuery);
    connect(slider_, &QSlider::valueChanged, this, [this](int v) { setThreshold(v / kSliderSteps); });
    connect(thresholdBox_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this](double v) {
        const QSignalBlocker block(slider_);
        slider_->setValue(static_cast<int>(std::lround(v * kSliderSteps)));
        updateUnits();
    });
    connect(suggestButton_, &QPushButton::clicked, this, [this] { setThreshold(suggested_); });
    connect(searchButton_, &QPushButton::clicked, this, &PatternSearchPanel::search);
    connect(cancelButton_, &QPushButton::clicked, job_, &PatternSearchJob::cancel);
    connect(job_, &PatternSearchJob::started, this, [this] {
        matches_->setRowCount(0);
        progress_->setValue(0);
        updateButtons();
    });
    connect(job_, &PatternSearchJob::progressChanged, this, [this](qint64 done, qint64 total) {
        progress_->setRange(0, static_cast<int>(std::max<qint64>(1, total)));
        progress_->setValue(static_cast<int>(done));
    });
    connect(job_, &PatternSearchJob::finished, this, &PatternSearchPanel::showMatches);
    const auto open = [this](const QModelIndex& index) {
        const auto& found = job_->matches();
        if (index.row() < 0 || index.row() >= static_cast<int>(found.size())) return;
        const corpus::PatternMatch& m = found[static_cast<size_t>(index.row())];
        emit textRequested(m.text, m.first, m.end);
    };
    connect(matches_, &QTableWidget::clicked, this, open);
    connect(matches_, &QTableWidget::activated, this, open);
    setResults(nullptr);
}

void PatternSearchPanel::setResults(const CorpusResults* results) {
    results_ = results;
    updateQuery();
    showMatches();
}

double PatternSearchPanel::threshold() const { return thresholdBox_->value(); }

void PatternSearchPanel::setThreshold(double threshold) { thresholdBox_->setValue(threshold); }

void PatternSearchPanel::setSpanLength(int tokens) { lengthBox_->setValue(tokens); }

QString PatternSearchPanel::statusText() const { return status_->text(); }

bool PatternSearchPanel::queryState(corpus::StateRef* ref) const {
    if (!results_ || !results_->modelA || node_.empty()) return false;
    const auto& nodes = results_->modelA->nodes;
    for (size_t k = 0; k < nodes.size(); ++k)
        if (nodes[k].name == node_) {
            ref->node = static_cast<int>(k);
            ref->layer = layer_;
            ref->direction = direction_;
            return true;
        }
    return false;
}

QString PatternSearchPanel::spanText() const {
    const Document* document = workspace_->paneA()->document();
    const auto* trace = document->trace();
    if (!trace || !document->model() || first_ < 0 || end_ > static_cast<int>(trace->tokens.size())) return {};
    // As the span reads in the text: "the food", "很干".
    return tokenSpanText(*document->model(), trace->text, first_, end_);
}

void PatternSearchPanel::updateQuery() {
    first_ = end_ = -1;
    node_.clear();
    problem_.clear();
    const Document* document = workspace_->paneA()->document();
    const Selection* selection = workspace_->paneA()->selection();
    const auto* trace = document->trace();
    if (!results_ || !results_->corpus || !results_->modelA) {
        problem_ = tr("Run the corpus first: the search runs its texts again.");
    } else if (!trace) {
        problem_ = tr("Open a text in the main window.");
    } else if (sameFile(results_->settings.modelA) != QFileInfo(document->modelPath()).canonicalFilePath()) {
        problem_ = tr("The main window shows another model than the one this corpus ran: open %1 there.")
                       .arg(QFileInfo(QString::fromStdString(results_->settings.modelA)).fileName());
    } else {
        const auto choice = lstmscope::analysis::resolve_lstm(*trace, selection->lstmNode().toStdString(),
                                                              selection->layer(), selection->direction());
        const int T = static_cast<int>(trace->tokens.size());
        if (!choice.gates) {
            problem_ = tr("This model has no LSTM or GRU.");
        } else if (selection->token() < 0 || selection->token() >= T) {
            problem_ = tr("Select tokens in the main window: click one, shift-click another.");
        } else {
            node_ = choice.node;
            layer_ = choice.layer;
            direction_ = choice.direction;
            const int last = std::min(std::max(selection->tokenLast(), selection->token()), T - 1);
            first_ = selection->token() == last ? std::max(0, last - lengthBox_->value() + 1) : selection->token();
            end_ = last + 1;
            suggested_ = corpus::suggest_threshold(*choice.gates, first_, end_);
            stateName_ = QString::fromStdString(node_) + tr(", layer %1").arg(layer_) +
                         (direction_ == lstmscope::Direction::Backward ? tr(", backward") : tr(", forward"));
        }
    }
    if (first_ >= 0) {
        spanLabel_->setText(tr("“%1” (tokens %2 to %3) · states of %4")
                                .arg(spanText().toHtmlEscaped())
                                .arg(first_)
                                .arg(end_ - 1)
                                .arg(stateName_.toHtmlEscaped()));
        const QSignalBlocker block(thresholdBox_);
        thresholdBox_->setValue(suggested_);
        const QSignalBlocker blockSlider(slider_);
        slider_->setValue(static_cast<int>(std::lround(suggested_ * kSliderSteps)));
    } else {
        spanLabel_->setText(problem_.toHtmlEscaped());
    }
    updateUnits();
}

void PatternSearchPanel::updateUnits() {
    units_.clear();
    if (first_ >= 0) {
        const Document* document = workspace_->paneA()->document();
        const auto* trace = document->trace();
        const auto* states = trace ? findGates(*trace, QString::fromStdString(node_), layer_, direction_) : nullptr;
        if (states) units_ = corpus::units_above(*states, first_, end_, threshold());
    }
    if (first_ < 0) {
        unitsLabel_->clear();
    } else if (units_.empty()) {
        unitsLabel_->setText(tr("No unit stays above %1 over the whole span: lower the threshold or select fewer "
                                "tokens.")
                                 .arg(threshold(), 0, 'f', 3));
    } else {
        QStringList list;
        for (size_t k = 0; k < units_.size() && k < 40; ++k) list << QString::number(units_[k]);
        if (units_.size() > 40) list << QStringLiteral("…");
        unitsLabel_->setText(tr("The query: %n unit(s) above %1 at every token of the span: %2", nullptr,
                                static_cast<int>(units_.size()))
                                 .arg(threshold(), 0, 'f', 3)
                                 .arg(list.join(QStringLiteral(", "))));
    }
    updateButtons();
}

bool PatternSearchPanel::canSearch() const {
    corpus::StateRef ref;
    return first_ >= 0 && !units_.empty() && queryState(&ref) && !job_->running();
}

void PatternSearchPanel::updateButtons() {
    searchButton_->setEnabled(canSearch());
    cancelButton_->setEnabled(job_->running());
    progress_->setVisible(job_->running());
    const bool ready = first_ >= 0 && results_;
    slider_->setEnabled(ready);
    thresholdBox_->setEnabled(ready);
    suggestButton_->setEnabled(ready);
    lengthBox_->setEnabled(results_ != nullptr);
}

void PatternSearchPanel::search() {
    corpus::StateRef ref;
    if (!canSearch() || !queryState(&ref)) return;
    corpus::PatternQuery query;
    query.states = ref;
    query.units = units_;
    query.threshold = threshold();
    query.length = end_ - first_;
    status_->setText(tr("Searching %n text(s)…", nullptr, static_cast<int>(results_->corpus->texts.size())));
    job_->start(results_->modelA, results_->corpus, query, limit_, results_->settings.threads);
}

void PatternSearchPanel::showMatches() {
    matches_->setRowCount(0);
    updateButtons();
    if (!results_ || !results_->modelA || job_->state() == PatternSearchJob::State::Empty) {
        status_->clear();
        return;
    }
    switch (job_->state()) {
    case PatternSearchJob::State::Cancelled:
        status_->setText(tr("The search was cancelled."));
        return;
    case PatternSearchJob::State::Failed:
        status_->setText(job_->error());
        return;
    default:
        break;
    }
    const auto& found = job_->matches();
    std::set<int> texts;
    for (const auto& m : found) texts.insert(m.text);
    status_->setText(found.empty() ? tr("No span of the corpus has all of these units on.")
                                   : tr("%n match(es), best first", nullptr, static_cast<int>(found.size())) +
                                         tr(", in %n text(s); click one to open it.", nullptr,
                                            static_cast<int>(texts.size())));
    matches_->setRowCount(static_cast<int>(found.size()));
    for (int r = 0; r < static_cast<int>(found.size()); ++r) {
        const corpus::PatternMatch& m = found[static_cast<size_t>(r)];
        const auto number = [](const QString& s) {
            auto* item = new QTableWidgetItem(s);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            return item;
        };
        const std::string& text = results_->text(m.text);
        auto* match = new QTableWidgetItem(highlightedContext(*results_->modelA, text, m.first, m.end));
        match->setToolTip(QString::fromStdString(text));
        matches_->setItem(r, 0, number(QString::number(r + 1)));
        matches_->setItem(r, 1, number(QString::number(m.text + 1)));
        matches_->setItem(r, 2, match);
        matches_->setItem(r, 3, number(QString::number(m.end - m.first)));
        matches_->setItem(r, 4, number(QString::number(m.extra_units)));
        matches_->setItem(r, 5, number(QString::number(m.mean_activation, 'f', 3)));
    }
    matches_->resizeColumnsToContents();
    matches_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
}
