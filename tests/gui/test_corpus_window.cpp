// The corpus window (File > Open dataset): a run in the background fills
// the table and the summary, sorting and filtering, cancel, opening a text
// in the main window, the saturation scatter and top contexts, pattern
// search, the faithfulness page; and in the main window the leave-one-out
// colouring of the token strip, tau beside the attention, shift-click spans.
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QHeaderView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <qcustomplot.h>

#include "engine/corpus/corpus_input.h"
#include "engine/corpus/text_analysis.h"
#include "gui/corpus/corpus_job.h"
#include "gui/corpus/corpus_table_panel.h"
#include "gui/corpus/corpus_window.h"
#include "gui/corpus/dataset_columns.h"
#include "gui/corpus/faithfulness_panel.h"
#include "gui/corpus/faithfulness_plots.h"
#include "gui/corpus/leave_one_out.h"
#include "gui/corpus/pattern_search_panel.h"
#include "gui/corpus/saturation_panel.h"
#include "gui/corpus/saturation_plot.h"
#include "gui/i18n.h"
#include "gui/main_window.h"
#include "gui/views/attention_view.h"
#include "gui/views/gates_view.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/workspace.h"

namespace corpus = lstmscope::corpus;

namespace {

QString bundled(const QString& name) {
    return QString::fromLocal8Bit(qgetenv("LSTMSCOPE_MODELS")) + QStringLiteral("/%1.json").arg(name);
}

const QString kDataset = QStringLiteral(LSTMSCOPE_TEST_DATA "/corpus/sentiment_en_test.tsv");
constexpr int kThreads = 2;  // the suite runs tests side by side: a run uses two cores at most

bool finish(CorpusWindow* c, int ms = 30000) {
    QElapsedTimer t;
    t.start();
    while (c->job()->running() && t.elapsed() < ms) QTest::qWait(10);
    return !c->job()->running();
}

QPoint centreOf(QTableView* view, int row, int column) {
    return view->visualRect(view->model()->index(row, column)).center();
}

}  // namespace

class TestCorpusWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void runFillsTheTableAndTheSummary();
    void sortingAndFiltering();
    void clickingARowOpensTheText();
    void saturationScatterHasOnePointPerUnit();
    void gruSaturationCountsItsResetAndUpdateGates();
    void clickingAUnitListsItsTopContexts();
    void patternSearchFindsTheSelectedSpan();
    void faithfulnessPanelShowsTheSummary();
    void comparingAddsModelB();
    void textsTooLongToTestAreCounted();
    void cancelStopsARun();
    void columnsAreDetected();
    void leaveOneOutColouringEqualsAnalyseText();
    void leaveOneOutStopsWhenTheTextChanges();
    void leaveOneOutWaitsForAPauseAfterAStoppedTest();
    void longTextsAreNotTestedOneTokenAtATime();
    void shiftClickSelectsASpan();
    void theWindowSwitchesLanguage();
    void theCommandLineOpensADataset();

private:
    MainWindow* w_ = nullptr;
    CorpusWindow* c_ = nullptr;
};

void TestCorpusWindow::initTestCase() {
    QVERIFY(i18n::setLanguage(QStringLiteral("en")));  // as the application does: English plurals
    // One run with the faithfulness tests, shared by the tests that only read it.
    w_ = new MainWindow(false);
    w_->resize(1400, 900);
    QVERIFY(w_->openModel(bundled("sentiment_en_bilstm_pool"), true));
    c_ = w_->openDataset(kDataset);
    QVERIFY(c_);
    c_->setThreads(kThreads);
    c_->options()->setFaithfulness(true);
    QVERIFY2(c_->run(), qPrintable(c_->statusText()));
    QVERIFY(c_->job()->running());
    QVERIFY(finish(c_));
    QCOMPARE(c_->job()->results().state, CorpusResults::State::Done);
}

void TestCorpusWindow::cleanupTestCase() { delete w_; }

void TestCorpusWindow::runFillsTheTableAndTheSummary() {
    const CorpusResults& r = c_->job()->results();
    QVERIFY(r.summary);
    QCOMPARE(c_->table()->model()->rowCount(), 200);
    QCOMPARE(c_->table()->shownRows(), 200);
    QCOMPARE(static_cast<int>(r.summary->texts()), 200);
    QCOMPARE(r.summary->accuracy(), 0.795);
    // The accuracy shown is the summary's.
    QVERIFY2(c_->summaryText().contains(QStringLiteral("<b>0.795</b> (159 of 200 right)")), qPrintable(c_->summaryText()));
    QVERIFY(c_->statusText().contains(QStringLiteral("Done")));
    // Compact rows only: the rows agree with the summary's counts.
    int right = 0, positive = 0;
    for (const CorpusRow& row : r.rows) {
        right += row.right();
        positive += row.predicted == 1;
        QVERIFY(std::isfinite(row.confidence) && row.confidence >= 0.5f);
    }
    QCOMPARE(right, static_cast<int>(r.summary->side_a().correct));
    QCOMPARE(positive, static_cast<int>(r.summary->side_a().predicted[1]));
    QCOMPARE(r.rows[17].index, 17);
}

