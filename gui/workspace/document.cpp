#include "gui/workspace/document.h"

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <chrono>
#include <functional>

#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

#include "engine/error.h"
#include "engine/runner.h"
#include "gui/workspace/import_sources.h"

namespace {

// Messages of the GUI's own (the rest are the engine's), matched in runError().
constexpr const char* kOutOfMemory = "text: out of memory while running the model on this text";
constexpr const char* kInternalError = "internal error: ";

struct RunOutcome {
    std::shared_ptr<const lstmscope::Trace> trace;
    QString error;
    std::optional<lstmscope::Error> failure;  // when the engine threw
    double ms = 0;
};

// Threads every run may use (Document::setEngineThreads); 0: every core.
std::atomic<int> g_engineThreads{0};

// The engine call both paths share; never throws. A cancelled run returns
// no trace and kCancelled; its result is never shown.
constexpr const char* kCancelled = "cancelled";
RunOutcome runEngine(const lstmscope::Model& model, const std::string& text, bool details, int64_t recordLimit,
                     const std::atomic<bool>* cancel = nullptr,
                     std::function<void(const lstmscope::Trace&)> onNodeDone = {}) {
    RunOutcome out;
    const auto start = std::chrono::steady_clock::now();
    try {
        lstmscope::RunOptions options;
        options.details = details;
        options.threads = g_engineThreads.load();
        options.cancel = cancel;
        // A long text's attention weights stay out of memory (20,000 tokens
        // x 8 heads would be 12.8 GB): the views show the summary and ask
        // for the exact rows they show.
        options.attention_record_limit = recordLimit;
        options.on_node_done = std::move(onNodeDone);
        out.trace = std::make_shared<const lstmscope::Trace>(lstmscope::run(model, text, options));
    } catch (const lstmscope::Cancelled&) {
        out.error = QString::fromLatin1(kCancelled);
    } catch (const lstmscope::Error& e) {
        out.error = QString::fromUtf8(e.what());
        out.failure = e;
    } catch (const std::bad_alloc&) {
        out.error = QString::fromLatin1(kOutOfMemory);
    } catch (const std::exception& e) {
        out.error = QString::fromLatin1(kInternalError) + QString::fromUtf8(e.what());
    }
    out.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
}

// The threads that run the engine for long texts, apart from Qt's global
// pool. Each lowers its own scheduling priority (nice 5, inherited by the
// threads a run starts): on a two-core machine the two engine threads of a
// long run would otherwise leave the window a third of a core, and the first
// views of a 20,000-token text took over a second longer to paint. The
// engine still gets every core the window does not need.
QThreadPool& enginePool() {
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool;  // never destroyed: exit must not wait for a run
        p->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        return p;
    }();
    return *pool;
}

void lowerThisThreadsPriority() {
#ifdef __linux__
    // Per thread on Linux (setpriority with a thread id); raising it back
    // would need privileges, so these threads stay at 5.
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 5);
#endif
}

bool isLong(const std::string& utf8) { return static_cast<qsizetype>(utf8.size()) >= Document::kAsyncThresholdBytes; }

}  // namespace

void Document::setEngineThreads(int threads) { g_engineThreads = std::max(0, threads); }
int Document::engineThreads() { return g_engineThreads.load(); }

Document::Document(QObject* parent) : QObject(parent) {
    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &Document::startRun);
    previewPoll_.setInterval(kPreviewPollMs);
    connect(&previewPoll_, &QTimer::timeout, this, &Document::takePreview);
}

// Workers are not waited for: each holds its own shared_ptr to the model and
// its own copy of the text and never touches this object, and its watcher is
// a child that goes with us. Closing a document (or a pane) therefore never
// blocks the GUI thread for the rest of a seconds-long run.
// A run still going is cancelled (it would hold a core for nothing).
Document::~Document() { cancelActive(); }

bool Document::loadModel(const QString& path, QString* error) {
    std::shared_ptr<const lstmscope::Model> loaded;
    try {
        // A Keras file's vocabulary and architecture, as remembered for it.
        loaded = std::make_shared<const lstmscope::Model>(
            lstmscope::Model::load(path.toStdString(), importOptionsFor(path)));
    } catch (const lstmscope::Error& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    } catch (const std::exception& e) {
        if (error) *error = tr("%1: cannot load the model: %2").arg(path, QString::fromUtf8(e.what()));
        return false;
    }
    debounce_.stop();
    abandonWorkers();  // results of the old model are dropped by generation
    model_ = std::move(loaded);
    modelPath_ = path;
    // Never show the old model's trace as if the new model had made it.
    trace_.reset();
    runError_.clear();
    runFailure_.reset();
    const std::string utf8 = text_.toStdString();
    if (isLong(utf8)) {
        // Start before modelChanged so its listeners already read running()
        // and stale() as true; the trace arrives with traceChanged.
        startWorker();
        emit modelChanged();
        return true;
    }
    emit modelChanged();
    runNow();
    return true;
}

