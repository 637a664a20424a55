// ClusterQ's pieces (generative/ClassStatistics, ClusterCentroids, ClusterQMethod) against hand-worked
// values: class statistics of a mixed batch, the EMA (updated only from correctly classified samples),
// the class alignment loss, and the range of the diversity perturbation.
#include "generative/ClassStatistics.h"
#include "generative/ClusterCentroids.h"
#include "generative/GeneratorMethod.h"
#include "models/ModelZoo.h"

#include <QtTest/QtTest>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

using namespace dfq;
using namespace dfq::generative;

namespace {

// One BN layer of 2 channels seen by 3 samples: per-sample means and (biased) variances.
synth::BnLayerStats layer() {
    synth::BnLayerStats s;
    s.name = "bn";
    s.sampleMean = torch::tensor({{1.0, 2.0}, {3.0, 0.0}, {5.0, 4.0}});
    s.sampleVar = torch::tensor({{1.0, 0.5}, {1.0, 0.5}, {2.0, 1.0}});
    return s;
}

double item(const torch::Tensor& t) { return t.item<double>(); }

} // namespace

class TestClusterCentroids : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classStatisticsByHand() {
        // classes: samples 0 and 1 are class 0, sample 2 is class 1, class 2 is empty.
        const auto s = classStatistics(layer(), torch::tensor({0L, 0L, 1L}), 3);
        // class 0, channel 0: mean (1+3)/2 = 2; E[x²] = ((1+1) + (1+9))/2 = 6 -> var 6 - 4 = 2
        // class 0, channel 1: mean 1; E[x²] = ((0.5+4) + (0.5+0))/2 = 2.5 -> var 1.5
        QCOMPARE(item(s.mean[0][0]), 2.0);
        QCOMPARE(item(s.var[0][0]), 2.0);
        QCOMPARE(item(s.mean[0][1]), 1.0);
        QCOMPARE(item(s.var[0][1]), 1.5);
        QCOMPARE(item(s.mean[1][0]), 5.0);
        QCOMPARE(item(s.var[1][1]), 1.0);
        QCOMPARE(s.counts[0].item<int64_t>(), 2);
        QCOMPARE(s.counts[2].item<int64_t>(), 0);
        QCOMPARE(item(s.mean[2].abs().sum()), 0.0);
        // label -1 leaves a sample out: class 0 is then sample 0 alone
        const auto t = classStatistics(layer(), torch::tensor({0L, -1L, 1L}), 3);
        QCOMPARE(item(t.mean[0][0]), 1.0);
        QCOMPARE(item(t.var[0][0]), 1.0);
        QCOMPARE(t.counts[0].item<int64_t>(), 1);
    }

    void deepLayersFollowThePaper() {
        // ResNet-20 has 19 BNs: floor(20/2) - 2 = 8 onwards
        const auto d = deepBnLayers(19);
        QCOMPARE(d.front(), size_t(8));
        QCOMPARE(d.back(), size_t(18));
        QCOMPARE(d.size(), size_t(11));
        QCOMPARE(deepBnLayers(2).front(), size_t(0));
    }

    void emaSetsThenMoves() {
        ClusterCentroids c({2}, 2);
        ClassStats s;
        s.mean = torch::tensor({{1.0, 2.0}, {0.0, 0.0}});
        s.var = torch::tensor({{4.0, 4.0}, {1.0, 1.0}});
        s.counts = torch::tensor({3L, 0L});
        c.update({s});
        QVERIFY(c.initialised(0));
        QVERIFY(!c.initialised(1));               // no sample of class 1: untouched
        QCOMPARE(item(c.means(0)[0][1]), 2.0);     // first update sets
        s.mean = torch::tensor({{6.0, 2.0}, {9.0, 9.0}});
        s.var = torch::tensor({{9.0, 4.0}, {9.0, 9.0}});
        s.counts = torch::tensor({1L, 0L});
        c.update({s});
        QCOMPARE(item(c.means(0)[0][0]), 0.8 * 1.0 + 0.2 * 6.0);   // 2.0
        QCOMPARE(item(c.vars(0)[0][0]), 0.8 * 4.0 + 0.2 * 9.0);    // 5.0
        QVERIFY(!c.initialised(1));
    }

    void alignmentLossByHand() {
        CentroidOptions noNoise;
        noNoise.meanNoise = noNoise.varNoise = 0;
        ClusterCentroids c({2}, 3, noNoise);
        ClassStats init;
        init.mean = torch::tensor({{0.0, 0.0}, {1.0, 1.0}, {0.0, 0.0}});
        init.var = torch::tensor({{1.0, 1.0}, {1.0, 1.0}, {1.0, 1.0}});
        init.counts = torch::tensor({1L, 1L, 0L});
        c.update({init});
        auto gen = at::detail::createCPUGenerator(1);
        // batch: class 0 mean (1, 3), var (1, 3); class 1 mean (1, 1), var (2, 2); class 2 has no centroid
        ClassStats b;
        b.mean = torch::tensor({{1.0, 3.0}, {1.0, 1.0}, {7.0, 7.0}});
        b.var = torch::tensor({{1.0, 3.0}, {2.0, 2.0}, {7.0, 7.0}});
        b.counts = torch::tensor({2L, 1L, 4L});
        // class 0: MSE mean ((1)² + (3)²)/2 = 5, MSE var (0 + 4)/2 = 2 -> 7; class 1: 0 + (1+1)/2 = 1
        // mean over the two classes with centroids: 4
        QCOMPARE(item(c.alignmentLoss({b}, gen)), 4.0);
        // a class with no sample in the batch is skipped too
        b.counts = torch::tensor({0L, 1L, 4L});
        QCOMPARE(item(c.alignmentLoss({b}, gen)), 1.0);
    }

    void perturbationStaysInItsRange() {
        ClusterCentroids c({64}, 10);
        auto gen = at::detail::createCPUGenerator(7);
        auto [m, v] = c.perturbedTargets(0, gen);
        // centroids start at mean 0 / var 1: the targets are the noise itself
        const double maxM = item((m - c.means(0)).abs().max()), maxV = item((v - c.vars(0)).abs().max());
        QVERIFY(maxM <= 0.03 + 1e-7);
        QVERIFY(maxV <= 0.05 + 1e-7);
        QVERIFY(maxM > 0.025);   // 640 draws reach near the bound
        QVERIFY(maxV > 0.045);
        auto [m2, v2] = c.perturbedTargets(0, gen);
        QVERIFY(!torch::equal(m, m2));   // resampled on every call
    }

    void clusterQUpdatesOnlyFromCorrectSamples() {
        auto model = models::createModel("fmnist_resnet8");
        auto method = createGeneratorMethod("clusterq");
        auto options = resolveGeneratorOptions(*method, {{"centroid_epoch", 0}});
        const size_t L = model->bnLayers().size();
        method->begin(*model, options, L);
        // two samples per forward: sample 0 conditioned on class 3 and predicted 3, sample 1
        // conditioned on 5 but predicted 0 (wrong): only class 3 gets a centroid.
        std::vector<synth::BnLayerStats> stats;
        for (auto& bn : model->bnLayers()) {
            const int64_t C = bn.bn->channels();
            synth::BnLayerStats s;
            s.name = bn.name;
            s.sampleMean = torch::stack({torch::full({C}, 2.0), torch::full({C}, 9.0)});
            s.sampleVar = torch::ones({2, C});
            stats.push_back(s);
        }
        auto logits = torch::zeros({2, 10});
        logits[0][3] = 5;
        logits[1][0] = 5;
        GeneratedBatch b{torch::zeros({2, 1, 28, 28}), torch::tensor({3L, 5L}), logits, &stats, 0, 0};
        method->afterGeneratorStep(b);
        EpochReport r;
        method->describeEpoch(r);
        const auto init = r.methodTensors.at("centroid_initialised");
        QCOMPARE(init[3].item<int64_t>(), 1);
        QCOMPARE(init[5].item<int64_t>(), 0);
        QCOMPARE(r.methodJson.at("classes_with_centroid").get<int64_t>(), 1);
        QCOMPARE(item(r.methodTensors.at("centroid_means")[3].mean()), 2.0);   // from sample 0 alone
    }
};

QTEST_GUILESS_MAIN(TestClusterCentroids)
#include "tst_clustercentroids.moc"
