// BRECQ: the units found from module names (resnet20: stem, 9 blocks, linear; mobilenet_v2:
// features.N and the classifier), and block reconstruction lowering a block's output MSE with
// learnable activation steps, leaving hard roundings and plain (non-LSQ) quantizers behind.
#include "models/ModelZoo.h"
#include "quant/BatchSource.h"
#include "quant/Brecq.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

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
    }
};

QTEST_GUILESS_MAIN(TestBrecq)
#include "tst_brecq.moc"
