#include "gui/plots/plot_scale.h"

#include <QEvent>
#include <QObject>
#include <qcustomplot.h>

namespace {

double g_lineScale = 1.0;

double fontSize(const QFont& f) { return f.pointSizeF() > 0 ? f.pointSizeF() : f.pixelSize(); }

QFont scaled(QFont f, double ratio) {
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * ratio);
    else if (f.pixelSize() > 0)
        f.setPixelSize(std::max(1, static_cast<int>(f.pixelSize() * ratio + 0.5)));
    return f;
}

QPen scaled(QPen pen, double ratio) {
    // A cosmetic zero-width pen is one pixel; make it a real width to scale.
    pen.setWidthF((pen.widthF() > 0 ? pen.widthF() : 1.0) * ratio);
    return pen;
}

void scaleAxis(QCPAxis* axis, double ratio) {
    axis->setTickLabelFont(scaled(axis->tickLabelFont(), ratio));
    axis->setSelectedTickLabelFont(scaled(axis->selectedTickLabelFont(), ratio));
    axis->setLabelFont(scaled(axis->labelFont(), ratio));
    axis->setSelectedLabelFont(scaled(axis->selectedLabelFont(), ratio));
    axis->setBasePen(scaled(axis->basePen(), ratio));
    axis->setTickPen(scaled(axis->tickPen(), ratio));
    axis->setSubTickPen(scaled(axis->subTickPen(), ratio));
    axis->setTickLengthIn(static_cast<int>(axis->tickLengthIn() * ratio + 0.5));
    axis->setTickLengthOut(static_cast<int>(axis->tickLengthOut() * ratio + 0.5));
    axis->setTickLabelPadding(static_cast<int>(axis->tickLabelPadding() * ratio + 0.5));
    axis->setLabelPadding(static_cast<int>(axis->labelPadding() * ratio + 0.5));
    if (QCPGrid* grid = axis->grid()) {
        grid->setPen(scaled(grid->pen(), ratio));
        grid->setSubGridPen(scaled(grid->subGridPen(), ratio));
        grid->setZeroLinePen(grid->zeroLinePen() == Qt::NoPen ? grid->zeroLinePen()
                                                              : scaled(grid->zeroLinePen(), ratio));
    }
}

void scalePlot(QCustomPlot* plot, double ratio) {
    for (QCPAxisRect* rect : plot->axisRects())
        for (QCPAxis* axis : rect->axes()) scaleAxis(axis, ratio);
    for (QCPLayoutElement* element : plot->plotLayout()->elements(true))
        if (auto* text = qobject_cast<QCPTextElement*>(element)) {
            text->setFont(scaled(text->font(), ratio));
            text->setSelectedFont(scaled(text->selectedFont(), ratio));
        } else if (auto* scale = qobject_cast<QCPColorScale*>(element)) {
            scaleAxis(scale->axis(), ratio);
            scale->setBarWidth(static_cast<int>(scale->barWidth() * ratio + 0.5));
        }
    if (plot->legend) plot->legend->setFont(scaled(plot->legend->font(), ratio));
    for (int k = 0; k < plot->plottableCount(); ++k) {
        QCPAbstractPlottable* p = plot->plottable(k);
        if (p->pen() != Qt::NoPen) p->setPen(scaled(p->pen(), ratio));
    }
    for (int k = 0; k < plot->itemCount(); ++k) {
        QCPAbstractItem* item = plot->item(k);
        if (auto* text = qobject_cast<QCPItemText*>(item)) {
            text->setFont(scaled(text->font(), ratio));
            if (text->pen() != Qt::NoPen) text->setPen(scaled(text->pen(), ratio));
        } else if (auto* line = qobject_cast<QCPItemStraightLine*>(item)) {
            line->setPen(scaled(line->pen(), ratio));
        } else if (auto* seg = qobject_cast<QCPItemLine*>(item)) {
            seg->setPen(scaled(seg->pen(), ratio));
        } else if (auto* rect = qobject_cast<QCPItemRect*>(item)) {
            if (rect->pen() != Qt::NoPen) rect->setPen(scaled(rect->pen(), ratio));
        }
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

// Watches one plot's font changes; owned by the plot.
class FontFollower : public QObject {
public:
    FontFollower(QCustomPlot* plot, std::function<void()> relayout)
        : QObject(plot), plot_(plot), relayout_(std::move(relayout)), size_(fontSize(plot->font())) {}

    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched == plot_ && event->type() == QEvent::FontChange) {
            const double now = fontSize(plot_->font());
            if (size_ > 0 && now > 0 && now != size_) {
                scalePlot(plot_, now / size_);
                if (relayout_) relayout_();
            }
            size_ = now;
        }
        return false;
    }

private:
    QCustomPlot* plot_;
    std::function<void()> relayout_;
    double size_;
};

}  // namespace

double lineScale() { return g_lineScale; }
void setLineScale(double factor) { g_lineScale = factor > 0 ? factor : 1.0; }

void followFontScale(QCustomPlot* plot, std::function<void()> relayout) {
    plot->installEventFilter(new FontFollower(plot, std::move(relayout)));
}

