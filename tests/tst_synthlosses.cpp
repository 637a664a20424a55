// Synthesis losses against hand-worked tensors (every number worked out in the comments).
#include "synth/Losses.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace dfq;

namespace {

torch::Tensor t2(std::vector<float> v, int64_t rows, int64_t cols) {
    return torch::tensor(v).reshape({rows, cols});
}

/// Builds a layer's statistics by hand; the batch statistics follow from the per-sample ones by the
/// law of total variance (equal H·W per sample), as the tap computes them.
synth::BnLayerStats layer(const std::string& name, torch::Tensor sampleMean, torch::Tensor sampleVar,
                          torch::Tensor runMean, torch::Tensor runVar) {
    synth::BnLayerStats s;
    s.name = name;
    s.sampleMean = sampleMean;
    s.sampleVar = sampleVar;
    s.batchMean = sampleMean.mean(0);
    s.batchVar = sampleVar.mean(0) + sampleMean.var(0, /*unbiased=*/false);
    s.runningMean = runMean;
    s.runningVar = runVar;
    return s;
}

/// Layer A, N=2, C=2: per-sample means [[1,0],[0,0]], variances [[4,1],[0,1]] (stds [[2,1],[0,1]] with
/// eps 0); running mean [0,0], running var [1,1] (std [1,1]).
synth::BnLayerStats layerA() {
    return layer("a", t2({1, 0, 0, 0}, 2, 2), t2({4, 1, 0, 1}, 2, 2), torch::zeros({2}), torch::ones({2}));
}
/// Layer B, N=2, C=1: means [[0],[2]], variances [[1],[1]]; running mean [0], var [1].
synth::BnLayerStats layerB() {
    return layer("b", t2({0, 2}, 2, 1), t2({1, 1}, 2, 1), torch::zeros({1}), torch::ones({1}));
}

double item(const torch::Tensor& t) { return t.item<double>(); }

} // namespace

