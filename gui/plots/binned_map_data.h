// The cells of a heatmap drawn on fewer pixels than it has cells.
//
// QCustomPlot colours every cell of its colour map into an image and then
// scales the image down to the axis rect: at 5,000 tokens x 64 units on
// 600 pixels it colours eight cells for every one it shows, and the one it
// shows is whichever the scaling happens to pick. Binned, each pixel shows
// the mean of the cells under it (NaN cells, the steps not reached yet, are
// left out; a bin of NaN only stays NaN), and a redraw costs what the
// pixels cost. The exact values stay with the caller (tooltips read them).
#pragma once

#include <qcustomplot.h>

#include "engine/matrix.h"

namespace binned_map {

// Cells per bin when `visible` cells share `pixels` pixels: 1 (no binning)
// until at least two cells fall on each pixel.
int cellsPerBin(double visible, int pixels);

}  // namespace binned_map

class BinnedMapData : public QCPColorMapData {
public:
    BinnedMapData();

    // The cells become `values` (rows along the value axis, columns along
    // the key axis) averaged in bins of rowsPerBin x columnsPerBin, cell
    // centres placed so that bin b of the columns covers columns
    // [b * columnsPerBin - 0.5, (b + 1) * columnsPerBin - 0.5] in axis
    // coordinates (column k at k). A side of one bin is stored twice over
    // half its width: QCustomPlot gives a single cell no width.
    void assign(const lstmscope::Matrix& values, int columnsPerBin, int rowsPerBin);
    // The same cells from their transpose: row k of `columns` is column k
    // of the map (a recorded gate matrix is tokens x units, the map units x
    // tokens). Bins then add whole rows of `columns`, contiguous in memory,
    // instead of the caller transposing millions of cells first.
    void assignColumns(const lstmscope::Matrix& columns, int columnsPerBin, int rowsPerBin);
};
