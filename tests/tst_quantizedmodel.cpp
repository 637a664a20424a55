// QuantizedModel on a random resnet20 calibrated on Gaussian noise: W8A8 close to FP32, W2A2 far
// worse, Disabled/detached give FP32 bit for bit, input checks and their messages, BN folding,
// all-inputs placement, gradients through the quantizers, and the hooks later methods use
// (per-block modes, custom weight rounding, LSQ steps).
#include "models/ModelZoo.h"
#include "quant/BatchSource.h"
#include "quant/QuantError.h"
#include "quant/QuantizedModel.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <limits>

using namespace dfq;
using namespace dfq::quant;

namespace {

template <class F>
std::string errorOf(F&& f) {
    try {
        f();
    } catch (const QuantError& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// ‖a - b‖ / ‖b‖ over the whole batch of logits.
double relError(const torch::Tensor& a, const torch::Tensor& ref) {
    return ((a - ref).norm() / ref.norm()).item<double>();
}

models::ZooModel randomResnet20(uint64_t seed) {
    torch::manual_seed(seed);
    auto m = models::createModel("resnet20");
    torch::NoGradGuard ng;
    for (auto& ref : m->bnLayers()) {
        ref.bn->running_mean.normal_(0.0, 0.2);
        ref.bn->running_var.uniform_(0.5, 2.0);
        ref.bn->weight.uniform_(0.5, 1.5);
        ref.bn->bias.normal_(0.0, 0.2);
    }
    m->eval();
    return m;
}

QuantSpec minmaxSpec(models::ZooModel& m, LayerPlacement p, int wb, int ab, bool fold = false) {
    QuantOptions o;
    o.activationObserver = "minmax";
    o.foldBn = fold;
    return buildQuantSpec(*m, p, wb, ab, o);
}

torch::Tensor testBatch() { return *GaussianNoiseSource({3, 32, 32}, 16, 1, /*seed=*/99).next(); }

torch::Tensor eval(QuantizedModel& qm, const torch::Tensor& x) {
    torch::NoGradGuard ng;
    return qm.forward(x);
}

/// Rounds every weight down on the layer's grid: a stand-in for AdaRound's learned up/down choice.
class FloorRounding : public WeightRounding {
public:
    int calls = 0;
    torch::Tensor fakeQuantize(const torch::Tensor& w, const QuantParams& p) override {
        ++calls;
        const torch::Tensor s = broadcastAlongDim0(p.scale, w), z = broadcastAlongDim0(p.zeroPoint, w);
        return ((torch::floor(w / s) + z).clamp(double(p.qmin), double(p.qmax)) - z) * s;
    }
};

class OtherHook : public models::TensorHook {
public:
    torch::Tensor apply(const torch::Tensor& x) override { return x; }
};

} // namespace

class TestQuantizedModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void w8a8CloseW2a2Far() {
        auto m = randomResnet20(1);
        const torch::Tensor x = testBatch();
        torch::Tensor fp;
        {
            torch::NoGradGuard ng;
            fp = m->forward(x);
        }
        double e8 = 0, e2 = 0;
        {
            QuantizedModel qm(m, minmaxSpec(m, LayerPlacement::Gdfq, 8, 8));
            QCOMPARE(int(qm.mode()), int(QuantMode::Calibrating));
            QVERIFY(torch::equal(eval(qm, x), fp));  // calibrating: outputs stay FP32
            GaussianNoiseSource noise({3, 32, 32}, 16, 4, /*seed=*/1);
            const CalibrationReport r = qm.calibrate(noise);
            QCOMPARE(r.batches, int64_t(4));
            QCOMPARE(r.images, int64_t(64));
            QCOMPARE(int(qm.mode()), int(QuantMode::Frozen));
            e8 = relError(eval(qm, x), fp);
            qm.setMode(QuantMode::Disabled);
            QVERIFY(torch::equal(eval(qm, x), fp));  // disabling restores FP32 exactly
            qm.setMode(QuantMode::Frozen);
            QCOMPARE(relError(eval(qm, x), fp), e8);
        }
        QVERIFY(!m->quantLayers()[0].hook());        // detached when the QuantizedModel went away
        QVERIFY(torch::equal(m->forward(x), fp));
        {
            QuantizedModel qm(m, minmaxSpec(m, LayerPlacement::Gdfq, 2, 2));
            GaussianNoiseSource noise({3, 32, 32}, 16, 4, 1);
            qm.calibrate(noise);
            e2 = relError(eval(qm, x), fp);
        }
        qInfo("relative logit error: W8A8 %.4f, W2A2 %.4f", e8, e2);
        QVERIFY2(e8 < 0.05, qPrintable(QString::number(e8)));
        QVERIFY2(e2 > 0.3 && e2 > 10 * e8, qPrintable(QString::number(e2)));
    }

    void frozenRangesAndJson() {
        auto m = randomResnet20(2);
        QuantizedModel qm(m, minmaxSpec(m, LayerPlacement::Gdfq, 4, 4));
        GaussianNoiseSource noise({3, 32, 32}, 8, 2, 3);
        qm.calibrate(noise);
        QCOMPARE(int(qm.layerNames().size()), 20);
        QCOMPARE(int(qm.activationNames().size()), 19);
        const QuantParams& a = qm.activationHook("layer1.0.relu1")->quantizer().params();
        QCOMPARE(a.zeroPoint.item<float>(), 0.0f);  // post-ReLU: min 0 -> zero point 0
        QVERIFY(a.scale.item<float>() > 0.0f);
        QCOMPARE(a.qmax, int64_t(15));
        const QuantParams& w = qm.weightHook("conv1")->weightQuantizer().params();
        QCOMPARE(w.scale.sizes(), torch::IntArrayRef({16}));  // per output channel
        // The cached weight range is exactly the weight's per-channel min/max.
        const torch::Tensor wt = m->quantLayers()[0].weight().detach().reshape({16, -1});
        QVERIFY(torch::allclose(w.scale, (wt.amax(1).clamp_min(0) - wt.amin(1).clamp_max(0)) / 15.0));
        QVERIFY(qm.weightHook("nope") == nullptr);

        const nlohmann::json j = qm.toJson();
        QCOMPARE(j["spec"]["label"].get<std::string>(), std::string("W4A4 gdfq"));
        QCOMPARE(int(j["weights"].size()), 20);
        QCOMPARE(int(j["weights"][0]["min"].size()), 16);
        QCOMPARE(int(j["activations"].size()), 19);
        QVERIFY(j["activations"][18]["frozen"].get<bool>());
        QCOMPARE(int(j["inputs"].size()), 0);
    }

    void observerKindsAtW4A4() {
        // Every registered observer calibrates a whole model; the error-minimising ranges (mse)
        // beat plain min-max at 4 bits.
        auto m = randomResnet20(11);
        const torch::Tensor x = testBatch();
        torch::Tensor fp;
        {
            torch::NoGradGuard ng;
            fp = m->forward(x);
        }
        std::map<std::string, double> err;
        for (const std::string obs : {"minmax", "ema", "percentile", "mse"}) {
            QuantOptions o;
            o.weightObserver = obs == "ema" ? "minmax" : obs;  // weights are seen once: EMA = min-max
            o.activationObserver = obs;
            QuantizedModel qm(m, buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 4, o));
            GaussianNoiseSource noise({3, 32, 32}, 16, 4, 1);
            qm.calibrate(noise);
            err[obs] = relError(eval(qm, x), fp);
            qInfo("W4A4 %s: relative logit error %.4f", obs.c_str(), err[obs]);
            QVERIFY(std::isfinite(err[obs]) && err[obs] < 1.0);
        }
        QVERIFY(err["mse"] < err["minmax"]);
    }

