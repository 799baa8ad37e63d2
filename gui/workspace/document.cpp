#include "gui/workspace/document.h"

#include <QtConcurrent/QtConcurrentRun>
#include <chrono>

#include "engine/error.h"
#include "engine/runner.h"

namespace {

struct RunOutcome {
    std::shared_ptr<const lstmscope::Trace> trace;
    QString error;
    double ms = 0;
};

// The engine call both paths share; never throws.
RunOutcome runEngine(const lstmscope::Model& model, const std::string& text) {
    RunOutcome out;
    const auto start = std::chrono::steady_clock::now();
    try {
        out.trace = std::make_shared<const lstmscope::Trace>(lstmscope::run(model, text));
    } catch (const lstmscope::Error& e) {
        out.error = QString::fromUtf8(e.what());
    } catch (const std::bad_alloc&) {
        out.error = QStringLiteral("text: out of memory while running the model on this text");
    } catch (const std::exception& e) {
        out.error = QStringLiteral("internal error: ") + QString::fromUtf8(e.what());
    }
    out.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
}

bool isLong(const std::string& utf8) { return static_cast<qsizetype>(utf8.size()) >= Document::kAsyncThresholdBytes; }

}  // namespace

Document::Document(QObject* parent) : QObject(parent) {
    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &Document::startRun);
}

// Workers are not waited for: each holds its own shared_ptr to the model and
// its own copy of the text and never touches this object, and its watcher is
// a child that goes with us. Closing a document (or a pane) therefore never
// blocks the GUI thread for the rest of a seconds-long run.
Document::~Document() = default;

bool Document::loadModel(const QString& path, QString* error) {
    std::shared_ptr<const lstmscope::Model> loaded;
    try {
        loaded = std::make_shared<const lstmscope::Model>(lstmscope::Model::load(path.toStdString()));
    } catch (const lstmscope::Error& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    } catch (const std::exception& e) {
        if (error) *error = path + QStringLiteral(": cannot load the model: ") + QString::fromUtf8(e.what());
        return false;
    }
    debounce_.stop();
    abandonWorkers();  // results of the old model are dropped by generation
    model_ = std::move(loaded);
    modelPath_ = path;
    // Never show the old model's trace as if the new model had made it.
    trace_.reset();
    runError_.clear();
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

void Document::setText(const QString& text) {
    if (text == text_) return;
    text_ = text;
    debounce_.start();
    publish(nullptr, running_);  // the shown trace is now of an older text
}

void Document::runNow() {
    debounce_.stop();
    if (!model_) return;
    abandonWorkers();  // a worker still running has an older text: its result is dropped
    const RunOutcome r = runEngine(*model_, text_.toStdString());
    const Result result{r.trace, r.error, r.ms, generation_};
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
    if (active_) {
        pending_ = true;  // run again with the newest text when this one ends
        publish(nullptr, true);
        return;
    }
    startWorker();
}

void Document::startWorker() {
    auto model = model_;
    const std::string utf8 = text_.toStdString();
    const quint64 generation = generation_;
    auto* worker = new Worker(this);
    connect(worker, &Worker::finished, this, [this, worker] { workerFinished(worker); });
    active_ = worker;
    pending_ = false;
    worker->setFuture(QtConcurrent::run([model, utf8, generation]() {
        const RunOutcome r = runEngine(*model, utf8);
        return Result{r.trace, r.error, r.ms, generation};
    }));
    publish(nullptr, true);
}

void Document::workerFinished(Worker* worker) {
    worker->deleteLater();
    if (worker != active_) return;  // abandoned: a newer run or model superseded it
    active_ = nullptr;
    const Result result = worker->result();
    // A run started before the model changed describes a model that is gone.
    if (result.generation != generation_) {
        publish(nullptr, false);
        return;
    }
    if (pending_ && !debounce_.isActive()) {
        // Show this intermediate result (still stale) and run the newest text.
        pending_ = false;
        publish(&result, true);
        startRun();
        return;
    }
    // With the debounce still active, its timeout starts the next run.
    pending_ = false;
    publish(&result, false);
}

void Document::abandonWorkers() {
    ++generation_;
    active_ = nullptr;
    pending_ = false;
}

void Document::publish(const Result* result, bool running) {
    if (result) {
        lastRunMs_ = result->ms;
        if (result->trace) {
            trace_ = result->trace;
            runError_.clear();
        } else {
            runError_ = result->error;
        }
    }
    const bool wasRunning = running_;
    const bool wasStale = stale_;
    const QString oldReason = staleReason_;
    running_ = running;
    updateStale();

    if (running_ != wasRunning) emit runningChanged(running_);
    if (result) {
        if (result->trace)
            emit traceChanged();
        else
            emit runFailed(result->error);
    }
    if (stale_ != wasStale || staleReason_ != oldReason) emit staleChanged(stale_);
}

void Document::updateStale() {
    if (!model_) {
        stale_ = false;
        staleReason_.clear();
    } else if (running_ || debounce_.isActive()) {
        stale_ = true;
        staleReason_ = tr("running…");
    } else if (!runError_.isEmpty()) {
        stale_ = true;
        staleReason_ = runError_;
    } else if (!trace_) {
        stale_ = true;
        staleReason_ = tr("not run yet");
    } else {
        stale_ = false;
        staleReason_.clear();
    }
}