void Document::requestDetails(const QObject* requester, bool want) {
    if (!requester || want == detailRequesters_.contains(requester)) return;
    if (want) {
        detailRequesters_.insert(requester);
        connect(requester, &QObject::destroyed, this, [this, requester] { detailRequesters_.remove(requester); });
    } else {
        detailRequesters_.remove(requester);
        disconnect(requester, nullptr, this, nullptr);  // only the destroyed() link above goes this way
    }
    // The shown trace lacks what is now wanted: run again (a short text at
    // once, a long one on the worker, as any edit would).
    if (want && model_ && trace_ && !traceDetails_) startRun();
}

void Document::setText(const QString& text) {
    if (text == text_) return;
    text_ = text;
    // A run of the old text is of no use any more: stop it now rather than
    // let it hold a core while the user types. running() stays true, since
    // the debounce will start the run of the new text.
    cancelActive();
    debounce_.start(debounceMs());
    publish(nullptr, running_);  // the shown trace is now of an older text
}

int Document::debounceMs() const {
    if (!trace_) return kDebounceMs;
    if (isLong(text_.toStdString())) return lastRunMs_ < kEagerWorkerRunMs ? 0 : kDebounceMs;
    const bool quick = static_cast<int>(trace_->tokens.size()) <= kInstantTokens && lastRunMs_ < kInstantRunMs;
    return quick ? 0 : kDebounceMs;
}

void Document::runNow() {
    debounce_.stop();
    if (!model_) return;
    abandonWorkers();  // a worker still running has an older text: its result is dropped
    const bool details = detailsWanted();
    const RunOutcome r = runEngine(*model_, text_.toStdString(), details, recordLimit_);
    const Result result{r.trace, r.error, r.failure, r.ms, generation_, details};
    publish(&result, false);
}

void Document::startRun() {
    if (!model_) {
        publish(nullptr, running_);  // the debounce ended: nothing to run, nothing stale
        return;
    }
    if (!isLong(text_.toStdString())) {
        runNow();  // short: cheaper to run now than to wait for a worker on an older text
        return;
    }
    cancelActive();  // an older text's run: cancelled, not queued behind
    startWorker();
}

bool Document::previewWanted(size_t textBytes) const {
    if (!trace_ || !trace_->complete() || trace_->text.empty()) return true;
    const double grow = static_cast<double>(textBytes) / static_cast<double>(trace_->text.size());
    return lastRunMs_ * grow * grow >= kPreviewRunMs;
}

void Document::startWorker() {
    auto model = model_;
    const std::string utf8 = text_.toStdString();
    const bool wantPreview = previewWanted(utf8.size());
    const quint64 generation = generation_;
    const bool details = detailsWanted();
    const int64_t limit = recordLimit_;
    auto* worker = new Worker(this);
    connect(worker, &Worker::finished, this, [this, worker] { workerFinished(worker); });
    active_ = worker;
    activeCancel_ = std::make_shared<std::atomic<bool>>(false);
    activePreview_ = std::make_shared<PreviewSlot>();
    if (wantPreview) previewPoll_.start();
    // Once, before the first attention node of a long text: a copy of the
    // trace so far (tokens, embeddings, the LSTM's gates and states).
    auto preview = [model, generation, details, slot = activePreview_,
                    sent = !wantPreview](const lstmscope::Trace& t) mutable {
        const size_t next = static_cast<size_t>(t.nodes_run);
        if (sent || next >= model->nodes.size() || static_cast<int>(t.tokens.size()) < kPreviewTokens) return;
        const lstmscope::OpKind op = model->nodes[next].op;
        if (op != lstmscope::OpKind::Attention && op != lstmscope::OpKind::MultiheadAttention) return;
        sent = true;
        auto copy = std::make_shared<const lstmscope::Trace>(t);
        const std::lock_guard lock(slot->mutex);
        slot->trace = std::move(copy);
        slot->generation = generation;
        slot->details = details;
    };
    worker->setFuture(QtConcurrent::run(&enginePool(), [model, utf8, generation, details, limit,
                                                        cancel = activeCancel_, preview = std::move(preview)]() mutable {
        lowerThisThreadsPriority();
        const RunOutcome r = runEngine(*model, utf8, details, limit, cancel.get(), std::move(preview));
        return Result{r.trace, r.error, r.failure, r.ms, generation, details};
    }));
    publish(nullptr, true);
}

void Document::workerFinished(Worker* worker) {
    worker->deleteLater();
    const Result result = worker->result();
    if (worker != active_) {
        // Abandoned: a newer text or model superseded it.
        if (result.error == QLatin1String(kCancelled)) ++cancelledRuns_;
        return;
    }
    active_ = nullptr;
    activeCancel_.reset();
    activePreview_.reset();
    previewPoll_.stop();
    // A run started before the model changed describes a model that is gone.
    if (result.generation != generation_) {
        publish(nullptr, false);
        return;
    }
    publish(&result, false);
}

