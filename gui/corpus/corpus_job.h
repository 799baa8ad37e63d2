// The corpus window's background work: a whole corpus through model A (and
// B) with corpus::run_corpus, and a pattern search with
// corpus::search_patterns. Each runs on a worker thread with a cancel flag;
// the worker leaves what it has in a shared slot and the GUI thread polls it,
// so the window stays usable and the table fills while the run goes on.
// The worker never touches these objects (which may be gone by the time it
// finishes): only the shared slot, which it co-owns.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <vector>

#include "engine/corpus/pattern_search.h"
#include "gui/corpus/corpus_results.h"

template <typename T>
class QFutureWatcher;

class CorpusJob : public QObject {
    Q_OBJECT
public:
    explicit CorpusJob(QObject* parent = nullptr);
    ~CorpusJob() override;  // cancels a run in flight

    // Starts a run (a run in flight is cancelled and its results dropped).
    // Reading the dataset and loading the models happen on the worker too;
    // their errors end the run as Failed.
    void start(const CorpusRunSettings& settings);
    void cancel();
    bool running() const { return watcher_ != nullptr; }
    const CorpusResults& results() const { return *results_; }
    size_t done() const;   // texts finished so far
    size_t total() const;  // texts in the corpus (0 until it has been read)

    static constexpr int kPollMs = 50;

signals:
    void started();                         // results() is new and empty
    void rowsAdded(int first, int count);   // results().rows grew
    void progressChanged(qint64 done, qint64 total);
    void finished();                        // results().state: Done, Cancelled or Failed

private:
    struct Shared;
    void poll();
    void workerFinished();

    std::shared_ptr<Shared> shared_;
    std::unique_ptr<CorpusResults> results_;
    QFutureWatcher<void>* watcher_ = nullptr;
    QTimer poll_;
};

class PatternSearchJob : public QObject {
    Q_OBJECT
public:
    enum class State { Empty, Running, Done, Cancelled, Failed };

    explicit PatternSearchJob(QObject* parent = nullptr);
    ~PatternSearchJob() override;

    void start(std::shared_ptr<const lstmscope::Model> model,
               std::shared_ptr<const lstmscope::corpus::Corpus> corpus, const lstmscope::corpus::PatternQuery& query,
               int limit, int threads);
    void cancel();
    bool running() const { return watcher_ != nullptr; }
    State state() const { return state_; }
    QString error() const { return error_; }
    const lstmscope::corpus::PatternQuery& query() const { return query_; }
    const std::vector<lstmscope::corpus::PatternMatch>& matches() const { return matches_; }

signals:
    void started();
    void progressChanged(qint64 done, qint64 total);
    void finished();

private:
    struct Shared;
    void workerFinished();

    std::shared_ptr<Shared> shared_;
    QFutureWatcher<void>* watcher_ = nullptr;
    QTimer poll_;
    State state_ = State::Empty;
    QString error_;
    lstmscope::corpus::PatternQuery query_;
    std::vector<lstmscope::corpus::PatternMatch> matches_;
};
