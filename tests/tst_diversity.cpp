// Diversity, mode collapse, class centroids, 2-D PCA and teacher confidence on known inputs.
#include "metrics/Centroids.h"
#include "metrics/Confidence.h"
#include "metrics/Diversity.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace dfq;

namespace {

bool near(double a, double b, double tol = 1e-6) { return std::abs(a - b) <= tol; }

/// Brute force mean over i<j of 1 − cos, for checking the O(n·D) formula.
double bruteForce(const torch::Tensor& x) {
    const int64_t n = x.size(0);
    double sum = 0;
    int64_t pairs = 0;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = i + 1; j < n; ++j, ++pairs)
            sum += 1.0 - torch::cosine_similarity(x[i].unsqueeze(0), x[j].unsqueeze(0), 1).item<double>();
    return sum / double(pairs);
}

} // namespace

class TestDiversity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cosineDistanceKnownCases() {
        // Identical samples: 0 (any positive scale is the same direction).
        const auto same = torch::tensor({1.f, 2.f, 3.f}).repeat({4, 1}) * torch::tensor({1.f, 2.f, 0.5f, 9.f}).unsqueeze(1);
        QVERIFY(near(metrics::meanPairwiseCosineDistance(same), 0.0));
        // Orthogonal samples: 1.
        QVERIFY(near(metrics::meanPairwiseCosineDistance(torch::eye(5)), 1.0));
        // Opposite pair: 2.
        QVERIFY(near(metrics::meanPairwiseCosineDistance(torch::tensor({1.f, 0.f, -1.f, 0.f}).reshape({2, 2})), 2.0));
        // (1,0), (0,1), (1,1): cosines 0, 1/√2, 1/√2 -> mean distance 1 − √2/3 = 0.5285954.
        const auto three = torch::tensor({1.f, 0.f, 0.f, 1.f, 1.f, 1.f}).reshape({3, 2});
        QVERIFY(near(metrics::meanPairwiseCosineDistance(three), 1.0 - std::sqrt(2.0) / 3.0));
        // Fewer than two samples: undefined.
        QVERIFY(std::isnan(metrics::meanPairwiseCosineDistance(torch::ones({1, 3}))));
        // Images [N,C,H,W] are flattened; random rows agree with the brute-force pairwise mean.
        torch::manual_seed(5);
        const auto imgs = torch::randn({6, 3, 4, 4});
        QVERIFY(near(metrics::meanPairwiseCosineDistance(imgs), bruteForce(imgs.reshape({6, -1})), 1e-5));
    }

    void perClassDiversityAndModeCollapse() {
        // Class 0: two identical rows (diversity 0); class 1: orthogonal rows (1); class 2: one row (NaN).
        const auto rows = torch::tensor({1.f, 0.f, 1.f, 0.f, 1.f, 0.f, 0.f, 1.f, 3.f, 3.f}).reshape({5, 2});
        const auto labels = torch::tensor({0, 0, 1, 1, 2}, torch::kLong);
        const auto d = metrics::intraClassDiversity(rows, labels, 4);
        QVERIFY(near(d.perClass[0], 0.0) && near(d.perClass[1], 1.0));
        QVERIFY(std::isnan(d.perClass[2]) && std::isnan(d.perClass[3]));
        QCOMPARE(d.counts, (std::vector<int64_t>{2, 2, 1, 0}));
        QVERIFY(near(d.meanOverClasses, 0.5));
        QVERIFY(near(d.pooled, bruteForce(rows)));

        // Reference: both classes at diversity 1 -> collapse 1 − 0/1 = 1 for class 0, 1 − 1/1 = 0 for 1;
        // class 2 has no synthetic diversity -> NaN.
        const auto ref = metrics::intraClassDiversity(torch::eye(4).repeat({2, 1}),
                                                      torch::tensor({0, 0, 1, 1, 2, 2, 3, 3}, torch::kLong), 4);
        const auto collapse = metrics::modeCollapse(d, ref);
        QVERIFY(near(collapse[0], 1.0) && near(collapse[1], 0.0));
        QVERIFY(std::isnan(collapse[2]) && std::isnan(collapse[3]));
        // A reference class without two samples falls back to the reference's mean over classes.
        auto sparseRef = ref;
        sparseRef.perClass[1] = std::nan("");
        sparseRef.meanOverClasses = 0.5;
        QVERIFY(near(metrics::modeCollapse(d, sparseRef)[1], 1.0 - 1.0 / 0.5));
    }

    void centroids() {
        // Class 0: (0,0), (2,2) -> (1,1); class 1: (4,0); class 2: no samples -> NaN row.
        const auto f = torch::tensor({0.f, 0.f, 2.f, 2.f, 4.f, 0.f}).reshape({3, 2});
        const auto c = metrics::classCentroids(f, torch::tensor({0, 0, 1}, torch::kLong), 3);
        QCOMPARE(c.counts, (std::vector<int64_t>{2, 1, 0}));
        QVERIFY(torch::equal(c.centroids.slice(0, 0, 2), torch::tensor({1.f, 1.f, 4.f, 0.f}).reshape({2, 2})));
        QVERIFY(torch::isnan(c.centroids[2]).all().item<bool>());
        QCOMPARE(c.presentClasses(), (std::vector<int64_t>{0, 1}));
        QVERIFY(torch::equal(c.present(), c.centroids.slice(0, 0, 2)));
    }

    void pcaOfPointsOnALine() {
        // p_t = (1,1) + t·(0.6, 0.8), t = −2..2: first axis ±(0.6,0.8), sign fixed so the larger entry
        // (0.8) is positive; coordinates along it are t; no second axis; all variance on the first.
        const auto t = torch::arange(-2, 3).to(torch::kFloat32).unsqueeze(1);
        const auto pts = torch::tensor({1.f, 1.f}) + t * torch::tensor({0.6f, 0.8f});
        const auto p = metrics::pca2d(pts);
        QVERIFY(torch::allclose(p.components[0], torch::tensor({0.6f, 0.8f}), 1e-5, 1e-6));
        QVERIFY(torch::allclose(p.projected.select(1, 0), t.squeeze(1), 1e-5, 1e-5));
        QVERIFY(torch::allclose(p.projected.select(1, 1), torch::zeros({5}), 1e-5, 1e-5));
        QVERIFY(torch::allclose(p.mean, torch::tensor({1.f, 1.f})));
        QVERIFY(near(p.explained[0], 1.0, 1e-9) && near(p.explained[1], 0.0, 1e-9));
    }

    void pcaOfAPlaneIn3d() {
        // Points (±3, 0, 0) and (0, ±1, 0): variance 4.5 along x, 0.5 along y -> explained 0.9 / 0.1.
        const auto pts = torch::tensor({3.f, 0.f, 0.f, -3.f, 0.f, 0.f, 0.f, 1.f, 0.f, 0.f, -1.f, 0.f}).reshape({4, 3});
        const auto p = metrics::pca2d(pts);
        QVERIFY(near(p.explained[0], 0.9, 1e-6) && near(p.explained[1], 0.1, 1e-6));
        QVERIFY(torch::allclose(p.components, torch::tensor({1.f, 0.f, 0.f, 0.f, 1.f, 0.f}).reshape({2, 3}), 1e-5, 1e-6));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, metrics::pca2d(torch::full({2, 2}, NAN)));
    }

    void teacherConfidence() {
        // Equal logits over K=4: max prob 1/4, entropy log 4.
        auto c = metrics::teacherConfidence(torch::zeros({3, 4}));
        QVERIFY(near(c.meanMaxProbability, 0.25) && near(c.meanEntropy, std::log(4.0)));
        // One huge logit: certain, entropy 0 (no NaN from 0·log 0).
        c = metrics::teacherConfidence(torch::tensor({1000.f, 0.f, 0.f}).reshape({1, 3}));
        QVERIFY(near(c.meanMaxProbability, 1.0) && near(c.meanEntropy, 0.0));
        // Two classes with logits (log 3, 0): p = (3/4, 1/4), H = −(0.75 ln 0.75 + 0.25 ln 0.25) = 0.5623351.
        c = metrics::teacherConfidence(torch::tensor({float(std::log(3.0)), 0.f}).reshape({1, 2}));
        QVERIFY(near(c.meanMaxProbability, 0.75) && near(c.meanEntropy, 0.5623351));
    }

    // Hand-worked: class 0 holds (1,0), (1,1), (2,0.2), (0,1); class 1 holds (1,0), (-1,0); class 2 one row.
    // cos of class 0's pairs: (1,0)·(2,.2) = 2/2.00998 = 0.99504; (1,1)·(2,.2) = 2.2/(1.41421·2.00998)
    // = 0.77395; (1,0)·(1,1) = 0.70711 = (1,1)·(0,1); (2,.2)·(0,1) = 0.2/2.00998 = 0.09950; (1,0)·(0,1) = 0.
    void mostSimilarPairsHandWorked() {
        const auto rows = torch::tensor({1.0, 0.0, 1.0, 1.0, 2.0, 0.2, 0.0, 1.0, 1.0, 0.0, -1.0, 0.0, 3.0, 3.0}).reshape({7, 2});
        const auto labels = torch::tensor({0, 0, 0, 0, 1, 1, 2}, torch::kLong);
        const auto pairs = metrics::mostSimilarPairs(rows, labels, 3, 3);
        QCOMPARE(int(pairs.size()), 4);   // class 0: three of its six pairs; class 1: its one; class 2: none
        QCOMPARE(pairs[0].cls, int64_t(0));
        QCOMPARE(pairs[0].a, int64_t(0));
        QCOMPARE(pairs[0].b, int64_t(2));
        QVERIFY(std::abs(pairs[0].similarity - 2.0 / std::sqrt(4.04)) < 1e-9);
        QCOMPARE(pairs[1].a, int64_t(1));
        QCOMPARE(pairs[1].b, int64_t(2));
        QVERIFY(std::abs(pairs[1].similarity - 2.2 / (std::sqrt(2.0) * std::sqrt(4.04))) < 1e-9);
        QVERIFY(std::abs(pairs[2].similarity - std::sqrt(0.5)) < 1e-9);   // one of the two ties
        QCOMPARE(pairs[3].cls, int64_t(1));
        QCOMPARE(pairs[3].a, int64_t(4));
        QCOMPARE(pairs[3].b, int64_t(5));
        QVERIFY(std::abs(pairs[3].similarity + 1.0) < 1e-12);
        // A zero row: similarity 0, not NaN.
        const auto zero = metrics::mostSimilarPairs(torch::tensor({0.0, 0.0, 1.0, 0.0}).reshape({2, 2}),
                                                    torch::tensor({0, 0}, torch::kLong), 1, 3);
        QCOMPARE(int(zero.size()), 1);
        QCOMPARE(zero[0].similarity, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestDiversity)
#include "tst_diversity.moc"
