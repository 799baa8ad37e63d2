#include "gui/corpus/faithfulness_plots.h"

#include <QLabel>
#include <QStackedLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "gui/plots/refresh_setup.h"
#include "gui/plots/plot_scale.h"

namespace {

QLabel* makePlaceholder(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

}  // namespace

BandedHistogram::BandedHistogram(QWidget* parent)
    : QWidget(parent), stack_(new QStackedLayout(this)), placeholder_(makePlaceholder(this)), plot_(new QCustomPlot(this)) {
    setUpRefresh(plot_);
    followFontScale(plot_);
    stack_->addWidget(placeholder_);
    stack_->addWidget(plot_);
    setMinimumSize(240, 180);
    clearHistogram(QString());
}

void BandedHistogram::setHistogram(double low, double high, const std::vector<int64_t>& counts,
                                   const std::vector<Band>& bands, const QString& bandsTitle, double marker,
                                   const QString& markerLabel, const QString& valueName, const QString& countName) {
    counts_ = counts;
    bands_ = bands;
    plot_->clearPlottables();
    plot_->clearItems();
    const int n = static_cast<int>(counts.size());
    const double width = n ? (high - low) / n : 1;
    int64_t top = 1;
    for (int64_t c : counts) top = std::max(top, c);
    // Head room above the bars for the labels.
    const double yTop = static_cast<double>(top) * 1.5;
    const double span = high - low;
    // The bands, under the bars; their labels in the top left corner, each
    // on its band's colour like a legend, one under the other.
    QCPItemText* above = nullptr;
    if (!bands.empty() && !bandsTitle.isEmpty()) {
        above = new QCPItemText(plot_);
        above->setText(bandsTitle);
        above->setTextAlignment(Qt::AlignLeft);
        above->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        above->position->setType(QCPItemPosition::ptAxisRectRatio);
        above->position->setCoords(0.012, 0.015);
        above->setColor(QColor(0x44, 0x44, 0x44));
    }
    for (const Band& b : bands) {
        auto* rect = new QCPItemRect(plot_);
        rect->topLeft->setCoords(b.low, yTop);
        rect->bottomRight->setCoords(b.high, 0);
        rect->setBrush(b.color);
        rect->setPen(Qt::NoPen);
        rect->setLayer(QStringLiteral("background"));
        auto* text = new QCPItemText(plot_);
        text->setText(b.label);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        if (above) {
            text->position->setParentAnchor(above->bottomLeft);
            text->position->setCoords(0, 3);
        } else {
            text->position->setType(QCPItemPosition::ptAxisRectRatio);
            text->position->setCoords(0.012, 0.015);
        }
        text->setBrush(b.color);
        text->setPadding(QMargins(4, 1, 4, 1));
        QColor ink = b.color;
        ink.setAlpha(255);
        text->setColor(ink.darker(220));
        above = text;
    }
    auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars->setWidth(width * 0.92);
    bars->setPen(QPen(QColor(0x00, 0x72, 0xB2).darker(120), lineScale()));
    bars->setBrush(QColor(0x00, 0x72, 0xB2, 200));
    QVector<double> xs, ys;
    for (int k = 0; k < n; ++k) {
        xs << low + (k + 0.5) * width;
        ys << static_cast<double>(counts[static_cast<size_t>(k)]);
    }
    bars->setData(xs, ys, true);
    if (std::isfinite(marker)) {
        auto* line = new QCPItemStraightLine(plot_);
        line->point1->setCoords(marker, 0);
        line->point2->setCoords(marker, 1);
        line->setPen(QPen(QColor(0x33, 0x33, 0x33), 2 * lineScale(), Qt::DashLine));
        auto* text = new QCPItemText(plot_);
        text->setText(markerLabel);
        // At the top, right of the line and of the bands (whose labels are top left).
        double right = marker;
        for (const Band& b : bands)
            if (b.high >= marker && b.low <= marker + 0.1 * span) right = std::max(right, b.high);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        text->position->setCoords(right + 0.015 * span, yTop * 0.985);
        text->setColor(QColor(0x33, 0x33, 0x33));
    }
    plot_->xAxis->setRange(low, high);
    plot_->yAxis->setRange(0, yTop);
    plot_->xAxis->setLabel(valueName);
    plot_->yAxis->setLabel(countName);
    stack_->setCurrentWidget(plot_);
    plot_->replot();
}

void BandedHistogram::clearHistogram(const QString& message) {
    counts_.clear();
    bands_.clear();
    placeholder_->setText(message);
    stack_->setCurrentWidget(placeholder_);
}

QString BandedHistogram::message() const {
    return stack_->currentWidget() == placeholder_ ? placeholder_->text() : QString();
}

StepCurvePlot::StepCurvePlot(QWidget* parent)
    : QWidget(parent), stack_(new QStackedLayout(this)), placeholder_(makePlaceholder(this)), plot_(new QCustomPlot(this)) {
    setUpRefresh(plot_);
    followFontScale(plot_);
    stack_->addWidget(placeholder_);
    stack_->addWidget(plot_);
    plot_->addGraph();
    setMinimumSize(240, 160);
    clearCurve(QString());
}

void StepCurvePlot::setCurve(const std::vector<double>& x, const std::vector<double>& y, const QString& xName,
                             const QString& yName, const QColor& color) {
    x_ = x;
    y_ = y;
    QCPGraph* graph = plot_->graph(0);
    graph->setData(QVector<double>(x.begin(), x.end()), QVector<double>(y.begin(), y.end()), true);
    graph->setPen(QPen(color, 2.5 * lineScale()));
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, color, 6));
    plot_->xAxis->setRange(0, 1);
    plot_->yAxis->setRange(0, 1.02);
    plot_->xAxis->setLabel(xName);
    plot_->yAxis->setLabel(yName);
    stack_->setCurrentWidget(plot_);
    plot_->replot();
}

void StepCurvePlot::clearCurve(const QString& message) {
    x_.clear();
    y_.clear();
    placeholder_->setText(message);
    stack_->setCurrentWidget(placeholder_);
}

QString StepCurvePlot::message() const {
    return stack_->currentWidget() == placeholder_ ? placeholder_->text() : QString();
}
