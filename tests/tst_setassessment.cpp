// synth::assessSyntheticSet on the embedded model: a set of repeated images scores zero diversity and
// full mode collapse; the centroid map places every image and one point per class present; the
// numbers agree with the metrics they are built from.
#include "metrics/Confidence.h"
#include "models/ModelLoader.h"
#include "runtime/Resources.h"
#include "synth/SetAssessment.h"
#include "synth/Synthesize.h"
#include "support/SharedData.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace dfq;

class TestSetAssessment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void collapsedAndNoiseSets() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        auto model = models::loadModel(runtime::defaultModelPath(), "auto").model;
        model->eval();
        const auto& info = model->info();

        // 12 copies each of 3 random images: within every label the features are identical.
        torch::manual_seed(8);
        const torch::Tensor three = torch::randn({3, info.inChannels, info.inHeight, info.inWidth});
        synth::SyntheticSet collapsed;
        collapsed.images = three.repeat_interleave(12, 0);
        {
            torch::NoGradGuard ng;
            collapsed.labels = model->forward(collapsed.images).argmax(1);
        }
        const auto a = synth::assessSyntheticSet(*model, collapsed);
        QCOMPARE(a.layers.size(), model->bnLayers().size());
        QVERIFY(a.mean.kl > 0);
        for (size_t c = 0; c < a.features.perClass.size(); ++c) {
            if (a.features.counts[c] < 2)
                continue;
            // Same image -> diversity 0; a label that holds two different images would be > 0.
            const int64_t distinct = [&] {
                int64_t d = 0;
                for (int i = 0; i < 3; ++i)
                    d += collapsed.labels[i * 12].item<int64_t>() == int64_t(c);
                return d;
            }();
            if (distinct == 1) {
                QVERIFY(std::abs(a.features.perClass[c]) < 1e-5);
                QVERIFY2(std::abs(a.modeCollapse[c] - 1.0) < 1e-4, qPrintable(QString::number(a.modeCollapse[c])));
            }
        }
        // The map: every image on it, one centroid per label present.
        QCOMPARE(a.imageMap.sizes(), (c10::IntArrayRef{36, 2}));
        QCOMPARE(a.centroidMap.projected.size(0), int64_t(a.centroids.presentClasses().size()));
        // The same map per BN layer, and the closest pairs: identical images, similarity 1.
        QCOMPARE(a.layerMaps.size(), model->bnLayers().size());
        for (const auto& m : a.layerMaps) {
            QCOMPARE(m.imageMap.sizes(), (c10::IntArrayRef{36, 2}));
            QCOMPARE(m.centroidMap.projected.size(0), int64_t(a.centroids.presentClasses().size()));
        }
        QCOMPARE(a.layerMaps.front().layer, model->bnLayers().front().name);
        QVERIFY(!a.closestPairs.empty());
        for (const auto& p : a.closestPairs) {
            QCOMPARE(collapsed.labels[p.a].item<int64_t>(), p.cls);
            QCOMPARE(collapsed.labels[p.b].item<int64_t>(), p.cls);
            QVERIFY(p.a < p.b);
        }
        QVERIFY2(a.closestPairs.front().similarity > 1 - 1e-5, qPrintable(QString::number(a.closestPairs.front().similarity)));
        // Confidence is the metric on the set's logits.
        torch::Tensor logits;
        {
            torch::NoGradGuard ng;
            logits = model->forward(collapsed.images);
        }
        QVERIFY(std::abs(a.confidence.meanMaxProbability - metrics::teacherConfidence(logits).meanMaxProbability) < 1e-6);
        // The labels are the teacher's predictions here, so each label's probability is the row's maximum.
        QVERIFY(torch::allclose(a.labelProbability, torch::softmax(logits, 1).amax(1), 1e-5, 1e-6));

        // Noise against the noise reference: not collapsed on average (score near 0, far from 1).
        const auto noise = synth::synthesize("noise", *model, nullptr, 64, 3);
        const auto n = synth::assessSyntheticSet(*model, noise);
        double sum = 0;
        int count = 0;
        for (double v : n.modeCollapse)
            if (std::isfinite(v)) {
                sum += v;
                ++count;
            }
        QVERIFY(count > 0);
        QVERIFY2(std::abs(sum / count) < 0.5, qPrintable(QString::number(sum / count)));
        QVERIFY(n.mapOfCentroids == (n.centroids.presentClasses().size() >= 3));
    }
};

QTEST_GUILESS_MAIN(TestSetAssessment)
#include "tst_setassessment.moc"
