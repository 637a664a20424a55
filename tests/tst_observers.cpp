// Range observers on known data: min-max of a known tensor, EMA after three updates (hand-computed),
// percentiles of a uniform ramp (and against torch::quantile), MSE search on a Gaussian with an
// outlier, and the registry.
#include "quant/FakeQuantize.h"
#include "quant/Observers.h"
#include "quant/QuantError.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace dfq::quant;

namespace {

torch::Tensor t(std::vector<float> v) { return torch::tensor(v, torch::kFloat); }

bool close(const torch::Tensor& a, const torch::Tensor& b, double tol) {
    return a.sizes() == b.sizes() && (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>() <= tol;
}

#define CHECK_TENSOR(a, b, tol)                                                                            \
    QVERIFY2(close((a), (b), (tol)), qPrintable(QString::fromStdString(c10::str("got ", (a), "\nexpected ", (b)))))

double num(const torch::Tensor& x) { return x.item<double>(); }

ObserverConfig perTensor() { return ObserverConfig{}; }
ObserverConfig perChannel() {
    ObserverConfig c;
    c.perChannel = true;
    return c;
}

} // namespace

class TestObservers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void minMax() {
        auto o = makeObserver("minmax", perTensor());
        QVERIFY(!o->hasData());
        QVERIFY_THROWS_EXCEPTION(QuantError, o->range());
        o->observe(torch::tensor({{-1.0f, 2.0f}, {3.0f, -4.0f}}));
        QCOMPARE(num(o->range().min), -4.0);
        QCOMPARE(num(o->range().max), 3.0);
        QCOMPARE(o->range().min.dim(), int64_t(0));
        o->observe(t({5.0f, -2.0f}));  // running: the max grows, the min stays
        QCOMPARE(num(o->range().min), -4.0);
        QCOMPARE(num(o->range().max), 5.0);
        o->reset();
        QVERIFY(!o->hasData());

        auto c = makeObserver("minmax", perChannel());
        c->observe(torch::tensor({{-1.0f, 2.0f}, {3.0f, -4.0f}}).reshape({2, 1, 2, 1}));  // conv-shaped
        CHECK_TENSOR(c->range().min, t({-1, -4}), 0.0);
        CHECK_TENSOR(c->range().max, t({2, 3}), 0.0);
        QVERIFY_THROWS_EXCEPTION(QuantError, c->observe(torch::zeros({3, 2})));  // channel count changed
    }

    void emaThreeUpdates() {
        // Batches with (min, max) = (-1, 1), (-2, 3), (0, 5), β = 0.9, no bias correction:
        //   t=1: (-1, 1)                              (first batch initialises)
        //   t=2: min = 0.9·-1 + 0.1·-2 = -1.1;   max = 0.9·1 + 0.1·3 = 1.2
        //   t=3: min = 0.9·-1.1 + 0.1·0 = -0.99; max = 0.9·1.2 + 0.1·5 = 1.58
        auto o = makeObserver("ema", perTensor());
        o->observe(t({-1, 0.5f, 1}));
        QCOMPARE(num(o->range().min), -1.0);
        o->observe(t({-2, 3, 0}));
        QVERIFY(std::abs(num(o->range().min) + 1.1) < 1e-6);
        QVERIFY(std::abs(num(o->range().max) - 1.2) < 1e-6);
        o->observe(t({0, 5, 2}));
        QVERIFY(std::abs(num(o->range().min) + 0.99) < 1e-6);
        QVERIFY(std::abs(num(o->range().max) - 1.58) < 1e-6);
        // The GDFQ-family double correction would give max/(1-0.9^3) = 1.58/0.271 = 5.83 here.

        // β is configurable: β = 0.5 after (0, 4) and (0, 0): max = 2.
        ObserverConfig c;
        c.emaBeta = 0.5;
        auto h = makeObserver("ema", c);
        h->observe(t({0, 4}));
        h->observe(t({0, 0}));
        QCOMPARE(num(h->range().max), 2.0);
    }

    void percentileRamp() {
        // 20001 values evenly spaced in [-1, 1] (step 1e-4). p = 99.99: rank 0.9999·20000 = 19998
        // -> 0.9998; lower tail rank 2 -> -0.9998.
        const torch::Tensor ramp = torch::linspace(-1.0, 1.0, 20001, torch::kDouble).to(torch::kFloat);
        auto o = makeObserver("percentile", perTensor());
        o->observe(ramp);
        QVERIFY(std::abs(num(o->range().max) - 0.9998) < 1e-6);
        QVERIFY(std::abs(num(o->range().min) + 0.9998) < 1e-6);

        // Interpolation between ranks: p = 99.9925 -> rank 19998.5 -> 0.99985.
        QVERIFY(std::abs(num(rowPercentile(ramp.reshape({1, -1}), 99.9925)[0]) - 0.99985) < 1e-6);

        // Symmetric: percentile of |x|, whose sorted values are 0, 1e-4, 1e-4, 2e-4, 2e-4, ...:
        // index 19998 holds 0.9999.
        ObserverConfig sym;
        sym.symmetric = true;
        auto s = makeObserver("percentile", sym);
        s->observe(ramp);
        QVERIFY(std::abs(num(s->range().max) - 0.9999) < 1e-6);
        QVERIFY(std::abs(num(s->range().min) + 0.9999) < 1e-6);
        // Non-negative data keeps min = 0 (so the quantizer becomes unsigned).
        auto u = makeObserver("percentile", sym);
        u->observe(ramp.abs());
        QCOMPARE(num(u->range().min), 0.0);

        // Two batches: the per-batch percentiles are averaged.
        auto two = makeObserver("percentile", perTensor());
        two->observe(ramp);
        two->observe(ramp * 3.0);
        QVERIFY(std::abs(num(two->range().max) - 2.0 * 0.9998) < 1e-5);
    }

