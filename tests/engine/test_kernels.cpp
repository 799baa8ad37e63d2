// engine/kernels against double-precision references: the packed
// matrix-vector product of the LSTM time loop (shapes with and without a
// partial last panel, panel groups with and without a remainder, in both
// panel orders, every path the machine has: AVX-512, AVX2 + FMA, the plain
// loop always, adding into what y already holds) and the packed matrix
// product of the projections (row counts not a multiple of 6 or 8, column
// counts not a multiple of 16 or 48, depths past one 256-deep pass, more
// rows than one 240-row pass, no rows at all), and the two vector paths
// held to the same bits.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "engine/kernels/packed_gemm.h"
#include "engine/kernels/packed_gemv.h"
#include "engine/kernels/softmax.h"
#include "test_support.h"

namespace {

using lstmscope::Matrix;
using lstmscope::kernels::Isa;
using lstmscope::kernels::PackedGemv;
using lstmscope::testing::random_matrix;

// Every path this machine can run, the plain one first.
std::vector<Isa> paths_here() {
    std::vector<Isa> paths = {Isa::Plain};
    for (Isa isa : {Isa::Avx2, Isa::Avx512})
        if (isa <= lstmscope::kernels::machine_isa()) paths.push_back(isa);
    return paths;
}

TEST(PackedGemv, MatchesTheReferenceOnEveryShapeAndPath) {
    // 4H for H = 1, 8, 64, 100, 256, 80: one panel partly used, exact
    // panels, several panels with a tail, groups of four panels with and
    // without a remainder (5 panels), a tail after whole groups.
    for (auto [K, N] : {std::pair{1, 4}, std::pair{8, 32}, std::pair{64, 256}, std::pair{100, 400},
                        std::pair{256, 1024}, std::pair{37, 130}, std::pair{80, 320}, std::pair{9, 300}}) {
        const Matrix w = random_matrix(K, N, static_cast<unsigned>(K + N), 0.3f);
        const Matrix x = random_matrix(1, K, 5, 1.0f);
        const Matrix y0 = random_matrix(1, N, 6, 1.0f);
        for (Isa isa : paths_here())
            for (bool reverse : {false, true}) {
                const PackedGemv packed(w, isa);
                EXPECT_EQ(packed.rows(), K);
                EXPECT_EQ(packed.cols(), N);
                EXPECT_EQ(packed.isa(), isa);
                std::vector<float> y(y0.data(), y0.data() + N);
                packed.accumulate(x.data(), y.data(), reverse);
                for (int j = 0; j < N; ++j) {
                    double ref = y0(0, j);
                    for (int k = 0; k < K; ++k) ref += double(x(0, k)) * double(w(k, j));
                    ASSERT_NEAR(y[static_cast<size_t>(j)], ref, 1e-5 * (1 + std::abs(ref)))
                        << K << "x" << N << " column " << j << " " << lstmscope::kernels::isa_name(isa)
                        << (reverse ? " reversed" : "");
                }
            }
    }
}

// The panel order and the vector width never change a bit: each output is
// summed over k in the same order with FMA on both vector paths. (The LSTM
// time loop alternates the order, and one machine's AVX-512 must give what
// another's AVX2 gives.)
TEST(PackedGemv, PanelOrderAndVectorWidthGiveTheSameBits) {
    for (auto [K, N] : {std::pair{256, 1024}, std::pair{37, 130}, std::pair{80, 320}, std::pair{512, 2048}}) {
        const Matrix w = random_matrix(K, N, static_cast<unsigned>(3 * K + N), 0.3f);
        const Matrix x = random_matrix(1, K, 15, 1.0f);
        std::vector<std::vector<float>> results;
        for (Isa isa : paths_here()) {
            if (isa == Isa::Plain) {
                std::vector<float> a(static_cast<size_t>(N), 0.5f), b = a;
                PackedGemv(w, isa).accumulate(x.data(), a.data(), false);
                PackedGemv(w, isa).accumulate(x.data(), b.data(), true);
                EXPECT_EQ(a, b) << K << "x" << N << " plain";
                continue;
            }
            for (bool reverse : {false, true}) {
                std::vector<float> y(static_cast<size_t>(N), 0.5f);
                PackedGemv(w, isa).accumulate(x.data(), y.data(), reverse);
                results.push_back(y);
            }
        }
        for (size_t r = 1; r < results.size(); ++r) EXPECT_EQ(results[r], results[0]) << K << "x" << N << " #" << r;
    }
}

// Columns past N in the last panel are padding: nothing beyond y[N) is
// written (a canary after the end stays as it was).
TEST(PackedGemv, WritesNothingPastTheLastColumn) {
    const Matrix w = random_matrix(16, 70, 9, 0.5f);
    const Matrix x = random_matrix(1, 16, 10, 1.0f);
    std::vector<float> y(71, 0.0f);
    y[70] = 12345.0f;
    PackedGemv(w).accumulate(x.data(), y.data());
    EXPECT_EQ(y[70], 12345.0f);
}

TEST(PackedGemm, MatchesTheReferenceOnEveryShape) {
    using lstmscope::kernels::PackedGemm;
    struct Case {
        int M, K, N;
    };
    for (const Case c : {Case{1, 1, 1}, Case{6, 16, 16}, Case{7, 33, 17}, Case{32, 64, 256}, Case{300, 520, 70},
                         Case{245, 12, 512}, Case{5, 700, 3}, Case{9, 40, 96}, Case{17, 300, 100},
                         Case{13, 600, 8}, Case{9, 300, 12}, Case{25, 257, 5}, Case{70, 90, 16}}) {
        const Matrix a = random_matrix(c.M, c.K, static_cast<unsigned>(c.M * 7 + c.K), 1.0f);
        const Matrix w = random_matrix(c.K, c.N, static_cast<unsigned>(c.N * 3 + c.K), 0.2f);
        const Eigen::MatrixXd ref = a.cast<double>() * w.cast<double>();
        for (Isa isa : paths_here()) {
            const PackedGemm packed(w, isa);
            EXPECT_EQ(packed.isa(), isa);
            Matrix out = Matrix::Constant(3, 3, 99.0f);  // replaced, whatever it held
            packed.multiply(a, out);
            ASSERT_EQ(out.rows(), c.M);
            ASSERT_EQ(out.cols(), c.N);
            for (int i = 0; i < c.M; ++i)
                for (int j = 0; j < c.N; ++j)
                    ASSERT_NEAR(out(i, j), ref(i, j), 1e-5 * (1 + std::abs(ref(i, j))))
                        << c.M << "x" << c.K << "x" << c.N << " at " << i << "," << j << " "
                        << lstmscope::kernels::isa_name(isa);
        }
    }
    const PackedGemm packed(random_matrix(8, 20, 1, 1.0f));
    const Matrix none(0, 8);
    EXPECT_EQ(packed(none).rows(), 0);
    EXPECT_EQ(packed(none).cols(), 20);
}

// AVX-512's 8 x 48 and 8 x 32 blocks and AVX2's 6 x 16 sum every output in the same
// order (passes of 256 over k, FMA within a pass): the same bits, on shapes
// with row and column remainders for both and depths past one pass.
TEST(PackedGemm, BothVectorPathsGiveTheSameBits) {
    using lstmscope::kernels::PackedGemm;
    if (lstmscope::kernels::machine_isa() < Isa::Avx512) GTEST_SKIP() << "this CPU has no AVX-512";
    struct Case {
        int M, K, N;
    };
    for (const Case c : {Case{256, 128, 1024}, Case{301, 520, 70}, Case{7, 2000, 300}, Case{1000, 64, 48},
                         Case{301, 520, 8}, Case{300, 600, 64}, Case{50, 300, 256}, Case{77, 5000, 3},
                         Case{33, 700, 13}, Case{40, 300, 16}}) {
        const Matrix a = random_matrix(c.M, c.K, static_cast<unsigned>(c.M + 2 * c.K), 1.0f);
        const Matrix w = random_matrix(c.K, c.N, static_cast<unsigned>(c.N + 5), 0.2f);
        const Matrix avx2 = PackedGemm(w, Isa::Avx2)(a);
        const Matrix avx512 = PackedGemm(w, Isa::Avx512)(a);
        EXPECT_TRUE((avx2.array() == avx512.array()).all()) << c.M << "x" << c.K << "x" << c.N;
    }
}

// A column's bits do not depend on the columns beside it: a narrow W
// (a head's 8 values, through the 8- and 16-wide kernels; 64 values and
// the like through the 32-wide one) gives exactly the first columns of the
// same product with more columns (96: the 48-wide kernel), in passes over
// k past one.
TEST(PackedGemm, NarrowKernelsGiveTheBitsOfTheWideOnes) {
    using lstmscope::kernels::PackedGemm;
    const Matrix a = random_matrix(61, 700, 21, 1.0f);
    const Matrix wide = random_matrix(700, 96, 22, 0.2f);
    for (Isa isa : paths_here()) {
        if (isa == Isa::Plain) continue;
        const Matrix all = PackedGemm(wide, isa)(a);
        for (int n : {1, 5, 8, 9, 16, 17, 30, 40, 64, 70}) {
            const Matrix some = PackedGemm(Matrix(wide.leftCols(n)), isa)(a);
            EXPECT_TRUE((some.array() == all.leftCols(n).array()).all())
                << n << " columns, " << lstmscope::kernels::isa_name(isa);
        }
    }
}

// Rows split into bands, one per thread: every row summed as on one thread,
// so identical bits, on shapes past kParallelWork whose row count does and
// does not divide into 6-row blocks and bands (and more threads than blocks).
TEST(PackedGemm, BandsOnSeveralThreadsGiveTheSameBits) {
    using lstmscope::kernels::PackedGemm;
    struct Case {
        int M, K, N;
    };
    for (const Case c : {Case{256, 128, 256}, Case{301, 100, 70}, Case{7, 2000, 300}, Case{1000, 64, 48}}) {
        ASSERT_GE(static_cast<double>(c.M) * c.K * c.N, PackedGemm::kParallelWork);
        const Matrix a = random_matrix(c.M, c.K, static_cast<unsigned>(c.M + c.K), 1.0f);
        const PackedGemm packed(random_matrix(c.K, c.N, static_cast<unsigned>(c.N), 0.2f));
        const Matrix one = packed(a, 1);
        for (int threads : {2, 3, 64}) {
            const Matrix many = packed(a, threads);
            ASSERT_EQ(many.rows(), c.M);
            ASSERT_EQ(many.cols(), c.N);
            EXPECT_TRUE((many.array() == one.array()).all()) << c.M << "x" << c.K << "x" << c.N << ", " << threads;
        }
    }
}

}  // namespace

