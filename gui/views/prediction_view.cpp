#include "gui/views/prediction_view.h"
#include "gui/plots/refresh_setup.h"
#include "gui/plots/plot_scale.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMouseEvent>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "engine/model.h"
#include "gui/trace_labels.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"

namespace {

constexpr int kMaxLabelPixels = 160;  // class names longer than this are elided on the axis

// Categorical colours (Tableau 10) for label cells, mixed with the base
// colour so the text stays readable and a run of equal labels stands out.
QColor labelTint(int label, const QColor& base) {
    static const QColor kColors[] = {{31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
                                     {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
    const QColor c = kColors[label % 10];
    const double a = 0.28;
    return QColor::fromRgbF(static_cast<float>(base.redF() * (1 - a) + c.redF() * a),
                            static_cast<float>(base.greenF() * (1 - a) + c.greenF() * a),
                            static_cast<float>(base.blueF() * (1 - a) + c.blueF() * a));
}

QString percent(double p) {
    return QString::number(100.0 * p, 'f', p >= 0.9995 || p < 0.0005 ? 0 : 1) + QStringLiteral(" %");
}
QString rawValue(double v) { return QString::number(v, 'g', 4); }

}  // namespace

PredictionView::PredictionView(Document* document, Selection* selection, QWidget* parent)
    : QWidget(parent), document_(document), selection_(selection) {
    placeholder_ = new QLabel(this);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);
    placeholder_->setMargin(12);

    plot_ = new QCustomPlot(this);
    setUpRefresh(plot_);
    followFontScale(plot_, [this] { rebuild(); });
    plot_->setMinimumHeight(110);
    plot_->setBackground(palette().brush(QPalette::Base));
    plot_->plotLayout()->insertRow(0);
    plotTitle_ = new QCPTextElement(plot_, QString(), QFont(font().family(), font().pointSize() + 1, QFont::DemiBold));
    plot_->plotLayout()->addElement(0, 0, plotTitle_);
    // Class 0 at the top, reading down like a list.
    plot_->yAxis->setRangeReversed(true);
    plot_->yAxis->grid()->setVisible(false);
    plot_->yAxis->setTickLength(0, 0);
    plot_->yAxis->setSubTicks(false);
    plot_->xAxis->setSubTicks(false);
    plot_->xAxis->grid()->setPen(QPen(QColor(0, 0, 0, 30), 1, Qt::DotLine));
    bars_ = new QCPBars(plot_->yAxis, plot_->xAxis);
    topBar_ = new QCPBars(plot_->yAxis, plot_->xAxis);
    for (QCPBars* b : {bars_, topBar_}) {
        b->setWidth(0.62);
        b->setSelectable(QCP::stNone);
    }
    bars_->setPen(Qt::NoPen);
    bars_->setBrush(QColor(176, 186, 201));
    topBar_->setPen(Qt::NoPen);
    topBar_->setBrush(palette().color(QPalette::Highlight));
    plot_->installEventFilter(this);
    connect(plot_, &QCustomPlot::mouseMove, this,
            [this](QMouseEvent* e) { showBarToolTip(e->pos(), e->globalPosition().toPoint()); });

    regression_ = new QLabel(this);
    regression_->setAlignment(Qt::AlignCenter);
    regression_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    regression_->setWordWrap(true);

    tablePage_ = new QWidget(this);
    tableSummary_ = new QLabel(tablePage_);
    tableSummary_->setWordWrap(true);
    tableSummary_->setContentsMargins(4, 2, 4, 2);
    table_ = new QTableWidget(tablePage_);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setDefaultSectionSize(QFontMetrics(font()).height() + 8);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideRight);
    table_->setMouseTracking(true);
    table_->viewport()->installEventFilter(this);
    auto* tableLayout = new QVBoxLayout(tablePage_);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(2);
    tableLayout->addWidget(tableSummary_);
    tableLayout->addWidget(table_, 1);

    // Rows are tokens: moving the current row (click or keys) selects the token.
    connect(table_, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row >= 0 && selection_) selection_->setToken(row);
    });
    connect(table_, &QTableWidget::cellClicked, this, [this](int row) {
        if (selection_) selection_->setToken(row);
    });
    connect(table_, &QTableWidget::cellEntered, this, [this](int row) {
        if (selection_) selection_->setHoverToken(row);
    });

    stack_ = new QStackedWidget(this);
    stack_->addWidget(placeholder_);
    stack_->addWidget(plot_);
    stack_->addWidget(regression_);
    stack_->addWidget(tablePage_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack_);

    if (document_) {
        connect(document_, &Document::modelChanged, this, &PredictionView::rebuild);
        connect(document_, &Document::traceChanged, this, &PredictionView::rebuild);
        connect(document_, &Document::runFailed, this, [this] {
            if (!document_->trace()) rebuild();
        });
    }
    if (selection_) connect(selection_, &Selection::tokenChanged, this, &PredictionView::syncSelectedRow);
    if (selection_)
        connect(selection_, &Selection::stepChanged, this, [this] {
            // Rebuild only while the answer is hidden or when it appears/disappears.
            const auto* trace = document_ ? document_->trace() : nullptr;
            const StepContext step = stepContext(document_, selection_);
            const bool hidden = trace && step.active() && !step.reveal.node_done(trace->output_node);
            if (hidden || hidden != hiddenByStep_) rebuild();
            hiddenByStep_ = hidden;
        });
    rebuild();
}

