// AdaRound: the rectified sigmoid and the regulariser at hand-worked V, the β schedule, the
// initialisation reproducing the FP weight (soft) and round-to-nearest (hard), and reconstruction
// lowering the layer's output MSE versus nearest rounding on a random resnet20 layer.
#include "models/ModelZoo.h"
#include "quant/AdaRound.h"
#include "quant/BatchSource.h"
#include "quant/QuantError.h"
#include "quant/QuantizedModel.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace dfq;
using namespace dfq::quant;

class TestAdaRound : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rectifiedSigmoidValues() {
        // V = 0: σ = 0.5 -> 0.5·1.2 − 0.1 = 0.5. V = ln 3: σ = 0.75 -> 0.8. V = ±10: clipped to 1 / 0.
        const auto v = torch::tensor({0.0, std::log(3.0), 10.0, -10.0, std::log(1.0 / 11.0)}, torch::kDouble);
        const auto h = rectifiedSigmoid(v);
        QCOMPARE(h[0].item<double>(), 0.5);
        QVERIFY(std::abs(h[1].item<double>() - 0.8) < 1e-12);
        QCOMPARE(h[2].item<double>(), 1.0);
        QCOMPARE(h[3].item<double>(), 0.0);
        // σ = 1/12 -> 0.1 − 0.1 = 0 exactly at the lower edge.
        QVERIFY(std::abs(h[4].item<double>()) < 1e-12);
    }
    void regulariser() {
        // h = 0.5 -> 1 − 0^β = 1; h ∈ {0, 1} -> 0; h = 0.8, β = 2 -> 1 − 0.36 = 0.64.
        const auto h = torch::tensor({0.5, 1.0, 0.0, 0.8}, torch::kDouble);
        QVERIFY(std::abs(adaRoundRegularizer(h, 2.0).item<double>() - 1.64) < 1e-12);
        QVERIFY(std::abs(adaRoundRegularizer(h.narrow(0, 0, 1), 20.0).item<double>() - 1.0) < 1e-12);
        QVERIFY(std::abs(adaRoundRegularizer(rectifiedSigmoid(torch::tensor({25.0, -25.0}, torch::kDouble)), 3.0).item<double>()) < 1e-12);
    }
    void betaSchedule() {
        QCOMPARE(adaRoundBeta(0, 100, 0.2, 20, 2), 0.0);   // warm-up: no regulariser
        QCOMPARE(adaRoundBeta(19, 100, 0.2, 20, 2), 0.0);
        QCOMPARE(adaRoundBeta(20, 100, 0.2, 20, 2), 20.0);
        QCOMPARE(adaRoundBeta(60, 100, 0.2, 20, 2), 11.0);  // halfway: 2 + 18·0.5
        QCOMPARE(adaRoundBeta(100, 100, 0.2, 20, 2), 2.0);
    }
    void initialisationReproducesWeight() {
        torch::manual_seed(1);
        const auto w = torch::randn({6, 3, 3, 3});
        const auto mn = std::get<0>(w.flatten(1).min(1)), mx = std::get<0>(w.flatten(1).max(1));
        const auto p = computeQuantParams(mn, mx, 4, QuantScheme::Asymmetric);
        const auto v = adaRoundInitV(w, p);
        // h(V0) is the fractional part of w/Δ.
        const auto x = w / broadcastAlongDim0(p.scale, w);
        QVERIFY(torch::allclose(rectifiedSigmoid(v), x - torch::floor(x), 1e-5, 1e-5));
        AdaRoundRounding r(v);
        // Soft: floor + frac = w/Δ, so the fake-quantized weight is the FP weight inside the grid. The
        // rounded zero point can cut up to Δ/2 off one end of [min, max]: those weights are clamped.
        const auto soft = r.fakeQuantize(w, p);
        const auto s0 = broadcastAlongDim0(p.scale, w), z0 = broadcastAlongDim0(p.zeroPoint, w);
        const auto inside = (w >= (double(p.qmin) - z0) * s0) & (w <= (double(p.qmax) - z0) * s0);
        QVERIFY(inside.sum().item<int64_t>() > w.numel() * 9 / 10);
        QVERIFY((soft - w).abs().masked_select(inside).max().item<double>() < 1e-5);
        // Hard: h >= 0.5 <=> frac >= 0.5: round to nearest (no exact ties in random data).
        r.setHard(true);
        QVERIFY(torch::equal(r.codes(w, p), quantizeCodes(w, p)));
        QVERIFY(torch::allclose(r.fakeQuantize(w, p), dequantizeCodes(quantizeCodes(w, p), p), 1e-6, 1e-6));
    }
    void reconstructionBeatsNearest() {
        torch::manual_seed(3);
        auto m = models::createModel("resnet20");
        m->eval();
        QuantOptions o;
        auto spec = buildQuantSpec(*m, LayerPlacement::Gdfq, 3, kFloatBits, o); // weights only
        QuantizedModel qm(m, spec);
        GaussianNoiseSource src({3, 32, 32}, 32, 4, 7);
        AdaRoundOptions ao;
        ao.iterations = 400;
        ao.lr = 1e-2;
        ao.which = [](const std::string& l) { return l == "layer1.0.conv1"; };
        const auto reps = runAdaRound(qm, src, ao);
        QCOMPARE(int(reps.size()), 1);
        QCOMPARE(QString::fromStdString(reps[0].layer), QString("layer1.0.conv1"));
        qInfo("MSE nearest %.6g -> AdaRound %.6g (%.1f %% flipped)", reps[0].mseNearest, reps[0].mseAdaRound,
              100 * reps[0].flippedFraction);
        QVERIFY(reps[0].mseAdaRound < reps[0].mseNearest);
        QVERIFY(reps[0].flippedFraction > 0);
        // The rounding stays on the hook, hard; the model stays Frozen.
        auto* hook = qm.weightHook("layer1.0.conv1");
        auto ar = std::dynamic_pointer_cast<AdaRoundRounding>(hook->rounding);
        QVERIFY(ar && ar->hard());
        QVERIFY(hook->mode == QuantMode::Frozen);
    }
    void emptySourceIsAnError() {
        auto m = models::createModel("resnet20");
        auto spec = buildQuantSpec(*m, LayerPlacement::Gdfq, 4, kFloatBits);
        QuantizedModel qm(m, spec);
        GaussianNoiseSource empty({3, 32, 32}, 8, 0);
        bool threw = false;
        try {
            runAdaRound(qm, empty);
        } catch (const QuantError& e) {
            threw = std::string(e.what()).find("no images") != std::string::npos;
        }
        QVERIFY(threw);
    }
};

QTEST_GUILESS_MAIN(TestAdaRound)
#include "tst_adaround.moc"
