// One loaded model, the text it runs on, and the latest trace. The model
// re-runs on every text edit after a short debounce; long texts run on a
// worker thread so typing never blocks. Views read the trace from here and
// never compute model values themselves.
#pragma once

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>

#include "engine/model.h"
#include "engine/trace.h"

class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);
    ~Document() override;

    // Loads a model. On failure returns false, puts the engine's message
    // (file, node, field or tensor) in *error and keeps the current model.
    bool loadModel(const QString& path, QString* error);

    const lstmscope::Model* model() const { return model_.get(); }
    QString modelPath() const { return modelPath_; }
    // The latest successful trace for the current model, or null.
    const lstmscope::Trace* trace() const { return trace_.get(); }
    std::shared_ptr<const lstmscope::Trace> sharedTrace() const { return trace_; }
    QString text() const { return text_; }
    // Why the current text has no trace ("the text has no tokens"), or empty.
    QString runError() const { return runError_; }
    double lastRunMs() const { return lastRunMs_; }
    bool running() const { return watcher_.isRunning(); }

    // Texts of at least this many UTF-8 bytes run on a worker thread.
    static constexpr int kAsyncThresholdBytes = 4000;
    static constexpr int kDebounceMs = 120;

public slots:
    // Schedules a run after the debounce delay.
    void setText(const QString& text);
    // Runs the current text now, synchronously (tests, screenshots, start-up).
    void runNow();

signals:
    void modelChanged();
    void traceChanged();
    // The current text could not run; the previous trace stays visible.
    void runFailed(const QString& message);
    void runningChanged(bool running);

private:
    void startRun();
    void finishRun(std::shared_ptr<const lstmscope::Trace> trace, const QString& error, double ms);

    struct Result {
        std::shared_ptr<const lstmscope::Trace> trace;
        QString error;
        double ms = 0;
        quint64 generation = 0;
    };

    std::shared_ptr<const lstmscope::Model> model_;
    QString modelPath_;
    std::shared_ptr<const lstmscope::Trace> trace_;
    QString text_;
    QString runError_;
    double lastRunMs_ = 0;
    QTimer debounce_;
    QFutureWatcher<Result> watcher_;
    bool pending_ = false;  // the text changed while a worker was running
    // Bumps on a model change and on every run in this thread: a worker's
    // result from an older generation describes a text or model that is gone.
    quint64 generation_ = 0;
};
