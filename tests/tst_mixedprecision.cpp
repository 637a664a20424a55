// Mixed precision: the DP allocation against brute force on hand-made sensitivity tables, a
// hand-worked case, the budget error, and ZeroQ sensitivity ordering (fewer bits, more KL).
#include "models/ModelLoader.h"
#include "models/ModelZoo.h"
#include "quant/BatchSource.h"
#include "quant/MixedPrecision.h"
#include "quant/QuantError.h"
#include "runtime/Resources.h"
#include "support/SharedData.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <random>

using namespace dfq;
using namespace dfq::quant;

class TestMixedPrecision : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handWorked() {
        // Two layers of 10 and 30 weights; bits {2, 4, 8}. Budget 200 bits: uniform 4 bits costs 160,
        // (8, 4) costs 200, (2, 8) 260 > 200. Ω: layer a {1.0, 0.3, 0.0}, layer b {0.5, 0.2, 0.1}.
        // Feasible optima: (8,4) = 0.2 at 200 bits, (4,4) = 0.5, (8,2) = 0.5 -> (8,4).
        SensitivityTable t;
        t.layers = {"a", "b"};
        t.weightCounts = {10, 30};
        t.bits = {2, 4, 8};
        t.omega = {{1.0, 0.3, 0.0}, {0.5, 0.2, 0.1}};
        const auto a = allocateBits(t, 200);
        QCOMPARE(a.bits, (std::vector<int>{8, 4}));
        QCOMPARE(a.sizeBits, int64_t(200));
        QVERIFY(std::abs(a.totalOmega - 0.2) < 1e-12);
        // Budget 80 = the smallest model.
        QCOMPARE(allocateBits(t, 80).bits, (std::vector<int>{2, 2}));
        bool threw = false;
        try {
            allocateBits(t, 79);
        } catch (const QuantError&) {
            threw = true;
        }
        QVERIFY(threw);
    }
    void dpMatchesBruteForce() {
        std::mt19937 rng(5);
        std::uniform_int_distribution<int> cnt(1, 60);
        std::uniform_real_distribution<double> om(0.0, 1.0);
        for (int trial = 0; trial < 30; ++trial) {
            SensitivityTable t;
            t.bits = {2, 4, 8};
            const int L = 2 + trial % 5;
            int64_t total8 = 0;
            for (int i = 0; i < L; ++i) {
                t.layers.push_back("l" + std::to_string(i));
                t.weightCounts.push_back(cnt(rng));
                // Ω decreasing in bits, as real sensitivities are (not required by the DP).
                const double o8 = om(rng) * 0.1, o4 = o8 + om(rng), o2 = o4 + 2 * om(rng);
                t.omega.push_back({o2, o4, o8});
                total8 += t.weightCounts.back() * 8;
            }
            for (int64_t budget = total8 / 4; budget <= total8; budget += std::max<int64_t>(1, total8 / 13)) {
                const auto dp = allocateBits(t, budget);
                const auto bf = allocateBitsBruteForce(t, budget);
                QVERIFY2(std::abs(dp.totalOmega - bf.totalOmega) < 1e-9, qPrintable(QString("trial %1 budget %2").arg(trial).arg(budget)));
                QVERIFY(dp.sizeBits <= budget);
            }
        }
    }
    void sensitivityOrdering() {
        // A trained model: an untrained one gives near-constant logits and KLs of 1e-14 (noise only).
        DFQ_REQUIRE_EMBEDDED_MODEL();
        auto m = models::loadModel(runtime::defaultModelPath(), "auto").model;
        m->eval();
        auto spec = buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 4);
        GaussianNoiseSource src({1, 28, 28}, 16, 2, 3);
        const auto t = measureSensitivity(m, spec, src, {2, 4, 8}, 32);
        QCOMPARE(int(t.layers.size()), int(spec.layers.size()));
        for (size_t i = 0; i < t.layers.size(); ++i) {
            QVERIFY2(t.omega[i][0] > t.omega[i][1] && t.omega[i][1] >= t.omega[i][2],
                     qPrintable(QStringLiteral("%1: %2 %3 %4").arg(QString::fromStdString(t.layers[i]))
                                    .arg(t.omega[i][0]).arg(t.omega[i][1]).arg(t.omega[i][2])));
            QVERIFY(t.omega[i][2] >= 0);
        }
        // The hooks are detached afterwards: the model is FP32 again.
        for (auto& l : m->quantLayers())
            QVERIFY(!l.hook());
        const auto a = allocateBits(t, [&] {
            int64_t s = 0;
            for (auto c : t.weightCounts)
                s += c * 4;
            return s;
        }());
        const auto mixed = applyAllocation(spec, t, a);
        QCOMPARE(int(mixed.layers.size()), int(spec.layers.size()));
    }
};

QTEST_GUILESS_MAIN(TestMixedPrecision)
#include "tst_mixedprecision.moc"