    void calibrationInputChecks() {
        auto m = randomResnet20(3);
        QuantizedModel qm(m, minmaxSpec(m, LayerPlacement::Gdfq, 8, 8));
        std::string e = errorOf([&] { qm.observeBatch(torch::randn({4, 1, 32, 32})); });
        QVERIFY2(contains(e, "[4, 1, 32, 32]") && contains(e, "expected [N, 3, 32, 32]"), e.c_str());
        e = errorOf([&] { qm.observeBatch(torch::randn({4, 3, 28, 28})); });
        QVERIFY2(contains(e, "[4, 3, 28, 28]") && contains(e, "expected [N, 3, 32, 32]"), e.c_str());
        e = errorOf([&] { qm.observeBatch(torch::randn({3, 32, 32})); });
        QVERIFY2(contains(e, "expected"), e.c_str());

        GaussianNoiseSource empty({3, 32, 32}, 4, 0);
        QVERIFY(contains(errorOf([&] { qm.calibrate(empty); }), "no batches"));
        FunctionBatchSource none([] { return std::optional<torch::Tensor>(); });
        QVERIFY(contains(errorOf([&] { qm.calibrate(none); }), "no batches"));

        torch::Tensor bad = torch::randn({2, 3, 32, 32});
        bad[1][2][3][4] = std::numeric_limits<float>::quiet_NaN();
        e = errorOf([&] { qm.observeBatch(bad); });
        QVERIFY2(contains(e, "calibration batch") && contains(e, "NaN"), e.c_str());
        bad[1][2][3][4] = std::numeric_limits<float>::infinity();
        QVERIFY(contains(errorOf([&] { qm.observeBatch(bad); }), "NaN or Inf"));

        // Freezing before any data names the first site that saw nothing.
        QVERIFY(contains(errorOf([&] { qm.freeze(); }), "'relu' saw no data"));
        // Ranges from calibration work after those failures.
        GaussianNoiseSource noise({3, 32, 32}, 4, 3, 5);
        QCOMPARE(qm.calibrate(noise, /*maxBatches=*/2).batches, int64_t(2));
    }

