#include "gui/plots/two_curve_plot.h"
#include "gui/plots/refresh_setup.h"
#include "gui/plots/plot_scale.h"
#include "gui/plots/segment_line_graph.h"

#include <QLabel>
#include <QStackedLayout>
#include <cmath>
#include <qcustomplot.h>

namespace {

void fillGraph(QCPGraph* graph, const std::vector<double>& values) {
    QVector<double> x, y;
    for (int k = 0; k < static_cast<int>(values.size()); ++k) {
        x << k;
        // QCustomPlot leaves a gap at NaN: a word one text lacks.
        y << values[k];
    }
    graph->setData(x, y, true);
}

}  // namespace

TwoCurvePlot::TwoCurvePlot(QWidget* parent)
    : QWidget(parent), stack_(new QStackedLayout(this)), placeholder_(new QLabel(this)), plot_(new QCustomPlot(this)) {
    setUpRefresh(plot_);
    followFontScale(plot_);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);
    stack_->addWidget(placeholder_);
    stack_->addWidget(plot_);
    SegmentLineGraph::add(plot_);
    SegmentLineGraph::add(plot_);
    // setSeries names them; QCustomPlot's own "Graph 1" is never shown.
    for (int k = 0; k < 2; ++k) plot_->graph(k)->setName(QString());
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 210));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot_->xAxis->setTickLabelRotation(60);
    setMinimumHeight(120);
    clearSeries(QString());
}

void TwoCurvePlot::setSeries(const QStringList& labels, const std::vector<double>& a, const std::vector<double>& b,
                             const QString& nameA, const QString& nameB, const QColor& colorA, const QColor& colorB,
                             const QString& valueName) {
    a_ = a;
    b_ = b;
    QCPGraph* ga = plot_->graph(0);
    QCPGraph* gb = plot_->graph(1);
    ga->setName(nameA);
    gb->setName(nameB);
    ga->setPen(QPen(colorA, 2.5 * lineScale()));
    gb->setPen(QPen(colorB, 2.5 * lineScale(), Qt::DashLine));
    const bool dots = labels.size() < 60;
    ga->setScatterStyle(dots ? QCPScatterStyle(QCPScatterStyle::ssCircle, colorA, colorA, 5) : QCPScatterStyle());
    gb->setScatterStyle(dots ? QCPScatterStyle(QCPScatterStyle::ssDiamond, colorB, colorB, 6) : QCPScatterStyle());
    fillGraph(ga, a);
    fillGraph(gb, b);
    // Labels thinned to what fits: every k-th token.
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int fit = std::max(1, width() / std::max(1, fontMetrics().height() + 4));
    const int step = std::max<int>(1, static_cast<int>(std::ceil(labels.size() / double(fit))));
    for (int k = 0; k < labels.size(); k += step) ticker->addTick(k, labels[k].left(14));
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setRange(-0.5, std::max<qsizetype>(1, labels.size()) - 0.5);
    double lo = -1, hi = 1;
    for (const auto* v : {&a, &b})
        for (double x : *v)
            if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    plot_->yAxis->setRange(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo));
    plot_->yAxis->setLabel(valueName);
    stack_->setCurrentWidget(plot_);
    plot_->replot();
}

void TwoCurvePlot::clearSeries(const QString& message) {
    a_.clear();
    b_.clear();
    placeholder_->setText(message);
    stack_->setCurrentWidget(placeholder_);
}

QString TwoCurvePlot::message() const { return stack_->currentWidget() == placeholder_ ? placeholder_->text() : QString(); }
