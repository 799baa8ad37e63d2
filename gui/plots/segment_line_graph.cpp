#include "gui/plots/segment_line_graph.h"

#include <cmath>
#include <vector>

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
    const double width = pen.widthF();
    auto finite = [](const QPointF& p) { return std::isfinite(p.x()) && std::isfinite(p.y()); };
    if (!dashed) {
        pen.setCapStyle(Qt::FlatCap);
        painter->setPen(pen);
        const int n = static_cast<int>(lines.size());
        std::vector<char> joined(static_cast<size_t>(n), 0);  // points that end a drawn segment
        for (int k = 0; k + 1 < n; ++k) {
            if (!finite(lines[k]) || !finite(lines[k + 1])) continue;
            painter->drawLine(QLineF(lines[k], lines[k + 1]));
            joined[static_cast<size_t>(k)] = joined[static_cast<size_t>(k) + 1] = 1;
        }
        // Round joins and caps: a polygon of 8 sides (16 for a pen over four
        // pixels), pen-wide, in the pen's colour, at every drawn point.
        const int sides = width > 4.0 ? 16 : 8;
        QPointF corner[16];
        for (int j = 0; j < sides; ++j) {
            const double a = (j + 0.5) * 2.0 * M_PI / sides;
            corner[j] = QPointF(0.5 * width * std::cos(a), 0.5 * width * std::sin(a));
        }
        const QBrush brush = painter->brush();
        painter->setPen(Qt::NoPen);
        painter->setBrush(pen.color());
        QPointF q[16];
        for (int k = 0; k < n; ++k) {
            if (!joined[static_cast<size_t>(k)]) continue;
            for (int j = 0; j < sides; ++j) q[j] = lines[k] + corner[j];
            painter->drawConvexPolygon(q, sides);
        }
        painter->setBrush(brush);  // what the graph draws next (its scatter points) sets its own pen
        return;
    }
    double offset = pen.dashOffset();  // in pen widths, as Qt counts it
    for (int k = 0; k + 1 < lines.size(); ++k) {
        const QPointF& a = lines[k];
        const QPointF& b = lines[k + 1];
        if (!finite(a) || !finite(b)) continue;
        const QLineF segment(a, b);
        pen.setDashOffset(offset);
        painter->setPen(pen);
        painter->drawLine(segment);
        offset += segment.length() / width;
    }
}
