#include "engine/attention_source.h"

#include <algorithm>

#include "engine/kernels/softmax.h"

namespace lstmscope {

Matrix AttentionSource::weights(int head, int first, int count) const {
    Matrix m;
    scores(head, first, count, m);
    for (Eigen::Index r = 0; r < m.rows(); ++r) kernels::softmax_row(m.row(r).data(), static_cast<int>(m.cols()));
    return m;
}

Matrix AttentionSource::head_average(int first, int count) const {
    Matrix sum = Matrix::Zero(count, columns());
    for (int h = 0; h < heads(); ++h) sum += weights(h, first, count);
    return sum / static_cast<float>(std::max(1, heads()));
}

Matrix AttentionSummary::head_average() const {
    if (heads.empty()) return {};
    Matrix sum = Matrix::Zero(heads.front().rows(), heads.front().cols());
    for (const auto& h : heads) sum += h;
    return sum / static_cast<float>(heads.size());
}

int AttentionSummary::bin_of(int i, int n, int bins) {
    return static_cast<int>(static_cast<int64_t>(i) * bins / std::max(1, n));
}

int AttentionSummary::bin_first(int b, int n, int bins) {
    return static_cast<int>((static_cast<int64_t>(b) * n + bins - 1) / std::max(1, bins));
}

SummaryBuilder::SummaryBuilder(int heads, int rows, int columns, int bins) {
    summary_.rows = rows;
    summary_.columns = columns;
    const int rb = std::clamp(bins, 1, std::max(1, rows)), cb = std::clamp(bins, 1, std::max(1, columns));
    summary_.heads.assign(static_cast<size_t>(heads), Matrix::Zero(rb, cb));
    column_first_.resize(static_cast<size_t>(cb) + 1);
    for (int b = 0; b <= cb; ++b) column_first_[static_cast<size_t>(b)] = AttentionSummary::bin_first(b, columns, cb);
}

template <class AddRow>
void SummaryBuilder::sum_rows(int head, int first_row, int rows, int columns, AddRow add_row) {
    if (rows <= 0) return;
    const int rb = summary_.row_bins(), cb = summary_.column_bins();
    const int last_row = first_row + rows - 1;
    Part part{head, first_row, AttentionSummary::bin_of(first_row, summary_.rows, rb), Matrix()};
    part.sums.setZero(AttentionSummary::bin_of(last_row, summary_.rows, rb) - part.first_bin + 1, cb);
    // The rows of one row bin are added up first (one vectorised pass over
    // each row), and the sum is split into column bins once per bin and
    // block: splitting every row cost more than the softmax at T = 20,000.
    RowVector acc(columns);
    int acc_bin = -1;
    auto flush = [&] {
        if (acc_bin < 0) return;
        for (int b = 0; b < cb; ++b) {
            const int first = column_first_[static_cast<size_t>(b)];
            part.sums(acc_bin - part.first_bin, b) =
                acc.segment(first, column_first_[static_cast<size_t>(b) + 1] - first).sum();
        }
    };
    for (int i = 0; i < rows; ++i) {
        const int bin = AttentionSummary::bin_of(first_row + i, summary_.rows, rb);
        const bool first = bin != acc_bin;
        if (first) {
            flush();
            acc_bin = bin;
        }
        add_row(i, acc.data(), first);
    }
    flush();
    const std::lock_guard<std::mutex> lock(*parts_mutex_);
    parts_.push_back(std::move(part));
}

void SummaryBuilder::add(int head, const Matrix& block, int first_row) {
    const int rows = static_cast<int>(block.rows()), columns = static_cast<int>(block.cols());
    sum_rows(head, first_row, rows, columns, [&](int i, float* acc, bool first) {
        Eigen::Map<RowVector> sum(acc, block.cols());
        if (first)
            sum = block.row(i);
        else
            sum += block.row(i);
    });
}

void SummaryBuilder::softmax_and_add(int head, Matrix& block, int first_row) {
    const int n = static_cast<int>(block.cols());
    sum_rows(head, first_row, static_cast<int>(block.rows()), n, [&](int i, float* acc, bool first) {
        kernels::softmax_row(block.row(i).data(), n, acc, first);
    });
}

void SummaryBuilder::add_rows(int head, int first_row, int rows, int columns,
                              const std::function<void(int, float*, bool)>& add_row) {
    sum_rows(head, first_row, rows, columns, add_row);
}

AttentionSummary SummaryBuilder::finish() {
    // The blocks' sums in row order (a row bin cut by a block boundary gets
    // its two parts in the same order on any number of threads).
    std::sort(parts_.begin(), parts_.end(), [](const Part& a, const Part& b) {
        return a.head != b.head ? a.head < b.head : a.first_row < b.first_row;
    });
    for (const Part& p : parts_)
        summary_.heads[static_cast<size_t>(p.head)].middleRows(p.first_bin, p.sums.rows()) += p.sums;
    parts_.clear();
    // Sums over each bin's rows become means.
    for (auto& s : summary_.heads) {
        const int rb = static_cast<int>(s.rows());
        for (int b = 0; b < rb; ++b) {
            const int n = AttentionSummary::bin_first(b + 1, summary_.rows, rb) -
                          AttentionSummary::bin_first(b, summary_.rows, rb);
            if (n > 0) s.row(b) /= static_cast<float>(n);
        }
    }
    return std::move(summary_);
}

}  // namespace lstmscope