    void nonFiniteWeightsNameTheLayer() {
        auto m = randomResnet20(4);
        {
            torch::NoGradGuard ng;
            m->quantLayers()[5].weight()[0][0][0][0] = std::numeric_limits<float>::quiet_NaN();
        }
        const std::string name = m->quantLayers()[5].name;
        const std::string e = errorOf([&] { QuantizedModel qm(m, minmaxSpec(m, LayerPlacement::Gdfq, 4, 4)); });
        QVERIFY2(contains(e, "'" + name + "'") && contains(e, "NaN"), e.c_str());
        QVERIFY(!m->quantLayers()[0].hook());  // nothing left attached
    }

    void nanActivationNamesTheLayer() {
        auto m = randomResnet20(5);
        {
            torch::NoGradGuard ng;
            m->bnLayers()[3].bn->bias[0] = std::numeric_limits<float>::infinity();  // feeds layer1.1.relu1
        }
        QuantSpec s = minmaxSpec(m, LayerPlacement::Gdfq, 32, 8);
        QuantizedModel qm(m, s);
        const std::string e = errorOf([&] { qm.observeBatch(torch::randn({2, 3, 32, 32})); });
        QVERIFY2(contains(e, "layer1.1.relu1") && contains(e, "NaN or Inf"), e.c_str());
    }

    void foldedBnW8A8() {
        auto m = randomResnet20(6);
        const torch::Tensor x = testBatch();
        torch::Tensor fp;
        {
            torch::NoGradGuard ng;
            fp = m->forward(x);
        }
        QuantizedModel qm(m, minmaxSpec(m, LayerPlacement::Gdfq, 8, 8, /*fold=*/true));
        QCOMPARE(int(qm.foldReport().folded.size()), 19);
        qm.setMode(QuantMode::Disabled);
        QVERIFY(relError(eval(qm, x), fp) < 1e-5);  // folded FP32 == unfolded FP32
        GaussianNoiseSource noise({3, 32, 32}, 16, 4, 1);
        qm.calibrate(noise);
        const double e = relError(eval(qm, x), fp);
        QVERIFY2(e < 0.05, qPrintable(QString::number(e)));
        QCOMPARE(int(qm.toJson()["bn_folded"].size()), 19);
    }

    void allInputsW8A8() {
        auto m = randomResnet20(7);
        const torch::Tensor x = testBatch();
        torch::Tensor fp;
        {
            torch::NoGradGuard ng;
            fp = m->forward(x);
        }
        QuantizedModel qm(m, minmaxSpec(m, LayerPlacement::AllInputs, 8, 8));
        QVERIFY(qm.activationNames().empty());
        GaussianNoiseSource noise({3, 32, 32}, 16, 4, 1);
        qm.calibrate(noise);
        const double e = relError(eval(qm, x), fp);
        QVERIFY2(e < 0.05, qPrintable(QString::number(e)));
        // The network input (conv1's input) is quantized too; its range covers negative values.
        const QuantParams& in = qm.weightHook("conv1")->inputQuantizer().params();
        QVERIFY(in.rangeMin().item<float>() < 0.0f);
        QCOMPARE(int(qm.toJson()["inputs"].size()), 20);
    }

