#include "gui/corpus/corpus_window.h"

#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>

#include "engine/corpus/statistics.h"
#include "gui/corpus/corpus_job.h"
#include "gui/corpus/corpus_table_panel.h"
#include "gui/corpus/faithfulness_panel.h"
#include "gui/corpus/pattern_search_panel.h"
#include "gui/corpus/saturation_panel.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/workspace.h"

namespace {

QString share(int64_t k, int64_t n) {
    return n > 0 ? QLocale().toString(static_cast<double>(k) / static_cast<double>(n), 'f', 3) : QStringLiteral("—");
}

}  // namespace

CorpusWindow::CorpusWindow(Workspace* workspace, QWidget* parent)
    : QWidget(parent, Qt::Window), workspace_(workspace), job_(new CorpusJob(this)), patternJob_(new PatternSearchJob(this)) {
    setObjectName(QStringLiteral("corpusWindow"));
    resize(1500, 950);
    new QVBoxLayout(this);
    layout()->setContentsMargins(0, 0, 0, 0);
    build();
    connect(job_, &CorpusJob::started, this, &CorpusWindow::onStarted);
    connect(job_, &CorpusJob::rowsAdded, this, [this](int first, int count) {
        table_->rowsAppended(first, count);
        if (first == 0) patterns_->setResults(&job_->results());  // the corpus and model are known now
    });
    connect(job_, &CorpusJob::progressChanged, this, &CorpusWindow::onProgress);
    connect(job_, &CorpusJob::finished, this, &CorpusWindow::onFinished);
    for (Pane* pane : workspace_->allPanes())
        connect(pane->document(), &Document::modelChanged, this, &CorpusWindow::updateStatus);
    connect(workspace_, &Workspace::modeChanged, this, &CorpusWindow::updateStatus);
}

CorpusWindow::~CorpusWindow() {
    job_->cancel();
    patternJob_->cancel();
}

void CorpusWindow::build() {
    content_ = new QWidget(this);
    layout()->addWidget(content_);
    setWindowTitle(tr("Corpus — lstmscope"));

    options_ = new DatasetOptions(content_);
    models_ = new QLabel(content_);
    models_->setWordWrap(true);
    runButton_ = new QPushButton(tr("&Run"), content_);
    runButton_->setObjectName(QStringLiteral("corpusRunButton"));
    runButton_->setDefault(true);
    cancelButton_ = new QPushButton(tr("Cancel"), content_);
    cancelButton_->setObjectName(QStringLiteral("corpusCancelButton"));
    progress_ = new QProgressBar(content_);
    progress_->setFormat(tr("%v of %m texts"));
    status_ = new QLabel(content_);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_ = new QLabel(content_);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    table_ = new CorpusTablePanel(content_);
    saturation_ = new SaturationPanel(content_);
    patterns_ = new PatternSearchPanel(workspace_, patternJob_, content_);
    faithfulness_ = new FaithfulnessPanel(content_);
    tabs_ = new QTabWidget(content_);
    tabs_->addTab(saturation_, tr("Gate &saturation"));
    tabs_->addTab(patterns_, tr("&Pattern search"));
    tabs_->addTab(faithfulness_, tr("A&ttention faithfulness"));
    split_ = new QSplitter(Qt::Horizontal, content_);
    split_->addWidget(table_);
    split_->addWidget(tabs_);
    split_->setStretchFactor(0, 5);
    split_->setStretchFactor(1, 4);
    split_->setChildrenCollapsible(false);

    auto* runRow = new QHBoxLayout;
    runRow->addWidget(models_, 1);
    runRow->addWidget(runButton_);
    runRow->addWidget(cancelButton_);
    runRow->addWidget(progress_, 1);
    auto* layout = new QVBoxLayout(content_);
    layout->addWidget(options_);
    layout->addLayout(runRow);
    layout->addWidget(status_);
    layout->addWidget(summary_);
    layout->addWidget(split_, 1);

    connect(options_, &DatasetOptions::browseRequested, this, &CorpusWindow::browse);
    connect(options_, &DatasetOptions::changed, this, [this] {
        problem_.clear();
        updateButtons();
        updateStatus();
    });
    connect(runButton_, &QPushButton::clicked, this, &CorpusWindow::run);
    connect(cancelButton_, &QPushButton::clicked, this, &CorpusWindow::cancel);
    connect(table_, &CorpusTablePanel::textActivated, this, [this](int index) { openText(index); });
    connect(saturation_, &SaturationPanel::textRequested, this, &CorpusWindow::openText);
    connect(patterns_, &PatternSearchPanel::textRequested, this, &CorpusWindow::openText);
    connect(saturation_, &SaturationPanel::unitSelected, this, [this](const CorpusState& state, int unit) {
        // The gates view (and the token strip's h colouring) follow pane A's selection.
        Selection* selection = workspace_->paneA()->selection();
        selection->setLstm(QString::fromStdString(state.node), state.layer,
                           state.backward ? lstmscope::Direction::Backward : lstmscope::Direction::Forward);
        selection->setUnit(unit);
    });
    showResults();
}

