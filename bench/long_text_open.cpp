// bench_long_text: a long text pasted into the main window of an attention
// model, as a user would: how long until the first views show it, how long
// until every view does, and how much memory the process needed.
//
// Set-up: a MainWindow (not persistent), 1600x1000, the docks of the default
// layout, offscreen unless QT_QPA_PLATFORM says otherwise; the model opened
// on a short text. Then the clock starts and the long text (--tokens word
// tokens, common English words) goes into the editor with setPlainText, as
// a paste does: the Document's debounce (120 ms) is part of the figure, and
// the run goes to the worker thread.
//
// "first views": the first traceChanged of the new text (for a long text on
// an attention model, the preview: tokens and LSTM; see Document) and the
// window painted with it (QWidget::grab paints every visible widget).
// "all views": the same for the finished trace. Memory: the peak resident
// set size of the process (getrusage), and the resident size at the end.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QtTest>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

#include "engine/allocator_tuning.h"
#include "gui/main_window.h"
#include "gui/workspace/document.h"

namespace {

QString textOfTokens(int tokens) {
    static const QStringList words = QStringLiteral(
        "the movie was good but the service was slow and it is not very nice i think you will like it").split(' ');
    QStringList out;
    for (int k = 0; k < tokens; ++k) out << words[k % words.size()];
    return out.join(' ');
}

double peakRssMb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

double currentRssMb() {
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
    lstmscope::keep_freed_memory_for_reuse();  // as the application does
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName("lstmscope-bench");
    QApplication::setOrganizationName("lstmscope");
    QCommandLineParser parser;
    parser.setApplicationDescription("Time to first and to all views, and memory, for a long text pasted in.");
    parser.addHelpOption();
    const QCommandLineOption modelOption("model", "Model manifest (default: seed_a_sms_spam, 8 heads).", "MODEL.json",
                                         QStringLiteral(LSTMSCOPE_SOURCE_DIR "/models/seed_a_sms_spam.json"));
    const QCommandLineOption tokensOption("tokens", "Tokens in the text (default 20000).", "N", "20000");
    const QCommandLineOption shotsOption("shots", "Save the window at first views and at all views as PNGs here.",
                                         "DIR");
    parser.addOptions({modelOption, tokensOption, shotsOption});
    parser.process(app);
    bool ok = false;
    const int tokens = parser.value(tokensOption).toInt(&ok);
    if (!ok || tokens < 1) {
        std::fprintf(stderr, "bench_long_text: --tokens needs a positive number\n");
        return 2;
    }

    MainWindow w(/*persistent=*/false);
    w.resize(1600, 1000);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) std::fprintf(stderr, "the window was never exposed\n");
    if (!w.openModel(parser.value(modelOption), /*quiet=*/true)) {
        std::fprintf(stderr, "bench_long_text: cannot open the model: %s\n", qPrintable(w.lastError()));
        return 2;
    }
    w.setText(QStringLiteral("the movie was good"));
    QTest::qWait(500);
    const double baseMb = currentRssMb();

    const Document* doc = w.document();
    const QString text = textOfTokens(tokens);
    QElapsedTimer clock;
    double firstMs = -1, allMs = -1, firstArrivedMs = -1;
    bool firstComplete = false;
    QImage firstShot, allShot;
    QObject::connect(doc, &Document::traceChanged, &w, [&] {
        const lstmscope::Trace* t = doc->trace();
        if (!t || static_cast<int>(t->tokens.size()) != tokens) return;
        if (firstMs < 0) {
            firstArrivedMs = double(clock.nsecsElapsed()) / 1e6;
            QCoreApplication::processEvents();
            if (parser.isSet(shotsOption)) firstShot = w.grab().toImage();
            else w.grab();
            firstMs = double(clock.nsecsElapsed()) / 1e6;
            firstComplete = t->complete();
        }
        if (t->complete() && allMs < 0) {
            QCoreApplication::processEvents();
            if (parser.isSet(shotsOption)) allShot = w.grab().toImage();
            else w.grab();
            allMs = double(clock.nsecsElapsed()) / 1e6;
        }
    });
    double runStartMs = -1;
    QObject::connect(doc, &Document::runningChanged, &w, [&](bool running) {
        if (running && runStartMs < 0) runStartMs = double(clock.nsecsElapsed()) / 1e6;
    });
    clock.start();
    w.textEditor()->setPlainText(text);
    const double pastedMs = double(clock.nsecsElapsed()) / 1e6;  // as a paste: debounce, then the worker
    while (allMs < 0 && clock.elapsed() < 600000) QTest::qWait(20);
    if (allMs < 0) {
        std::fprintf(stderr, "bench_long_text: no finished trace after 10 minutes\n");
        return 1;
    }
    QTest::qWait(300);
    std::printf("model %s, %d tokens, %s\n", qPrintable(QFileInfo(parser.value(modelOption)).completeBaseName()),
                tokens, firstComplete ? "no preview (the first trace was the finished one)" : "preview first");
    std::printf("first views: %.0f ms after the paste (the editor took %.0f ms, the run started at %.0f ms, its "
                "first trace arrived at %.0f ms); all views: %.0f ms (engine %.0f ms)\n",
                firstMs, pastedMs, runStartMs, firstArrivedMs, allMs, doc->lastRunMs());
    std::printf("memory: peak %.0f MB resident (%.0f MB before the paste), %.0f MB at the end\n", peakRssMb(), baseMb,
                currentRssMb());
    if (parser.isSet(shotsOption)) {
        const QString dir = parser.value(shotsOption);
        firstShot.save(dir + "/long_text_first_views.png");
        allShot.save(dir + "/long_text_all_views.png");
    }
    return 0;
}
