// One loaded model, the text it runs on, and the latest trace. The model
// re-runs on every text edit after a short debounce; long texts run on a
// worker thread so typing never blocks. Views read the trace from here and
// never compute model values themselves.
#pragma once

#include <atomic>
#include <cstdint>

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <memory>
#include <mutex>
#include <optional>

#include "engine/model.h"
#include "engine/error.h"
#include "engine/trace.h"

class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);
    ~Document() override;

    // Loads a model. On failure returns false, puts the engine's message
    // (file, node, field or tensor) in *error and keeps the current model.
    // The first pass runs before this returns for texts shorter than
    // kAsyncThresholdBytes, so tests and screenshots have a trace at once;
    // longer texts run on the worker (a big model on a long text takes
    // seconds) and trace() stays null until traceChanged.
    bool loadModel(const QString& path, QString* error);

    const lstmscope::Model* model() const { return model_.get(); }
    QString modelPath() const { return modelPath_; }
    // The latest successful trace for the current model, or null. It may be
    // of an older text: see stale().
    const lstmscope::Trace* trace() const { return trace_.get(); }
    std::shared_ptr<const lstmscope::Trace> sharedTrace() const { return trace_; }
    QString text() const { return text_; }
    // Why the current text has no trace ("the text has no tokens"), or empty:
    // the engine's message, in the interface language when it is one about
    // the text (no tokens, too many); read when shown, so a language switch
    // applies to it too.
    QString runError() const;
    // The node the last run's error is about (a fixed-length attention
    // given a text of another length), or empty: the model view marks it.
    QString runErrorNode() const;
    double lastRunMs() const { return lastRunMs_; }
    // A run whose result will be shown is in progress on the worker (or
    // queued behind it). Its own flag, not the watcher's state: listeners
    // of runningChanged(true) must already read true, and a worker whose
    // result will be dropped (after runNow or a model switch) is not a run
    // in progress from the user's point of view.
    bool running() const { return running_; }
    // The shown trace is not of the current text: the last run failed (the
    // old trace stays on screen), or a newer text waits for the debounce or
    // is running (unless what is shown is that run's preview, which is of
    // the current text: see kPreviewTokens). Views and the status bar use it to grey out or label the
    // trace instead of presenting it as current. False without a model.
    bool stale() const { return stale_; }
    // Why stale() is true: the run's error, or "running…"; empty otherwise.
    QString staleReason() const;

    // The step-by-step views need each gate's pre-activation parts and the
    // attention scores (lstmscope::RunOptions::details), which a plain run
    // leaves out. While at least one requester wants them, every run records
    // them; turning them on re-runs the text if the shown trace lacks them.
    // A requester that is destroyed stops wanting them.
    void requestDetails(const QObject* requester, bool want);
    bool detailsWanted() const { return !detailRequesters_.isEmpty(); }
    // The shown trace was recorded with the details.
    bool traceHasDetails() const { return trace_ && traceDetails_; }

    // Texts of at least this many UTF-8 bytes run on a worker thread.
    static constexpr int kAsyncThresholdBytes = 4000;
    // How long an edit waits for the next keystroke before it runs. A short
    // text whose last run was quick runs at once (the event loop's next turn:
    // keys already queued still arrive first): its run and redraw take
    // a few tens of milliseconds, less than the gap between keystrokes, and
    // a pause before each redraw is what made typing feel slow. So does a
    // long text (a worker's) whose last run took under kEagerWorkerRunMs:
    // the next key cancels a run that is still going, so typing costs at
    // most a few cancelled runs of a core that is otherwise idle, and a
    // 5,000-token text is redrawn ~120 ms sooner (on the 8-head model its
    // run takes ~200 ms on two cores). Other texts (a short text whose run
    // blocks the window, a slow run) wait kDebounceMs, so a burst of typing
    // costs one run, not one per key.
    static constexpr int kDebounceMs = 120;
    static constexpr int kInstantTokens = 300;
    static constexpr double kInstantRunMs = 15.0;
    static constexpr double kEagerWorkerRunMs = 400.0;
    int debounceMs() const;
    // A node's attention weights are recorded only up to this many (heads x
    // T x T; 64 MB): 1,400 tokens for 8 heads, 4,000 for one. Longer texts
    // keep a summary and recompute rows on demand (RunOptions).
    static constexpr int64_t kAttentionRecordLimit = int64_t{16} << 20;
    // This document's limit (tests lower it to reach the long-text paths
    // with short texts); applies from the next run.
    void setAttentionRecordLimit(int64_t weights) { recordLimit_ = weights; }
    int64_t attentionRecordLimit() const { return recordLimit_; }
    // A worker's run on a text of at least this many tokens shows its trace
    // so far once the nodes before the first attention are done (the tokens,
    // the LSTM), while the attention, T x T work, is still computed: the
    // trace is then !complete() and views of later nodes say "computing".
    static constexpr int kPreviewTokens = 1500;
    static constexpr int kPreviewPollMs = 50;
    // ... but only when the run is expected to take this long: the last
    // run's time, scaled by the square of the texts' lengths (attention is
    // T x T), or always when there is no last run of this model. A
    // keystroke in a 5,000-token text whose run takes ~0.1 s gains nothing
    // from a preview a few tens of ms before the trace, and painting every
    // view twice took a core from the run and delayed the trace.
    static constexpr double kPreviewRunMs = 300.0;
    bool previewWanted(size_t textBytes) const;

    // Threads every run may use, for every document (RunOptions::threads):
    // 0 is every core, the default; set from the settings at start-up.
    static void setEngineThreads(int threads);
    static int engineThreads();
    // Runs stopped because their text or model changed while they ran (a
    // count for tests and diagnostics).
    int cancelledRuns() const { return cancelledRuns_; }