void CorpusWindow::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    // Rebuilt after the event, once (both translators send one), as the main window does.
    if (event->type() == QEvent::LanguageChange && !retranslatePending_) {
        retranslatePending_ = true;
        QTimer::singleShot(0, this, &CorpusWindow::retranslate);
    }
}

void CorpusWindow::retranslate() {
    retranslatePending_ = false;
    // The results and the runs live in the jobs; the widgets are built again
    // in the new language and shown them.
    const DatasetOptions::Choice choice = options_->choice();
    const int page = tabs_->currentIndex();
    const QByteArray splitState = split_->saveState();
    const auto filter = table_->filter();
    delete content_;
    build();
    options_->setChoice(choice);
    if (!choice.path.isEmpty()) setWindowTitle(tr("Corpus: %1 — lstmscope").arg(QFileInfo(choice.path).fileName()));
    tabs_->setCurrentIndex(page);
    split_->restoreState(splitState);
    table_->setFilter(filter);
}

void CorpusWindow::closeEvent(QCloseEvent* event) {
    job_->cancel();
    patternJob_->cancel();
    QWidget::closeEvent(event);
}

void CorpusWindow::browse() {
    const QString start = options_->path().isEmpty() ? QString() : QFileInfo(options_->path()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open dataset"), start,
        tr("Datasets (*.tsv *.csv *.jsonl *.ndjson *.txt);;All files (*)"));
    if (!path.isEmpty()) setDataset(path);
}

void CorpusWindow::setDataset(const QString& path) {
    options_->setPath(path);
    setWindowTitle(tr("Corpus: %1 — lstmscope").arg(QFileInfo(path).fileName()));
    updateButtons();
}

bool CorpusWindow::run() {
    problem_.clear();
    const Document* a = workspace_->paneA()->document();
    if (!a->model()) problem_ = tr("Open a model in the main window first.");
    else if (!options_->ready()) problem_ = options_->problem();
    if (!problem_.isEmpty()) {
        updateStatus();
        return false;
    }
    CorpusRunSettings s;
    s.dataset = options_->path().toStdString();
    s.input = options_->inputOptions(&s.ignoreLabels);
    s.modelA = a->modelPath().toStdString();
    if (workspace_->mode() == Workspace::Mode::TwoModels)
        s.modelB = workspace_->paneB()->document()->modelPath().toStdString();
    s.faithfulness = options_->faithfulness();
    s.permutations = options_->permutations();
    s.threads = threads_ >= 0 ? threads_ : Document::engineThreads();
    patternJob_->cancel();
    clock_.start();
    job_->start(s);
    return true;
}

void CorpusWindow::cancel() { job_->cancel(); }

void CorpusWindow::showPage(Page page) { tabs_->setCurrentIndex(static_cast<int>(page)); }

void CorpusWindow::openText(int index, int first, int end) {
    const CorpusResults& r = job_->results();
    if (!r.corpus || index < 0 || index >= static_cast<int>(r.corpus->texts.size())) return;
    emit textRequested(QString::fromStdString(r.text(index)));
    if (first >= 0 && end > first) {
        const auto* trace = workspace_->paneA()->document()->trace();
        if (trace && end <= static_cast<int>(trace->tokens.size()))
            workspace_->paneA()->selection()->setTokenRange(first, end - 1);
    }
}

void CorpusWindow::onStarted() {
    seconds_ = 0;
    showResults();
}

void CorpusWindow::onProgress(qint64 done, qint64 total) {
    progress_->setRange(0, static_cast<int>(std::max<qint64>(1, total)));
    progress_->setValue(static_cast<int>(done));
    updateStatus();
}

void CorpusWindow::onFinished() {
    seconds_ = static_cast<double>(clock_.elapsed()) / 1000.0;
    const CorpusResults* r = &job_->results();
    saturation_->setResults(r);
    patterns_->setResults(r);
    faithfulness_->setResults(r);
    table_->rowsAppended(static_cast<int>(r->rows.size()), 0);
    table_->fitColumns();
    updateSummary();
    updateStatus();
    updateButtons();
}

