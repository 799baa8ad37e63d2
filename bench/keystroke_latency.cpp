// bench_keystroke: the time a keystroke takes to reach redrawn views.
//
// Set-up per (model, T): a MainWindow (not persistent), 1600x1000, the dock of
// every view of viewSpecs() shown (also "cell" and "equation", hidden by
// default; they make every run record the gate details), shown on the
// offscreen platform (unless QT_QPA_PLATFORM says otherwise), the model
// opened, a text of exactly T word tokens set (common English words in both
// models' vocabularies, ending in "movie") and left to settle for 1 s.
//
// A keystroke: QTest::keyClick on textEditor(), alternately 's' ("movie" ->
// "movies") and Backspace, so every text has T known tokens. The text goes
// through textChanged to the Document, which waits Document::debounceMs()
// (none when the last run was quick: under 15 ms for a short text, under
// 150 ms for a worker's; otherwise 120 ms), runs the model on this thread, or
// on a worker for texts of at least kAsyncThresholdBytes (here T = 1000 and
// 5000), and emits traceChanged.
//
// "Repainted": the views react in their slots, but much of their drawing is
// deferred (QCustomPlot's queued replots, update(), the stale marker's
// opacity effect), so a forced repaint() right after traceChanged would miss
// work the application really does. Instead the ordinary event loop runs and
// QApplication::notify watches every event: a Paint event delivered to a
// view or any widget inside it, once the Document holds the new trace, marks
// that view repainted. The clock stops at the end of the top-level event (the
// window's UpdateRequest, which paints and flushes the backing store, or a
// replot) in which the last view paint happened; the loop then waits until no
// view has painted for kQuietMs, unmeasured. A visible view that does not
// repaint at all is listed in a note (the model view rightly does not when T
// stays the same).
//
// Not counted: what the attention view's leave-one-out test (Kendall tau
// between attention and importance, gui/corpus/leave_one_out) paints. It is
// a separate analysis that waits LeaveOneOut::kDelayMs (500 ms) after the
// last change on purpose and then runs the model once per token; paints
// after its result arrives end the measured part of a keystroke. At this
// benchmark's pace (the next key kQuietMs after the last paint, about four
// keys a second) it does not start between keys, as for a user typing.
//
// Per keystroke, two numbers:
//   from run: from the debounce timer firing (the Timer event delivered to
//             the Document's own QTimer: the run starts) to views repainted;
//             excludes the debounce and the key handling before it.
//   total:    from just before the key event to views repainted.
// kWarmup keystrokes, then --keys measured ones: median and max. A second
// table splits the medians: engine run (Document::lastRunMs), traceChanged
// handlers (the event that emitted it, engine excluded) and the time in each
// view's own events.
#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QSet>
#include <QThread>
#include <QTimer>
#include <QtTest>
#include <algorithm>
#include <cstdio>
#include <map>
#include <qcustomplot.h>
#include <vector>

#include "engine/allocator_tuning.h"
#include "gui/corpus/leave_one_out.h"
#include "gui/main_window.h"
#include "gui/views/view_registry.h"
#include "gui/workspace/document.h"

