// BRECQ: the units found from module names (resnet20: stem, 9 blocks, linear; mobilenet_v2:
// features.N and the classifier), and block reconstruction lowering a block's output MSE with
// learnable activation steps, leaving hard roundings and plain (non-LSQ) quantizers behind (asserted:
// no learnable step left, the learned steps in the block's scales, every other scale as calibrated).
#include "models/ModelZoo.h"
#include "quant/BatchSource.h"
#include "quant/Brecq.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <map>

using namespace dfq;
using namespace dfq::quant;

class TestBrecq : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void unitsFromNames() {
        auto m = models::createModel("resnet20");
        const auto u = brecqUnits(*m);
        QCOMPARE(int(u.size()), 11);
        QCOMPARE(QString::fromStdString(u.front().first), QString("conv1"));
        QCOMPARE(QString::fromStdString(u[1].first), QString("layer1.0"));
        QCOMPARE(int(u[1].second.size()), 2);
        QCOMPARE(QString::fromStdString(u.back().first), QString("linear"));
        auto mb = models::createModel("mobilenet_v2");
        const auto ub = brecqUnits(*mb);
        QCOMPARE(QString::fromStdString(ub.front().first), QString("features.0"));
        QCOMPARE(QString::fromStdString(ub.back().first), QString("classifier.1"));
        QCOMPARE(int(ub.size()), 20);
    }
    void blockReconstructionLowersMse() {
        torch::manual_seed(4);
        auto m = models::createModel("resnet20");
        m->eval();
        QuantOptions o;
        o.activationObserver = "minmax";
        o.weightObserver = "mse";
        auto spec = buildQuantSpec(*m, LayerPlacement::Gdfq, 3, 4, o);
        QuantizedModel qm(m, spec);
        GaussianNoiseSource calib({3, 32, 32}, 32, 2, 1);
        qm.calibrate(calib);
        // The calibrated activation scales, to see which ones BRECQ's LSQ steps changed.
        std::map<std::string, torch::Tensor> scales0;
        for (const auto& an : qm.activationNames())
            if (auto* ah = qm.activationHook(an); ah && ah->quantizer().enabled())
                scales0[an] = ah->quantizer().params().scale.clone();
        QVERIFY(!scales0.empty());
        GaussianNoiseSource src({3, 32, 32}, 32, 4, 7);
        BrecqOptions bo;
        bo.iterations = 300;
        bo.lrRounding = 1e-2;
        bo.which = [](const std::string& u) { return u == "layer1.1"; };
        const auto reps = runBrecq(qm, src, bo);
        QCOMPARE(int(reps.size()), 1);
        qInfo("block MSE %.6g -> %.6g", reps[0].mseBefore, reps[0].mseAfter);
        QVERIFY(reps[0].mseAfter < reps[0].mseBefore);
        auto ar = std::dynamic_pointer_cast<AdaRoundRounding>(qm.weightHook("layer1.1.conv2")->rounding);
        QVERIFY(ar && ar->hard());
        QVERIFY(qm.weightHook("layer1.0.conv1")->rounding == nullptr); // other units untouched
        // LSQ is switched off again: no quantizer is left with a learnable step, the steps learned
        // inside layer1.1 were copied into its frozen scales, and every other scale is as calibrated.
        QVERIFY(qm.mode() == QuantMode::Frozen);
        int learnedInside = 0;
        for (const auto& [an, s0] : scales0) {
            const auto& q = qm.activationHook(an)->quantizer();
            QVERIFY2(!q.learnableStep().defined(), an.c_str());
            if (an.rfind("layer1.1.", 0) == 0)
                learnedInside += !torch::equal(q.params().scale, s0);
            else
                QVERIFY2(torch::equal(q.params().scale, s0), an.c_str());
        }
        QVERIFY(learnedInside >= 1);
        for (const auto& name : qm.layerNames())
            if (auto* h = qm.weightHook(name)) {
                QVERIFY2(!h->inputQuantizer().learnableStep().defined(), name.c_str());
                QVERIFY2(!h->weightQuantizer().learnableStep().defined(), name.c_str());
            }
    }
};

QTEST_GUILESS_MAIN(TestBrecq)
#include "tst_brecq.moc"
