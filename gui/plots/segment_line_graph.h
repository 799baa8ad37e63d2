// A QCustomPlot graph that draws its line one segment at a time.
//
// Qt's raster engine strokes an antialiased pen wider than one pixel by
// turning the whole polyline into one outline and filling it, at a cost that
// grows with the line's length and bounding box: on the build machine one
// 1.5-pixel line through 32 points took 1.6 ms and through 256 points 15 ms,
// against 0.04 ms and 0.2 ms drawn as separate segments. The unit line plot
// draws six such lines on every keystroke. A solid pen's segments have flat
// ends and a small filled polygon (a pen-wide octagon) at every point they
// meet, which looks like round joins and caps: stroking round caps built two
// curves per segment, 2.4x the time of this (6 lines x 256 points, 800 x 220
// pixels: 7.2 against 3.0 ms). A dashed pen carries its dash offset from
// segment to segment, so the pattern runs on unbroken. NaN points break the
// line, as in QCPGraph.
//
// Its scatter points are stamped: the shape is drawn once into a small
// image (for each of four half-pixel offsets) and copied to every point,
// where QCPGraph strokes an antialiased ellipse per point (6 curves x 32
// dots took ~1.3 ms of each keystroke). Vector output and transformed
// painters still get the shapes themselves.
#pragma once

#include <qcustomplot.h>

#include <array>

class SegmentLineGraph : public QCPGraph {
public:
    SegmentLineGraph(QCPAxis* keyAxis, QCPAxis* valueAxis);

    // Adds one to `plot`'s x and y axes, as QCustomPlot::addGraph() would.
    static SegmentLineGraph* add(QCustomPlot* plot);

protected:
    void drawLinePlot(QCPPainter* painter, const QVector<QPointF>& lines) const override;
    void drawScatterPlot(QCPPainter* painter, const QVector<QPointF>& scatters,
                         const QCPScatterStyle& style) const override;

private:
    // The stamps of one scatter style at one scale: stamp [2 * half_y +
    // half_x] has the shape's centre at (centre + half_x / 2, centre +
    // half_y / 2) device pixels.
    struct Stamps {
        QCPScatterStyle::ScatterShape shape = QCPScatterStyle::ssNone;
        double size = 0, scale = 0;
        QPen pen;
        QBrush brush;
        bool antialiased = false;
        int centre = 0;
        std::array<QImage, 4> images;
    };
    const Stamps& stampsFor(const QCPPainter* painter, const QCPScatterStyle& style, double scale) const;
    mutable Stamps stamps_;
};
