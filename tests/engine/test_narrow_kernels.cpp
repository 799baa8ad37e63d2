// The kernels of a narrow attention head (engine/kernels/narrow_scores.h,
// narrow_product.h) and the softmax with a known maximum: against double
// references, the two vector paths held to the same bits, the scores to the
// bits of the packed product the rows on demand use, and the softmax to the
// bits of the one that looks for its maximum. Shapes: key counts around the
// 16-lane chunks and 32-key panels (and 0), row counts around the 8-row and
// 2-row groups, every depth and width up to 16.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "engine/kernels/narrow_product.h"
#include "engine/kernels/narrow_scores.h"
#include "engine/kernels/packed_gemm.h"
#include "engine/kernels/softmax.h"
#include "test_support.h"

namespace {

using lstmscope::Matrix;
using lstmscope::kernels::Isa;
using lstmscope::kernels::NarrowProduct;
using lstmscope::kernels::NarrowScores;
using lstmscope::kernels::PackedGemm;
using lstmscope::testing::random_matrix;

std::vector<Isa> vector_paths_here() {
    std::vector<Isa> paths;
    for (Isa isa : {Isa::Avx2, Isa::Avx512})
        if (isa <= lstmscope::kernels::machine_isa()) paths.push_back(isa);
    return paths;
}

const int kKeyCounts[] = {1, 7, 8, 15, 16, 17, 31, 32, 33, 48, 100, 257};

// Rows of Q K^T through NarrowScores, with their maxima.
struct Scored {
    Matrix s;
    std::vector<float> top;
};
Scored narrow_scores(const Matrix& q, const Matrix& k, Isa isa) {
    const NarrowScores scores(k, isa);
    Scored out{Matrix::Constant(q.rows(), k.rows(), 7.0f), std::vector<float>(static_cast<size_t>(q.rows()), 7.0f)};
    scores.scores(q.data(), static_cast<int>(q.cols()), static_cast<int>(q.rows()), out.s.data(),
                  static_cast<int>(out.s.cols()), out.top.data());
    return out;
}

TEST(NarrowScores, GivesThePackedProductsBitsAndEachRowsMaximum) {
    if (vector_paths_here().empty()) GTEST_SKIP() << "this CPU has neither AVX2 nor AVX-512";
    for (int hd : {1, 3, 8, 16})
        for (int T : kKeyCounts)
            for (int rows : {1, 3, 4, 8, 9, 13, 17}) {
                const Matrix q = random_matrix(rows, hd, static_cast<unsigned>(rows * 31 + hd), 1.0f);
                const Matrix k = random_matrix(T, hd, static_cast<unsigned>(T * 7 + hd), 1.0f);
                const Eigen::MatrixXd ref = q.cast<double>() * k.cast<double>().transpose();
                for (Isa isa : vector_paths_here()) {
                    SCOPED_TRACE(testing::Message() << "hd " << hd << ", T " << T << ", rows " << rows << ", "
                                                    << lstmscope::kernels::isa_name(isa));
                    const NarrowScores scores(k, isa);
                    ASSERT_TRUE(scores.usable());
                    EXPECT_EQ(scores.keys(), T);
                    EXPECT_EQ(scores.depth(), hd);
                    const Scored got = narrow_scores(q, k, isa);
                    const Matrix packed = PackedGemm(Matrix(k.transpose()), isa)(q);
                    EXPECT_TRUE((got.s.array() == packed.array()).all());
                    for (int i = 0; i < rows; ++i) {
                        EXPECT_EQ(got.top[static_cast<size_t>(i)], got.s.row(i).maxCoeff()) << "row " << i;
                        for (int j = 0; j < T; ++j)
                            ASSERT_NEAR(got.s(i, j), ref(i, j), 1e-5 * (1 + std::abs(ref(i, j))));
                    }
                }
            }
}

// Rows written where asked (row strides past the key count) and nothing
// past the last key of a row: the padding lanes of the last chunk and panel
// are computed but never stored or counted.
TEST(NarrowScores, WritesOnlyItsRowsKeysAndCountsNoPaddingInTheMaximum) {
    for (Isa isa : vector_paths_here()) {
        const int T = 19, hd = 5, rows = 11, lds = 40;
        // Every score negative: a padding lane (0) counted in the maximum
        // would show.
        const Matrix q = random_matrix(rows, hd, 3, 1.0f).cwiseAbs();
        const Matrix k = -random_matrix(T, hd, 4, 1.0f).cwiseAbs();
        std::vector<float> s(static_cast<size_t>(rows) * lds, 12345.0f), top(rows, 0.0f);
        NarrowScores(k, isa).scores(q.data(), hd, rows, s.data(), lds, top.data());
        const Matrix want = q * k.transpose();
        for (int i = 0; i < rows; ++i) {
            for (int j = 0; j < lds; ++j) {
                const float got = s[static_cast<size_t>(i) * lds + j];
                if (j < T)
                    EXPECT_NEAR(got, want(i, j), 1e-5f) << i << "," << j;
                else
                    EXPECT_EQ(got, 12345.0f) << i << "," << j << " " << lstmscope::kernels::isa_name(isa);
            }
            EXPECT_LT(top[static_cast<size_t>(i)], 0.0f);
        }
    }
}

TEST(NarrowScores, DeeperHeadsAreLeftToThePackedPath) {
    EXPECT_FALSE(NarrowScores(random_matrix(10, 17, 1, 1.0f)).usable());
    EXPECT_FALSE(NarrowScores(random_matrix(10, 8, 1, 1.0f), Isa::Plain).usable());
}

TEST(NarrowProduct, MatchesTheReferenceOnEveryPath) {
    for (int N : {1, 3, 4, 5, 8, 9, 12, 16})
        for (int K : kKeyCounts)
            for (int M : {1, 2, 3, 8, 9}) {
                const Matrix a = random_matrix(M, K, static_cast<unsigned>(M + K * 3), 1.0f);
                const Matrix v = random_matrix(K, N, static_cast<unsigned>(N * 11 + K), 1.0f);
                const Eigen::MatrixXd ref = a.cast<double>() * v.cast<double>();
                for (Isa isa : {Isa::Plain, Isa::Avx2, Isa::Avx512}) {
                    if (isa > lstmscope::kernels::machine_isa()) continue;
                    const NarrowProduct product(v, isa);
                    EXPECT_EQ(product.vector_path(), isa != Isa::Plain);
                    Matrix c = Matrix::Constant(2, 2, 5.0f);  // replaced, whatever it held
                    product.multiply(a, c);
                    ASSERT_EQ(c.rows(), M);
                    ASSERT_EQ(c.cols(), N);
                    for (int i = 0; i < M; ++i)
                        for (int j = 0; j < N; ++j)
                            ASSERT_NEAR(c(i, j), ref(i, j), 1e-5 * (1 + std::abs(ref(i, j))))
                                << M << "x" << K << "x" << N << " at " << i << "," << j << " "
                                << lstmscope::kernels::isa_name(isa);
                }
            }
}

// Sixteen lanes summed in the same order on both paths, however the rows
// are grouped (pairs on AVX-512, one at a time on AVX2; an odd last row)
// and however many columns a pass takes (8 or 4).
TEST(NarrowProduct, BothVectorPathsAndEveryRowGroupingGiveTheSameBits) {
    if (lstmscope::kernels::machine_isa() < Isa::Avx512) GTEST_SKIP() << "this CPU has no AVX-512";
    for (int N : {1, 7, 8, 13, 16})
        for (int K : {5, 16, 33, 1000}) {
            const Matrix a = random_matrix(7, K, static_cast<unsigned>(K), 1.0f);
            const Matrix v = random_matrix(K, N, static_cast<unsigned>(N + 40), 1.0f);
            const Matrix avx2 = [&] {
                Matrix c;
                NarrowProduct(v, Isa::Avx2).multiply(a, c);
                return c;
            }();
            const NarrowProduct avx512(v, Isa::Avx512);
            Matrix all;
            avx512.multiply(a, all);
            EXPECT_TRUE((avx2.array() == all.array()).all()) << K << "x" << N;
            // Row 3 alone (an odd row, paired with itself), written into a
            // wider output.
            Matrix wide = Matrix::Zero(1, N + 3);
            avx512.multiply_rows(a.row(3).data(), K, 1, wide.data() + 2, N + 3);
            EXPECT_TRUE((wide.middleCols(2, N).array() == all.row(3).array()).all()) << K << "x" << N;
            EXPECT_EQ(wide(0, 0), 0.0f);
            EXPECT_EQ(wide(0, N + 2), 0.0f);
        }
}

TEST(NarrowProduct, WiderValuesGoThroughEigen) {
    const Matrix v = random_matrix(20, 17, 2, 1.0f);
    const NarrowProduct product(v);
    EXPECT_FALSE(product.vector_path());
    Matrix c;
    product.multiply(random_matrix(3, 20, 1, 1.0f), c);
    EXPECT_EQ(c.cols(), 17);
}

// A known maximum leaves out the pass that looks for it, and nothing else:
// the same weights and summary sums, bit for bit, on every path, with
// masked entries and an all-masked row.
TEST(KernelSoftmax, AKnownMaximumGivesTheSameBits) {
    const float minus_inf = -std::numeric_limits<float>::infinity();
    for (Isa isa : {Isa::Plain, Isa::Avx2, Isa::Avx512}) {
        if (isa > lstmscope::kernels::machine_isa()) continue;
        for (int n : {1, 15, 16, 17, 100, 5000}) {
            const Matrix x = random_matrix(1, n, static_cast<unsigned>(n), 4.0f);
            std::vector<float> row(x.data(), x.data() + n);
            if (n > 3) row[2] = minus_inf;
            std::vector<float> a = row, b = row, acc_a(static_cast<size_t>(n), 0.5f), acc_b = acc_a;
            float top = minus_inf;
            for (float v : row) top = std::max(top, v);
            lstmscope::kernels::softmax_row(a.data(), n, isa, acc_a.data(), false);
            lstmscope::kernels::softmax_row_from_max(b.data(), n, top, acc_b.data(), false, isa);
            EXPECT_EQ(a, b) << n << " " << lstmscope::kernels::isa_name(isa);
            EXPECT_EQ(acc_a, acc_b) << n << " " << lstmscope::kernels::isa_name(isa);
        }
        std::vector<float> masked(20, minus_inf);
        lstmscope::kernels::softmax_row_from_max(masked.data(), 20, minus_inf, nullptr, false, isa);
        EXPECT_EQ(masked, std::vector<float>(20, 0.0f));
    }
}

}  // namespace