// ---- softmax ---------------------------------------------------------------

using lstmscope::kernels::exp_in_place;
using lstmscope::kernels::softmax_row;
using lstmscope::kernels::softmax_row_plain;

TEST(KernelExp, WithinTwoUlpsOfDoubleExpOverTheNormalRange) {
    std::vector<float> x;
    for (float v = -87.3f; v < 88.3f; v += 0.0137f) x.push_back(v);
    for (float v : {0.0f, -0.0f, 1e-8f, -1e-8f, 0.34657359f, -0.34657359f, 88.0f, -87.0f}) x.push_back(v);
    std::vector<float> y = x;
    exp_in_place(y.data(), static_cast<int>(y.size()));
    for (size_t j = 0; j < x.size(); ++j) {
        const double want = std::exp(static_cast<double>(x[j]));
        EXPECT_NEAR(y[j], want, 2.5e-7 * want) << "exp(" << x[j] << ")";
    }
}

TEST(KernelExp, UnderflowAndMinusInfinityAreExactlyZeroAndNanStaysNan) {
    const float inf = std::numeric_limits<float>::infinity();
    std::vector<float> x = {-inf, -1e30f, -100.0f, -87.5f, std::nanf(""), -inf, -200.0f, -88.0f, -inf, 0.0f};
    exp_in_place(x.data(), static_cast<int>(x.size()));
    for (int j : {0, 1, 2, 3, 5, 6, 7, 8}) EXPECT_EQ(x[static_cast<size_t>(j)], 0.0f) << j;
    EXPECT_TRUE(std::isnan(x[4]));
    EXPECT_EQ(x[9], 1.0f);
}