void TestCorpusWindow::sortingAndFiltering() {
    CorpusTablePanel* table = c_->table();
    CorpusFilterProxy::Filter f;
    f.outcome = CorpusFilterProxy::Outcome::Wrong;
    table->setFilter(f);
    QCOMPARE(table->shownRows(), 41);  // 22 + 19 in the confusion matrix
    f.outcome = CorpusFilterProxy::Outcome::Right;
    table->setFilter(f);
    QCOMPARE(table->shownRows(), 159);
    f = {};
    f.prediction = 1;
    table->setFilter(f);
    QCOMPARE(table->shownRows(), 103);
    // Confidence and tau ranges, counted against the rows themselves.
    const auto& rows = c_->job()->results().rows;
    f = {};
    f.confidenceMin = 0.9;
    f.tauMin = 0.3;
    table->setFilter(f);
    int expected = 0;
    for (const CorpusRow& r : rows) expected += r.confidence >= 0.9f && std::isfinite(r.tau) && r.tau >= 0.3f;
    QVERIFY(expected > 0 && expected < 200);
    QCOMPARE(table->shownRows(), expected);
    f = {};
    f.text = QStringLiteral("delivery");
    table->setFilter(f);
    QVERIFY(table->shownRows() > 0 && table->shownRows() < 200);
    for (int k = 0; k < table->shownRows(); ++k)
        QVERIFY(QString::fromStdString(c_->job()->results().text(table->textAt(k))).contains("delivery", Qt::CaseInsensitive));

    // Sorting by confidence, highest first, through the header.
    table->setFilter({});
    QCOMPARE(table->shownRows(), 200);
    table->view()->sortByColumn(CorpusTableModel::Confidence, Qt::DescendingOrder);
    for (int k = 1; k < 200; ++k)
        QVERIFY(rows[table->textAt(k - 1)].confidence >= rows[table->textAt(k)].confidence);
    table->view()->sortByColumn(CorpusTableModel::Tau, Qt::AscendingOrder);
    for (int k = 1; k < 200; ++k) QVERIFY(rows[table->textAt(k - 1)].tau <= rows[table->textAt(k)].tau);
    table->view()->sortByColumn(CorpusTableModel::Index, Qt::AscendingOrder);
    QCOMPARE(table->textAt(0), 0);
}

void TestCorpusWindow::clickingARowOpensTheText() {
    c_->show();
    QVERIFY(QTest::qWaitForWindowExposed(c_));
    QTableView* view = c_->table()->view();
    c_->table()->setFilter({});
    view->sortByColumn(CorpusTableModel::Index, Qt::AscendingOrder);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, centreOf(view, 3, CorpusTableModel::Text));
    const std::string& text3 = c_->job()->results().text(3);
    QCOMPARE(w_->document()->text(), QString::fromStdString(text3));
    QVERIFY(w_->document()->trace());
    QCOMPARE(w_->document()->trace()->text, text3);
    // Enter on another row.
    view->setCurrentIndex(view->model()->index(8, CorpusTableModel::Text));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Return);
    QCOMPARE(w_->document()->text(), QString::fromStdString(c_->job()->results().text(8)));
}

void TestCorpusWindow::saturationScatterHasOnePointPerUnit() {
    SaturationPanel* panel = c_->saturation();
    const auto& summary = *c_->job()->results().summary;
    QCOMPARE(static_cast<int>(summary.saturation().size()), 2);  // one layer, two directions
    QCOMPARE(static_cast<int>(c_->job()->results().states.size()), 2);
    for (int state = 0; state < 2; ++state)
        for (int gate = 0; gate < 3; ++gate) {
            panel->setState(state);
            panel->setGate(gate);
            const auto& counts = summary.saturation()[static_cast<size_t>(state)];
            QCOMPARE(panel->plot()->pointCount(), static_cast<int>(counts.low[gate].size()));
            QCOMPARE(panel->plot()->pointCount(), 100);
            for (int u : {0, 41, 99}) {
                QCOMPARE(panel->plot()->pointX(u), double(counts.low[gate][u]) / double(counts.steps));
                QCOMPARE(panel->plot()->pointY(u), double(counts.high[gate][u]) / double(counts.steps));
            }
        }
}

