// What a long text keeps of an attention instead of its weights.
//
// An attention over T tokens has heads x T x T weights: 12.8 GB at T =
// 20,000 with 8 heads. When a run does not record a node's matrices
// (RunOptions::attention_record_limit, attention_first/end) it keeps
// instead, per node, the few T x d matrices the scores are made of (an
// AttentionSource, a few MB), from which any rows can be recomputed exactly
// by the op's own code, and a summary of the whole matrix at a fixed
// resolution (AttentionSummary), which the run fills while the weights pass
// through it anyway. A view then shows the summary for the whole text and
// asks the source for the exact rows it has room for.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/matrix.h"

namespace lstmscope {

class AttentionSource {
public:
    virtual ~AttentionSource() = default;
    virtual int heads() const = 0;
    virtual int rows() const = 0;     // query rows T_q
    virtual int columns() const = 0;  // keys T_k
    // The scores before the softmax of query rows [first, first + count) of
    // one head, count x T_k: scale applied, masked entries -infinity (what
    // NodeTrace::scores records). Computed the same way the run computed them.
    virtual void scores(int head, int first, int count, Matrix& out) const = 0;
    // The weights of those rows (the softmax of their scores): exactly what
    // a run recording them would have put in NodeTrace::attention.
    Matrix weights(int head, int first, int count) const;
    // The average over the heads of those rows' weights.
    Matrix head_average(int first, int count) const;
};

// The whole matrix of each head at a resolution of at most bins x bins.
// Query row r falls in row bin bin_of(r, rows, row_bins()), key k in column
// bin bin_of(k, columns, column_bins()); cell (a, b) is the attention the
// queries of bin a give, on average, to the keys of bin b together: the
// mean over the bin's rows of the sum over the bin's columns. So every row
// of the summary sums to 1, like a row of weights, and a cell reads as a
// share of attention.
struct AttentionSummary {
    int rows = 0, columns = 0;   // of the full matrix
    std::vector<Matrix> heads;   // row_bins x column_bins each
    int row_bins() const { return heads.empty() ? 0 : static_cast<int>(heads.front().rows()); }
    int column_bins() const { return heads.empty() ? 0 : static_cast<int>(heads.front().cols()); }
    bool empty() const { return heads.empty(); }
    Matrix head_average() const;

    // Bin of index i of n split into `bins` (bins <= n): floor(i * bins / n).
    static int bin_of(int i, int n, int bins);
    // First index of bin b (b == bins gives n): ceil(b * n / bins).
    static int bin_first(int b, int n, int bins);
};

// Fills an AttentionSummary block by block as a run computes the weights.
class SummaryBuilder {
public:
    // rows x columns matrices, `heads` of them, at most `bins` bins a side.
    SummaryBuilder(int heads, int rows, int columns, int bins);
    // Adds weights of query rows [first_row, first_row + block.rows()) of
    // one head. Blocks may come from several threads, in any order: each
    // block's rows are summed per row bin here, and finish() adds those sums
    // up in row order, so the summary has the same bits however a run
    // spread its blocks over threads.
    void add(int head, const Matrix& block, int first_row);
    // The softmax of each row of `block` (scores in, weights out, as
    // ops::softmax_rows), added as add() would add them, in the same pass
    // (kernels::softmax_row with a sum): the same weights and summary bits.
    void softmax_and_add(int head, Matrix& block, int first_row);
    // Query rows [first_row, first_row + rows) of one head, `columns` keys
    // wide, made by the caller as they are asked for, in order:
    // add_row(i, acc, first) computes row i and puts it into acc as
    // kernels::softmax_row's sum_into does (acc = row if first, else
    // acc += row). For a caller that makes a few rows at a time and
    // finishes each while it is in the core's cache.
    void add_rows(int head, int first_row, int rows, int columns,
                  const std::function<void(int, float*, bool)>& add_row);
    AttentionSummary finish();

private:
    // Sums rows [first_row, first_row + rows) per row bin into a Part:
    // add_row(i, acc, first) puts row i into acc (acc = row if first, else
    // acc += row).
    template <class AddRow>
    void sum_rows(int head, int first_row, int rows, int columns, AddRow add_row);
    // One block's sums: row bins [first_bin, first_bin + sums.rows()) of a head.
    struct Part {
        int head, first_row, first_bin;
        Matrix sums;
    };
    AttentionSummary summary_;
    std::vector<int> column_first_;  // bin b covers columns [column_first_[b], column_first_[b + 1])
    std::unique_ptr<std::mutex> parts_mutex_ = std::make_unique<std::mutex>();
    std::vector<Part> parts_;
};

}  // namespace lstmscope
