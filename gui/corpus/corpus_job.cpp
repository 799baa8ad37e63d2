#include "gui/corpus/corpus_job.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <mutex>
#include <new>

#include "engine/corpus/corpus_run.h"
#include "engine/error.h"
#include "gui/workspace/import_sources.h"

namespace corpus = lstmscope::corpus;

namespace {

// A watcher whose result nobody wants any more: it goes when its worker ends.
void abandon(QFutureWatcher<void>* watcher, QObject* owner) {
    if (!watcher) return;
    QObject::disconnect(watcher, nullptr, owner, nullptr);
    if (watcher->isFinished()) watcher->deleteLater();
    else QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
}

}  // namespace

// ---- CorpusJob ----------------------------------------------------------------

struct CorpusJob::Shared {
    std::atomic<bool> cancel{false};
    std::atomic<size_t> done{0}, total{0};
    std::mutex mutex;
    // Published by the worker once the dataset is read and the models load.
    bool prepared = false;
    std::shared_ptr<const corpus::Corpus> corpus;
    std::shared_ptr<const lstmscope::Model> a, b;
    int attentionNode = -1;
    std::vector<CorpusState> states;
    // Rows not yet taken by the GUI thread.
    std::vector<CorpusRow> rows;
    std::unordered_map<int, std::string> errors;
    // At the end.
    TopContexts contexts;
    std::optional<corpus::CorpusSummary> summary;
    std::string error;
    bool outOfMemory = false;
    bool cancelled = false;
};

namespace {

std::vector<CorpusState> statesOf(const lstmscope::Model& model, const corpus::TextResult& r) {
    std::vector<CorpusState> out;
    for (const auto& s : r.saturation) {
        CorpusState state;
        state.node = s.node;
        state.op = s.op;
        state.layer = s.layer;
        state.backward = s.backward;
        state.units = static_cast<int>(s.low[0].size());
        for (size_t k = 0; k < model.nodes.size(); ++k)
            if (model.nodes[k].name == s.node) state.nodeIndex = static_cast<int>(k);
        out.push_back(state);
    }
    return out;
}

}  // namespace

CorpusJob::CorpusJob(QObject* parent) : QObject(parent), results_(std::make_unique<CorpusResults>()) {
    poll_.setInterval(kPollMs);
    connect(&poll_, &QTimer::timeout, this, &CorpusJob::poll);
}

CorpusJob::~CorpusJob() {
    if (shared_) shared_->cancel = true;
    abandon(watcher_, this);
}

size_t CorpusJob::done() const { return shared_ ? shared_->done.load() : 0; }
size_t CorpusJob::total() const { return shared_ ? shared_->total.load() : 0; }

void CorpusJob::cancel() {
    if (shared_) shared_->cancel = true;
}

void CorpusJob::start(const CorpusRunSettings& requested) {
    CorpusRunSettings settings = requested;
    if (shared_) shared_->cancel = true;
    abandon(watcher_, this);
    watcher_ = nullptr;
    shared_ = std::make_shared<Shared>();
    results_ = std::make_unique<CorpusResults>();
    // A Keras model opens with what it was opened with in the main window.
    if (settings.importA.tokenizer.empty()) settings.importA = importOptionsFor(QString::fromStdString(settings.modelA));
    if (!settings.modelB.empty() && settings.importB.tokenizer.empty())
        settings.importB = importOptionsFor(QString::fromStdString(settings.modelB));
    results_->settings = settings;
    results_->state = CorpusResults::State::Running;

    auto shared = shared_;
    watcher_ = new QFutureWatcher<void>(this);
    connect(watcher_, &QFutureWatcherBase::finished, this, &CorpusJob::workerFinished);
    watcher_->setFuture(QtConcurrent::run([shared, settings] {
        try {
            auto data = std::make_shared<corpus::Corpus>(corpus::read_corpus(settings.dataset, settings.input));
            if (settings.ignoreLabels) {
                data->labelled = false;
                for (auto& t : data->texts) t.label.reset();
            }
            auto a = std::make_shared<lstmscope::Model>(lstmscope::Model::load(settings.modelA, settings.importA));
            std::shared_ptr<lstmscope::Model> b;
            if (!settings.modelB.empty()) b = std::make_shared<lstmscope::Model>(lstmscope::Model::load(settings.modelB, settings.importB));
            const corpus::ModelPlan planA = corpus::plan_model(*a);
            std::optional<corpus::ModelPlan> planB;
            if (b) planB = corpus::plan_model(*b);
            {
                std::lock_guard lock(shared->mutex);
                shared->corpus = data;
                shared->a = a;
                shared->b = b;
                shared->attentionNode = planA.attention_node;
                shared->prepared = true;
            }
            shared->total = data->texts.size();

            corpus::CorpusRunOptions options;
            options.analysis.faithfulness = settings.faithfulness;
            options.analysis.permutations = settings.permutations;
            options.threads = settings.threads;
            options.cancel = &shared->cancel;
            options.progress = [&](size_t done, size_t) { shared->done = done; };
            // The contexts are the worker's until the end; rows go out as they come.
            TopContexts contexts;
            bool haveStates = false;
            const auto deliver = [&](const corpus::CorpusItem& item) {
                const CorpusRow row = compactRow(item);
                if (item.a.error.empty()) contexts.add(item.text->index, item.a.peaks);
                std::lock_guard lock(shared->mutex);
                if (!haveStates && item.a.error.empty()) {
                    shared->states = statesOf(*a, item.a);
                    haveStates = true;
                }
                shared->rows.push_back(row);
                if (!item.a.error.empty()) shared->errors.emplace(row.index, item.a.error);
                else if (item.b && !item.b->error.empty()) shared->errors.emplace(row.index, "B: " + item.b->error);
            };
            try {
                corpus::CorpusSummary summary = corpus::run_corpus(*data, planA, planB ? &*planB : nullptr, options, deliver);
                std::lock_guard lock(shared->mutex);
                shared->summary = std::move(summary);
                shared->contexts = std::move(contexts);
            } catch (const lstmscope::Cancelled&) {
                std::lock_guard lock(shared->mutex);
                shared->cancelled = true;
                shared->contexts = std::move(contexts);
            }
        } catch (const lstmscope::Cancelled&) {
            std::lock_guard lock(shared->mutex);
            shared->cancelled = true;
        } catch (const std::bad_alloc&) {
            std::lock_guard lock(shared->mutex);
            shared->outOfMemory = true;
        } catch (const std::exception& e) {
            std::lock_guard lock(shared->mutex);
            shared->error = e.what();
        }
    }));
    poll_.start();
    emit started();
}