// The bundled BiGRU: the scatter's gates are r and z, counted over the
// corpus; a dot selects the unit in the gates view; the pattern search runs
// over its states.
void TestCorpusWindow::gruSaturationCountsItsResetAndUpdateGates() {
    MainWindow w(false);
    w.resize(1400, 900);
    QVERIFY(w.openModel(bundled("sentiment_en_bigru_attn"), true));
    CorpusWindow* c = w.openDataset(kDataset, false);
    QVERIFY(c);
    c->setThreads(kThreads);
    QVERIFY2(c->run(), qPrintable(c->statusText()));
    QVERIFY(finish(c));
    const CorpusResults& r = c->job()->results();
    QCOMPARE(r.state, CorpusResults::State::Done);
    const auto& summary = *r.summary;
    QCOMPARE(static_cast<int>(summary.saturation().size()), 2);  // forward and backward
    QCOMPARE(static_cast<int>(r.states.size()), 2);
    SaturationPanel* panel = c->saturation();
    QCOMPARE(panel->gateChooser()->count(), 2);
    QCOMPARE(panel->gateChooser()->itemText(0), QStringLiteral("reset gate r"));
    QCOMPARE(panel->gateChooser()->itemText(1), QStringLiteral("update gate z"));
    QCOMPARE(panel->gate(), 1);  // z, as f for an LSTM: the gate that keeps the past
    const int units = r.states[0].units;
    QVERIFY(units > 0);
    for (int state = 0; state < 2; ++state) {
        QCOMPARE(r.states[static_cast<size_t>(state)].op, lstmscope::OpKind::Gru);
        const auto& counts = summary.saturation()[static_cast<size_t>(state)];
        QCOMPARE(counts.op, lstmscope::OpKind::Gru);
        // The corpus's steps are its texts' tokens.
        int64_t tokens = 0;
        for (const CorpusRow& row : r.rows) tokens += row.tokens;
        QCOMPARE(counts.steps, tokens);
        for (int gate = 0; gate < 2; ++gate) {
            panel->setState(state);
            panel->setGate(gate);
            QCOMPARE(panel->plot()->pointCount(), units);
            for (int u : {0, units / 2, units - 1}) {
                QCOMPARE(panel->plot()->pointX(u), double(counts.low[gate][u]) / double(counts.steps));
                QCOMPARE(panel->plot()->pointY(u), double(counts.high[gate][u]) / double(counts.steps));
            }
        }
    }
    // The counts are the engine's own for each text, added up.
    const corpus::ModelPlan plan = corpus::plan_model(*r.modelA);
    int64_t high = 0;
    for (int k = 0; k < 200; ++k) high += corpus::analyse_text(plan, r.text(k), k, {}).saturation[0].high[1][3];
    QCOMPARE(summary.saturation()[0].high[1][3], high);
    // A dot selects its unit in the main window's gates view.
    panel->setState(1);
    panel->selectUnit(5);
    QCOMPARE(w.selection()->lstmNode(), QStringLiteral("gru"));
    QCOMPARE(w.selection()->direction(), lstmscope::Direction::Backward);
    QCOMPARE(w.selection()->unit(), 5);
    QCOMPARE(w.gatesView()->currentNode(), QStringLiteral("gru"));
    QCOMPARE(w.gatesView()->cellKind(), GatesView::CellKind::Gru);
    QCOMPARE(panel->contextTable()->rowCount(), SaturationPanel::kContexts);

    // Pattern search over the GRU's h.
    PatternSearchPanel* patterns = c->patterns();
    patterns->setLimit(100000);
    c->openText(12);
    w.selection()->setLstm(QStringLiteral("gru"), 0, lstmscope::Direction::Forward);
    w.selection()->setTokenRange(1, 2);
    QCOMPARE(patterns->spanFirst(), 1);
    for (double t = patterns->suggestedThreshold(); patterns->queryUnits().empty() && t > -1; t -= 0.05)
        patterns->setThreshold(t);
    QVERIFY(patterns->canSearch());
    patterns->search();
    QTRY_VERIFY_WITH_TIMEOUT(!patterns->job()->running(), 20000);
    QCOMPARE(patterns->job()->state(), PatternSearchJob::State::Done);
    const auto& matches = patterns->job()->matches();
    QVERIFY(std::any_of(matches.begin(), matches.end(),
                        [](const corpus::PatternMatch& m) { return m.text == 12 && m.first <= 1 && m.end >= 3; }));
}

