#include "gui/plots/binned_map_data.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

namespace binned_map {

int cellsPerBin(double visible, int pixels) {
    if (pixels <= 0 || !(visible > 0)) return 1;
    return std::max(1, static_cast<int>(std::floor(visible / pixels)));
}

}  // namespace binned_map

namespace {

// Bin count along a side of `cells` cells, and the axis range of the first
// and last bin centres (see BinnedMapData::assign).
struct Side {
    int bins = 0, stored = 0;
    QCPRange range;
};

Side side(int cells, int perBin) {
    Side s;
    s.bins = (cells + perBin - 1) / perBin;
    const double firstCentre = (perBin - 1) / 2.0;
    if (s.bins == 1) {
        s.stored = 2;
        s.range = QCPRange(firstCentre - 0.25 * perBin, firstCentre + 0.25 * perBin);
    } else {
        s.stored = s.bins;
        s.range = QCPRange(firstCentre, firstCentre + (s.bins - 1) * perBin);
    }
    return s;
}

// Both sides of a map of rows x cols cells in bins of at least one cell.
struct Layout {
    int columnsPerBin, rowsPerBin;
    Side keys, rows;
};

// Sizes `d` for rows x cols cells in bins; nothing (and no cells) when the
// map is empty.
std::optional<Layout> begin(QCPColorMapData& d, int rows, int cols, int columnsPerBin, int rowsPerBin) {
    if (rows == 0 || cols == 0) {
        d.setSize(0, 0);
        return std::nullopt;
    }
    Layout l{std::max(1, columnsPerBin), std::max(1, rowsPerBin), {}, {}};
    l.keys = side(cols, l.columnsPerBin);
    l.rows = side(rows, l.rowsPerBin);
    d.setSize(l.keys.stored, l.rows.stored);
    d.setRange(l.keys.range, l.rows.range);
    return l;
}

// Sum and count of the numbers (not NaN) among row[0..n), in eight
// independent lanes so that the compiler can vectorise the loop (a single
// running sum cannot be reordered without -ffast-math). Float lanes: the
// result is a display value, the mean of at most a few hundred cells.
double sumOfNumbers(const float* row, int n, int& count) {
    float lane[8] = {};
    int lanes[8] = {};
    int c = 0;
    for (; c + 8 <= n; c += 8)
        for (int j = 0; j < 8; ++j) {
            const float v = row[c + j];
            const bool number = v == v;
            lane[j] += number ? v : 0.0f;
            lanes[j] += number;
        }
    double sum = 0;
    for (int j = 0; j < 8; ++j) sum += lane[j], count += lanes[j];
    for (; c < n; ++c)
        if (row[c] == row[c]) sum += row[c], ++count;
    return sum;
}

}  // namespace

BinnedMapData::BinnedMapData() : QCPColorMapData(0, 0, QCPRange(0, 1), QCPRange(0, 1)) {}

