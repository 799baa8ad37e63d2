#include "gui/corpus/leave_one_out.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <mutex>

#include "engine/error.h"
#include "gui/workspace/document.h"
#include "gui/workspace/import_sources.h"

namespace corpus = lstmscope::corpus;

// What one worker reads and writes; the worker co-owns it, so it may outlive
// this object (a window closed while a long text is tested).
struct LeaveOneOut::Slot {
    std::atomic<bool> cancel{false};
    std::mutex mutex;
    std::string modelPath, text, node;
    lstmscope::ImportOptions import;  // a Keras model's vocabulary etc., read on the GUI thread
    std::shared_ptr<const lstmscope::Model> model;  // in: the cached copy (may be null); out: the one used
    std::optional<corpus::Faithfulness> faithfulness;
    std::string error;
    bool cancelled = false;
};

LeaveOneOut* LeaveOneOut::of(Document* document) {
    if (!document) return nullptr;
    if (auto* existing = document->findChild<LeaveOneOut*>(QString(), Qt::FindDirectChildrenOnly)) return existing;
    return new LeaveOneOut(document);
}

corpus::AnalysisSettings LeaveOneOut::settings() {
    corpus::AnalysisSettings s;
    s.faithfulness = true;
    s.permutations = 0;
    s.run.threads = 1;
    return s;
}

LeaveOneOut::LeaveOneOut(Document* document) : QObject(document), document_(document) {
    delay_.setSingleShot(true);
    delay_.setInterval(kDelayMs);
    connect(&delay_, &QTimer::timeout, this, &LeaveOneOut::startNext);
    connect(document_, &Document::traceChanged, this, &LeaveOneOut::onDocumentChanged);
    connect(document_, &Document::modelChanged, this, &LeaveOneOut::onDocumentChanged);
    connect(document_, &Document::staleChanged, this, &LeaveOneOut::onStaleChanged);
    key_ = currentKey().value_or(Key{});
}

LeaveOneOut::~LeaveOneOut() {
    if (slot_) slot_->cancel = true;
    if (watcher_) {
        disconnect(watcher_, nullptr, this, nullptr);
        // The worker stops within a run; its watcher goes with it.
        watcher_->setParent(nullptr);
        connect(watcher_, &QFutureWatcherBase::finished, watcher_, &QObject::deleteLater);
        if (watcher_->isFinished()) watcher_->deleteLater();
    }
}

std::optional<LeaveOneOut::Key> LeaveOneOut::currentKey() const {
    const auto* trace = document_->trace();
    if (!trace || !document_->model()) return std::nullopt;
    return Key{document_->modelPath(), trace->text};
}

QString LeaveOneOut::resolvedNode(const QString& node) const {
    const auto* model = document_->model();
    if (!model) return {};
    try {
        const corpus::ModelPlan plan = corpus::plan_model(*model, node.toStdString());
        if (plan.attention_node < 0) return {};
        return QString::fromStdString(model->nodes[static_cast<size_t>(plan.attention_node)].name);
    } catch (const lstmscope::Error&) {
        return {};
    }
}

LeaveOneOut::Status LeaveOneOut::status(const QString& node) const {
    const auto key = currentKey();
    if (!key) return Status::NoTrace;
    const auto* model = document_->model();
    try {
        const corpus::ModelPlan plan = corpus::plan_model(*model, node.toStdString());
        if (plan.attention_node < 0) return Status::NoAttention;
    } catch (const lstmscope::Error&) {
        // A tagger, or a name that is not an attention node of this model.
        return node.isEmpty() || model->task != lstmscope::Task::Classification ? Status::NotClassifier
                                                                                 : Status::NoAttention;
    }
    if (static_cast<int>(document_->trace()->tokens.size()) > kMaxTokens) return Status::TooLong;
    if (*key == key_) {
        const auto it = results_.constFind(resolvedNode(node));
        if (it != results_.constEnd()) return it->faithfulness ? Status::Ready : Status::Failed;
    }
    return Status::Computing;
}

const corpus::Faithfulness* LeaveOneOut::result(const QString& node) const {
    const auto key = currentKey();
    if (!key || !(*key == key_)) return nullptr;
    const auto it = results_.constFind(resolvedNode(node));
    return it != results_.constEnd() && it->faithfulness ? &*it->faithfulness : nullptr;
}

const corpus::Faithfulness* LeaveOneOut::anyResult() const {
    const auto key = currentKey();
    if (!key || !(*key == key_)) return nullptr;
    for (const Entry& e : results_)
        if (e.faithfulness) return &*e.faithfulness;
    return nullptr;
}

QString LeaveOneOut::error(const QString& node) const {
    const auto it = results_.constFind(resolvedNode(node));
    return it != results_.constEnd() ? it->error : QString();
}