namespace {

constexpr int kWarmup = 3;
constexpr int kQuietMs = 250;  // no view paint for this long: the keystroke is done
constexpr int kTimeoutMs = 60000;
const QString kSentiment = QStringLiteral(LSTMSCOPE_SOURCE_DIR "/models/sentiment_en_bilstm_pool.json");
const QString kSpam = QStringLiteral(LSTMSCOPE_SOURCE_DIR "/models/seed_a_sms_spam.json");

QElapsedTimer g_clock;  // started in main()
double nowMs() { return double(g_clock.nsecsElapsed()) / 1e6; }

// What the event hook watches during one keystroke.
struct Probe {
    const Document* doc = nullptr;
    QList<const QObject*> views;  // viewSpecs() order
    bool armed = false;
    double runStart = -1;      // the debounce timer's event was delivered
    // The trace shown before the key, held: compared by address, a freed
    // old trace let the new one be allocated where it was, and then none of
    // that keystroke's paints counted (14 of 20 keystrokes of the 8-head
    // model at 5,000 tokens, whose time then stopped when the trace came,
    // before the views had painted it).
    std::shared_ptr<const lstmscope::Trace> oldTrace;
    bool traceSeen = false;    // traceChanged was emitted
    double traceTime = -1;
    QSet<int> painted;         // views painted once the new trace was in the Document
    double lastPaintEnd = -1;  // end of the top-level event of the last view paint
    QTimer* quiet = nullptr;
    std::vector<double> viewMs;  // time inside each view's own events
    double handlersMs = 0;
    int depth = 0;
    double topStart = 0;
    bool paintedInTop = false, traceInTop = false;
    bool analysisArrived = false;  // the leave-one-out result came: later paints are its own
    int inView = -1;
};
Probe g_probe;

int viewOf(const QObject* object) {
    for (const QObject* o = object; o; o = o->parent())
        if (const int i = g_probe.views.indexOf(o); i >= 0) return i;
    return -1;
}

// The Document's debounce QTimer is a member, not a child: known by its address.
bool isDebounceTimer(const QObject* receiver) {
    const auto* r = reinterpret_cast<const char*>(receiver);
    const auto* d = reinterpret_cast<const char*>(g_probe.doc);
    return qobject_cast<const QTimer*>(receiver) && r >= d && r < d + sizeof(Document);
}

class BenchApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool notify(QObject* receiver, QEvent* event) override {
        Probe& p = g_probe;
        if (!p.armed || QThread::currentThread() != thread()) return QApplication::notify(receiver, event);
        const double start = nowMs();
        if (p.depth == 0) {
            p.topStart = start;
            p.paintedInTop = p.traceInTop = false;
        }
        if (event->type() == QEvent::Timer && p.runStart < 0 && isDebounceTimer(receiver)) p.runStart = start;
        const int view = viewOf(receiver);
        const bool outermostInView = view >= 0 && p.inView < 0;
        if (outermostInView) p.inView = view;
        // The Document holds the new trace before it emits anything, and some
        // views repaint synchronously in their traceChanged slots: a paint
        // counts once the trace changed, not once our (last) slot has run.
        // A long run's preview (tokens and LSTM, Document::kPreviewTokens) is
        // not the end of a keystroke: the finished trace is.
        if (view >= 0 && event->type() == QEvent::Paint && !p.analysisArrived && p.doc->trace() != p.oldTrace.get() &&
            p.doc->trace() &&
            p.doc->trace()->complete()) {
            p.painted.insert(view);
            p.paintedInTop = true;
        }
        ++p.depth;
        const bool result = QApplication::notify(receiver, event);
        --p.depth;
        const double end = nowMs();
        if (outermostInView) {
            p.viewMs[size_t(view)] += end - start;
            p.inView = -1;
        }
        if (p.depth == 0) {
            if (p.paintedInTop) {
                p.lastPaintEnd = end;
                if (p.quiet) p.quiet->start();
            }
            if (p.traceInTop) p.handlersMs = end - p.topStart;
        }
        return result;
    }
};

// Each distinct warning printed once, all counted.
std::map<QString, int> g_messages;
void messageHandler(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtDebugMsg || type == QtInfoMsg) return;
    if (g_messages[message]++ == 0) std::fprintf(stderr, "[qt] %s\n", qPrintable(message));
}

QString textOfTokens(int tokens) {
    static const QStringList words = QStringLiteral(
        "the movie was good but the service was slow and it is not very nice i think you will like it").split(' ');
    QStringList out;
    for (int k = 0; k + 1 < tokens; ++k) out << words[k % words.size()];
    out << QStringLiteral("movie");  // 's' makes it "movies", Backspace takes it back
    return out.join(' ');
}

struct Sample {
    double fromRun = 0, total = 0, engine = 0, handlers = 0;
    double replots = 0;  // QCustomPlot replots (all plots) from the key to the quiet
    std::vector<double> viewMs;
    QStringList unpainted;  // visible views with no paint after the trace
};

struct Row {
    QString model;
    int tokens = 0;
    bool worker = false;  // the runs go to the worker thread
    std::vector<Sample> samples;
    QStringList problems;
};

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
template <typename F>
std::vector<double> column(const Row& row, F f) {
    std::vector<double> out;
    for (const Sample& s : row.samples) out.push_back(f(s));
    return out;
}