QString PredictionView::labelName(const std::vector<std::string>& labels, int column) {
    if (column >= 0 && column < static_cast<int>(labels.size()) && !labels[column].empty())
        return QString::fromStdString(labels[column]);
    return tr("class %1").arg(column);
}

bool PredictionView::looksLikeProbabilities(const float* values, int rows, int columns) {
    if (rows <= 0 || columns <= 0) return false;
    for (int r = 0; r < rows; ++r) {
        double sum = 0;
        for (int c = 0; c < columns; ++c) {
            const double v = values[r * columns + c];
            if (!(v >= -1e-6 && v <= 1 + 1e-6)) return false;
            sum += v;
        }
        // float32 softmax outputs sum to 1 within ~1e-6; 1e-3 also admits
        // probabilities rounded by an exporter.
        if (std::abs(sum - 1) > 1e-3) return false;
    }
    return true;
}

void PredictionView::setSequentialColorMap(ColorMap map) {
    if (map == ColorMap::Diverging || map == sequentialMap_) return;
    sequentialMap_ = map;
    if (mode_ == Mode::Tagging) showTable();  // the probability cells use it
}

void PredictionView::showPlaceholder(const QString& text) {
    placeholder_->setText(text);
    stack_->setCurrentWidget(placeholder_);
}

void PredictionView::rebuild() {
    mode_ = Mode::Empty;
    title_.clear();
    barLabels_.clear();
    barValues_.clear();
    barTexts_.clear();
    highlightedBar_ = -1;
    const auto* model = document_ ? document_->model() : nullptr;
    const auto* trace = document_ ? document_->trace() : nullptr;
    if (!model) return showPlaceholder(tr("No model loaded."));
    if (!trace || trace->output_node < 0) {
        const QString error = document_->runError();
        return showPlaceholder(error.isEmpty() ? tr("Type a text to see the prediction.")
                                               : tr("No prediction: %1").arg(error));
    }
    // A long text's run shows its tokens and LSTM before the attention is done.
    if (!trace->complete())
        return showPlaceholder(tr("Computing the prediction: the attention over this long text takes a while "
                                  "(the tokens and the LSTM are shown already)."));
    // Step-through: the prediction appears with the step that computes it.
    if (selection_) {
        const StepContext step = stepContext(document_, selection_);
        if (step.active() && !step.reveal.node_done(trace->output_node))
            return showPlaceholder(tr("The prediction appears at the last step (now at step %1 of %2).")
                                       .arg(step.step + 1)
                                       .arg(step.plan.size()));
    }
    const auto& out = trace->output();
    probabilities_ = looksLikeProbabilities(out.data(), static_cast<int>(out.rows()), static_cast<int>(out.cols()));
    switch (model->task) {
        case lstmscope::Task::Classification:
            // A classifier's output is one row; anything else reads better per token.
            if (out.rows() == 1)
                showClassification();
            else
                showTable();
            break;
        case lstmscope::Task::Regression:
            if (out.rows() == 1)
                showRegression();
            else
                showTable();
            break;
        case lstmscope::Task::Tagging:
            showTable();
            break;
    }
}