public slots:
    // Schedules a run after the debounce delay.
    void setText(const QString& text);
    // Runs the current text now, synchronously (tests, screenshots, start-up).
    // A worker still in flight is abandoned: its result never shows.
    void runNow();

signals:
    void modelChanged();
    void traceChanged();
    // The current text could not run; the previous trace stays visible.
    void runFailed(const QString& message);
    // Emitted once per transition, after running() has changed.
    void runningChanged(bool running);
    // Emitted when stale() or staleReason() changes (a reason can change
    // while stale stays true: "running…" becomes the run's error).
    void staleChanged(bool stale);

private:
    struct Result {
        std::shared_ptr<const lstmscope::Trace> trace;
        QString error;
        std::optional<lstmscope::Error> failure;  // the engine's error with its parts, if it was one
        double ms = 0;
        quint64 generation = 0;
        bool details = false;
    };
    using Worker = QFutureWatcher<Result>;
    // Where a worker leaves its preview trace for the GUI thread to pick up
    // (polled: the worker never touches this object, which may be gone).
    struct PreviewSlot {
        std::mutex mutex;
        std::shared_ptr<const lstmscope::Trace> trace;
        quint64 generation = 0;
        bool details = false;
    };
    void takePreview();

    void startRun();
    void startWorker();
    void workerFinished(Worker* worker);
    // Stops the worker in flight (its engine run throws Cancelled within a
    // few steps); its result is dropped when it arrives.
    void cancelActive();
    // Makes every worker's result obsolete (a model change, or a run on this
    // thread that is newer than anything in flight).
    void abandonWorkers();
    // Applies a run's outcome (or none) and the new running state, then emits
    // the signals: all state first, so every listener sees a consistent
    // Document whichever signal it hears.
    void publish(const Result* result, bool running);
    void updateStale();

    std::shared_ptr<const lstmscope::Model> model_;
    QString modelPath_;
    std::shared_ptr<const lstmscope::Trace> trace_;
    QString text_;
    QString runError_;
    std::optional<lstmscope::Error> runFailure_;  // runError_'s parts when the engine made it
    bool traceDetails_ = false;
    QSet<const QObject*> detailRequesters_;
    double lastRunMs_ = 0;
    QTimer debounce_;
    // The worker whose result will be shown, or null, and its cancel flag.
    // An abandoned worker is cancelled and not waited for: its run stops
    // within a few LSTM steps, its result is dropped and its watcher deletes
    // itself, so neither typing nor a model switch waits for an old run.
    Worker* active_ = nullptr;
    std::shared_ptr<std::atomic<bool>> activeCancel_;
    std::shared_ptr<PreviewSlot> activePreview_;
    bool previewCurrent_ = false;  // trace_ is the running worker's preview of text_
    QTimer previewPoll_;
    int cancelledRuns_ = 0;
    int64_t recordLimit_ = kAttentionRecordLimit;
    bool running_ = false;
    bool stale_ = false;
    enum class StaleWhy { None, Running, RunError, NotRun } staleWhy_ = StaleWhy::None;
    // Bumps on a model change and on every run in this thread: a worker's
    // result from an older generation describes a text or model that is gone.
    quint64 generation_ = 0;
};
