#include "gui/document.h"

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

}  // namespace

Document::Document(QObject* parent) : QObject(parent) {
    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &Document::startRun);
    connect(&watcher_, &QFutureWatcher<Result>::finished, this, [this] {
        const Result r = watcher_.result();
        emit runningChanged(false);
        // A run started before the model changed describes a model that is gone.
        if (r.generation == generation_) finishRun(r.trace, r.error, r.ms);
        if (pending_) {
            pending_ = false;
            startRun();
        }
    });
}

Document::~Document() {
    // The worker holds its own shared_ptr to the model; waiting keeps the
    // watcher from signalling a destroyed object.
    watcher_.waitForFinished();
}

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
    ++generation_;
    model_ = std::move(loaded);
    modelPath_ = path;
    trace_.reset();
    runError_.clear();
    emit modelChanged();
    runNow();
    return true;
}

void Document::setText(const QString& text) {
    if (text == text_) return;
    text_ = text;
    debounce_.start();
}

void Document::runNow() {
    debounce_.stop();
    if (!model_) return;
    ++generation_;  // a worker still running has an older text: its result is dropped
    const RunOutcome r = runEngine(*model_, text_.toStdString());
    finishRun(r.trace, r.error, r.ms);
}

void Document::startRun() {
    if (!model_) return;
    const std::string utf8 = text_.toStdString();
    if (static_cast<int>(utf8.size()) < kAsyncThresholdBytes && !watcher_.isRunning()) {
        ++generation_;
        const RunOutcome r = runEngine(*model_, utf8);
        finishRun(r.trace, r.error, r.ms);
        return;
    }
    if (watcher_.isRunning()) {
        pending_ = true;  // run again with the newest text when this one ends
        return;
    }
    auto model = model_;
    const quint64 generation = generation_;
    emit runningChanged(true);
    watcher_.setFuture(QtConcurrent::run([model, utf8, generation]() {
        const RunOutcome r = runEngine(*model, utf8);
        return Result{r.trace, r.error, r.ms, generation};
    }));
}

void Document::finishRun(std::shared_ptr<const lstmscope::Trace> trace, const QString& error, double ms) {
    lastRunMs_ = ms;
    if (!trace) {
        runError_ = error;
        emit runFailed(error);
        return;
    }
    runError_.clear();
    trace_ = std::move(trace);
    emit traceChanged();
}
