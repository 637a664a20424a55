// AccuracyMeter against hand-counted values.
#include "metrics/Accuracy.h"

#include <QtTest/QtTest>

#include <cmath>

class TestAccuracy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void topOneTopFiveAndPerClass() {
        dfq::metrics::AccuracyMeter m(6);
        // Sample 0: truth 0, best 0 (top-1 hit). Sample 1: truth 1, ranked 2nd (top-5 hit only).
        // Sample 2: truth 2, ranked last of 6 (miss both). Sample 3: truth 1, best 1.
        torch::Tensor logits = torch::tensor({{9.f, 1.f, 2.f, 3.f, 4.f, 5.f},
                                              {1.f, 8.f, 9.f, 0.f, 0.f, 0.f},
                                              {6.f, 5.f, 0.f, 4.f, 3.f, 2.f},
                                              {0.f, 7.f, 1.f, 1.f, 1.f, 1.f}});
        torch::Tensor labels = torch::tensor({0, 1, 2, 1}, torch::kLong);
        m.add(logits, labels);
        QCOMPARE(m.count(), int64_t(4));
        QCOMPARE(m.top1(), 50.0);
        QCOMPARE(m.top5(), 75.0);
        const auto pc = m.perClass();
        QCOMPARE(pc[0], 100.0);
        QCOMPARE(pc[1], 50.0);
        QCOMPARE(pc[2], 0.0);
        QVERIFY(std::isnan(pc[3]));
        // Confusion: row truth, column prediction.
        QCOMPARE(m.confusion()[1 * 6 + 2], int64_t(1));
        QCOMPARE(m.confusion()[2 * 6 + 0], int64_t(1));
    }

    void rejectsBadShapes() {
        dfq::metrics::AccuracyMeter m(3);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m.add(torch::zeros({2, 4}), torch::zeros({2}, torch::kLong)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m.add(torch::zeros({2, 3}), torch::tensor({0, 7}, torch::kLong)));
    }
};

QTEST_APPLESS_MAIN(TestAccuracy)
#include "tst_accuracy.moc"