// One keystroke, measured; false (and a reason in *problem) if it failed.
bool keystroke(MainWindow& w, int index, Sample* sample, QString* problem) {
    Probe& p = g_probe;
    Document* doc = w.document();
    p.runStart = p.traceTime = p.lastPaintEnd = -1;
    p.traceSeen = false;
    p.analysisArrived = false;
    p.oldTrace = doc->sharedTrace();
    p.painted.clear();
    p.viewMs.assign(size_t(p.views.size()), 0);
    p.handlersMs = 0;
    QEventLoop loop;
    QTimer quiet, timeout;
    for (QTimer* t : {&quiet, &timeout}) {
        t->setSingleShot(true);
        QObject::connect(t, &QTimer::timeout, &loop, &QEventLoop::quit);
    }
    quiet.setInterval(kQuietMs);
    QString failure;
    const auto traced = QObject::connect(doc, &Document::traceChanged, &loop, [&] {
        if (!doc->trace() || !doc->trace()->complete()) return;  // a preview
        p.traceSeen = true;
        p.traceInTop = p.depth > 0;
        p.traceTime = nowMs();
        quiet.start();
    });
    const auto failed = QObject::connect(doc, &Document::runFailed, &loop, [&](const QString& message) {
        failure = message;
        loop.quit();
    });
    const auto analysed = QObject::connect(LeaveOneOut::of(doc), &LeaveOneOut::changed, &loop,
                                           [&] { p.analysisArrived = p.traceSeen; });
    int replots = 0;
    std::vector<QMetaObject::Connection> replotCounters;
    for (QCustomPlot* plot : w.findChildren<QCustomPlot*>())
        replotCounters.push_back(QObject::connect(plot, &QCustomPlot::afterReplot, &loop, [&replots] { ++replots; }));
    p.quiet = &quiet;
    p.armed = true;
    timeout.start(kTimeoutMs);
    const double keyStart = nowMs();
    QTest::keyClick(w.textEditor(), index % 2 == 0 ? Qt::Key_S : Qt::Key_Backspace);
    loop.exec();
    p.armed = false;
    p.quiet = nullptr;
    QObject::disconnect(traced);
    QObject::disconnect(failed);
    QObject::disconnect(analysed);
    for (const auto& c : replotCounters) QObject::disconnect(c);

    if (!failure.isEmpty()) return *problem = "run failed: " + failure, false;
    if (!p.traceSeen) return *problem = QString("no trace within %1 s").arg(kTimeoutMs / 1000), false;
    if (p.runStart < 0) return *problem = "the debounce timer was not seen", false;
    for (int i = 0; i < p.views.size(); ++i)
        if (static_cast<const QWidget*>(p.views[i])->isVisible() && !p.painted.contains(i))
            sample->unpainted << viewSpecs()[size_t(i)].id;
    const double stop = p.lastPaintEnd >= 0 ? p.lastPaintEnd : p.traceTime;
    const bool worker = w.textEditor()->toPlainText().toUtf8().size() >= Document::kAsyncThresholdBytes;
    sample->fromRun = stop - p.runStart;
    sample->total = stop - keyStart;
    sample->engine = doc->lastRunMs();
    sample->handlers = std::max(0.0, p.handlersMs - (worker ? 0.0 : doc->lastRunMs()));
    sample->viewMs = p.viewMs;
    sample->replots = replots;
    return true;
}