// Both paths against a double-precision softmax, for every length from 1 to
// 40 (all tails of the eight-wide loop) and a long row; masked entries
// exactly 0.
TEST(KernelSoftmax, BothPathsMatchTheReferenceAndMaskExactly) {
    const float minus_inf = -std::numeric_limits<float>::infinity();
    std::vector<int> lengths;
    for (int n = 1; n <= 40; ++n) lengths.push_back(n);
    lengths.push_back(5003);
    for (int n : lengths) {
        const Matrix r = random_matrix(1, n, static_cast<unsigned>(n), 6.0f);
        std::vector<float> x(r.data(), r.data() + n);
        for (int j = 1; j < n; j += 3) x[static_cast<size_t>(j)] = minus_inf;  // masked, as a causal mask leaves them
        // The reference shifts in float, as every float softmax does (the
        // rounding of x - max is the input's, not the kernel's error).
        float top = minus_inf;
        for (float v : x) top = std::max(top, v);
        double sum = 0;
        for (float v : x) sum += std::exp(static_cast<double>(v - top));
        for (bool plain : {false, true}) {
            std::vector<float> y = x;
            if (plain)
                softmax_row_plain(y.data(), n);
            else
                softmax_row(y.data(), n);
            double total = 0;
            for (int j = 0; j < n; ++j) {
                const size_t s = static_cast<size_t>(j);
                total += y[s];
                if (x[s] == minus_inf) {
                    EXPECT_EQ(y[s], 0.0f) << "n=" << n << " j=" << j << (plain ? " plain" : " vectorised");
                    continue;
                }
                const double want = std::exp(static_cast<double>(x[s] - top)) / sum;
                EXPECT_NEAR(y[s], want, 5e-7 * want + 1e-30) << "n=" << n << " j=" << j << (plain ? " plain" : "");
            }
            EXPECT_NEAR(total, 1.0, 1e-5) << "n=" << n;
        }
    }
}