void PredictionView::showClassification() {
    mode_ = Mode::Classification;
    const auto& trace = *document_->trace();
    const auto& out = trace.output();
    const int C = static_cast<int>(out.cols());
    int best = 0;
    for (int c = 0; c < C; ++c) {
        barLabels_ << labelName(trace.labels, c);
        barValues_.push_back(out(0, c));
        barTexts_ << (probabilities_ ? percent(out(0, c)) : rawValue(out(0, c)));
        if (out(0, c) > out(0, best)) best = c;
    }
    highlightedBar_ = trace.argmax.empty() ? best : trace.argmax[0];
    title_ = probabilities_ ? tr("class probabilities") : tr("output values");

    QVector<double> keys, values, topKey, topValue;
    for (int c = 0; c < C; ++c) {
        keys << c;
        values << barValues_[c];
    }
    if (highlightedBar_ >= 0 && highlightedBar_ < C) {
        topKey << highlightedBar_;
        topValue << barValues_[highlightedBar_];
    }
    bars_->setData(keys, values, true);
    topBar_->setData(topKey, topValue, true);
    topBar_->setBrush(palette().color(QPalette::Highlight));

    const QFontMetrics fm(font());
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int c = 0; c < C; ++c) ticker->addTick(c, fm.elidedText(barLabels_[c], Qt::ElideRight, kMaxLabelPixels));
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setRange(-0.6, C - 0.4);
    // Bold label for the predicted class is not possible per tick, so the
    // title names it.
    plotTitle_->setText(highlightedBar_ >= 0 ? tr("%1\npredicted: %2").arg(title_, barLabels_.value(highlightedBar_))
                                             : title_);

    plot_->clearItems();
    if (probabilities_) {
        plot_->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());  // filled by fitBarRange
    } else {
        plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    for (int c = 0; c < C; ++c) {
        auto* label = new QCPItemText(plot_);
        label->position->setType(QCPItemPosition::ptPlotCoords);
        label->position->setAxes(plot_->xAxis, plot_->yAxis);
        label->position->setCoords(barValues_[c], c);
        label->setPositionAlignment((barValues_[c] < 0 ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
        label->setPadding(QMargins(5, 0, 5, 0));
        label->setText(barTexts_[c]);
        label->setColor(palette().color(QPalette::Text));
        QFont f = font();
        if (c == highlightedBar_) f.setBold(true);
        label->setFont(f);
        label->setSelectable(false);
    }
    plot_->setMinimumHeight(std::min(60 + 34 * C, 400));
    stack_->setCurrentWidget(plot_);
    // fitBarRange needs the axis rect's width: lay it out now unless the
    // last layout holds (same class names, plot size and fonts: a keystroke
    // changes only the bars and values, which do not move the axis rect).
    const LaidOut laidOut{barLabels_, plot_->size(), plot_->yAxis->tickLabelFont(), plotTitle_->font()};
    if (!(laidOut == laidOut_) || plot_->axisRect()->width() <= 50) {
        plot_->replot();
        laidOut_ = laidOut;
    }
    fitBarRange();
}

void PredictionView::fitBarRange() {
    if (mode_ != Mode::Classification || barValues_.empty()) return;
    const double top = *std::max_element(barValues_.begin(), barValues_.end());
    const double bottom = *std::min_element(barValues_.begin(), barValues_.end());
    double low = 0, high = 1.04;  // a little past 100 % so its tick label has room
    if (!probabilities_) {
        low = std::min(0.0, bottom);
        high = std::max(0.0, top);
        if (high - low < 1e-9) high = low + 1;
    }
    // Room beyond the bar ends for the printed values, in pixels of the
    // widest text: the share k of the axis it takes must hold whatever the
    // final range is, so iterate (k < 0.5 converges in a few steps).
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics fm(bold);
    int textPixels = 0;
    for (const auto& t : barTexts_) textPixels = std::max(textPixels, fm.horizontalAdvance(t));
    const int axisPixels =
        plot_->axisRect()->width() > 50 ? plot_->axisRect()->width() : std::max(100, plot_->width() * 2 / 3);
    const double k = std::min(0.4, (textPixels + 14.0) / axisPixels);
    double lower = low, upper = high;
    for (int step = 0; step < 4; ++step) {
        const double span = upper - lower;
        upper = std::max(high, top + k * span);
        lower = bottom < 0 ? std::min(low, bottom - k * span) : low;
    }
    plot_->xAxis->setRange(lower, upper);
    if (probabilities_) {
        // Three ticks fit a narrow side dock at the normal size; when the
        // labels are large (presentation mode) only the ends. The bars carry
        // exact values.
        auto percentTicker = QSharedPointer<QCPAxisTickerText>::create();
        const QFontMetrics tickFm(plot_->xAxis->tickLabelFont());
        const double pixelsPerHalf = axisPixels * 0.5 / (upper - lower);
        const int step = pixelsPerHalf > 1.4 * tickFm.horizontalAdvance(QStringLiteral("100 %")) ? 1 : 2;
        for (int k = 0; k <= 2; k += step) percentTicker->addTick(k / 2.0, QStringLiteral("%1 %").arg(k * 50));
        plot_->xAxis->setTicker(percentTicker);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void PredictionView::showRegression() {
    mode_ = Mode::Regression;
    const auto& trace = *document_->trace();
    const auto& out = trace.output();
    title_ = tr("predicted value");
    QString html = QStringLiteral("<div style='color:%1'>%2</div>")
                       .arg(palette().color(QPalette::PlaceholderText).name(), title_.toHtmlEscaped());
    const int N = static_cast<int>(out.cols());
    if (N == 1) {
        html += QStringLiteral("<div style='font-size:30pt; font-weight:600'>%1</div>")
                    .arg(QString::number(out(0, 0), 'g', 5));
    } else {
        html += QStringLiteral("<table cellspacing='6' align='center'>");
        for (int c = 0; c < N; ++c) {
            const QString name = c < static_cast<int>(trace.labels.size()) ? QString::fromStdString(trace.labels[c])
                                                                           : tr("output %1").arg(c);
            html += QStringLiteral(
                        "<tr><td align='right' style='font-size:14pt'>%1</td>"
                        "<td style='font-size:20pt; font-weight:600'>%2</td></tr>")
                        .arg(name.toHtmlEscaped(), QString::number(out(0, c), 'g', 5));
        }
        html += QStringLiteral("</table>");
    }
    regression_->setText(html);
    stack_->setCurrentWidget(regression_);
}

void PredictionView::showTable() {
    const auto& trace = *document_->trace();
    const auto& out = trace.output();
    const int rows = static_cast<int>(std::min<qsizetype>(out.rows(), static_cast<qsizetype>(trace.tokens.size())));
    const int C = static_cast<int>(out.cols());
    const bool regression = document_->model()->task == lstmscope::Task::Regression;
    mode_ = regression ? Mode::Regression : Mode::Tagging;
    title_ =
        regression ? tr("values per token") : (probabilities_ ? tr("predicted labels") : tr("output values per token"));

    QStringList headers{tr("#"), tr("token")};
    if (regression) {
        for (int c = 0; c < C; ++c)
            headers << (c < static_cast<int>(trace.labels.size()) ? QString::fromStdString(trace.labels[c])
                                                                  : tr("value %1").arg(c));
    } else {
        headers << tr("label") << (probabilities_ ? tr("probability") : tr("value"));
    }

    // One repaint for the whole fill keeps 300+ rows instant.
    table_->setUpdatesEnabled(false);
    {
        const QSignalBlocker block(table_);
        table_->clearContents();
        table_->setColumnCount(static_cast<int>(headers.size()));
        table_->setHorizontalHeaderLabels(headers);
        table_->setRowCount(rows);
        const QColor base = palette().color(QPalette::Base);
        const QColor grey = palette().color(QPalette::PlaceholderText);
        std::vector<int> counts(C, 0);
        for (int t = 0; t < rows; ++t) {
            const auto& token = trace.tokens[t];
            auto* index = new QTableWidgetItem(QString::number(t));
            index->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            index->setForeground(grey);
            table_->setItem(t, 0, index);
            auto* text = new QTableWidgetItem(tokenLabel(token));
            text->setToolTip(token.pad ? tr("padding")
                                       : tr("characters %1–%2 · id %3").arg(token.start).arg(token.end).arg(token.id));
            if (token.pad) text->setForeground(grey);
            table_->setItem(t, 1, text);
            if (regression) {
                for (int c = 0; c < C; ++c) {
                    auto* v = new QTableWidgetItem(QString::number(out(t, c), 'g', 5));
                    v->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                    table_->setItem(t, 2 + c, v);
                }
                continue;
            }
            int best = t < static_cast<int>(trace.argmax.size()) ? trace.argmax[t] : 0;
            if (best < 0 || best >= C) best = 0;
            ++counts[best];
            const QString name = labelName(trace.labels, best);
            auto* label = new QTableWidgetItem(name);
            // "O" (outside any entity) stays plain so the entities stand out.
            if (name != QLatin1String("O")) label->setBackground(labelTint(best, base));
            QStringList all;
            for (int c = 0; c < C; ++c)
                all << QStringLiteral("%1: %2").arg(labelName(trace.labels, c),
                                                    probabilities_ ? percent(out(t, c)) : rawValue(out(t, c)));
            label->setToolTip(all.join('\n'));
            table_->setItem(t, 2, label);
            const double p = out(t, best);
            auto* prob = new QTableWidgetItem(probabilities_ ? percent(p) : rawValue(p));
            prob->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            prob->setToolTip(all.join('\n'));
            if (probabilities_) {
                // Fixed [0, 1] sequential scale, as for every probability-like quantity.
                const QColor bg = colorAt(sequentialMap_, p);
                prob->setBackground(bg);
                prob->setForeground(textColorOn(bg));
            }
            table_->setItem(t, 3, prob);
        }
        QStringList summary;
        if (!regression)
            for (int c = 0; c < C; ++c)
                if (counts[c] > 0) summary << QStringLiteral("%1 ×%2").arg(labelName(trace.labels, c)).arg(counts[c]);
        tableSummary_->setText(
            QStringLiteral("<b>%1</b> · %2%3")
                .arg(title_.toHtmlEscaped(), tr("%n tokens", nullptr, rows))
                .arg(summary.isEmpty() ? QString()
                                       : QStringLiteral(" · ") + summary.join(QStringLiteral(", ")).toHtmlEscaped()));
        auto* header = table_->horizontalHeader();
        header->setSectionResizeMode(QHeaderView::Interactive);
        table_->resizeColumnsToContents();
        header->setSectionResizeMode(1, QHeaderView::Stretch);
        header->setMinimumSectionSize(40);
    }
    table_->setUpdatesEnabled(true);
    stack_->setCurrentWidget(tablePage_);
    syncSelectedRow();
}

void PredictionView::syncSelectedRow() {
    if (stack_->currentWidget() != tablePage_) return;
    const int token = selection_ ? selection_->token() : -1;
    const QSignalBlocker block(table_);
    if (token < 0 || token >= table_->rowCount()) {
        table_->clearSelection();
        table_->setCurrentCell(-1, -1);
        return;
    }
    table_->setCurrentCell(token, 1, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table_->scrollToItem(table_->item(token, 1), QAbstractItemView::EnsureVisible);
}

int PredictionView::highlightedRow() const {
    if (stack_->currentWidget() != tablePage_) return -1;
    const auto rows = table_->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

bool PredictionView::eventFilter(QObject* watched, QEvent* event) {
    // After QCustomPlot has taken the new size, the value labels need new room.
    if (watched == plot_ && event->type() == QEvent::Resize) QTimer::singleShot(0, this, &PredictionView::fitBarRange);
    // The hover is shared: leaving the table must not leave a token hovered.
    if (watched == table_->viewport() && event->type() == QEvent::Leave && selection_) selection_->setHoverToken(-1);
    return QWidget::eventFilter(watched, event);
}

QString PredictionView::regressionText() const { return mode_ == Mode::Regression ? regression_->text() : QString(); }

void PredictionView::showBarToolTip(const QPoint& pos, const QPoint& globalPos) {
    if (mode_ != Mode::Classification || !plot_->axisRect()->rect().contains(pos)) {
        QToolTip::hideText();
        return;
    }
    const int bar = static_cast<int>(std::lround(plot_->yAxis->pixelToCoord(pos.y())));
    if (bar < 0 || bar >= barCount()) {
        QToolTip::hideText();
        return;
    }
    QString text = QStringLiteral("%1: %2").arg(barLabels_[bar], QString::number(barValues_[bar], 'g', 6));
    if (probabilities_) text += QStringLiteral(" (%1)").arg(percent(barValues_[bar]));
    if (bar == highlightedBar_) text += tr("\npredicted");
    QToolTip::showText(globalPos, text, plot_);
}