void BinnedMapData::assign(const lstmscope::Matrix& values, int columnsPerBin, int rowsPerBin) {
    const int rows = static_cast<int>(values.rows()), cols = static_cast<int>(values.cols());
    const auto layout = begin(*this, rows, cols, columnsPerBin, rowsPerBin);
    if (!layout) return;
    columnsPerBin = layout->columnsPerBin;
    rowsPerBin = layout->rowsPerBin;
    const Side &keys = layout->keys, &rowsSide = layout->rows;
    // Straight into the cells: setCell() per cell (bounds checks, bounds
    // update) was most of a 5,000-token redraw of the gates view.
    double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
    if (columnsPerBin == 1 && rowsPerBin == 1 && keys.bins > 1 && rowsSide.bins > 1) {
        // One cell per value (up to a few hundred tokens): a copy, without
        // the bin loops' per-cell bookkeeping.
        const float* in = values.data();
        for (size_t k = 0, n = static_cast<size_t>(rows) * cols; k < n; ++k) {
            const double v = in[k];
            mData[k] = v;
            if (!std::isnan(v)) lowest = std::min(lowest, v), highest = std::max(highest, v);
        }
        mDataBounds = lowest <= highest ? QCPRange(lowest, highest) : QCPRange(0, 0);
        mDataModified = true;
        return;
    }
    // Per bin: the sum and count of its numbers (not NaN); at 5,000 tokens
    // the six gate maps bin 3 million cells per keystroke.
    for (int rb = 0; rb < rowsSide.bins; ++rb) {
        const int r0 = rb * rowsPerBin, r1 = std::min(rows, r0 + rowsPerBin);
        double* out = mData + static_cast<size_t>(rb) * mKeySize;
        for (int cb = 0; cb < keys.bins; ++cb) {
            const int c0 = cb * columnsPerBin, c1 = std::min(cols, c0 + columnsPerBin);
            double sum = 0;
            int count = 0;
            for (int r = r0; r < r1; ++r)
                sum += sumOfNumbers(values.data() + static_cast<size_t>(r) * cols + c0, c1 - c0, count);
            const double v = count ? sum / count : std::numeric_limits<double>::quiet_NaN();
            out[cb] = v;
            if (count) lowest = std::min(lowest, v), highest = std::max(highest, v);
        }
        if (keys.bins == 1) out[1] = out[0];
    }
    if (rowsSide.bins == 1) std::copy(mData, mData + mKeySize, mData + mKeySize);
    mDataBounds = lowest <= highest ? QCPRange(lowest, highest) : QCPRange(0, 0);
    mDataModified = true;
}

void BinnedMapData::assignColumns(const lstmscope::Matrix& columns, int columnsPerBin, int rowsPerBin) {
    const int cols = static_cast<int>(columns.rows()), rows = static_cast<int>(columns.cols());
    const auto layout = begin(*this, rows, cols, columnsPerBin, rowsPerBin);
    if (!layout) return;
    columnsPerBin = layout->columnsPerBin;
    rowsPerBin = layout->rowsPerBin;
    const Side &keys = layout->keys, &rowsSide = layout->rows;
    double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
    // Per column bin: each row's sum and count over the bin's columns (one
    // pass down contiguous rows of `columns`, vectorised across the map's
    // rows), then the row bins of those.
    std::vector<float> sum(static_cast<size_t>(rows));
    std::vector<int> count(static_cast<size_t>(rows));
    for (int cb = 0; cb < keys.bins; ++cb) {
        const int c0 = cb * columnsPerBin, c1 = std::min(cols, c0 + columnsPerBin);
        std::fill(sum.begin(), sum.end(), 0.0f);
        std::fill(count.begin(), count.end(), 0);
        float* s = sum.data();
        int* n = count.data();
        for (int c = c0; c < c1; ++c) {
            const float* in = columns.data() + static_cast<size_t>(c) * rows;
            for (int r = 0; r < rows; ++r) {
                const float v = in[r];
                const bool number = v == v;
                s[r] += number ? v : 0.0f;
                n[r] += number;
            }
        }
        for (int rb = 0; rb < rowsSide.bins; ++rb) {
            const int r0 = rb * rowsPerBin, r1 = std::min(rows, r0 + rowsPerBin);
            double total = 0;
            int numbers = 0;
            for (int r = r0; r < r1; ++r) total += s[r], numbers += n[r];
            const double v = numbers ? total / numbers : std::numeric_limits<double>::quiet_NaN();
            mData[static_cast<size_t>(rb) * mKeySize + cb] = v;
            if (numbers) lowest = std::min(lowest, v), highest = std::max(highest, v);
        }
    }
    if (keys.bins == 1)
        for (int rb = 0; rb < rowsSide.bins; ++rb) mData[static_cast<size_t>(rb) * mKeySize + 1] = mData[static_cast<size_t>(rb) * mKeySize];
    if (rowsSide.bins == 1) std::copy(mData, mData + mKeySize, mData + mKeySize);
    mDataBounds = lowest <= highest ? QCPRange(lowest, highest) : QCPRange(0, 0);
    mDataModified = true;
}