TEST(KernelSoftmax, AnAllMaskedRowIsAllZerosInBothPaths) {
    const float minus_inf = -std::numeric_limits<float>::infinity();
    for (int n : {1, 7, 8, 19}) {
        std::vector<float> a(static_cast<size_t>(n), minus_inf), b = a;
        softmax_row(a.data(), n);
        softmax_row_plain(b.data(), n);
        for (int j = 0; j < n; ++j) {
            EXPECT_EQ(a[static_cast<size_t>(j)], 0.0f);
            EXPECT_EQ(b[static_cast<size_t>(j)], 0.0f);
        }
    }
}

// The two vector widths sum the weights in sixteen lanes the same way, so
// AVX2 and AVX-512 give the same bits for every length (all tails of the
// sixteen-wide chunk, masked entries, a long row).
TEST(KernelSoftmax, Avx2AndAvx512GiveTheSameBits) {
    if (lstmscope::kernels::machine_isa() < Isa::Avx512) GTEST_SKIP() << "this CPU has no AVX-512";
    const float minus_inf = -std::numeric_limits<float>::infinity();
    std::vector<int> lengths;
    for (int n = 1; n <= 70; ++n) lengths.push_back(n);
    lengths.push_back(5003);
    for (int n : lengths) {
        const Matrix r = random_matrix(1, n, static_cast<unsigned>(n) + 7u, 8.0f);
        std::vector<float> x(r.data(), r.data() + n);
        for (int j = 2; j < n; j += 5) x[static_cast<size_t>(j)] = minus_inf;
        std::vector<float> a = x, b = x;
        softmax_row(a.data(), n, Isa::Avx2);
        softmax_row(b.data(), n, Isa::Avx512);
        for (int j = 0; j < n; ++j)
            ASSERT_EQ(a[static_cast<size_t>(j)], b[static_cast<size_t>(j)]) << "n=" << n << " j=" << j;
    }
    // Down to where exp(x - max) underflows: AVX2 builds 2^n in the exponent
    // field, AVX-512 scales by it (vscalefps); the weights of order 1e-38
    // near -87.3 (2^-126 and below, once divided by the sum) and the zeros
    // below must agree too.
    std::vector<float> x = {0.0f};
    for (float v = -88.0f; v < -80.0f; v += 0.003f) x.push_back(v);
    const int n = static_cast<int>(x.size());
    std::vector<float> a = x, b = x;
    softmax_row(a.data(), n, Isa::Avx2);
    softmax_row(b.data(), n, Isa::Avx512);
    int zeros = 0, tiny = 0;
    for (int j = 0; j < n; ++j) {
        const float w = a[static_cast<size_t>(j)];
        ASSERT_EQ(w, b[static_cast<size_t>(j)]) << "x=" << x[static_cast<size_t>(j)];
        zeros += w == 0.0f;
        tiny += w > 0.0f && w < 4 * std::numeric_limits<float>::min();
    }
    EXPECT_GT(zeros, 10);
    EXPECT_GT(tiny, 10);
}

