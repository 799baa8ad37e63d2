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
        // pixels), pen-wide, in the pen's colour, at every drawn point but
        // those between two segments shorter than the pen is wide (a long
        // text's curve, points under a pixel apart): there the segments
        // overlap, a join would not show, and 30,000 of them took ~2 ms.
        const auto shortSegment = [&](int a, int b) {
            const QPointF d = lines[b] - lines[a];
            return d.x() * d.x() + d.y() * d.y() < width * width;
        };
        for (int k = 1; k + 1 < n; ++k)
            if (finite(lines[k - 1]) && finite(lines[k]) && finite(lines[k + 1]) && shortSegment(k - 1, k) &&
                shortSegment(k, k + 1))
                joined[static_cast<size_t>(k)] = 2;  // between two drawn short segments: no polygon
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
            if (joined[static_cast<size_t>(k)] != 1) continue;
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

const SegmentLineGraph::Stamps& SegmentLineGraph::stampsFor(const QCPPainter* painter, const QCPScatterStyle& style,
                                                            double scale) const {
    const bool antialiased = painter->testRenderHint(QPainter::Antialiasing);
    Stamps& s = stamps_;
    if (s.shape == style.shape() && s.size == style.size() && s.scale == scale && s.pen == painter->pen() &&
        s.brush == painter->brush() && s.antialiased == antialiased)
        return s;
    s.shape = style.shape();
    s.size = style.size();
    s.scale = scale;
    s.pen = painter->pen();
    s.brush = painter->brush();
    s.antialiased = antialiased;
    // Room for the shape, its outline and the antialiasing fringe.
    s.centre = static_cast<int>(std::ceil((style.size() + s.pen.widthF()) * scale / 2.0)) + 2;
    const int side = 2 * s.centre + 2;
    for (int k = 0; k < 4; ++k) {
        QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QCPPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing, antialiased);
        p.translate(s.centre + 0.5 * (k % 2), s.centre + 0.5 * (k / 2));
        p.scale(scale, scale);
        p.setPen(s.pen);
        p.setBrush(s.brush);
        style.drawShape(&p, 0.0, 0.0);
        p.end();
        s.images[static_cast<size_t>(k)] = std::move(image);
    }
    return s;
}

void SegmentLineGraph::drawScatterPlot(QCPPainter* painter, const QVector<QPointF>& scatters,
                                       const QCPScatterStyle& style) const {
    const QTransform device = painter->deviceTransform();
    const bool stampable = style.shape() != QCPScatterStyle::ssPixmap && style.shape() != QCPScatterStyle::ssCustom &&
                           !painter->modes().testFlag(QCPPainter::pmVectorized) &&
                           device.type() <= QTransform::TxScale && device.m11() == device.m22() && device.m11() > 0;
    if (!stampable) {
        QCPGraph::drawScatterPlot(painter, scatters, style);
        return;
    }
    applyScattersAntialiasingHint(painter);
    style.applyTo(painter, mPen);
    const Stamps& stamps = stampsFor(painter, style, device.m11());
    // Drawn in device pixels: undo the device's pixel ratio, so each stamp
    // lands pixel for pixel.
    const qreal ratio = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    painter->save();
    painter->setWorldTransform(QTransform::fromScale(1.0 / ratio, 1.0 / ratio));
    if (!painter->deviceTransform().isIdentity()) {  // an offset below the painter's transform: draw the shapes
        painter->restore();
        QCPGraph::drawScatterPlot(painter, scatters, style);
        return;
    }
    for (const QPointF& point : scatters) {
        const QPointF d = device.map(point);
        if (!std::isfinite(d.x()) || !std::isfinite(d.y()) || std::abs(d.x()) > 1e6 || std::abs(d.y()) > 1e6) continue;
        // The nearest half pixel: a whole pixel and which half.
        const double hx = std::floor(2.0 * d.x() + 0.5), hy = std::floor(2.0 * d.y() + 0.5);
        const int x = static_cast<int>(std::floor(hx / 2.0)), y = static_cast<int>(std::floor(hy / 2.0));
        const int k = static_cast<int>(hx - 2.0 * x) + 2 * static_cast<int>(hy - 2.0 * y);
        painter->drawImage(QPoint(x - stamps.centre, y - stamps.centre), stamps.images[static_cast<size_t>(k)]);
    }
    painter->restore();
}