void CorpusWindow::showResults() {
    const CorpusResults* r = &job_->results();
    table_->setResults(r);
    saturation_->setResults(r);
    patterns_->setResults(r);
    faithfulness_->setResults(r);
    progress_->setRange(0, static_cast<int>(std::max<size_t>(1, job_->total())));
    progress_->setValue(static_cast<int>(job_->done()));
    updateSummary();
    updateStatus();
    updateButtons();
}

QString CorpusWindow::summaryText() const { return summary_->text(); }
QString CorpusWindow::statusText() const { return status_->text(); }

void CorpusWindow::updateSummary() {
    const CorpusResults& r = job_->results();
    if (!r.summary) {
        summary_->clear();
        summary_->setVisible(false);
        return;
    }
    const auto& s = *r.summary;
    QStringList parts;
    parts << tr("%n text(s)", nullptr, static_cast<int>(s.texts()));
    if (s.skipped() > 0) parts << tr("%n could not run", nullptr, static_cast<int>(s.skipped()));
    if (s.labelled() > 0) {
        parts << tr("accuracy <b>%1</b> (%2 of %3 right)")
                     .arg(QLocale().toString(s.accuracy(), 'f', 3))
                     .arg(s.side_a().correct)
                     .arg(s.labelled());
    } else {
        parts << tr("no labels: no accuracy");
    }
    if (const auto& b = s.side_b()) {
        if (s.labelled() > 0) parts << tr("model B accuracy <b>%1</b>").arg(share(b->correct, s.labelled()));
        const auto& g = s.agreement();
        parts << tr("same prediction %1 (%2 of %3)")
                     .arg(share(g.same_prediction, g.texts))
                     .arg(g.same_prediction)
                     .arg(g.texts);
        if (s.labelled() > 0) {
            const auto test = lstmscope::corpus::mcnemar(g.a_only, g.b_only);
            parts << tr("only A right %1, only B right %2, McNemar p = %3")
                         .arg(g.a_only)
                         .arg(g.b_only)
                         .arg(QLocale().toString(test.p_value, 'f', 3));
        }
    }
    if (s.entropy().count > 0)
        parts << tr("mean attention entropy %1 bits").arg(QLocale().toString(s.entropy().mean(), 'f', 2));
    summary_->setText(parts.join(QStringLiteral(" · ")));
    summary_->setVisible(true);
}

void CorpusWindow::updateStatus() {
    // Which models a run uses: the main window's.
    const Pane* a = workspace_->paneA();
    QString models = a->document()->model() ? tr("Model A: <b>%1</b>").arg(a->modelName().toHtmlEscaped())
                                            : tr("Open a model in the main window first.");
    if (workspace_->mode() == Workspace::Mode::TwoModels)
        models += tr(" · model B: <b>%1</b>").arg(workspace_->paneB()->modelName().toHtmlEscaped());
    models_->setText(models);

    const CorpusResults& r = job_->results();
    QString text;
    QString style;
    if (!problem_.isEmpty()) {
        text = problem_;
        style = QStringLiteral("color: #b00020");
    } else {
        switch (r.state) {
        case CorpusResults::State::Empty:
            text = tr("Choose a dataset and press Run. The main window stays usable while it runs.");
            break;
        case CorpusResults::State::Running:
            text = job_->total() == 0 ? tr("Reading the dataset…")
                                      : tr("Running: %1 of %n text(s)…", nullptr, static_cast<int>(job_->total()))
                                            .arg(job_->done());
            break;
        case CorpusResults::State::Done:
            text = tr("Done: %n text(s) in %1 s. Click a text to open it in the main window.", nullptr,
                      static_cast<int>(r.rows.size()))
                       .arg(QLocale().toString(seconds_, 'f', seconds_ < 1 ? 2 : 1));
            break;
        case CorpusResults::State::Cancelled:
            text = tr("Cancelled after %1 of %n text(s): the table shows those; the summaries need a whole run.",
                      nullptr, static_cast<int>(r.total))
                       .arg(r.rows.size());
            break;
        case CorpusResults::State::Failed:
            text = QString::fromStdString(r.error);
            style = QStringLiteral("color: #b00020");
            break;
        }
    }
    status_->setText(text);
    status_->setStyleSheet(style);
}

void CorpusWindow::updateButtons() {
    const bool running = job_->running();
    runButton_->setEnabled(!running && options_->ready());
    cancelButton_->setEnabled(running);
    progress_->setVisible(running);
    options_->setEnabled(!running);
}
