// runQuantTrial: the bit-width panel's "what if" on the embedded default (Fashion-MNIST ResNet-8).
#include "support/SharedData.h"

#include "data/Dataset.h"
#include "data/Normalization.h"
#include "metrics/Evaluator.h"
#include "models/ModelLoader.h"
#include "pipeline/PtqRecipe.h"
#include "pipeline/QuantTrial.h"
#include "quant/QuantError.h"
#include "quant/QuantizedModel.h"
#include "runtime/Resources.h"

#include <QtTest/QtTest>
#include <torch/torch.h>

using namespace dfq;

class TestQuantTrial : public QObject {
    Q_OBJECT

    models::ZooModel model_;
    std::unique_ptr<data::Dataset> test_;
    torch::Tensor calib_;

    quant::QuantSpec spec(int w, int a, quant::LayerPlacement p = quant::LayerPlacement::Gdfq) {
        return quant::buildQuantSpec(*model_, p, w, a, pipeline::quantOptionsForPtq("minmax"));
    }
    torch::Tensor probeLogits() {
        torch::NoGradGuard ng;
        model_->eval();
        return model_->forward(test_->get({0, 1, 2, 3, 4, 5, 6, 7}).images);
    }

private Q_SLOTS:
    void initTestCase() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        model_ = models::loadModel(runtime::defaultModelPath()).model;
        data::DatasetOptions o;
        o.geometry = {1, 28, 28};
        o.normalization = data::normalizationPreset("fashion-mnist");
        test_ = data::openDataset(runtime::defaultDataPath(), o);
        // Calibration: 256 test images from the end of the set (the trials evaluate the first 1,000).
        std::vector<int64_t> idx;
        for (int64_t i = 9744; i < 10000; ++i)
            idx.push_back(i);
        calib_ = test_->get(idx).images;
    }

    void w8a8MatchesFp32AndAnIndependentQuantization() {
        pipeline::QuantTrialOptions o;
        o.evalLimit = 1000;
        const auto r = pipeline::runQuantTrial(model_, spec(8, 8), calib_, *test_, o);
        QCOMPARE(r.images, int64_t(1000));
        QCOMPARE(r.calibrationImages, int64_t(256));
        QCOMPARE(r.label, std::string("W8A8 gdfq"));
        metrics::EvalOptions eo;
        eo.limit = 1000;
        const double fp32 = metrics::evaluate(*model_, *test_, eo).top1;
        QVERIFY2(std::abs(r.top1 - fp32) <= 1.0, qPrintable(QString("W8A8 %1 vs FP32 %2").arg(r.top1).arg(fp32)));
        // The same quantization done by hand with QuantizedModel gives the same number.
        double byHand = 0;
        {
            quant::QuantizedModel qm(model_, spec(8, 8));
            quant::TensorBatchSource src(calib_, 64);
            qm.calibrate(src);
            byHand = metrics::evaluate(*model_, *test_, eo).top1;
        }
        QCOMPARE(r.top1, byHand);
    }

    void fewerBitsLoseAccuracyAndSize() {
        pipeline::QuantTrialOptions o;
        o.evalLimit = 1000;
        const auto w8 = pipeline::runQuantTrial(model_, spec(8, 8), calib_, *test_, o);
        const auto w2 = pipeline::runQuantTrial(model_, spec(2, 2), calib_, *test_, o);
        QVERIFY2(w2.top1 < w8.top1 - 20, qPrintable(QString("W2A2 %1, W8A8 %2").arg(w2.top1).arg(w8.top1)));
        QVERIFY(w2.size.totalBits() < w8.size.totalBits());
        QCOMPARE(w8.size.weightBits - w2.size.weightBits, 6 * w8.size.weightBits / 8);
    }

    void trialsLeaveTheModelAsItWasAndRepeat() {
        const torch::Tensor before = probeLogits();
        pipeline::QuantTrialOptions o;
        o.evalLimit = 500;
        auto folded = spec(4, 4);
        folded.foldBn = true;   // folds a copy, never the user's model
        const auto a = pipeline::runQuantTrial(model_, folded, calib_, *test_, o);
        const auto b = pipeline::runQuantTrial(model_, spec(4, 4), calib_, *test_, o);
        const auto c = pipeline::runQuantTrial(model_, folded, calib_, *test_, o);
        QCOMPARE(a.top1, c.top1);
        QVERIFY(b.top1 > 0);
        QVERIFY(torch::equal(before, probeLogits()));
        QVERIFY(!model_->quantLayers().front().hook());   // hooks detached
    }

    void cancelAndBadInput() {
        pipeline::QuantTrialOptions o;
        o.cancel.cancel();
        QVERIFY_EXCEPTION_THROWN(pipeline::runQuantTrial(model_, spec(4, 4), calib_, *test_, o), runtime::Cancelled);
        try {
            pipeline::runQuantTrial(model_, spec(4, 4), torch::Tensor(), *test_, {});
            QFAIL("expected QuantError");
        } catch (const quant::QuantError& e) {
            QVERIFY2(std::string(e.what()).find("calibration set is empty") != std::string::npos, e.what());
        }
        QVERIFY(!model_->quantLayers().front().hook());
    }
};

QTEST_GUILESS_MAIN(TestQuantTrial)
#include "tst_quanttrial.moc"