    void percentileMatchesTorchQuantile() {
        torch::manual_seed(3);
        const torch::Tensor x = torch::randn({3, 1001});
        for (double p : {0.0, 12.5, 50.0, 99.0, 99.99, 100.0}) {
            // Reference in double: torch computes the rank q·(n-1) in the input's dtype, and a float
            // rank is off by ~1e-5 ranks, which matters in the sparse tails.
            const torch::Tensor ref = torch::quantile(x.to(torch::kDouble), p / 100.0, 1, false, "linear");
            CHECK_TENSOR(rowPercentile(x, p), ref, 1e-5);
        }
        // Per channel: one percentile per row.
        ObserverConfig c = perChannel();
        c.percentile = 99.0;
        auto o = makeObserver("percentile", c);
        o->observe(x);
        CHECK_TENSOR(o->range().max, torch::quantile(x.to(torch::kDouble), 0.99, 1, false, "linear"), 1e-5);
        CHECK_TENSOR(o->range().min, torch::quantile(x.to(torch::kDouble), 0.01, 1, false, "linear"), 1e-5);
    }

    void mseShrinksOutlierRange() {
        torch::manual_seed(7);
        torch::Tensor x = torch::randn({10000});
        x[123] = 50.0f;  // one outlier stretches min-max to [-3.9, 50]
        ObserverConfig c;
        c.bits = 4;
        auto mse = makeObserver("mse", c);
        auto mm = makeObserver("minmax", c);
        mse->observe(x);
        mm->observe(x);
        const Range rm = mm->range(), rs = mse->range();
        QCOMPARE(num(rm.max), 50.0);
        QVERIFY2(num(rs.max) < 0.5 * num(rm.max), qPrintable(QString::number(num(rs.max))));
        QVERIFY(num(rs.min) >= num(rm.min));
        const torch::Tensor x2d = x.reshape({1, -1});
        const double errMse = num(rowQuantError(x2d, rs.min.reshape({1}), rs.max.reshape({1}), c)[0]);
        const double errMm = num(rowQuantError(x2d, rm.min.reshape({1}), rm.max.reshape({1}), c)[0]);
        QVERIFY2(errMse < 0.5 * errMm, qPrintable(QString("mse %1 vs minmax %2").arg(errMse).arg(errMm)));
        // The chosen range is the best of the grid: a few other shrink factors are not better.
        for (double a : {1.0, 0.5, 0.2, 0.1, 0.05}) {
            const double e = num(rowQuantError(x2d, rm.min.reshape({1}).clamp_max(0) * a, rm.max.reshape({1}) * a, c)[0]);
            QVERIFY(errMse <= e + 1e-6);
        }
    }

    void msePerChannel() {
        // Channel 0 has an outlier, channel 1 is clean uniform data: only channel 0 shrinks much.
        torch::manual_seed(11);
        torch::Tensor w = torch::stack({torch::randn({4096}), torch::rand({4096}) * 2.0 - 1.0});
        w[0][5] = 40.0f;
        ObserverConfig c = perChannel();
        c.bits = 4;
        auto o = makeObserver("mse", c);
        o->observe(w);
        const Range r = o->range();
        QCOMPARE(r.max.sizes(), torch::IntArrayRef({2}));
        const double shrink0 = r.max[0].item<double>() / 40.0;
        const double shrink1 = r.max[1].item<double>() / w[1].max().item<double>();
        QVERIFY2(shrink0 < 0.5, qPrintable(QString::number(shrink0)));
        QVERIFY2(shrink1 > 0.8, qPrintable(QString::number(shrink1)));  // uniform data: clipping buys little
        // Lp with p = 2.4 also runs and returns a range inside min-max.
        c.lpNorm = 2.4;
        auto o24 = makeObserver("mse", c);
        o24->observe(w);
        QVERIFY((o24->range().max <= w.amax(1)).all().item<bool>());
    }

    void mseSampleCap() {
        ObserverConfig c;
        c.maxSamples = 1000;
        auto o = makeObserver("mse", c);
        for (int i = 0; i < 5; ++i)
            o->observe(torch::randn({900}));
        QVERIFY(o->range().max.item<double>() > 0.0);
    }

    void registry() {
        const auto names = observerNames();
        for (const char* n : {"minmax", "ema", "percentile", "mse"})
            QVERIFY(std::find(names.begin(), names.end(), n) != names.end());
        try {
            makeObserver("nope");
            QFAIL("expected QuantError");
        } catch (const QuantError& e) {
            QVERIFY(std::string(e.what()).find("nope") != std::string::npos);
            QVERIFY(std::string(e.what()).find("minmax") != std::string::npos);
        }
        // One line adds an observer kind.
        registerObserver("fixed-minmax-alias", [](const ObserverConfig& c) { return std::make_unique<MinMaxObserver>(c); });
        QVERIFY(hasObserver("fixed-minmax-alias"));
        auto o = makeObserver("fixed-minmax-alias");
        o->observe(t({-2, 2}));
        QCOMPARE(num(o->range().max), 2.0);
    }
};

QTEST_GUILESS_MAIN(TestObservers)
#include "tst_observers.moc"