void TestCorpusWindow::clickingAUnitListsItsTopContexts() {
    c_->show();
    c_->showPage(CorpusWindow::Page::Saturation);
    QVERIFY(QTest::qWaitForWindowExposed(c_));
    SaturationPanel* panel = c_->saturation();
    panel->setState(1);  // backward
    panel->setGate(1);
    QTest::qWait(20);
    const int unit = 7;
    auto* plot = panel->plot()->findChild<QCustomPlot*>();
    QVERIFY(plot);
    plot->replot();
    // A dot another dot sits on would be ambiguous; find the unit under its own dot.
    const QPoint at = plot->mapFrom(panel->plot(), panel->plot()->pointPosition(unit));
    const int under = panel->plot()->unitAt(panel->plot()->pointPosition(unit));
    QVERIFY(under >= 0);
    QTest::mouseClick(plot, Qt::LeftButton, {}, at);
    QCOMPARE(panel->shownUnit(), under);
    QCOMPARE(panel->plot()->selectedUnit(), under);
    // The main window's gates view shows the unit: the shared selection.
    QCOMPARE(w_->selection()->unit(), under);
    QCOMPARE(w_->selection()->lstmNode(), QStringLiteral("lstm"));
    QCOMPARE(w_->selection()->direction(), lstmscope::Direction::Backward);

    QTableWidget* contexts = panel->contextTable();
    QCOMPARE(contexts->rowCount(), SaturationPanel::kContexts);
    // The top context is the highest peak of any text, by the engine's own runs.
    const CorpusResults& r = c_->job()->results();
    corpus::ModelPlan plan = corpus::plan_model(*r.modelA);
    float best = -2;
    int bestText = -1;
    for (int k = 0; k < 200; ++k) {
        const auto result = corpus::analyse_text(plan, r.text(k), k, {});
        const float v = result.peaks[1][static_cast<size_t>(under)].value;
        if (v > best) best = v, bestText = k;
    }
    QCOMPARE(panel->contextText(0), bestText);
    QCOMPARE(contexts->item(0, 0)->text(), QString::number(double(best), 'f', 3));
    QVERIFY(contexts->item(0, 2)->text().contains(QStringLiteral("<b ")));  // the peak token highlighted
    for (int row = 1; row < contexts->rowCount(); ++row)
        QVERIFY(contexts->item(row - 1, 0)->text().toDouble() >= contexts->item(row, 0)->text().toDouble());
    // A click on a context opens its text with the peak token selected.
    QTest::mouseClick(contexts->viewport(), Qt::LeftButton, {},
                      contexts->visualRect(contexts->model()->index(2, 2)).center());
    const int text = panel->contextText(2);
    QCOMPARE(w_->document()->text(), QString::fromStdString(r.text(text)));
    const UnitContext& peak = r.contexts.of(1, under)[2];
    QCOMPARE(w_->selection()->token(), peak.token);
}

void TestCorpusWindow::patternSearchFindsTheSelectedSpan() {
    PatternSearchPanel* panel = c_->patterns();
    panel->setLimit(100000);
    c_->openText(12);
    w_->selection()->setLstm(QStringLiteral("lstm"), 0, lstmscope::Direction::Forward);
    w_->selection()->setTokenRange(1, 2);
    QCOMPARE(panel->spanFirst(), 1);
    QCOMPARE(panel->spanEnd(), 3);
    QVERIFY(!panel->spanText().isEmpty());
    // The suggestion is the engine's; lower it until some unit stays on over the span.
    for (double t = panel->suggestedThreshold(); panel->queryUnits().empty() && t > -1; t -= 0.05)
        panel->setThreshold(t);
    QVERIFY(!panel->queryUnits().empty());
    QVERIFY(panel->canSearch());
    panel->search();
    QVERIFY(panel->job()->running());
    QTRY_VERIFY_WITH_TIMEOUT(!panel->job()->running(), 20000);
    QCOMPARE(panel->job()->state(), PatternSearchJob::State::Done);
    const auto& matches = panel->job()->matches();
    QVERIFY(!matches.empty());
    const bool own = std::any_of(matches.begin(), matches.end(),
                                 [](const corpus::PatternMatch& m) { return m.text == 12 && m.first <= 1 && m.end >= 3; });
    QVERIFY2(own, "the selected span's own text is not among the matches");
    QCOMPARE(panel->matchTable()->rowCount(), static_cast<int>(matches.size()));
    // A click opens the match's text with the match selected.
    const auto& m = matches[0];
    panel->matchTable()->setCurrentCell(0, 2);
    emit panel->matchTable()->activated(panel->matchTable()->model()->index(0, 2));
    QCOMPARE(w_->document()->text(), QString::fromStdString(c_->job()->results().text(m.text)));
    QCOMPARE(w_->selection()->token(), m.first);
    QCOMPARE(w_->selection()->tokenLast(), m.end - 1);
}

