#include "gui/plots/segment_line_graph.h"

#include <cmath>

SegmentLineGraph::SegmentLineGraph(QCPAxis* keyAxis, QCPAxis* valueAxis) : QCPGraph(keyAxis, valueAxis) {}

SegmentLineGraph* SegmentLineGraph::add(QCustomPlot* plot) { return new SegmentLineGraph(plot->xAxis, plot->yAxis); }

void SegmentLineGraph::drawLinePlot(QCPPainter* painter, const QVector<QPointF>& lines) const {
    QPen pen = painter->pen();
    if (pen.style() == Qt::NoPen || pen.color().alpha() == 0) return;
    applyDefaultAntialiasingHint(painter);
    // One-pixel and unsmoothed pens take Qt's fast path as a polyline; a
    // translucent pen would darken where round caps overlap; vector output
    // (PDF, SVG) wants one path.
    const bool fastAlready = pen.widthF() <= 1.0 || !painter->testRenderHint(QPainter::Antialiasing);
    if (fastAlready || pen.color().alpha() != 255 || painter->modes().testFlag(QCPPainter::pmVectorized)) {
        drawPolyline(painter, lines);
        return;
    }
    const bool dashed = pen.style() != Qt::SolidLine;
    if (!dashed) pen.setCapStyle(Qt::RoundCap);
    const double width = pen.widthF();
    double offset = pen.dashOffset();  // in pen widths, as Qt counts it
    auto finite = [](const QPointF& p) { return std::isfinite(p.x()) && std::isfinite(p.y()); };
    if (!dashed) painter->setPen(pen);
    for (int k = 0; k + 1 < lines.size(); ++k) {
        const QPointF& a = lines[k];
        const QPointF& b = lines[k + 1];
        if (!finite(a) || !finite(b)) continue;
        const QLineF segment(a, b);
        if (dashed) {
            pen.setDashOffset(offset);
            painter->setPen(pen);
        }
        painter->drawLine(segment);
        offset += segment.length() / width;
    }
}
