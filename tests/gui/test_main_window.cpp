// The application as a whole: a model fills every view, one selection links
// them, errors keep the old model, typing re-runs, exports and screenshots.
#include <QAction>
#include <QFile>
#include <QSettings>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSet>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/main_window.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/trace_export.h"
#include "gui/view_export.h"
#include "gui/views/attention_view.h"
#include "gui/views/gates_view.h"
#include "gui/views/prediction_view.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"

namespace {
const QString kGolden = QStringLiteral(LSTMSCOPE_TEST_DATA "/golden/");
}

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void loadingRunsTheModel();
    void aClickInOneViewReachesEveryView();
    void badModelKeepsThePreviousOne();
    void typingReruns();
    void longTextRunsOffTheGuiThread();
    void aSlowOldRunNeverReplacesANewerTrace();
    void emptyTextReportsAndKeepsTheTrace();
    void arrowKeysMoveTheSelection();
    void selectionIsClampedWhenTheTextShrinks();
    void traceExportsAsJsonAndCsv();
    void viewsExportAsPngSvgAndPdf();
    void settingsRememberModelColourMapAndRecent();
    void screenshotWritesANonBlankPngOfTheRequestedSize();
    void screenshotOfABadModelFailsWithTheMessage();
    void engineThreadsMenuSetsEveryRun();
};

// View > Engine threads: the chosen number reaches every document's runs
// (and the trace does not depend on it).
void TestMainWindow::engineThreadsMenuSetsEveryRun() {
    MainWindow w(false);
    QVERIFY(w.openModel(kGolden + "seed_a.json", true));
    w.setText("the movie was not good at all");
    const lstmscope::Matrix before = w.document()->trace()->output();
    auto* one = w.findChild<QAction*>("threads-1");
    auto* every = w.findChild<QAction*>("threads-0");
    QVERIFY(one && every);
    QVERIFY(every->isChecked());
    one->trigger();
    QCOMPARE(Document::engineThreads(), 1);
    QVERIFY(one->isChecked() && !every->isChecked());
    w.setText("the movie was good");
    w.setText("the movie was not good at all");
    QVERIFY((w.document()->trace()->output().array() == before.array()).all());
    every->trigger();
    QCOMPARE(Document::engineThreads(), 0);
}

void TestMainWindow::loadingRunsTheModel() {
    MainWindow w(false);
    QSignalSpy traces(w.document(), &Document::traceChanged);
    QVERIFY(w.openModel(kGolden + "seed_a.json", true));
    w.setText("the movie was not good at all");
    QVERIFY(w.document()->trace());
    QCOMPARE(int(w.document()->trace()->tokens.size()), 7);
    QVERIFY(traces.count() >= 1);
    QVERIFY(w.statusText().contains("7 tokens"));
    QVERIFY(w.statusText().contains("ms"));
    QVERIFY(w.windowTitle().contains(QString::fromStdString(w.document()->model()->name)));
}

void TestMainWindow::aClickInOneViewReachesEveryView() {
    MainWindow w(false);
    w.resize(1400, 900);
    QVERIFY(w.openModel(kGolden + "seed_b.json", true));  // tagging: the prediction table follows tokens too
    w.setText("I loved the acting, but the plot was too long.");
    QSignalSpy tokens(w.selection(), &Selection::tokenChanged);
    QSignalSpy units(w.selection(), &Selection::unitChanged);

    // A click on a cell of the attention heatmap (query row 4) ...
    emit w.attentionView()->heatmap()->cellClicked(4, 2);
    QCOMPARE(tokens.count(), 1);
    QCOMPARE(w.selection()->token(), 4);
    // ... lights token 4 up in every view.
    QCOMPARE(w.attentionView()->highlightedToken(), 4);
    QCOMPARE(w.gatesView()->highlightedToken(), 4);
    for (auto q : {GatesView::InputGate, GatesView::HiddenState})
        QCOMPARE(w.gatesView()->heatmap(q)->highlightedColumn(), 4);
    QCOMPARE(w.tokenStrip()->selectedToken(), 4);
    QCOMPARE(w.predictionView()->highlightedRow(), 4);

    // A click on a gate heatmap cell selects its token and unit for everyone.
    emit w.gatesView()->heatmap(GatesView::ForgetGate)->cellClicked(3, 7);
    QCOMPARE(w.selection()->token(), 7);
    QCOMPARE(w.selection()->unit(), w.gatesView()->rowUnits().at(3));
    QVERIFY(units.count() >= 1);
    QCOMPARE(w.attentionView()->highlightedToken(), 7);
    QCOMPARE(w.tokenStrip()->selectedToken(), 7);
    QCOMPARE(w.predictionView()->highlightedRow(), 7);
    for (auto q : {GatesView::CellState, GatesView::OutputGate})
        QCOMPARE(w.gatesView()->heatmap(q)->highlightedRow(), 3);
}