Row measure(const QString& modelPath, int tokens, int keys) {
    Row row;
    row.model = QFileInfo(modelPath).completeBaseName();
    row.tokens = tokens;
    MainWindow w(/*persistent=*/false);
    w.resize(1600, 1000);
    for (const ViewSpec& spec : viewSpecs())
        if (QDockWidget* dock = w.dock(spec.id)) dock->show();
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) row.problems << "the window was never exposed";
    if (!w.openModel(modelPath, /*quiet=*/true)) {
        row.problems << "cannot open the model: " + w.lastError();
        return row;
    }
    const QString text = textOfTokens(tokens);
    row.worker = text.toUtf8().size() >= Document::kAsyncThresholdBytes;
    w.setText(text);  // runs at once, on this thread, whatever the length
    w.activateWindow();
    w.textEditor()->setFocus();
    w.textEditor()->moveCursor(QTextCursor::End);
    QTest::qWait(1000);  // deferred replots and layouts of the first trace
    const Document* doc = w.document();
    const int got = doc->trace() ? int(doc->trace()->tokens.size()) : 0;
    if (got != tokens) row.problems << QString("the text has %1 tokens, not %2").arg(got).arg(tokens);
    g_probe.doc = doc;
    g_probe.views.clear();
    QStringList hidden;
    for (const ViewSpec& spec : viewSpecs()) {
        const QWidget* view = w.dockedView(spec.id);
        g_probe.views << view;
        if (!view || !view->isVisible() || view->width() < 20 || view->height() < 20) hidden << spec.id;
    }
    if (!hidden.isEmpty()) row.problems << "not visible (or tiny): " + hidden.join(", ");

    for (int k = 0; k < kWarmup + keys; ++k) {
        Sample s;
        QString problem;
        const bool ok = keystroke(w, k, &s, &problem);
        if (!problem.isEmpty() && !row.problems.contains(problem)) row.problems << problem;
        if (!ok) break;
        if (k >= kWarmup) row.samples.push_back(s);
    }
    g_probe.doc = nullptr;
    g_probe.oldTrace.reset();
    g_probe.views.clear();
    return row;
}

QString cpuModel() {
    QFile f("/proc/cpuinfo");
    if (f.open(QIODevice::ReadOnly))
        for (const QByteArray& line : f.readAll().split('\n'))
            if (line.startsWith("model name")) return QString::fromUtf8(line.mid(line.indexOf(':') + 1)).trimmed();
    return "unknown CPU";
}

QString ms(double v) { return QString::number(v, 'f', 1); }

void printTables(const std::vector<Row>& rows, int keys) {
    std::printf("| model | tokens | median ms (run start to repainted) | max | median total from key (incl. debounce) "
                "| max total | run on |\n|---|---:|---:|---:|---:|---:|---|\n");
    for (const Row& r : rows) {
        if (r.samples.empty()) {
            std::printf("| %s | %d | failed | | | | |\n", qPrintable(r.model), r.tokens);
            continue;
        }
        const auto fromRun = column(r, [](const Sample& s) { return s.fromRun; });
        const auto total = column(r, [](const Sample& s) { return s.total; });
        std::printf("| %s | %d | %s | %s | %s | %s | %s |\n", qPrintable(r.model), r.tokens,
                    qPrintable(ms(median(fromRun))), qPrintable(ms(*std::max_element(fromRun.begin(), fromRun.end()))),
                    qPrintable(ms(median(total))), qPrintable(ms(*std::max_element(total.begin(), total.end()))),
                    r.worker ? "worker" : "GUI thread");
    }
    std::printf("\n%d keystrokes per row after %d warm-up; 1600x1000 window, all %d views visible, %s platform.\n",
                keys, kWarmup, int(viewSpecs().size()), qPrintable(QGuiApplication::platformName()));
    std::printf("Machine: %s, %d cores, %s, Qt %s.\n", qPrintable(cpuModel()), QThread::idealThreadCount(),
                qPrintable(QDateTime::currentDateTime().toString(Qt::ISODate)), qVersion());

    std::printf("\nWhere the time goes (medians, ms): the engine run; the traceChanged handlers (every slot of every "
                "view, engine excluded); QCustomPlot replots per keystroke; the time in events delivered to each view's widgets (deferred replots, "
                "layouts, paints, including those nested in the handlers: columns overlap):\n\n"
                "| model | tokens | engine | handlers | replots |");
    for (const ViewSpec& spec : viewSpecs()) std::printf(" %s |", qPrintable(spec.id));
    std::printf("\n|---|---:|---:|---:|---:|");
    for (size_t i = 0; i < viewSpecs().size(); ++i) std::printf("---:|");
    std::printf("\n");
    for (const Row& r : rows) {
        if (r.samples.empty()) continue;
        std::printf("| %s | %d | %s | %s | %s |", qPrintable(r.model), r.tokens,
                    qPrintable(ms(median(column(r, [](const Sample& s) { return s.engine; })))),
                    qPrintable(ms(median(column(r, [](const Sample& s) { return s.handlers; })))),
                    qPrintable(QString::number(median(column(r, [](const Sample& s) { return s.replots; })))));
        for (size_t i = 0; i < viewSpecs().size(); ++i)
            std::printf(" %s |", qPrintable(ms(median(column(r, [i](const Sample& s) { return s.viewMs[i]; })))));
        std::printf("\n");
    }
    std::printf("\n");
    for (const Row& r : rows) {
        for (const QString& problem : r.problems)
            std::printf("PROBLEM %s T=%d: %s\n", qPrintable(r.model), r.tokens, qPrintable(problem));
        // Not necessarily wrong: a view whose picture does not change (the
        // model's graph at a constant T) may rightly skip its repaint.
        std::map<QString, int> unpainted;
        for (const Sample& s : r.samples)
            for (const QString& id : s.unpainted) ++unpainted[id];
        for (const auto& [id, count] : unpainted)
            std::printf("Note %s T=%d: view '%s' did not repaint after %d of %zu keystrokes\n", qPrintable(r.model),
                        r.tokens, qPrintable(id), count, r.samples.size());
    }
}