    void gradientsFlow() {
        auto m = randomResnet20(8);
        QuantizedModel qm(m, minmaxSpec(m, LayerPlacement::Gdfq, 4, 4));
        GaussianNoiseSource noise({3, 32, 32}, 8, 2, 1);
        qm.calibrate(noise);
        // LSQ on one activation: its step becomes a learnable tensor with a gradient.
        torch::Tensor step = qm.activationHook("layer2.0.relu1")->quantizer().enableLearnableStep();
        torch::Tensor x = testBatch().set_requires_grad(true);
        qm.forward(x).pow(2).sum().backward();
        QVERIFY(x.grad().defined());
        QVERIFY(x.grad().abs().sum().item<double>() > 0.0);       // STE through weights and activations
        QVERIFY(m->quantLayers()[3].weight().grad().abs().sum().item<double>() > 0.0);
        QVERIFY(step.grad().defined() && step.grad().item<double>() != 0.0);
        qm.activationHook("layer2.0.relu1")->quantizer().disableLearnableStep();
        QVERIFY(!qm.activationHook("layer2.0.relu1")->quantizer().learnableStep().defined());
    }

    void perBlockModesAndCustomRounding() {
        auto m = randomResnet20(9);
        const torch::Tensor x = testBatch();
        QuantizedModel qm(m, minmaxSpec(m, LayerPlacement::Gdfq, 4, 4));
        GaussianNoiseSource noise({3, 32, 32}, 8, 2, 1);
        qm.calibrate(noise);
        const torch::Tensor all = eval(qm, x);
        qm.setMode(QuantMode::Disabled);
        const torch::Tensor fp = eval(qm, x);
        // Only one residual block quantized (BRECQ reconstructs block by block).
        qm.setMode(QuantMode::Frozen, [](const std::string& site) { return site.rfind("layer2.1.", 0) == 0; });
        QCOMPARE(int(qm.weightHook("layer2.1.conv1")->mode), int(QuantMode::Frozen));
        QCOMPARE(int(qm.weightHook("layer2.0.conv1")->mode), int(QuantMode::Disabled));
        const torch::Tensor block = eval(qm, x);
        QVERIFY(!torch::equal(block, fp));
        QVERIFY(!torch::equal(block, all));
        QVERIFY(relError(block, fp) < relError(all, fp));

        // A custom rounding replaces round-to-nearest for one layer (AdaRound's entry point).
        qm.setMode(QuantMode::Frozen);
        auto floor = std::make_shared<FloorRounding>();
        qm.weightHook("layer3.0.conv2")->rounding = floor;
        const torch::Tensor floored = eval(qm, x);
        QCOMPARE(floor->calls, 1);
        QVERIFY(!torch::equal(floored, all));
        qm.weightHook("layer3.0.conv2")->rounding.reset();
        QVERIFY(torch::equal(eval(qm, x), all));
    }

    void refusesForeignHooks() {
        auto m = randomResnet20(10);
        m->activations()[2].act->hook = std::make_shared<OtherHook>();
        const std::string e = errorOf([&] { QuantizedModel qm(m, minmaxSpec(m, LayerPlacement::Gdfq, 4, 4)); });
        QVERIFY2(contains(e, m->activations()[2].name) && contains(e, "another hook"), e.c_str());
        QVERIFY(!m->quantLayers()[0].hook());
    }

    void batchSources() {
        GaussianNoiseSource a({1, 4, 4}, 3, 2, 42), b({1, 4, 4}, 3, 2, 42);
        const torch::Tensor a1 = *a.next(), b1 = *b.next();
        QVERIFY(torch::equal(a1, b1));                 // reproducible from the seed
        QCOMPARE(a1.sizes(), torch::IntArrayRef({3, 1, 4, 4}));
        QVERIFY(a.next().has_value());
        QVERIFY(!a.next().has_value());                // two batches
        TensorBatchSource t(torch::arange(10).reshape({10, 1, 1, 1}).to(torch::kFloat), 4);
        QCOMPARE(t.next()->size(0), int64_t(4));
        QCOMPARE(t.next()->size(0), int64_t(4));
        QCOMPARE(t.next()->size(0), int64_t(2));
        QVERIFY(!t.next().has_value());
        QVERIFY_THROWS_EXCEPTION(QuantError, GaussianNoiseSource({3, 32}, 4, 1));
    }
};

QTEST_GUILESS_MAIN(TestQuantizedModel)
#include "tst_quantizedmodel.moc"
