// Normalisation presets (values from the header / the models' training recipes) and the float conversion.
#include "data/ImageConversion.h"
#include "data/Normalization.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace dfq::data;

class TestNormalization : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void presets() {
        const auto in = normalizationPreset("imagenet");
        QCOMPARE(in.name, std::string("imagenet"));
        QCOMPARE(in.mean, (std::vector<float>{0.485f, 0.456f, 0.406f}));
        QCOMPARE(in.stdev, (std::vector<float>{0.229f, 0.224f, 0.225f}));
        const auto c = normalizationPreset("cifar10");
        QCOMPARE(c.mean, (std::vector<float>{0.4914f, 0.4822f, 0.4465f}));
        QCOMPARE(c.stdev, (std::vector<float>{0.2470f, 0.2435f, 0.2616f}));
        QCOMPARE(normalizationPreset("fashion-mnist").mean, std::vector<float>{0.2860f});
        QCOMPARE(normalizationPreset("fashion-mnist").stdev, std::vector<float>{0.3530f});
        QCOMPARE(normalizationPreset("mnist").mean, std::vector<float>{0.1307f});
        QCOMPARE(normalizationPreset("mnist").stdev, std::vector<float>{0.3081f});
        QCOMPARE(normalizationPreset("none").mean, std::vector<float>{0.0f});
        QCOMPARE(normalizationPreset("none").stdev, std::vector<float>{1.0f});
        QCOMPARE(normalizationPresetNames(),
                 (std::vector<std::string>{"imagenet", "cifar10", "fashion-mnist", "mnist", "none"}));
    }

    void unknownPresetListsNames() {
        try {
            normalizationPreset("imagenette");
            QFAIL("expected std::invalid_argument");
        } catch (const std::invalid_argument& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find("imagenette") != std::string::npos, e.what());
            QVERIFY2(msg.find("cifar10") != std::string::npos && msg.find("fashion-mnist") != std::string::npos,
                     e.what());
        }
    }

    void normalizeHandComputed() {
        // Pixels 0, 51, 255 in three channels with the imagenet preset: (v/255 - mean[c]) / std[c].
        torch::Tensor u8 = torch::tensor({0, 51, 255}, torch::kUInt8).view({1, 3, 1, 1});
        torch::Tensor x = normalizeImages(u8, normalizationPreset("imagenet"));
        QCOMPARE(x.scalar_type(), torch::kFloat32);
        QVERIFY(std::abs(x[0][0][0][0].item<float>() - (0.0f - 0.485f) / 0.229f) < 1e-6f);
        QVERIFY(std::abs(x[0][1][0][0].item<float>() - (0.2f - 0.456f) / 0.224f) < 1e-6f);
        QVERIFY(std::abs(x[0][2][0][0].item<float>() - (1.0f - 0.406f) / 0.225f) < 1e-6f);
        // A one-value preset broadcasts over channels.
        torch::Tensor y = normalizeImages(u8, normalizationPreset("mnist"));
        QVERIFY(std::abs(y[0][1][0][0].item<float>() - (0.2f - 0.1307f) / 0.3081f) < 1e-6f);
    }

    void channelMismatchRejected() {
        torch::Tensor u8 = torch::zeros({1, 1, 2, 2}, torch::kUInt8);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, normalizeImages(u8, normalizationPreset("imagenet")));
    }
};

QTEST_GUILESS_MAIN(TestNormalization)
#include "tst_normalization.moc"
