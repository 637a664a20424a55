// QAT with distillation: the loss at hand-worked logits (KL 0 when student = teacher, 'mean' vs
// 'batchmean' differ by C, teacher argmax when labels are absent, the T²-scaled KL at T = 2 worked
// by hand), the teacher clone, and a short
// run on a random resnet20 that moves the weights, keeps BN statistics and honours Cancel.
#include "models/ModelZoo.h"
#include "quant/BatchSource.h"
#include "quant/QatDistiller.h"
#include "quant/QuantError.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace dfq;
using namespace dfq::quant;

class TestQatDistiller : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lossHandWorked() {
        // Student = teacher: KL = 0, loss = CE. Logits [0, ln 3] -> p = [1/4, 3/4]; label 1 -> CE = ln(4/3).
        const auto s = torch::tensor({{0.0, std::log(3.0)}}, torch::kDouble);
        const auto l = qatLoss(s, s, torch::tensor({1}, torch::kLong), 1.0, 1.0, "mean");
        QVERIFY(std::abs(l.item<double>() - std::log(4.0 / 3.0)) < 1e-12);
        // No labels: y = argmax teacher = 1, the same value.
        QVERIFY(std::abs(qatLoss(s, s, torch::Tensor(), 1.0, 1.0, "mean").item<double>() - std::log(4.0 / 3.0)) < 1e-12);
        // Teacher [0, 0] (p = 1/2, 1/2) vs student p = [1/4, 3/4], T = 1, α = 1:
        // KL = ½ ln(½/¼) + ½ ln(½/¾) = ½ ln(4/3); mean divides by B·C = 2, batchmean by B = 1.
        const auto t = torch::zeros({1, 2}, torch::kDouble);
        const auto y = torch::tensor({1}, torch::kLong);
        const double ce = std::log(4.0 / 3.0), kl = 0.5 * std::log(4.0 / 3.0);
        QVERIFY(std::abs(qatLoss(s, t, y, 1.0, 1.0, "mean").item<double>() - (ce + kl / 2)) < 1e-12);
        QVERIFY(std::abs(qatLoss(s, t, y, 1.0, 1.0, "batchmean").item<double>() - (ce + kl)) < 1e-12);
        // Temperature T = 2, α = 0.5, by hand: softened student p = softmax([0, ln 3]/2) =
        // [1/(1+√3), √3/(1+√3)], teacher uniform; KL_T = Σ ½ ln(½ / p_i) = −½ ln(4 p0 p1);
        // loss = CE (at T = 1) + α·T²·KL_T / B (batchmean) or / (B·C) (mean).
        const double r3 = std::sqrt(3.0), p0 = 1 / (1 + r3), p1 = r3 / (1 + r3);
        const double klT = -0.5 * std::log(4 * p0 * p1);
        QVERIFY(std::abs(qatLoss(s, t, y, 0.5, 2.0, "batchmean").item<double>() - (ce + 0.5 * 4 * klT)) < 1e-12);
        QVERIFY(std::abs(qatLoss(s, t, y, 0.5, 2.0, "mean").item<double>() - (ce + 0.5 * 4 * klT / 2)) < 1e-12);
        // Without the T² factor the KL term would be 4× smaller: the check above tells them apart.
        QVERIFY(std::abs(0.5 * 4 * klT - 0.5 * klT) > 1e-3);
        bool threw = false;
        try {
            qatLoss(s, t, y, 1.0, 1.0, "sum");
        } catch (const QuantError&) {
            threw = true;
        }
        QVERIFY(threw);
    }
    void shortRun() {
        torch::manual_seed(8);
        auto m = models::createModel("resnet20");
        m->eval();
        auto teacher = cloneModel(*m);
        const auto x = *GaussianNoiseSource({3, 32, 32}, 8, 1, 5).next();
        {
            torch::NoGradGuard ng;
            QVERIFY(torch::equal(teacher->forward(x), m->forward(x)));
        }
        QuantOptions o;
        o.activationObserver = "minmax";
        auto spec = buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 4, o);
        QuantizedModel qm(m, spec);
        GaussianNoiseSource calib({3, 32, 32}, 8, 2, 1);
        qm.calibrate(calib);
        const auto w0 = m->quantLayers()[3].weight().detach().clone();
        const auto rm0 = m->bnLayers()[2].bn->running_mean.clone();
        GaussianNoiseSource src({3, 32, 32}, 8, 3, 2);
        QatOptions qo;
        qo.steps = 5;
        qo.lr = 1e-2;
        const auto r = runQatDistillation(qm, teacher, src, qo);
        QCOMPARE(r.steps, int64_t(3)); // the source ran out, no rewind
        QVERIFY(std::isfinite(r.lastLoss));
        QVERIFY(!torch::equal(m->quantLayers()[3].weight(), w0));
        QVERIFY(torch::equal(m->bnLayers()[2].bn->running_mean, rm0)); // BN stats frozen
        // Cancel before the first step.
        GaussianNoiseSource src2({3, 32, 32}, 8, 3, 2);
        qo.cancel.cancel();
        bool cancelled = false;
        try {
            runQatDistillation(qm, teacher, src2, qo);
        } catch (const runtime::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
    }
};

QTEST_GUILESS_MAIN(TestQatDistiller)
#include "tst_qatdistiller.moc"