// A path as given, else relative to the source tree or its models/ folder.
QString resolveModel(const QString& path) {
    const QString source = QStringLiteral(LSTMSCOPE_SOURCE_DIR "/");
    for (const QString& dir : {QString(), source, source + "models/"})
        if (QFileInfo(dir + path).isFile()) return dir + path;
    return path;
}

}  // namespace

int main(int argc, char** argv) {
    lstmscope::keep_freed_memory_for_reuse();  // as the application does
    // The goal is stated for the offscreen platform; a display is used only when asked for.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(messageHandler);
    g_clock.start();
    BenchApplication app(argc, argv);
    QApplication::setApplicationName("lstmscope-bench");
    QApplication::setOrganizationName("lstmscope");

    QCommandLineParser parser;
    parser.setApplicationDescription("Keystroke-to-redraw latency of the main window, all views visible.");
    parser.addHelpOption();
    const QCommandLineOption modelOption("model", "Model manifest (default: the sentiment BiLSTM).", "MODEL.json");
    const QCommandLineOption tokensOption("tokens", "Tokens in the base text (default 256).", "N");
    const QCommandLineOption keysOption("keys", "Measured keystrokes per size (default 20).", "K", "20");
    const QCommandLineOption allOption(
        "all", "The default table: sentiment_en_bilstm_pool at T = 32, 256, 1000, 5000; seed_a_sms_spam at 256, 5000.");
    parser.addOptions({modelOption, tokensOption, keysOption, allOption});
    parser.process(app);

    bool ok = false;
    const int keys = parser.value(keysOption).toInt(&ok);
    if (!ok || keys < 1) {
        std::fprintf(stderr, "bench_keystroke: --keys needs a positive number\n");
        return 2;
    }
    std::vector<std::pair<QString, int>> plan;
    if (parser.isSet(allOption) || (!parser.isSet(modelOption) && !parser.isSet(tokensOption))) {
        for (int t : {32, 256, 1000, 5000}) plan.emplace_back(kSentiment, t);
        for (int t : {256, 5000}) plan.emplace_back(kSpam, t);
    } else {
        const int tokens = parser.isSet(tokensOption) ? parser.value(tokensOption).toInt(&ok) : 256;
        if (!ok || tokens < 1) {
            std::fprintf(stderr, "bench_keystroke: --tokens needs a positive number\n");
            return 2;
        }
        plan.emplace_back(parser.isSet(modelOption) ? resolveModel(parser.value(modelOption)) : kSentiment, tokens);
    }

    std::vector<Row> rows;
    for (const auto& [model, tokens] : plan) {
        std::fprintf(stderr, "measuring %s at T=%d...\n", qPrintable(QFileInfo(model).completeBaseName()), tokens);
        rows.push_back(measure(model, tokens, keys));
    }
    printTables(rows, keys);
    int warnings = 0;
    for (const auto& [message, count] : g_messages) warnings += count;
    std::printf("\n%d Qt warnings (%zu distinct, on stderr); the run took %.0f s.\n", warnings, g_messages.size(),
                nowMs() / 1000);
    for (const Row& r : rows)
        if (r.samples.empty()) return 1;
    return 0;
}