void LeaveOneOut::request(const QString& node) {
    if (status(node) != Status::Computing) return;
    const QString resolved = resolvedNode(node);
    if (resolved.isEmpty() || pending_.contains(resolved)) return;
    const auto key = currentKey();
    if (watcher_ && runningNode_ == resolved && slot_ && key && slot_->text == key->text &&
        slot_->modelPath == key->modelPath.toStdString())
        return;
    pending_.insert(resolved);
    if (!watcher_) delay_.start();
}

void LeaveOneOut::onDocumentChanged() {
    const auto key = currentKey();
    if (key && *key == key_) return;  // the same text and model: results still apply
    results_.clear();
    pending_.clear();
    key_ = key.value_or(Key{});
    if (slot_) slot_->cancel = true;  // its result is of another text now
    delay_.stop();
    emit changed();
}

// The text changed (stale): a test running now is of a text about to be
// replaced, and on two cores it took the core that the new run and the
// window's repaint need (a keystroke typed 0.3 s after the last one waited
// for it: 2.9 ms for a run that takes 0.9 ms alone). It stops and goes back
// on the list; tests start again once the document is current.
void LeaveOneOut::onStaleChanged(bool stale) {
    if (!stale) {
        if (!watcher_ && !pending_.isEmpty()) delay_.start();
        return;
    }
    delay_.stop();
    if (watcher_ && slot_ && !slot_->cancel) {
        slot_->cancel = true;
        if (!runningNode_.isEmpty()) pending_.insert(runningNode_);
    }
}

bool LeaveOneOut::busy() const { return watcher_ && slot_ && !slot_->cancel; }

void LeaveOneOut::startNext() {
    if (watcher_ || pending_.isEmpty() || document_->stale()) return;
    const auto key = currentKey();
    if (!key) {
        pending_.clear();
        return;
    }
    if (!(*key == key_)) {  // a change this object has not heard of yet
        results_.clear();
        key_ = *key;
    }
    runningNode_ = *pending_.begin();
    pending_.remove(runningNode_);
    slot_ = std::make_shared<Slot>();
    slot_->modelPath = key->modelPath.toStdString();
    slot_->text = key->text;
    slot_->node = runningNode_.toStdString();
    slot_->import = importOptionsFor(key->modelPath);
    if (model_ && model_->manifest_path == slot_->modelPath) slot_->model = model_;
    ++runs_;
    auto slot = slot_;
    watcher_ = new QFutureWatcher<void>(this);
    connect(watcher_, &QFutureWatcherBase::finished, this, &LeaveOneOut::finished);
    watcher_->setFuture(QtConcurrent::run([slot] {
        try {
            std::shared_ptr<const lstmscope::Model> model = slot->model;
            // A copy of the document's model: the document may drop its own
            // (another model opened) while this runs.
            if (!model) model = std::make_shared<lstmscope::Model>(lstmscope::Model::load(slot->modelPath, slot->import));
            corpus::AnalysisSettings settings = LeaveOneOut::settings();
            settings.run.cancel = &slot->cancel;
            const corpus::ModelPlan plan = corpus::plan_model(*model, slot->node);
            corpus::TextResult r = corpus::analyse_text(plan, slot->text, 0, settings);
            std::lock_guard lock(slot->mutex);
            slot->model = model;
            if (!r.error.empty()) slot->error = r.error;
            else if (!r.faithfulness_skipped.empty()) slot->error = r.faithfulness_skipped;
            else slot->faithfulness = std::move(r.faithfulness);
        } catch (const lstmscope::Cancelled&) {
            std::lock_guard lock(slot->mutex);
            slot->cancelled = true;
        } catch (const std::exception& e) {
            std::lock_guard lock(slot->mutex);
            slot->error = e.what();
        }
    }));
}

void LeaveOneOut::finished() {
    watcher_->deleteLater();
    watcher_ = nullptr;
    auto slot = std::move(slot_);
    bool stored = false;
    {
        std::lock_guard lock(slot->mutex);
        if (slot->model) model_ = slot->model;
        const auto key = currentKey();
        const bool current = key && key->text == slot->text && key->modelPath.toStdString() == slot->modelPath;
        if (current && !slot->cancelled && !slot->cancel) {
            Entry e;
            e.faithfulness = slot->faithfulness;
            e.error = QString::fromStdString(slot->error);
            if (!e.faithfulness && e.error.isEmpty()) e.error = tr("The model has no attention node to test.");
            results_.insert(QString::fromStdString(slot->node), e);
            stored = true;
        }
    }
    runningNode_.clear();
    // Another node of the same text goes at once. After a stopped test the
    // pause rule holds again: delay_ keeps its kDelayMs (start(0) here once
    // set its interval to 0 for good, and from then on each keystroke's
    // trace started a test at once, beside the window's repaint), and while
    // the document is stale onStaleChanged starts it when the run is done.
    if (!pending_.isEmpty()) {
        if (stored)
            QTimer::singleShot(0, this, &LeaveOneOut::startNext);
        else if (!document_->stale())
            delay_.start();
    }
    if (stored) emit changed();
}