void TestCorpusWindow::faithfulnessPanelShowsTheSummary() {
    const auto& f = c_->job()->results().summary->faithfulness();
    FaithfulnessPanel* panel = c_->faithfulness();
    QCOMPARE(panel->tauHistogram()->counts(), f.tau_histogram.counts);
    QCOMPARE(panel->tauHistogram()->bandCount(), 2);  // SST and IMDB
    int64_t sum = 0;
    for (int64_t c : panel->tauHistogram()->counts()) sum += c;
    QCOMPARE(sum, f.kendall_tau.count);
    // The erasure curve adds the flip fractions up; the rest never flipped.
    StepCurvePlot* curve = panel->erasureCurve();
    QCOMPARE(curve->pointCount(), static_cast<int>(f.flip_fraction_histogram.counts.size()) + 1);
    QCOMPARE(curve->pointY(0), 0.0);
    const double flipped = double(f.erasure_texts - f.never_flipped) / double(f.erasure_texts);
    QCOMPARE(curve->pointY(curve->pointCount() - 1), flipped);
    QVERIFY(panel->erasureText().contains(QStringLiteral("Never flipped: %1").arg(f.never_flipped)));
    QVERIFY(panel->tauText().contains(QStringLiteral("0.27 to 0.32 on SST")));
    QVERIFY(panel->interventionText().contains(QStringLiteral("Uniform attention")));
}

void TestCorpusWindow::comparingAddsModelB() {
    MainWindow w(false);
    QVERIFY(w.openModel(bundled("sentiment_en_bilstm_pool"), true));
    QVERIFY(w.compareWithModel(bundled("sentiment_en_lstm_last"), true));
    CorpusWindow* c = w.openDataset(kDataset, false);
    c->setThreads(kThreads);
    QVERIFY(c->run());
    QVERIFY(finish(c));
    const CorpusResults& r = c->job()->results();
    QCOMPARE(r.state, CorpusResults::State::Done);
    QVERIFY(r.comparing());
    QVERIFY(!c->table()->view()->isColumnHidden(CorpusTableModel::Agreement));
    const auto& g = r.summary->agreement();
    CorpusFilterProxy::Filter f;
    f.agreement = CorpusFilterProxy::Agreement::Disagree;
    c->table()->setFilter(f);
    QCOMPARE(c->table()->shownRows(), static_cast<int>(g.texts - g.same_prediction));
    QVERIFY(c->table()->shownRows() > 0);
    QVERIFY(c->summaryText().contains(QStringLiteral("McNemar")));
    // Opening a text gives it to both panes.
    c->openText(4);
    QCOMPARE(w.workspace()->paneB()->document()->text(), QString::fromStdString(r.text(4)));
}

void TestCorpusWindow::textsTooLongToTestAreCounted() {
    // A text over the engine's faithfulness limit is run but not tested, and the page says so.
    QTemporaryDir dir;
    QFile out(dir.filePath("mixed.txt"));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("The food was great.\nThe service was awful.\n");
    for (int k = 0; k < corpus::AnalysisSettings().faithfulness_max_tokens + 50; ++k) out.write(k % 2 ? "good " : "food ");
    out.write("\n");
    out.close();
    MainWindow w(false);
    QVERIFY(w.openModel(bundled("sentiment_en_bilstm_pool"), true));
    CorpusWindow* c = w.openDataset(dir.filePath("mixed.txt"), false);
    c->setThreads(kThreads);
    c->options()->setFaithfulness(true);
    QVERIFY(c->run());
    QVERIFY(finish(c));
    const auto& f = c->job()->results().summary->faithfulness();
    QCOMPARE(f.too_long, int64_t(1));
    QCOMPARE(c->table()->model()->rowCount(), 3);
    QVERIFY(!std::isfinite(c->job()->results().rows[2].tau));
    QVERIFY2(c->faithfulness()->tauText().contains(QStringLiteral("1 text over 1000 tokens was not tested")),
             qPrintable(c->faithfulness()->tauText()));
    // No labels: nothing is right or wrong, and the table does not pretend.
    QVERIFY(c->table()->view()->isColumnHidden(CorpusTableModel::Result));
    QVERIFY(c->summaryText().contains(QStringLiteral("no labels")));
}