class TestSynthLosses : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void zeroqPerSample() {
        synth::BnsOptions o;
        o.eps = 0;
        // Layer A: mean part Σ(μ̃−μ)² = 1² = 1; std part (2−1)² + (1−1)² + (0−1)² + (1−1)² = 2;
        // (1 + 2) / N=2 = 1.5.
        QCOMPARE(item(synth::zeroqBnsLoss({layerA()}, o)), 1.5);
        // Layer B: mean part 0 + 2² = 4; std part 0; 4/2 = 2. Sum over layers: 3.5.
        QCOMPARE(item(synth::zeroqBnsLoss({layerA(), layerB()}, o)), 3.5);
    }

    void zeroqPerBatch() {
        synth::BnsOptions o;
        o.eps = 0;
        o.perBatch = true;
        // Layer A batch stats: mean [0.5, 0]; var c0 = mean(4,0) + var(1,0) = 2 + 0.25 = 2.25 (std 1.5),
        // c1 = mean(1,1) + var(0,0) = 1 (std 1). Loss 0.5² + 0 + 0.5² + 0 = 0.5 (no division).
        QCOMPARE(item(synth::zeroqBnsLoss({layerA()}, o)), 0.5);
    }

    void zeroqEpsEntersBothSides() {
        synth::BnsOptions o;
        o.eps = 3;
        // Layer B with eps 3: stds sqrt(1+3) = 2 on both sides, so only the mean part: 4/2 = 2.
        QCOMPARE(item(synth::zeroqBnsLoss({layerB()}, o)), 2.0);
    }

    void inputTerm() {
        synth::BnsOptions o;
        o.eps = 0;
        // One image, C=2, 1x2: c0 [1,3] -> mean 2, std 1; c1 [−1,1] -> mean 0, std 1.
        // Per sample: (2−0)² + (1−1)² + 0 + 0 = 4, /N=1 -> 4.
        const torch::Tensor img = torch::tensor({1.f, 3.f, -1.f, 1.f}).reshape({1, 2, 1, 2});
        QCOMPARE(item(synth::inputStatsLoss(img, o)), 4.0);
        // Two images: the second is [0,0] / [0,0]: mean 0, std 0 -> (0−1)² per channel = 2.
        // Per sample: (4 + 2)/2 = 3.
        const torch::Tensor two = torch::cat({img, torch::zeros({1, 2, 1, 2})}, 0);
        QCOMPARE(item(synth::inputStatsLoss(two, o)), 3.0);
        // Per batch: c0 {1,3,0,0} mean 1, var (0+4+1+1)/4 = 1.5; c1 {−1,1,0,0} mean 0, var 0.5.
        // 1² + 0² + (√1.5 − 1)² + (√0.5 − 1)².
        o.perBatch = true;
        const double expected = 1.0 + std::pow(std::sqrt(1.5) - 1, 2) + std::pow(std::sqrt(0.5) - 1, 2);
        QVERIFY(std::abs(item(synth::inputStatsLoss(two, o)) - expected) < 1e-6);
    }

    void gdfqVariant() {
        // Layer A: MSE(batch mean [0.5,0], 0) = 0.25/2 = 0.125; MSE(batch var [2.25,1], 1) =
        // (1.25² + 0)/2 = 0.78125; sum 0.90625.
        QCOMPARE(item(synth::gdfqBnsLoss({layerA()})), 0.90625);
        // Layer B: batch mean 1 -> MSE 1; batch var mean(1,1) + var(0,2) = 1 + 1 = 2 -> MSE 1; sum 2.
        // Averaged over the two layers: (0.90625 + 2)/2 = 1.453125.
        QCOMPARE(item(synth::gdfqBnsLoss({layerA(), layerB()})), 1.453125);
    }

    void genieBatchStatisticsPerChannel() {
        // Layer A batch stats (as above): mean [0.5, 0], std [1.5, 1] against [0, 0] / [1, 1]:
        // (0.25 + 0) + (0.25 + 0) = 0.5, averaged over C = 2 channels -> 0.25.
        QCOMPARE(item(synth::genieBnsLoss({layerA()}, 0)), 0.25);
        // Layer B: batch mean 1, var 2 (std √2): 1 + (√2 − 1)², C = 1. Sum with A.
        const double b = 1.0 + std::pow(std::sqrt(2.0) - 1, 2);
        QVERIFY(std::abs(item(synth::genieBnsLoss({layerA(), layerB()}, 0)) - (0.25 + b)) < 1e-6);
        // eps on both sides: B with eps 2 -> stds sqrt(2+2) = 2 and sqrt(1+2) = √3.
        QVERIFY(std::abs(item(synth::genieBnsLoss({layerB()}, 2)) - (1.0 + std::pow(2 - std::sqrt(3.0), 2))) < 1e-6);
        QCOMPARE(item(synth::genieBnsLoss({}, 0)), 0.0);
    }

    void sdaMatrixAndLse() {
        synth::SdaMargins m;
        m.delta = {torch::full({2}, 0.5f), torch::full({1}, 1.0f)};
        m.gamma = {torch::full({2}, 0.5f), torch::full({1}, 0.0f)};
        const torch::Tensor L = synth::sdaLossMatrix({layerA(), layerB()}, m, /*eps=*/0);
        // Layer A: mean gaps [[1,0],[0,0]] − 0.5 -> relu [[0.5,0],[0,0]] -> per sample 0.25, 0;
        //          std gaps |[[2,1],[0,1]] − 1| = [[1,0],[1,0]] − 0.5 -> [[0.5,0],[0.5,0]] -> 0.25, 0.25.
        //          column [0.5, 0.25].
        // Layer B: mean gaps [0,2] − 1 -> [0,1] -> 0, 1; std gaps [0,0] − 0 -> 0. Column [0, 1].
        QVERIFY(torch::equal(L, t2({0.5f, 0.f, 0.25f, 1.f}, 2, 2)));
        // LSE, N = 2 = layers: (1/2)·(ΣL + trace L) = (1.75 + 1.5)/2 = 1.625.
        QCOMPARE(item(synth::lseLoss(L)), 1.625);
        // Without LSE: ΣL / N = 0.875.
        QCOMPARE(item(synth::sdaLoss(L)), 0.875);
    }

    void lseMatchesMatrixFormula() {
        // (1/N)·1ᵀ[(I + 11ᵀ) ⊙ L]·1 written literally, for a square random L.
        torch::manual_seed(1);
        const torch::Tensor L = torch::rand({5, 5});
        const torch::Tensor W = torch::eye(5) + torch::ones({5, 5});
        QVERIFY(std::abs(item(synth::lseLoss(L)) - item((W * L).sum() / 5)) < 1e-6);
    }

    void lseWhenBatchDiffersFromLayers() {
        // 3 samples, 2 layers: sample j emphasises layer j mod 2 -> [[2,1],[1,2],[2,1]].
        QVERIFY(torch::equal(synth::lseWeights(3, 2), t2({2, 1, 1, 2, 2, 1}, 3, 2)));
        // 1 sample, 3 layers: only layer 0 is emphasised.
        QVERIFY(torch::equal(synth::lseWeights(1, 3), t2({2, 1, 1}, 1, 3)));
        // L = [[1,2],[3,4],[5,6]]: W⊙L = [[2,2],[3,8],[10,6]], sum 31, /N=3.
        const torch::Tensor L = t2({1, 2, 3, 4, 5, 6}, 3, 2);
        QVERIFY(std::abs(item(synth::lseLoss(L)) - 31.0 / 3.0) < 1e-6);
    }

    void sdaWithoutMarginsIsZeroQPerSample() {
        // Zero slack reduces SDA to ZeroQ's per-sample terms: ΣL/N == zeroqBnsLoss.
        synth::BnsOptions o;
        o.eps = 1e-6;
        const torch::Tensor L = synth::sdaLossMatrix({layerA(), layerB()}, {}, o.eps);
        QVERIFY(std::abs(item(synth::sdaLoss(L)) - item(synth::zeroqBnsLoss({layerA(), layerB()}, o))) < 1e-6);
    }

    void gradientsReachTheStatistics() {
        auto a = layerA();
        a.sampleMean.requires_grad_(true);
        synth::BnsOptions o;
        o.eps = 0;
        synth::zeroqBnsLoss({a}, o).backward();
        // d/dμ̃ of Σ(μ̃−μ)²/N = 2(μ̃−μ)/2 = μ̃ -> [[1,0],[0,0]].
        QVERIFY(torch::equal(a.sampleMean.grad(), t2({1, 0, 0, 0}, 2, 2)));
        // Inside the slack there is no gradient: margins larger than every gap.
        auto b = layerB();
        b.sampleMean.requires_grad_(true);
        synth::SdaMargins m{{torch::full({1}, 10.f)}, {torch::full({1}, 10.f)}};
        const torch::Tensor L = synth::sdaLossMatrix({b}, m, 0);
        QCOMPARE(item(L.sum()), 0.0);
        synth::lseLoss(L).backward();
        QVERIFY(torch::equal(b.sampleMean.grad(), torch::zeros({2, 1})));
    }

    void softTargetCrossEntropyHandWorked() {
        // Uniform logits over 3 classes, hard target: −log(1/3).
        auto l1 = synth::softTargetCrossEntropy(torch::zeros({1, 3}), torch::tensor({0}, torch::kLong), torch::tensor({1.0f}));
        QVERIFY(std::abs(l1.item<double>() - std::log(3.0)) < 1e-6);
        // logits (ln 2, 0): softmax (2/3, 1/3); target (0.75, 0.25):
        // −(0.75·ln(2/3) + 0.25·ln(1/3)) = 0.304099 + 0.274653 = 0.578752.
        auto l2 = synth::softTargetCrossEntropy(torch::tensor({{float(std::log(2.0)), 0.0f}}), torch::tensor({0}, torch::kLong),
                                         torch::tensor({0.75f}));
        QVERIFY(std::abs(l2.item<double>() - 0.578752) < 1e-5);
    }
    void marginalDistanceHandWorked() {
        // Two samples of class 0 at (1,0) and (0,1): centre (0.5,0.5), cosine 1/√2, d = 1 − 0.707107 = 0.292893.
        const auto f = torch::tensor({{1.0f, 0.0f}, {0.0f, 1.0f}});
        const auto y = torch::tensor({0, 0}, torch::kLong);
        QVERIFY(std::abs(synth::marginalDistanceLoss(f, y, 0.1, 0.2).item<double>() - 0.092893) < 1e-5);   // above the upper bound
        QVERIFY(std::abs(synth::marginalDistanceLoss(f, y, 0.5, 1.0).item<double>() - 0.207107) < 1e-5);   // below the lower bound
        QVERIFY(synth::marginalDistanceLoss(f, y, 0.2, 0.3).item<double>() < 1e-7);                        // inside: no loss
        // Gradients reach the features, not the (detached) centre.
        auto fg = f.clone().requires_grad_(true);
        synth::marginalDistanceLoss(fg, y, 0.1, 0.2).backward();
        QVERIFY(fg.grad().abs().sum().item<double>() > 0);
    }
    void unrecordedLayerIsAnError() {
        synth::BnLayerStats s;
        s.name = "layer9.bn";
        s.runningMean = torch::zeros({1});
        s.runningVar = torch::ones({1});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synth::zeroqBnsLoss({s}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synth::sdaLossMatrix({s}, {}));
        synth::SdaMargins wrong{{torch::zeros({2})}, {torch::zeros({2})}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synth::sdaLossMatrix({layerA(), layerB()}, wrong));
    }
};

QTEST_GUILESS_MAIN(TestSynthLosses)
#include "tst_synthlosses.moc"
