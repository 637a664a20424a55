// ParetoFront: a hand-worked front, and on random tables every returned point is undominated by any
// of the exhaustively enumerated allocations, sorted, with both ends present.
#include "quant/ParetoFront.h"
#include "quant/QuantError.h"

#include <QtTest/QtTest>

#include <random>

using namespace dfq::quant;

namespace {
/// Every allocation of the table (|bits|^layers), with its size and Ω.
std::vector<BitAllocation> enumerate(const SensitivityTable& t) {
    std::vector<BitAllocation> all;
    std::vector<size_t> pick(t.layers.size(), 0);
    while (true) {
        BitAllocation a;
        for (size_t i = 0; i < pick.size(); ++i) {
            a.bits.push_back(t.bits[pick[i]]);
            a.sizeBits += t.weightCounts[i] * t.bits[pick[i]];
            a.totalOmega += t.omega[i][pick[i]];
        }
        all.push_back(a);
        size_t i = 0;
        while (i < pick.size() && ++pick[i] == t.bits.size())
            pick[i++] = 0;
        if (i == pick.size())
            break;
    }
    return all;
}
} // namespace

class TestParetoFront : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handWorked() {
        // Two layers of 10 weights, bits {2, 4}; Ω a {1.0, 0.1}, b {0.5, 0.4}.
        // (2,2): 40 bits, 1.5; (4,2): 60, 0.6; (2,4): 60, 1.4 (dominated); (4,4): 80, 0.5.
        SensitivityTable t;
        t.layers = {"a", "b"};
        t.weightCounts = {10, 10};
        t.bits = {2, 4};
        t.omega = {{1.0, 0.1}, {0.5, 0.4}};
        const auto f = paretoFront(t, 5);   // budgets 40, 50, 60, 70, 80
        QCOMPARE(f.size(), size_t(3));
        QCOMPARE(f[0].bits, (std::vector<int>{2, 2}));
        QCOMPARE(f[0].sizeBits, int64_t(40));
        QCOMPARE(f[1].bits, (std::vector<int>{4, 2}));
        QCOMPARE(f[1].sizeBits, int64_t(60));
        QVERIFY(std::abs(f[1].totalOmega - 0.6) < 1e-12);
        QCOMPARE(f[2].bits, (std::vector<int>{4, 4}));
        QVERIFY(std::abs(f[2].totalOmega - 0.5) < 1e-12);
    }

    void flatSensitivityGivesOnePoint() {
        // More bits buy nothing: the smallest model is the whole front.
        SensitivityTable t;
        t.layers = {"a"};
        t.weightCounts = {7};
        t.bits = {2, 8};
        t.omega = {{0.25, 0.25}};
        const auto f = paretoFront(t, 8);
        QCOMPARE(f.size(), size_t(1));
        QCOMPARE(f[0].bits, std::vector<int>{2});
    }

    void everyPointIsUndominated() {
        std::mt19937 rng(7);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::uniform_int_distribution<int> w(1, 50);
        for (int trial = 0; trial < 30; ++trial) {
            SensitivityTable t;
            t.bits = {2, 3, 4, 8};
            for (int i = 0; i < 4; ++i) {
                t.layers.push_back("l" + std::to_string(i));
                t.weightCounts.push_back(w(rng));
                // Fewer bits, more sensitivity (as measured), with random gaps.
                double o = 0;
                std::vector<double> row(4);
                for (int j = 3; j >= 0; --j)
                    row[size_t(j)] = (o += u(rng));
                t.omega.push_back(row);
            }
            const auto all = enumerate(t);
            const auto f = paretoFront(t, 16);
            QVERIFY(!f.empty());
            int64_t minSize = 0, maxSize = 0;
            for (int64_t c : t.weightCounts) {
                minSize += 2 * c;
                maxSize += 8 * c;
            }
            QCOMPARE(f.front().sizeBits, minSize);
            for (size_t k = 0; k < f.size(); ++k) {
                if (k) {
                    QVERIFY(f[k].sizeBits > f[k - 1].sizeBits);
                    QVERIFY(f[k].totalOmega < f[k - 1].totalOmega);
                }
                for (const auto& a : all) {
                    const bool dominates = a.sizeBits <= f[k].sizeBits && a.totalOmega < f[k].totalOmega - 1e-12;
                    QVERIFY2(!dominates, qPrintable(QStringLiteral("trial %1 point %2").arg(trial).arg(k)));
                }
            }
            // The most accurate end: the all-8-bit model's Ω is reached (nothing beats it).
            double best = 1e300;
            for (const auto& a : all)
                best = std::min(best, a.totalOmega);
            QVERIFY(std::abs(f.back().totalOmega - best) < 1e-9);
            QVERIFY(f.back().sizeBits <= maxSize);
        }
    }

    void emptyTableIsAnError() {
        QVERIFY_THROWS_EXCEPTION(QuantError, paretoFront(SensitivityTable{}, 4));
    }
};

QTEST_APPLESS_MAIN(TestParetoFront)
#include "tst_paretofront.moc"