void Document::cancelActive() {
    if (activeCancel_) activeCancel_->store(true);
    activeCancel_.reset();
    activePreview_.reset();
    previewPoll_.stop();
    previewCurrent_ = false;
    active_ = nullptr;
}

void Document::takePreview() {
    std::shared_ptr<const lstmscope::Trace> preview;
    bool details = false;
    if (activePreview_) {
        const std::lock_guard lock(activePreview_->mutex);
        if (activePreview_->generation == generation_) preview = std::move(activePreview_->trace);
        details = activePreview_->details;
    }
    if (!preview) return;
    previewPoll_.stop();
    // Shown like a trace while the run goes on (running stays true). It is
    // the current text's, so not stale: the views of the nodes still to come
    // say "computing" instead.
    trace_ = std::move(preview);
    traceDetails_ = details;
    previewCurrent_ = true;
    const bool wasStale = stale_;
    updateStale();
    emit traceChanged();
    if (stale_ != wasStale) emit staleChanged(stale_);
}

void Document::abandonWorkers() {
    ++generation_;
    cancelActive();
}

void Document::publish(const Result* result, bool running) {
    if (result) previewCurrent_ = false;
    if (result) {
        lastRunMs_ = result->ms;
        if (result->trace) {
            trace_ = result->trace;
            traceDetails_ = result->details;
            runError_.clear();
            runFailure_.reset();
        } else {
            runError_ = result->error;
            runFailure_ = result->failure;
        }
    }
    // A preview whose run then failed or was dropped would say "computing"
    // forever: the views fall back to their no-trace state instead.
    const bool dropPreview = !running && trace_ && !trace_->complete() && (!result || !result->trace);
    if (dropPreview) trace_.reset();
    const bool wasRunning = running_;
    const bool wasStale = stale_;
    const StaleWhy oldWhy = staleWhy_;
    const QString oldError = runError_;
    running_ = running;
    updateStale();

    if (running_ != wasRunning) emit runningChanged(running_);
    if (result) {
        if (result->trace)
            emit traceChanged();
        else
            emit runFailed(runError());
    }
    if (dropPreview) emit traceChanged();
    if (stale_ != wasStale || staleWhy_ != oldWhy || runError_ != oldError) emit staleChanged(stale_);
}

void Document::updateStale() {
    if (!model_) {
        stale_ = false;
        staleWhy_ = StaleWhy::None;
    } else if (previewCurrent_ && !debounce_.isActive()) {
        // The current text's run, part way: what is shown is current.
        stale_ = false;
        staleWhy_ = StaleWhy::None;
    } else if (running_ || debounce_.isActive()) {
        stale_ = true;
        staleWhy_ = StaleWhy::Running;
    } else if (!runError_.isEmpty()) {
        stale_ = true;
        staleWhy_ = StaleWhy::RunError;
    } else if (!trace_) {
        stale_ = true;
        staleWhy_ = StaleWhy::NotRun;
    } else {
        stale_ = false;
        staleWhy_ = StaleWhy::None;
    }
}

QString Document::staleReason() const {
    switch (staleWhy_) {
    case StaleWhy::Running: return tr("running…");
    case StaleWhy::RunError: return runError();
    case StaleWhy::NotRun: return tr("not run yet");
    case StaleWhy::None: break;
    }
    return {};
}

QString Document::runError() const {
    // The engine's errors about the text are the ones a user meets while
    // typing (an empty editor); their codes and numbers say them in the
    // interface language. Others (a model's internals) stay as the engine
    // wrote them: they are for the model's author, and name its file, node
    // and field.
    if (runError_.isEmpty()) return runError_;
    if (runFailure_ && runFailure_->kind() == lstmscope::ErrorKind::text) {
        const lstmscope::ErrorParts& p = runFailure_->parts();
        switch (p.code) {
        case lstmscope::ErrorCode::empty_text:
            return tr("text: the text has no tokens (it is empty or only white space)");
        case lstmscope::ErrorCode::no_known_tokens:
            return tr("text: every token of the text is unknown to the vocabulary and was dropped (%n dropped)",
                      nullptr, static_cast<int>(p.count));
        case lstmscope::ErrorCode::too_many_tokens:
            return tr("text: %1 tokens is more than the limit of %2 tokens per run").arg(p.count).arg(p.limit);
        default: break;
        }
    }
    if (runError_ == QLatin1String(kOutOfMemory)) return tr("text: out of memory while running the model on this text");
    if (runError_.startsWith(QLatin1String(kInternalError)))
        return tr("internal error: %1").arg(runError_.mid(static_cast<qsizetype>(qstrlen(kInternalError))));
    return runError_;
}

QString Document::runErrorNode() const {
    return runFailure_ ? QString::fromStdString(runFailure_->parts().node) : QString();
}
