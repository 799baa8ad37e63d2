// What the model predicts for the current text: a labelled bar chart of the
// class probabilities (classification), the value(s) in large type
// (regression), or a table with one row per token and its predicted label
// (tagging), whose rows follow and set the selected token.
#pragma once

#include <QFont>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "gui/plots/color_maps.h"
#include "gui/views/pane_view.h"

class Document;
class Selection;
class QCustomPlot;
class QCPBars;
class QCPTextElement;
class QLabel;
class QStackedWidget;
class QTableWidget;

class PredictionView : public QWidget, public PaneView {
    Q_OBJECT
public:
    enum class Mode { Empty, Classification, Regression, Tagging };

    PredictionView(Document* document, Selection* selection, QWidget* parent = nullptr);

    // Read-only state for tests.
    Mode mode() const { return mode_; }
    // False when the output rows do not look like probability distributions
    // (a row outside [0, 1] or not summing to 1): values are shown raw.
    bool showsProbabilities() const { return probabilities_; }
    QString title() const { return title_; }
    int barCount() const { return static_cast<int>(barValues_.size()); }
    QString barLabel(int bar) const { return barLabels_.value(bar); }
    double barValue(int bar) const { return barValues_.at(bar); }
    QString barText(int bar) const { return barTexts_.value(bar); }  // printed at the bar's end
    int highlightedBar() const { return highlightedBar_; }
    QString regressionText() const;
    QTableWidget* table() const { return table_; }
    int highlightedRow() const;  // the tagging row of the selected token, or -1
    QCustomPlot* customPlot() const { return plot_; }

    // "negative", or "class 3" when the model has no label names.
    static QString labelName(const std::vector<std::string>& labels, int column);
    // Whether every row is a probability distribution (within float tolerance).
    static bool looksLikeProbabilities(const float* values, int rows, int columns);

public slots:
    void setSequentialColorMap(ColorMap map) override;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void rebuild();
    bool hiddenByStep_ = false;  // step-through has not reached the output yet
    void showClassification();
    void fitBarRange();
    void showRegression();
    void showTable();
    void syncSelectedRow();
    void showPlaceholder(const QString& text);
    void showBarToolTip(const QPoint& pos, const QPoint& globalPos);

    Document* document_;
    Selection* selection_;
    QStackedWidget* stack_;
    QLabel* placeholder_;
    QCustomPlot* plot_;
    QCPBars* bars_ = nullptr;    // every class
    QCPBars* topBar_ = nullptr;  // the arg-max, drawn over its plain bar
    QCPTextElement* plotTitle_ = nullptr;
    QLabel* regression_;
    QWidget* tablePage_;
    QLabel* tableSummary_;
    QTableWidget* table_;

    Mode mode_ = Mode::Empty;
    bool probabilities_ = true;
    QString title_;
    QStringList barLabels_;
    // What the plot was last laid out for (see showClassification).
    struct LaidOut {
        QStringList labels;
        QSize size;
        QFont tickFont, titleFont;
        bool operator==(const LaidOut&) const = default;
    };
    LaidOut laidOut_;
    std::vector<double> barValues_;
    QStringList barTexts_;
    int highlightedBar_ = -1;
    ColorMap sequentialMap_ = ColorMap::Viridis;
};