void TestCorpusWindow::cancelStopsARun() {
    // A corpus long enough to still be running when Cancel comes.
    QTemporaryDir dir;
    QFile in(kDataset);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray all = in.readAll();
    const QByteArray body = all.mid(all.indexOf('\n') + 1);
    QFile out(dir.filePath("big.tsv"));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("text\tlabel\n");
    for (int k = 0; k < 20; ++k) out.write(body);
    out.close();
    MainWindow w(false);
    QVERIFY(w.openModel(bundled("sentiment_en_bilstm_pool"), true));
    CorpusWindow* c = w.openDataset(dir.filePath("big.tsv"), false);
    c->setThreads(1);
    c->options()->setFaithfulness(true);
    QVERIFY(c->run());
    QTRY_VERIFY_WITH_TIMEOUT(c->table()->model()->rowCount() > 0, 20000);
    c->cancel();
    QVERIFY(finish(c, 20000));
    const CorpusResults& r = c->job()->results();
    QCOMPARE(r.state, CorpusResults::State::Cancelled);
    QVERIFY(!r.summary);
    QVERIFY(c->table()->model()->rowCount() < 4000);
    QCOMPARE(c->table()->model()->rowCount(), static_cast<int>(r.rows.size()));
    QVERIFY(c->statusText().contains(QStringLiteral("Cancelled")));
    QVERIFY(c->saturation()->plot()->pointCount() == 0);
    // It runs again after a cancel.
    c->options()->setFaithfulness(false);
    c->setDataset(kDataset);
    QVERIFY(c->run());
    QVERIFY(finish(c));
    QCOMPARE(c->job()->results().state, CorpusResults::State::Done);
    QCOMPARE(c->table()->model()->rowCount(), 200);
}

void TestCorpusWindow::columnsAreDetected() {
    QTemporaryDir dir;
    const auto write = [&](const QString& name, const QByteArray& data) {
        QFile f(dir.filePath(name));
        f.open(QIODevice::WriteOnly);
        f.write(data);
        return f.fileName();
    };
    // "text" and "label" found by name, in any column.
    DatasetColumns found = inspectDataset(write("a.csv", "id,Label,text\n1,positive,\"good, very\"\n"),
                                          corpus::InputFormat::Auto, true);
    QCOMPARE(found.format, corpus::InputFormat::Csv);
    QCOMPARE(found.columns, (QStringList{"id", "Label", "text"}));
    QCOMPARE(found.textColumn, 2);
    QCOMPARE(found.labelColumn, 1);
    // Other names: the user picks; the window says so.
    const QString other = write("b.tsv", "sentence\tsentiment\nfine food\tpositive\nawful\tnegative\n");
    DatasetOptions options;
    options.setPath(other);
    QCOMPARE(options.columns(), (QStringList{"sentence", "sentiment"}));
    QVERIFY(options.ready());
    QVERIFY(options.hintText().contains(QStringLiteral("text")));
    bool ignore = false;
    auto input = options.inputOptions(&ignore);
    QCOMPARE(input.text_column, std::string("sentence"));
    QVERIFY(ignore);  // no label column chosen
    options.setLabelColumn(QStringLiteral("sentiment"));
    input = options.inputOptions(&ignore);
    QCOMPARE(input.label_column, std::string("sentiment"));
    QVERIFY(!ignore);
    // And the engine reads what was chosen.
    const auto read = corpus::read_corpus(other.toStdString(), input);
    QCOMPARE(read.texts.size(), size_t(2));
    QCOMPARE(*read.texts[1].label, std::string("negative"));
    // Without a header, columns by number.
    const QString bare = write("c.tsv", "fine food\tpositive\n");
    options.setPath(bare);
    QCOMPARE(options.columns(), (QStringList{"fine food", "positive"}));  // read as a header row
    DatasetOptions::Choice choice = options.choice();
    choice.header = false;
    options.setChoice(choice);
    QCOMPARE(options.columns(), (QStringList{"1", "2"}));
    options.setTextColumn(QStringLiteral("1"));
    input = options.inputOptions(&ignore);
    QCOMPARE(input.text_column, std::string("1"));
    QVERIFY(!input.header);
    // One text per line: no columns.
    options.setPath(write("d.txt", "one\ntwo\n"));
    QVERIFY(options.columns().isEmpty());
    QVERIFY(options.ready());
}

