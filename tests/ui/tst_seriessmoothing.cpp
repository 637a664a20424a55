// SeriesSmoothing: the debiased EMA and the trailing moving average against hand-worked values,
// including gaps (NaN) in the raw series.
#include "SeriesSmoothing.h"

#include <QtTest/QtTest>

#include <cmath>
#include <limits>

using namespace dfq::ui;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void compareSeries(const QVector<double>& got, const QVector<double>& want) {
    QCOMPARE(got.size(), want.size());
    for (int i = 0; i < got.size(); ++i) {
        if (std::isnan(want[i])) {
            QVERIFY2(std::isnan(got[i]), qPrintable(QStringLiteral("index %1: %2, want NaN").arg(i).arg(got[i])));
            continue;
        }
        QVERIFY2(std::abs(got[i] - want[i]) < 1e-12, qPrintable(QStringLiteral("index %1: %2, want %3").arg(i).arg(got[i]).arg(want[i])));
    }
}
} // namespace

class TestSeriesSmoothing : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void debiasedEmaByHand() {
        // w = 0.5: m = 0.5, 1.25, 2.125; divided by 1 − 0.5^k = 0.5, 0.75, 0.875.
        compareSeries(debiasedEma({1, 2, 3}, 0.5), {1.0, 1.25 / 0.75, 2.125 / 0.875});
        // The first point is the raw value whatever the weight (no pull towards 0).
        compareSeries(debiasedEma({7}, 0.99), {7.0});
        // weight 0: the raw series.
        compareSeries(debiasedEma({3, -1, 4}, 0.0), {3, -1, 4});
        // A constant series stays constant (the debiasing is exact).
        compareSeries(debiasedEma({2, 2, 2, 2}, 0.9), {2, 2, 2, 2});
    }

    void debiasedEmaSkipsGaps() {
        // The NaN leaves m and k unchanged: the third point is the second finite one.
        compareSeries(debiasedEma({1, kNaN, 3}, 0.5), {1.0, kNaN, 1.75 / 0.75});
        compareSeries(debiasedEma({kNaN, 4}, 0.5), {kNaN, 4.0});
        QVERIFY(debiasedEma({}, 0.5).isEmpty());
    }

    void movingAverageByHand() {
        compareSeries(movingAverage({1, 2, 3, 4}, 2), {1, 1.5, 2.5, 3.5});
        compareSeries(movingAverage({1, 2, 3, 4, 5}, 3), {1, 1.5, 2, 3, 4});
        compareSeries(movingAverage({5, 1, 9}, 1), {5, 1, 9});
        // Window longer than the series: the running mean.
        compareSeries(movingAverage({2, 4, 6}, 10), {2, 3, 4});
        // A window of 0 means 1.
        compareSeries(movingAverage({2, 4}, 0), {2, 4});
    }

    void movingAverageSkipsGaps() {
        // window 2 at t = 3 holds y2 = 3 and y3 = 5; at t = 2 only y2 (y1 is a gap).
        compareSeries(movingAverage({1, kNaN, 3, 5}, 2), {1, kNaN, 3, 4});
        compareSeries(movingAverage({kNaN, kNaN}, 3), {kNaN, kNaN});
    }
};

QTEST_APPLESS_MAIN(TestSeriesSmoothing)
#include "tst_seriessmoothing.moc"
