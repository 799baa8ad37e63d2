#include "gui/corpus/saturation_plot.h"

#include <QHelpEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QStackedLayout>
#include <QToolTip>
#include <cmath>
#include <qcustomplot.h>

#include "gui/plots/refresh_setup.h"
#include "gui/plots/plot_scale.h"

namespace {
constexpr double kPickPixels = 8;
}

SaturationPlot::SaturationPlot(QWidget* parent)
    : QWidget(parent), stack_(new QStackedLayout(this)), placeholder_(new QLabel(this)), plot_(new QCustomPlot(this)) {
    setUpRefresh(plot_);
    followFontScale(plot_);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);
    stack_->addWidget(placeholder_);
    stack_->addWidget(plot_);
    plot_->xAxis->setRange(-0.02, 1.02);
    plot_->yAxis->setRange(-0.02, 1.02);
    // The triangle's edge: a unit cannot be both below 0.1 and above 0.9
    // more than all of the time.
    auto* edge = new QCPItemLine(plot_);
    edge->start->setCoords(0, 1);
    edge->end->setCoords(1, 0);
    edge->setPen(QPen(QColor(170, 170, 170), lineScale(), Qt::DashLine));
    dots_ = plot_->addGraph();
    dots_->setLineStyle(QCPGraph::lsNone);
    ring_ = plot_->addGraph();
    ring_->setLineStyle(QCPGraph::lsNone);
    ring_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2.5 * lineScale()), Qt::NoBrush, 16));
    plot_->setMouseTracking(true);
    plot_->installEventFilter(this);
    setMinimumSize(220, 200);
    clearPoints(QString());
}

void SaturationPlot::setPoints(const std::vector<double>& x, const std::vector<double>& y, const QString& gateName,
                               const QColor& color) {
    x_ = x;
    y_ = y;
    gateName_ = gateName;
    QVector<double> xs(x.begin(), x.end()), ys(y.begin(), y.end());
    QColor fill = color;
    fill.setAlpha(150);
    dots_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(color.darker(130), lineScale()), fill, 8));
    dots_->setData(xs, ys);
    plot_->xAxis->setLabel(tr("share of steps with %1 < 0.1").arg(gateName));
    plot_->yAxis->setLabel(tr("share of steps with %1 > 0.9").arg(gateName));
    if (selected_ >= pointCount()) selected_ = -1;
    setSelectedUnit(selected_);
    stack_->setCurrentWidget(plot_);
}

void SaturationPlot::clearPoints(const QString& message) {
    x_.clear();
    y_.clear();
    dots_->data()->clear();
    ring_->data()->clear();
    selected_ = -1;
    placeholder_->setText(message);
    stack_->setCurrentWidget(placeholder_);
}

void SaturationPlot::setSelectedUnit(int unit) {
    selected_ = unit >= 0 && unit < pointCount() ? unit : -1;
    ring_->data()->clear();
    if (selected_ >= 0) ring_->addData(x_[static_cast<size_t>(selected_)], y_[static_cast<size_t>(selected_)]);
    plot_->replot();
}

QString SaturationPlot::message() const {
    return stack_->currentWidget() == placeholder_ ? placeholder_->text() : QString();
}

QPoint SaturationPlot::pointPosition(int unit) const {
    if (unit < 0 || unit >= pointCount()) return {};
    const double px = plot_->xAxis->coordToPixel(x_[static_cast<size_t>(unit)]);
    const double py = plot_->yAxis->coordToPixel(y_[static_cast<size_t>(unit)]);
    return plot_->mapTo(this, QPoint(static_cast<int>(std::lround(px)), static_cast<int>(std::lround(py))));
}

int SaturationPlot::unitAt(const QPoint& pos) const {
    const QPoint p = plot_->mapFrom(this, pos);
    int best = -1;
    double bestDistance = kPickPixels * kPickPixels;
    for (int u = 0; u < pointCount(); ++u) {
        const double dx = plot_->xAxis->coordToPixel(x_[static_cast<size_t>(u)]) - p.x();
        const double dy = plot_->yAxis->coordToPixel(y_[static_cast<size_t>(u)]) - p.y();
        if (dx * dx + dy * dy <= bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = u;
        }
    }
    return best;
}

QString SaturationPlot::toolTipText(int unit) const {
    if (unit < 0 || unit >= pointCount()) return {};
    return tr("unit %1: %2 < 0.1 in %3% of steps, > 0.9 in %4%")
        .arg(unit)
        .arg(gateName_)
        .arg(100 * x_[static_cast<size_t>(unit)], 0, 'f', 1)
        .arg(100 * y_[static_cast<size_t>(unit)], 0, 'f', 1);
}

bool SaturationPlot::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && pointCount() > 0) {
        if (event->type() == QEvent::MouseButtonPress) {
            auto* mouse = static_cast<QMouseEvent*>(event);
            const int unit = unitAt(plot_->mapTo(this, mouse->position().toPoint()));
            if (mouse->button() == Qt::LeftButton && unit >= 0) {
                setSelectedUnit(unit);
                emit unitClicked(unit);
                return true;
            }
        } else if (event->type() == QEvent::ToolTip) {
            auto* help = static_cast<QHelpEvent*>(event);
            const int unit = unitAt(plot_->mapTo(this, help->pos()));
            if (unit >= 0) QToolTip::showText(help->globalPos(), toolTipText(unit), plot_);
            else QToolTip::hideText();
            return true;
        } else if (event->type() == QEvent::MouseMove) {
            auto* mouse = static_cast<QMouseEvent*>(event);
            plot_->setCursor(unitAt(plot_->mapTo(this, mouse->position().toPoint())) >= 0 ? Qt::PointingHandCursor
                                                                                          : Qt::ArrowCursor);
        }
    }
    return QWidget::eventFilter(watched, event);
}