void CorpusJob::poll() {
    if (!shared_) return;
    std::vector<CorpusRow> rows;
    {
        std::lock_guard lock(shared_->mutex);
        if (shared_->prepared && !results_->corpus) {
            results_->corpus = shared_->corpus;
            results_->modelA = shared_->a;
            results_->modelB = shared_->b;
            results_->attentionNode = shared_->attentionNode;
            results_->total = shared_->corpus->texts.size();
        }
        if (results_->states.empty() && !shared_->states.empty()) results_->states = shared_->states;
        rows.swap(shared_->rows);
        for (auto& e : shared_->errors) results_->errors.insert(std::move(e));
        shared_->errors.clear();
    }
    if (!rows.empty()) {
        const int first = static_cast<int>(results_->rows.size());
        results_->rows.insert(results_->rows.end(), rows.begin(), rows.end());
        emit rowsAdded(first, static_cast<int>(rows.size()));
    }
    emit progressChanged(static_cast<qint64>(done()), static_cast<qint64>(total()));
}

void CorpusJob::workerFinished() {
    poll_.stop();
    poll();
    {
        std::lock_guard lock(shared_->mutex);
        results_->contexts = std::move(shared_->contexts);
        results_->summary = std::move(shared_->summary);
        if (shared_->outOfMemory) {
            results_->state = CorpusResults::State::Failed;
            results_->error = tr("There is not enough memory for this corpus.").toStdString();
        } else if (!shared_->error.empty()) {
            results_->state = CorpusResults::State::Failed;
            results_->error = shared_->error;
        } else if (shared_->cancelled) {
            results_->state = CorpusResults::State::Cancelled;
        } else {
            results_->state = CorpusResults::State::Done;
        }
    }
    watcher_->deleteLater();
    watcher_ = nullptr;
    emit finished();
}

// ---- PatternSearchJob -----------------------------------------------------------

struct PatternSearchJob::Shared {
    std::atomic<bool> cancel{false};
    std::atomic<size_t> done{0}, total{0};
    std::mutex mutex;
    std::vector<corpus::PatternMatch> matches;
    std::string error;
    bool cancelled = false;
};

PatternSearchJob::PatternSearchJob(QObject* parent) : QObject(parent) {
    poll_.setInterval(CorpusJob::kPollMs);
    connect(&poll_, &QTimer::timeout, this, [this] {
        if (shared_) emit progressChanged(static_cast<qint64>(shared_->done.load()), static_cast<qint64>(shared_->total.load()));
    });
}

PatternSearchJob::~PatternSearchJob() {
    if (shared_) shared_->cancel = true;
    abandon(watcher_, this);
}

void PatternSearchJob::cancel() {
    if (shared_) shared_->cancel = true;
}

void PatternSearchJob::start(std::shared_ptr<const lstmscope::Model> model,
                             std::shared_ptr<const corpus::Corpus> data, const corpus::PatternQuery& query, int limit,
                             int threads) {
    if (shared_) shared_->cancel = true;
    abandon(watcher_, this);
    shared_ = std::make_shared<Shared>();
    shared_->total = data ? data->texts.size() : 0;
    query_ = query;
    matches_.clear();
    error_.clear();
    state_ = State::Running;
    auto shared = shared_;
    watcher_ = new QFutureWatcher<void>(this);
    connect(watcher_, &QFutureWatcherBase::finished, this, &PatternSearchJob::workerFinished);
    watcher_->setFuture(QtConcurrent::run([shared, model, data, query, limit, threads] {
        try {
            auto found = corpus::search_patterns(*model, *data, query, limit, threads, &shared->cancel,
                                                 [&](size_t done, size_t) { shared->done = done; });
            std::lock_guard lock(shared->mutex);
            shared->matches = std::move(found);
        } catch (const lstmscope::Cancelled&) {
            std::lock_guard lock(shared->mutex);
            shared->cancelled = true;
        } catch (const std::exception& e) {
            std::lock_guard lock(shared->mutex);
            shared->error = e.what();
        }
    }));
    poll_.start();
    emit started();
}

void PatternSearchJob::workerFinished() {
    poll_.stop();
    {
        std::lock_guard lock(shared_->mutex);
        matches_ = std::move(shared_->matches);
        error_ = QString::fromStdString(shared_->error);
        state_ = !shared_->error.empty() ? State::Failed : shared_->cancelled ? State::Cancelled : State::Done;
    }
    emit progressChanged(static_cast<qint64>(shared_->done.load()), static_cast<qint64>(shared_->total.load()));
    watcher_->deleteLater();
    watcher_ = nullptr;
    emit finished();
}