void TestCorpusWindow::leaveOneOutColouringEqualsAnalyseText() {
    MainWindow w(false);
    w.resize(1400, 900);
    QVERIFY(w.openModel(bundled("sentiment_en_bilstm_pool"), true));
    const QString text = QStringLiteral("The food was great but the service was painfully slow.");
    w.setText(text);
    TokenStrip* strip = w.tokenStrip();
    strip->setSource(TokenStrip::Source::LeaveOneOut);
    QTRY_VERIFY_WITH_TIMEOUT(strip->coloringAvailable(), 10000);
    // The values are analyse_text's, with the settings the window uses.
    const lstmscope::Model* model = w.document()->model();
    const auto expected = corpus::analyse_text(corpus::plan_model(*model), text.toStdString(), 0, LeaveOneOut::settings());
    QVERIFY(expected.faithfulness);
    const auto& loo = expected.faithfulness->leave_one_out;
    QCOMPARE(static_cast<int>(loo.size()), static_cast<int>(w.document()->trace()->tokens.size()));
    for (int t = 0; t < static_cast<int>(loo.size()); ++t) QCOMPARE(strip->chipValue(t), loo[static_cast<size_t>(t)]);
    QVERIFY(strip->chipColor(0).isValid());
    // Tau beside the attention view: the same run's.
    AttentionView* attention = w.attentionView();
    QTRY_VERIFY(std::isfinite(attention->shownTau()));
    QCOMPARE(attention->shownTau(), expected.faithfulness->kendall_tau);
    QVERIFY2(attention->tauText().contains(QString::number(expected.faithfulness->kendall_tau, 'f', 2)),
             qPrintable(attention->tauText()));
    // A new text: recomputed for it.
    const int runs = LeaveOneOut::of(w.document())->runs();
    w.setText(QStringLiteral("Terrible."));
    QTRY_VERIFY_WITH_TIMEOUT(strip->coloringAvailable() && LeaveOneOut::of(w.document())->runs() > runs, 10000);
    // A model without attention says why there is none.
    QVERIFY(w.openModel(bundled("sentiment_en_lstm_last"), true));
    w.setText(text);
    strip->setSource(TokenStrip::Source::LeaveOneOut);
    QVERIFY(!strip->coloringAvailable());
    QVERIFY(strip->hintText().contains(QStringLiteral("attention")));
    QVERIFY(w.attentionView()->tauText().isEmpty());
}

// The sentiment model on a 300-word text, its leave-one-out test running.
static LeaveOneOut* startTestOfALongText(MainWindow& w) {
    if (!w.openModel(bundled("sentiment_en_bilstm_pool"), true)) return nullptr;
    QStringList words;
    for (int k = 0; k < 300; ++k) words << (k % 3 ? "good" : "food");
    w.setText(words.join(' '));
    LeaveOneOut* loo = LeaveOneOut::of(w.document());
    loo->request();
    return QTest::qWaitFor([loo] { return loo->busy(); }, 5000) ? loo : nullptr;
}

// A test of the old text kept a core busy until the new text's trace came,
// competing with that run and the repaint (issue 9, keystroke latency): it
// stops as soon as the text changes, and the new text is tested after.
void TestCorpusWindow::leaveOneOutStopsWhenTheTextChanges() {
    MainWindow w(false);
    LeaveOneOut* loo = startTestOfALongText(w);
    QVERIFY(loo);
    const int runs = loo->runs();
    w.textEditor()->moveCursor(QTextCursor::End);
    w.textEditor()->insertPlainText(QStringLiteral(" bad"));  // typed: the document is stale at once
    QVERIFY(w.document()->stale());
    QVERIFY(!loo->busy());
    QTRY_VERIFY_WITH_TIMEOUT(!w.document()->stale(), 5000);
    loo->request();
    QTRY_VERIFY_WITH_TIMEOUT(loo->runs() > runs && loo->result(), 30000);
    QCOMPARE(static_cast<int>(loo->result()->leave_one_out.size()), 301);
}

// Once a test had been stopped by typing, the next one started as soon as
// each keystroke's trace came, not kDelayMs after it: finishing the stopped
// worker restarted the wait with start(0), which set its interval to 0 for
// good, and from then on every keystroke's run and repaint shared the two
// cores with a test of a text about to change again.
void TestCorpusWindow::leaveOneOutWaitsForAPauseAfterAStoppedTest() {
    MainWindow w(false);
    LeaveOneOut* loo = startTestOfALongText(w);
    QVERIFY(loo);
    QElapsedTimer sinceCurrent;
    connect(w.document(), &Document::staleChanged, &w, [&](bool stale) {
        if (!stale) sinceCurrent.start();
    });
    for (const QString& typed : {QStringLiteral(" bad"), QStringLiteral(" worse")}) {
        const int runs = loo->runs();
        w.textEditor()->moveCursor(QTextCursor::End);
        w.textEditor()->insertPlainText(typed);
        QVERIFY(!loo->busy());
        QTRY_VERIFY_WITH_TIMEOUT(!w.document()->stale(), 5000);
        loo->request();
        QTRY_VERIFY_WITH_TIMEOUT(loo->runs() > runs, 10000);
        QVERIFY2(sinceCurrent.elapsed() >= LeaveOneOut::kDelayMs - 20,
                 qPrintable(QString("started %1 ms after the trace").arg(sinceCurrent.elapsed())));
    }
}