// Both vector paths against the double reference too (the test above only
// ties them to each other), with an entry big enough to need the shift.
TEST(KernelSoftmax, EveryVectorPathMatchesTheReference) {
    for (Isa isa : {Isa::Avx2, Isa::Avx512}) {
        if (isa > lstmscope::kernels::machine_isa()) continue;
        for (int n : {1, 15, 16, 17, 33, 1000}) {
            const Matrix r = random_matrix(1, n, static_cast<unsigned>(n) + 3u, 5.0f);
            std::vector<float> x(r.data(), r.data() + n);
            x[0] = 95.0f;  // exp(95) overflows float: only the shifted form survives
            double sum = 0;
            for (float v : x) sum += std::exp(static_cast<double>(v - 95.0f));
            std::vector<float> y = x;
            softmax_row(y.data(), n, isa);
            for (int j = 0; j < n; ++j) {
                const double want = std::exp(static_cast<double>(x[static_cast<size_t>(j)] - 95.0f)) / sum;
                EXPECT_NEAR(y[static_cast<size_t>(j)], want, 5e-7 * want + 1e-30)
                    << lstmscope::kernels::isa_name(isa) << " n=" << n << " j=" << j;
            }
        }
    }
}

// The softmax that also adds its weights up for an attention summary gives
// the weights of the plain call, bit for bit, and sums with the bits of
// adding the rows afterwards (acc = first row, acc += each later one), on
// every path, for every tail of the sixteen-wide chunk, masked entries and
// an all-masked row.
TEST(KernelSoftmax, SummingOnTheWayChangesNoBit) {
    const float minus_inf = -std::numeric_limits<float>::infinity();
    for (Isa isa : paths_here()) {
        for (int n : {1, 7, 8, 15, 16, 17, 31, 33, 70, 5003}) {
            Matrix block = random_matrix(5, n, static_cast<unsigned>(n) + 11u, 6.0f);
            for (int j = 1; j < n; j += 4) block(2, j) = minus_inf;
            block.row(3).setConstant(minus_inf);
            Matrix plain = block, summed = block;
            std::vector<float> expected(static_cast<size_t>(n)), acc(static_cast<size_t>(n), 99.0f);
            for (int r = 0; r < block.rows(); ++r) {
                softmax_row(plain.row(r).data(), n, isa);
                for (int j = 0; j < n; ++j)
                    expected[static_cast<size_t>(j)] =
                        r == 0 ? plain(r, j) : expected[static_cast<size_t>(j)] + plain(r, j);
                softmax_row(summed.row(r).data(), n, isa, acc.data(), r == 0);
            }
            const char* path = lstmscope::kernels::isa_name(isa);
            EXPECT_TRUE((plain.array() == summed.array()).all()) << path << " n=" << n;
            for (int j = 0; j < n; ++j)
                ASSERT_EQ(acc[static_cast<size_t>(j)], expected[static_cast<size_t>(j)])
                    << path << " n=" << n << " j=" << j;
        }
    }
}
