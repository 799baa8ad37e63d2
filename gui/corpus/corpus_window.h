// File > Open dataset…: a whole dataset through the main window's model (and
// in compare mode its model B too), in the background, with a progress bar
// and Cancel. The texts in a sortable, filterable table (a click opens one
// in the main window), and three pages: gate saturation with each unit's
// top contexts, LSTMVis-style pattern search, and the attention
// faithfulness tests. Everything shown is what the engine's corpus run
// computed (engine/corpus/); a text's full trace is recomputed when it is
// opened, never kept.
//
// It talks to the main window only through the Workspace (which models,
// pane A's selection) and textRequested(): it never touches its views.
#pragma once

#include <QElapsedTimer>
#include <QWidget>

#include "gui/corpus/dataset_options.h"

class CorpusJob;
class CorpusTablePanel;
class FaithfulnessPanel;
class PatternSearchJob;
class PatternSearchPanel;
class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTabWidget;
class SaturationPanel;
class Workspace;

class CorpusWindow : public QWidget {
    Q_OBJECT
public:
    enum class Page { Saturation, Patterns, Faithfulness };

    // A top-level window; `parent` (the main window) owns it.
    explicit CorpusWindow(Workspace* workspace, QWidget* parent = nullptr);
    ~CorpusWindow() override;

    void setDataset(const QString& path);
    // Runs the dataset through the main window's model(s) with the chosen
    // options; false (and statusText() says why) when it cannot start.
    bool run();
    void cancel();
    // Texts analysed at once (0: every core; -1, the default: View > Engine
    // threads). Tests keep it small.
    void setThreads(int threads) { threads_ = threads; }
    void showPage(Page page);
    // Opens corpus text `index` in the main window, tokens [first, end) selected.
    void openText(int index, int first = -1, int end = -1);

    DatasetOptions* options() const { return options_; }
    CorpusJob* job() const { return job_; }
    PatternSearchJob* patternJob() const { return patternJob_; }
    CorpusTablePanel* table() const { return table_; }
    SaturationPanel* saturation() const { return saturation_; }
    PatternSearchPanel* patterns() const { return patterns_; }
    FaithfulnessPanel* faithfulness() const { return faithfulness_; }
    QTabWidget* pages() const { return tabs_; }
    QString summaryText() const;
    QString statusText() const;

signals:
    // The main window opens this text (in both panes of a two-model comparison).
    void textRequested(const QString& text);

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void build();
    void retranslate();
    void browse();
    void onStarted();
    void onProgress(qint64 done, qint64 total);
    void onFinished();
    void showResults();
    void updateSummary();
    void updateStatus();
    void updateButtons();

    Workspace* workspace_;
    CorpusJob* job_;
    PatternSearchJob* patternJob_;
    QWidget* content_ = nullptr;
    DatasetOptions* options_ = nullptr;
    QLabel* models_ = nullptr;
    QPushButton* runButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* summary_ = nullptr;
    QSplitter* split_ = nullptr;
    CorpusTablePanel* table_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    SaturationPanel* saturation_ = nullptr;
    PatternSearchPanel* patterns_ = nullptr;
    FaithfulnessPanel* faithfulness_ = nullptr;
    QString problem_;  // why run() did not start
    int threads_ = -1;
    QElapsedTimer clock_;
    double seconds_ = 0;
    bool retranslatePending_ = false;
};