void TestCorpusWindow::longTextsAreNotTestedOneTokenAtATime() {
    MainWindow w(false);
    QVERIFY(w.openModel(bundled("sentiment_en_bilstm_pool"), true));
    QStringList words;
    for (int k = 0; k < LeaveOneOut::kMaxTokens + 20; ++k) words << (k % 2 ? "good" : "food");
    w.setText(words.join(' '));
    w.tokenStrip()->setSource(TokenStrip::Source::LeaveOneOut);
    QVERIFY(!w.tokenStrip()->coloringAvailable());
    QVERIFY2(w.tokenStrip()->hintText().contains(QStringLiteral("not computed")), qPrintable(w.tokenStrip()->hintText()));
    QVERIFY(w.attentionView()->tauText().contains(QStringLiteral("not computed")));
    QTest::qWait(LeaveOneOut::kDelayMs + 50);
    QCOMPARE(LeaveOneOut::of(w.document())->runs(), 0);
}

void TestCorpusWindow::shiftClickSelectsASpan() {
    MainWindow w(false);
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openModel(bundled("sentiment_en_bilstm_pool"), true));
    w.setText(QStringLiteral("the food was not good at all"));
    TokenStrip* strip = w.tokenStrip();
    QTest::qWait(20);
    const auto centre = [&](int token) { return strip->chipRect(strip->chipIndexOfToken(token)).center(); };
    QTest::mouseClick(strip->chipArea(), Qt::LeftButton, {}, centre(2));
    QCOMPARE(w.selection()->token(), 2);
    QTest::mouseClick(strip->chipArea(), Qt::LeftButton, Qt::ShiftModifier, centre(4));
    QCOMPARE(w.selection()->token(), 2);
    QCOMPARE(w.selection()->tokenLast(), 4);
    QTest::mouseClick(strip->chipArea(), Qt::LeftButton, Qt::ShiftModifier, centre(0));
    QCOMPARE(w.selection()->token(), 0);
    QCOMPARE(w.selection()->tokenLast(), 4);
    QTest::mouseClick(strip->chipArea(), Qt::LeftButton, {}, centre(5));
    QCOMPARE(w.selection()->token(), 5);
    QCOMPARE(w.selection()->tokenLast(), 5);
}

void TestCorpusWindow::theWindowSwitchesLanguage() {
    c_->showPage(CorpusWindow::Page::Faithfulness);
    CorpusFilterProxy::Filter f;
    f.outcome = CorpusFilterProxy::Outcome::Wrong;
    c_->table()->setFilter(f);
    QVERIFY(i18n::setLanguage(QStringLiteral("zh_CN")));
    QTRY_COMPARE(c_->pages()->tabText(2), QStringLiteral("注意力忠实度(&T)"));
    // The same results, page and filter, in Chinese.
    QCOMPARE(c_->table()->model()->rowCount(), 200);
    QCOMPARE(c_->table()->shownRows(), 41);
    QCOMPARE(c_->pages()->currentIndex(), 2);
    QVERIFY(c_->summaryText().contains(QStringLiteral("准确率")));
    QCOMPARE(c_->faithfulness()->tauHistogram()->counts(), c_->job()->results().summary->faithfulness().tau_histogram.counts);
    QVERIFY(i18n::setLanguage(QStringLiteral("en")));
    QTRY_COMPARE(c_->pages()->tabText(2), QStringLiteral("A&ttention faithfulness"));
    c_->table()->setFilter({});
}

void TestCorpusWindow::theCommandLineOpensADataset() {
    // --dataset runs the corpus and --screenshot renders the corpus window once it is done.
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("corpus.png"));
    QProcess app;
    app.start(QStringLiteral(LSTMSCOPE_APP), {bundled("sentiment_en_bilstm_pool"), QStringLiteral("--dataset"), kDataset,
                                              QStringLiteral("--corpus-page"), QStringLiteral("faithfulness"),
                                              QStringLiteral("--size"), QStringLiteral("1000x700"),
                                              QStringLiteral("--screenshot"), png});
    QVERIFY(app.waitForFinished(60000));
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    QCOMPARE(QImage(png).size(), QSize(1000, 700));
    app.start(QStringLiteral(LSTMSCOPE_APP), {bundled("sentiment_en_bilstm_pool"), QStringLiteral("--dataset"), kDataset,
                                              QStringLiteral("--corpus-page"), QStringLiteral("nope"),
                                              QStringLiteral("--screenshot"), png});
    QVERIFY(app.waitForFinished(60000));
    QCOMPARE(app.exitCode(), 2);
    QVERIFY(QString::fromUtf8(app.readAllStandardError()).contains(QStringLiteral("--corpus-page")));
}

QTEST_MAIN(TestCorpusWindow)
#include "test_corpus_window.moc"
