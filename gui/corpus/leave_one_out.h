// The faithfulness tests of the main window's current text, computed in the
// background when a view asks: each token's leave-one-out importance (the
// token strip's "Colour by: leave-one-out importance") and Kendall's tau
// between the attention and it (beside the attention view). The numbers are
// corpus::analyse_text's, the same function a corpus run calls for each
// text. One per Document (a child of it), shared by that pane's views.
//
// It costs one run of the model per token, so texts longer than kMaxTokens
// are not computed, and a text being typed waits kDelayMs for the next key.
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <atomic>
#include <memory>
#include <optional>

#include "engine/corpus/text_analysis.h"

class Document;
template <typename T>
class QFutureWatcher;

class LeaveOneOut : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxTokens = 400;
    // Longer than the gap between two keys of someone typing (150-300 ms):
    // the tests start when the typing pauses. At 150 ms they started between
    // the keys of a 4-keys-a-second typist, took the second core, and each
    // key then began while they were stopping: at 256 tokens a keystroke
    // reached the redrawn views in 18.5 ms against 15-16.5 ms without them
    // (bench_keystroke, the build machine).
    static constexpr int kDelayMs = 500;

    enum class Status {
        NoTrace,        // nothing to test
        NotClassifier,  // not a model with one output row (a tagger)
        NoAttention,    // no attention node to test
        TooLong,        // more than kMaxTokens tokens: not computed
        Computing,      // requested, waiting or running
        Ready,
        Failed,         // the engine's message in error()
    };

    // The one of `document`, made on first use.
    static LeaveOneOut* of(Document* document);
    // What each run uses: faithfulness on, one thread, no permutations (the
    // views show leave-one-out and tau, which permutations do not change).
    static lstmscope::corpus::AnalysisSettings settings();

    // For the document's current trace and attention node `node` (empty:
    // the model's default, the last attention node before the output).
    Status status(const QString& node = QString()) const;
    // Ready: the tests' result, leave_one_out and kendall_tau included.
    const lstmscope::corpus::Faithfulness* result(const QString& node = QString()) const;
    // Any ready result for the current trace (leave-one-out importance does
    // not depend on the attention node).
    const lstmscope::corpus::Faithfulness* anyResult() const;
    // The attention node a request for `node` tests, by name; empty if none.
    QString resolvedNode(const QString& node) const;
    QString error(const QString& node = QString()) const;
    // Starts (after kDelayMs) the tests for the current trace, unless done,
    // running or impossible.
    void request(const QString& node = QString());
    // Runs started so far (tests).
    int runs() const { return runs_; }
    // A test is running and not told to stop (tests).
    bool busy() const;

signals:
    // A result arrived, or the trace changed so the old ones no longer apply.
    void changed();

private:
    explicit LeaveOneOut(Document* document);
    ~LeaveOneOut() override;
    struct Entry {
        std::optional<lstmscope::corpus::Faithfulness> faithfulness;
        QString error;
    };
    struct Key {
        QString modelPath;
        std::string text;
        bool operator==(const Key&) const = default;
    };
    std::optional<Key> currentKey() const;
    void onDocumentChanged();
    void onStaleChanged(bool stale);
    void startNext();
    void finished();

    Document* document_;
    QTimer delay_;
    Key key_;                          // what results_ are of
    QHash<QString, Entry> results_;    // by attention node
    QSet<QString> pending_;
    QString runningNode_;
    QFutureWatcher<void>* watcher_ = nullptr;
    struct Slot;
    std::shared_ptr<Slot> slot_;
    std::shared_ptr<const lstmscope::Model> model_;  // our copy of the document's model, for the worker
    int runs_ = 0;
};