void TestMainWindow::badModelKeepsThePreviousOne() {
    QTemporaryDir dir;
    QFile bad(dir.filePath("broken.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"format\": \"lstmscope-model\", \"format_version\": 1, ");
    bad.close();

    MainWindow w(false);
    QVERIFY(w.openModel(kGolden + "seed_b.json", true));
    w.setText("a b c");
    const std::string before = w.document()->model()->name;
    QVERIFY(!w.openModel(dir.filePath("broken.json"), true));
    QVERIFY2(w.lastError().contains("broken.json"), qPrintable(w.lastError()));
    QCOMPARE(w.document()->model()->name, before);
    QVERIFY(w.document()->trace());

    // A shape error names the node and the tensor.
    QFile manifest(kGolden + "seed_b.json");
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    QJsonObject m = QJsonDocument::fromJson(manifest.readAll()).object();
    m["weights"] = kGolden + "seed_a.safetensors";
    QFile wrong(dir.filePath("wrong_weights.json"));
    QVERIFY(wrong.open(QIODevice::WriteOnly));
    wrong.write(QJsonDocument(m).toJson());
    wrong.close();
    QVERIFY(!w.openModel(dir.filePath("wrong_weights.json"), true));
    QVERIFY2(w.lastError().contains("node '"), qPrintable(w.lastError()));
    QCOMPARE(w.document()->model()->name, before);
}

void TestMainWindow::typingReruns() {
    MainWindow w(false);
    QVERIFY(w.openModel(kGolden + "pool_tanh_proj.json", true));
    w.setText("good");
    QCOMPARE(int(w.document()->trace()->tokens.size()), 1);
    QSignalSpy traces(w.document(), &Document::traceChanged);
    w.textEditor()->moveCursor(QTextCursor::End);
    QTest::keyClicks(w.textEditor(), " food but bad service");
    QVERIFY(traces.wait(2000));  // after the debounce
    QTRY_COMPARE(int(w.document()->trace()->tokens.size()), 5);
}

void TestMainWindow::longTextRunsOffTheGuiThread() {
    Document doc;
    QString error;
    QVERIFY2(doc.loadModel(kGolden + "long_300.json", &error), qPrintable(error));
    QString text;
    while (text.toUtf8().size() < Document::kAsyncThresholdBytes + 100) text += "the food was good but the service was slow ";
    QSignalSpy running(&doc, &Document::runningChanged);
    QSignalSpy traces(&doc, &Document::traceChanged);
    doc.setText(text);
    QVERIFY(traces.wait(10000));
    QVERIFY(running.count() >= 2);  // started, finished
    QVERIFY(running.first().at(0).toBool());
    QVERIFY(doc.trace()->tokens.size() > 500);
}

void TestMainWindow::aSlowOldRunNeverReplacesANewerTrace() {
    Document doc;
    QString error;
    QVERIFY2(doc.loadModel(kGolden + "long_300.json", &error), qPrintable(error));
    QString text;
    while (text.toUtf8().size() < Document::kAsyncThresholdBytes + 100) text += "the food was good but the service was slow ";
    QSignalSpy running(&doc, &Document::runningChanged);
    doc.setText(text);
    QVERIFY(running.wait(5000));  // the long text is on the worker now
    doc.setText("good food");
    doc.runNow();                 // the user's newest text, run at once
    QCOMPARE(int(doc.trace()->tokens.size()), 2);
    QTRY_VERIFY_WITH_TIMEOUT(!doc.running(), 10000);
    // Until the abandoned worker has finished and its result was handled:
    // each worker's watcher is a child of the document that deletes itself
    // once Document has seen its result (a fixed wait could end before).
    QTRY_VERIFY_WITH_TIMEOUT(doc.findChildren<QFutureWatcherBase*>().isEmpty(), 20000);
    QCOMPARE(int(doc.trace()->tokens.size()), 2);
}

void TestMainWindow::emptyTextReportsAndKeepsTheTrace() {
    MainWindow w(false);
    QVERIFY(w.openModel(kGolden + "seed_b.json", true));
    w.setText("a b c");
    QVERIFY(w.document()->trace());
    QSignalSpy failed(w.document(), &Document::runFailed);
    w.setText("   ");
    QCOMPARE(failed.count(), 1);
    QVERIFY(w.document()->runError().contains("no tokens"));
    QVERIFY(w.document()->trace());  // the last good trace stays on screen
    QVERIFY(w.statusText().contains("no tokens"));
}

void TestMainWindow::arrowKeysMoveTheSelection() {
    MainWindow w(false);
    w.show();
    QVERIFY(w.openModel(kGolden + "seed_b.json", true));
    w.setText("a b c d");
    w.selection()->setToken(1);
    QWidget* view = w.gatesView();
    view->setFocus();
    QWidget* target = QApplication::focusWidget() ? QApplication::focusWidget() : view;
    QTest::keyClick(target, Qt::Key_Right);
    QCOMPARE(w.selection()->token(), 2);
    QTest::keyClick(target, Qt::Key_Left);
    QTest::keyClick(target, Qt::Key_Left);
    QCOMPARE(w.selection()->token(), 0);
    QTest::keyClick(target, Qt::Key_Left);
    QCOMPARE(w.selection()->token(), 0);  // stays at the first token
    // In the text editor the arrows move the cursor, not the selection.
    w.textEditor()->setFocus();
    QTest::keyClick(w.textEditor(), Qt::Key_Right);
    QCOMPARE(w.selection()->token(), 0);
}

void TestMainWindow::selectionIsClampedWhenTheTextShrinks() {
    MainWindow w(false);
    QVERIFY(w.openModel(kGolden + "seed_b.json", true));
    w.setText("a b c d e f");
    w.selection()->setToken(5);
    w.setText("a b");
    QCOMPARE(w.selection()->token(), 1);
}

void TestMainWindow::traceExportsAsJsonAndCsv() {
    MainWindow w(false);
    QVERIFY(w.openModel(kGolden + "seed_a.json", true));
    w.setText("free prize now");
    QTemporaryDir dir;
    QString error;
    QVERIFY2(saveTraceJson(*w.document()->trace(), dir.filePath("t.json"), &error), qPrintable(error));
    QFile json(dir.filePath("t.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonObject trace = QJsonDocument::fromJson(json.readAll()).object();
    QCOMPARE(trace.value("format").toString(), QString("lstmscope-trace"));
    QCOMPARE(trace.value("tokens").toArray().size(), 3);
    QVERIFY(saveTraceCsv(*w.document()->trace(), dir.filePath("t.csv"), &error));
    QFile csv(dir.filePath("t.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().split('\n');
    QCOMPARE(lines.first(), QByteArray("node,kind,layer,direction,head,row,token,column,value"));
    QVERIFY(lines.size() > 100);
    QVERIFY(!saveTraceJson(*w.document()->trace(), "/nonexistent-dir/t.json", &error));
    QVERIFY(error.contains("/nonexistent-dir/t.json"));
}

void TestMainWindow::viewsExportAsPngSvgAndPdf() {
    MainWindow w(false);
    w.resize(1200, 800);
    QVERIFY(w.openModel(kGolden + "seed_a.json", true));
    w.setText("free prize now");
    QTemporaryDir dir;
    for (const QString name : {"view.png", "view.svg", "view.pdf"}) {
        QString error;
        QVERIFY2(exportWidget(w.attentionView(), dir.filePath(name), &error),
                 qPrintable(error));
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray head = file.read(8);
        QVERIFY2(file.size() > 1000, qPrintable(name));
        if (name.endsWith("png")) QVERIFY(head.startsWith("\x89PNG"));
        if (name.endsWith("svg")) QVERIFY(head.startsWith("<?xml"));
        if (name.endsWith("pdf")) QVERIFY(head.startsWith("%PDF"));
    }
    QString error;
    QVERIFY(!exportWidget(&w, "/nonexistent-dir/x.png", &error));
    QVERIFY(error.contains("/nonexistent-dir/x.png"));
}

void TestMainWindow::settingsRememberModelColourMapAndRecent() {
    QSettings().clear();
    {
        MainWindow w(true);
        QVERIFY(w.openModel(kGolden + "seed_b.json", true));
        QAction* magma = w.findChild<QAction*>("colormap-magma");
        QVERIFY(magma);
        magma->trigger();
        w.close();
    }
    QSettings settings;
    QCOMPARE(settings.value("colorMap").toString(), QString("magma"));
    QVERIFY(settings.value("lastModel").toString().endsWith("seed_b.json"));
    QVERIFY(settings.value("recentModels").toStringList().first().endsWith("seed_b.json"));
    {
        MainWindow again(true);
        QVERIFY(again.findChild<QAction*>("colormap-magma")->isChecked());
    }
    QSettings().clear();
}

void TestMainWindow::screenshotWritesANonBlankPngOfTheRequestedSize() {
    QTemporaryDir dir;
    const QString png = dir.filePath("shot.png");
    QProcess app;
    app.start(LSTMSCOPE_APP, {kGolden + "seed_a.json", "--text", "win a free prize now", "--screenshot", png,
                              "--size", "1000x700"});
    QVERIFY(app.waitForFinished(60000));
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    const QImage image(png);
    QCOMPARE(image.size(), QSize(1000, 700));
    QSet<QRgb> colors;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7) colors.insert(image.pixel(x, y));
    QVERIFY2(colors.size() > 50, qPrintable(QString("only %1 colours").arg(colors.size())));
}

void TestMainWindow::screenshotOfABadModelFailsWithTheMessage() {
    QTemporaryDir dir;
    QProcess app;
    app.start(LSTMSCOPE_APP, {dir.filePath("missing.json"), "--screenshot", dir.filePath("x.png")});
    QVERIFY(app.waitForFinished(60000));
    QCOMPARE(app.exitCode(), 2);
    QVERIFY(QString(app.readAllStandardError()).contains("missing.json"));
    QVERIFY(!QFile::exists(dir.filePath("x.png")));
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
