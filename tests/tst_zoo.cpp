// Zoo architectures: parameter counts and key sets equal to torchvision / pytorch_resnet_cifar10,
// forward shapes, registration order == forward order, detection, and (with ../shared) reference
// logits computed by PyTorch.
#include "support/SharedData.h"

#include "checkpoint/CheckpointReader.h"
#include "models/ModelError.h"
#include "models/ModelLoader.h"
#include "models/ModelZoo.h"
#include "models/StateDictMapping.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <tuple>

using namespace dfq;

namespace {

/// Records the order in which hooked layers run.
struct OrderLog {
    std::vector<std::string> names;
};

class RecordingWeightHook : public models::WeightInputHook {
public:
    RecordingWeightHook(std::string name, OrderLog* log) : name_(std::move(name)), log_(log) {}
    torch::Tensor input(const torch::Tensor& x) override {
        log_->names.push_back(name_);
        return x;
    }

private:
    std::string name_;
    OrderLog* log_;
};

class RecordingTensorHook : public models::TensorHook {
public:
    RecordingTensorHook(std::string name, OrderLog* log) : name_(std::move(name)), log_(log) {}
    torch::Tensor apply(const torch::Tensor& x) override {
        log_->names.push_back(name_);
        return x;
    }

private:
    std::string name_;
    OrderLog* log_;
};

class RecordingBnHook : public models::BatchNormHook {
public:
    RecordingBnHook(std::string name, OrderLog* log) : name_(std::move(name)), log_(log) {}
    void observeInput(const torch::Tensor&) override { log_->names.push_back(name_); }

private:
    std::string name_;
    OrderLog* log_;
};

torch::Tensor randomInput(const models::ModelInfo& info, int64_t n) {
    return torch::randn({n, info.inChannels, info.inHeight, info.inWidth});
}

std::vector<int64_t> shapeOf(const torch::Tensor& t) { return t.sizes().vec(); }

/// Reads a *-reference-io.pt fixture: {input, logits} as computed by PyTorch.
std::pair<torch::Tensor, torch::Tensor> readReference(const std::string& path) {
    const checkpoint::Checkpoint ck = checkpoint::readCheckpoint(path);
    return {ck.tensors.at("input").to(torch::kFloat32), ck.tensors.at("logits").to(torch::kFloat32)};
}

} // namespace

class TestZoo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        torch::manual_seed(0);
        torch::set_num_threads(2);
    }

    void parameterCounts_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<qlonglong>("params");
        QTest::addColumn<int>("entries");   // state-dict entries incl. buffers and num_batches_tracked
        // Parameter counts as torchvision / torchsummary report them. Entries: 6 per conv+BN pair
        // (weight, BN weight/bias/running_mean/running_var/num_batches_tracked) + 2 for the classifier.
        QTest::newRow("resnet18") << "resnet18" << 11689512LL << 20 * 6 + 2;
        QTest::newRow("resnet34") << "resnet34" << 21797672LL << 36 * 6 + 2;
        QTest::newRow("resnet50") << "resnet50" << 25557032LL << 53 * 6 + 2;
        QTest::newRow("mobilenet_v2") << "mobilenet_v2" << 3504872LL << 52 * 6 + 2;
        QTest::newRow("resnet20") << "resnet20" << 269722LL << 19 * 6 + 2;
        QTest::newRow("resnet32") << "resnet32" << 464154LL << 31 * 6 + 2;
    }
    void parameterCounts() {
        QFETCH(QString, arch);
        QFETCH(qlonglong, params);
        QFETCH(int, entries);
        models::ZooModel m = models::createModel(arch.toStdString());
        QCOMPARE(qlonglong(m->parameterCount()), params);
        QCOMPARE(int(models::extractStateDict(*m).size()), entries);
        QCOMPARE(int(m->quantLayers().size()), (entries - 2) / 6 + 1);
        QCOMPARE(int(m->bnLayers().size()), (entries - 2) / 6);
    }

    void resnet18Count() { QCOMPARE(int(models::extractStateDict(*models::createModel("resnet18")).size()), 122); }

    void torchvisionResNetKeys() {
        const auto r18 = models::extractStateDict(*models::createModel("resnet18"));
        QCOMPARE(shapeOf(r18.at("conv1.weight")), (std::vector<int64_t>{64, 3, 7, 7}));
        QVERIFY(!r18.contains("layer1.0.downsample.0.weight"));   // identity shortcut in stage 1
        QCOMPARE(shapeOf(r18.at("layer2.0.downsample.0.weight")), (std::vector<int64_t>{128, 64, 1, 1}));
        QCOMPARE(shapeOf(r18.at("layer2.0.downsample.1.running_var")), (std::vector<int64_t>{128}));
        QVERIFY(r18.contains("layer4.1.bn2.num_batches_tracked"));
        QVERIFY(!r18.contains("layer4.2.conv1.weight"));
        QCOMPARE(shapeOf(r18.at("fc.weight")), (std::vector<int64_t>{1000, 512}));
        // torchvision registers downsample after the block's convolutions; so must we.
        std::vector<std::string> params;
        for (const auto& p : models::createModel("resnet18")->named_parameters())
            params.push_back(p.key());
        const auto pos = [&](const std::string& k) { return std::find(params.begin(), params.end(), k) - params.begin(); };
        QVERIFY(pos("layer2.0.bn2.bias") < pos("layer2.0.downsample.0.weight"));
        QVERIFY(pos("layer2.0.downsample.1.bias") < pos("layer2.1.conv1.weight"));

        const auto r50 = models::extractStateDict(*models::createModel("resnet50"));
        QCOMPARE(shapeOf(r50.at("layer1.0.conv1.weight")), (std::vector<int64_t>{64, 64, 1, 1}));
        QCOMPARE(shapeOf(r50.at("layer1.0.conv3.weight")), (std::vector<int64_t>{256, 64, 1, 1}));
        QCOMPARE(shapeOf(r50.at("layer1.0.downsample.0.weight")), (std::vector<int64_t>{256, 64, 1, 1}));
        QCOMPARE(shapeOf(r50.at("layer3.5.bn3.weight")), (std::vector<int64_t>{1024}));
        QCOMPARE(shapeOf(r50.at("fc.weight")), (std::vector<int64_t>{1000, 2048}));
    }

    void resnet50StrideOnThreeByThree() {
        // v1.5: layer2.0's 1x1 keeps the resolution and its 3x3 halves it.
        models::ZooModel m = models::createModel("resnet50");
        for (auto& l : m->quantLayers()) {
            if (l.name == "layer2.0.conv1")
                QCOMPARE(l.conv->options().stride, int64_t(1));
            if (l.name == "layer2.0.conv2")
                QCOMPARE(l.conv->options().stride, int64_t(2));
            if (l.name == "layer2.0.downsample.0")
                QCOMPARE(l.conv->options().stride, int64_t(2));
        }
    }

    void mobileNetV2Keys() {
        models::ZooModel m = models::createModel("mobilenet_v2");
        const auto sd = models::extractStateDict(*m);
        QCOMPARE(shapeOf(sd.at("features.0.0.weight")), (std::vector<int64_t>{32, 3, 3, 3}));
        QCOMPARE(shapeOf(sd.at("features.0.1.running_mean")), (std::vector<int64_t>{32}));
        // features.1 (t = 1): depthwise ConvBNReLU6, pointwise conv, BN.
        QCOMPARE(shapeOf(sd.at("features.1.conv.0.0.weight")), (std::vector<int64_t>{32, 1, 3, 3}));
        QCOMPARE(shapeOf(sd.at("features.1.conv.1.weight")), (std::vector<int64_t>{16, 32, 1, 1}));
        QCOMPARE(shapeOf(sd.at("features.1.conv.2.weight")), (std::vector<int64_t>{16}));
        // features.2 (t = 6): expand, depthwise, pointwise, BN.
        QCOMPARE(shapeOf(sd.at("features.2.conv.0.0.weight")), (std::vector<int64_t>{96, 16, 1, 1}));
        QCOMPARE(shapeOf(sd.at("features.2.conv.1.0.weight")), (std::vector<int64_t>{96, 1, 3, 3}));
        QCOMPARE(shapeOf(sd.at("features.2.conv.2.weight")), (std::vector<int64_t>{24, 96, 1, 1}));
        QCOMPARE(shapeOf(sd.at("features.2.conv.3.running_var")), (std::vector<int64_t>{24}));
        QCOMPARE(shapeOf(sd.at("features.17.conv.2.weight")), (std::vector<int64_t>{320, 960, 1, 1}));
        QCOMPARE(shapeOf(sd.at("features.18.0.weight")), (std::vector<int64_t>{1280, 320, 1, 1}));
        QCOMPARE(shapeOf(sd.at("classifier.1.weight")), (std::vector<int64_t>{1000, 1280}));
        QVERIFY(!sd.contains("features.19.0.weight"));

        int depthwise = 0;
        for (auto& l : m->quantLayers())
            if (l.isConv() && l.conv->options().groups > 1) {
                QCOMPARE(l.conv->options().groups, l.conv->options().in);
                ++depthwise;
            }
        QCOMPARE(depthwise, 17);
    }

    void activations() {
        // One Activation module per ReLU use: stem + 2 per BasicBlock / 3 per Bottleneck.
        auto r18 = models::createModel("resnet18")->activations();
        QCOMPARE(int(r18.size()), 1 + 8 * 2);
        QCOMPARE(r18.front().name, std::string("relu"));
        QCOMPARE(r18.back().name, std::string("layer4.1.relu2"));
        QCOMPARE(int(models::createModel("resnet50")->activations().size()), 1 + 16 * 3);
        // MobileNetV2: stem, 1 in features.1, 2 in each of features.2..17, features.18; all ReLU6.
        auto mb = models::createModel("mobilenet_v2")->activations();
        QCOMPARE(int(mb.size()), 1 + 1 + 16 * 2 + 1);
        for (auto& a : mb)
            QVERIFY(a.act->kind() == models::ActivationKind::ReLU6);
    }

    void bnFollowsItsConvolution_data() {
        QTest::addColumn<QString>("arch");
        for (const char* a : {"resnet18", "resnet50", "mobilenet_v2"})
            QTest::newRow(a) << a;
    }
    void bnFollowsItsConvolution() {
        QFETCH(QString, arch);
        models::ZooModel m = models::createModel(arch.toStdString());
        for (auto& bn : m->bnLayers()) {
            QVERIFY2(!bn.convName.empty(), bn.name.c_str());
            const torch::Tensor* w = nullptr;
            for (auto& l : m->quantLayers())
                if (l.name == bn.convName)
                    w = &l.weight();
            QVERIFY2(w, bn.convName.c_str());
            QCOMPARE(w->size(0), bn.bn->channels());
        }
        if (arch == "resnet18") {
            auto bns = m->bnLayers();
            auto it = std::find_if(bns.begin(), bns.end(), [](auto& b) { return b.name == "layer2.0.downsample.1"; });
            QVERIFY(it != bns.end());
            QCOMPARE(it->convName, std::string("layer2.0.downsample.0"));
        }
    }

    void registrationOrderIsForwardOrder_data() {
        QTest::addColumn<QString>("arch");
        for (const char* a : {"resnet18", "resnet50", "mobilenet_v2", "resnet20"})
            QTest::newRow(a) << a;
    }
    void registrationOrderIsForwardOrder() {
        QFETCH(QString, arch);
        models::ZooModel m = models::createModel(arch.toStdString());
        m->eval();
        OrderLog log;
        std::vector<std::string> expected;
        // Registration order of every hooked module, interleaved as named_modules lists them.
        for (const auto& item : m->named_modules("", false)) {
            if (auto c = std::dynamic_pointer_cast<models::Conv2dImpl>(item.value()))
                c->hook = std::make_shared<RecordingWeightHook>(item.key(), &log);
            else if (auto l = std::dynamic_pointer_cast<models::LinearImpl>(item.value()))
                l->hook = std::make_shared<RecordingWeightHook>(item.key(), &log);
            else if (auto b = std::dynamic_pointer_cast<models::BatchNorm2dImpl>(item.value()))
                b->hook = std::make_shared<RecordingBnHook>(item.key(), &log);
            else if (auto a = std::dynamic_pointer_cast<models::ActivationImpl>(item.value()))
                a->hook = std::make_shared<RecordingTensorHook>(item.key(), &log);
            else
                continue;
            expected.push_back(item.key());
        }
        torch::NoGradGuard ng;
        const int64_t side = arch == "resnet20" ? 32 : 64;   // small input: only the order matters here
        m->forward(torch::randn({1, 3, side, side}));
        QCOMPARE(log.names, expected);
    }

    void forwardShapes_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("featureDim");
        QTest::newRow("resnet18") << "resnet18" << 512;
        QTest::newRow("resnet34") << "resnet34" << 512;
        QTest::newRow("resnet50") << "resnet50" << 2048;
        QTest::newRow("mobilenet_v2") << "mobilenet_v2" << 1280;
    }
    void forwardShapes() {
        QFETCH(QString, arch);
        QFETCH(int, featureDim);
        models::ZooModel m = models::createModel(arch.toStdString());
        const models::ModelInfo& info = m->info();
        QCOMPARE(info.arch, arch.toStdString());
        QCOMPARE(info.inChannels, int64_t(3));
        QCOMPARE(info.inHeight, int64_t(224));
        QCOMPARE(info.inWidth, int64_t(224));
        QCOMPARE(info.numClasses, int64_t(1000));
        QCOMPARE(info.normalization, std::string("imagenet"));

        m->eval();
        torch::NoGradGuard ng;
        const torch::Tensor x = randomInput(info, 2);
        const torch::Tensor f = m->features(x);
        QCOMPARE(shapeOf(f), (std::vector<int64_t>{2, featureDim}));
        const torch::Tensor y = m->forward(x);
        QCOMPARE(shapeOf(y), (std::vector<int64_t>{2, 1000}));
        QVERIFY(torch::isfinite(y).all().item<bool>());
        // logits = classify(features(x)); in eval() dropout is the identity, so it is deterministic.
        QVERIFY(torch::equal(m->classify(f), y));
        QVERIFY(torch::equal(m->forward(x), y));
    }

    void numClassesOption() {
        models::ArchOptions o;
        o.numClasses = 10;
        for (const char* a : {"resnet18", "resnet50", "mobilenet_v2"}) {
            models::ZooModel m = models::createModel(a, o);
            QCOMPARE(m->info().numClasses, int64_t(10));
            const auto sd = models::extractStateDict(*m);
            QCOMPARE(models::detectNumClasses(sd), int64_t(10));
            QCOMPARE(models::detectArchitecture(sd), std::string(a));
        }
        QCOMPARE(models::createModel("resnet18")->info().numClasses, int64_t(1000));
    }

    void everyZooModelIsDetectedAsItself() {
        const auto names = models::architectureNames();
        for (const char* a : {"resnet20", "resnet32", "resnet44", "resnet56", "resnet110", "fmnist_resnet8",
                              "resnet18", "resnet34", "resnet50", "mobilenet_v2"})
            QVERIFY2(std::find(names.begin(), names.end(), a) != names.end(), a);
        for (const auto& name : names) {
            const auto sd = models::extractStateDict(*models::createModel(name));
            QCOMPARE(models::detectArchitecture(sd), name);
        }
    }

    void detectionNegatives() {
        // Without the classifier a torchvision ResNet is not recognised ...
        auto sd = models::extractStateDict(*models::createModel("resnet18"));
        checkpoint::StateDict noFc;
        for (const auto& [k, t] : sd.entries())
            if (k.rfind("fc.", 0) != 0)
                noFc.insert(k, t);
        QCOMPARE(models::detectArchitecture(noFc), std::string());
        // ... nor one with an odd block count, nor an empty dict.
        auto r34 = models::extractStateDict(*models::createModel("resnet34"));
        checkpoint::StateDict shortened;
        for (const auto& [k, t] : r34.entries())
            if (k.rfind("layer3.5.", 0) != 0)
                shortened.insert(k, t);
        QCOMPARE(models::detectArchitecture(shortened), std::string());
        QCOMPARE(models::detectArchitecture(checkpoint::StateDict()), std::string());
        // A MobileNetV2 without its last block is not one either.
        auto mb = models::extractStateDict(*models::createModel("mobilenet_v2"));
        checkpoint::StateDict headless;
        for (const auto& [k, t] : mb.entries())
            if (k.rfind("features.18.", 0) != 0)
                headless.insert(k, t);
        QCOMPARE(models::detectArchitecture(headless), std::string());
    }

    // ---- reference logits from PyTorch (needs ../shared and the checkpoint reader) ----

    void referenceLogits_data() {
        QTest::addColumn<QString>("weights");
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("arch");
        QTest::newRow("resnet18") << "models/torchvision/resnet18-random.pt"
                                  << "models/torchvision/resnet18-reference-io.pt" << "resnet18";
        QTest::newRow("mobilenet_v2") << "models/torchvision/mobilenet_v2-random.pt"
                                      << "models/torchvision/mobilenet_v2-reference-io.pt" << "mobilenet_v2";
        QTest::newRow("resnet20.pt") << "models/cifar10/resnet20.pt"
                                     << "models/cifar10/resnet20-reference-io.pt" << "resnet20";
        QTest::newRow("resnet20.th") << "models/cifar10/resnet20-12fca82f.th"
                                     << "models/cifar10/resnet20-reference-io.pt" << "resnet20";
        QTest::newRow("resnet32.pt") << "models/cifar10/resnet32.pt"
                                     << "models/cifar10/resnet32-reference-io.pt" << "resnet32";
    }
    void referenceLogits() {
        QFETCH(QString, weights);
        QFETCH(QString, reference);
        QFETCH(QString, arch);
        DFQ_REQUIRE_SHARED(weightsPath, weights.toStdString());
        DFQ_REQUIRE_SHARED(referencePath, reference.toStdString());

        models::LoadedModel loaded;
        torch::Tensor input, logits;
        try {
            loaded = models::loadModel(weightsPath, "auto");
            std::tie(input, logits) = readReference(referencePath);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        QVERIFY(loaded.archDetected);
        QCOMPARE(loaded.model->info().arch, arch.toStdString());
        QVERIFY(!loaded.model->is_training());
        QVERIFY(loaded.report.ok());

        torch::NoGradGuard ng;
        const torch::Tensor y = loaded.model->forward(input);
        QCOMPARE(y.scalar_type(), torch::kFloat32);
        QCOMPARE(shapeOf(y), shapeOf(logits));
        const double err = (y - logits).abs().max().item<double>();
        const double scale = logits.abs().max().item<double>();
        qInfo("%s: max |logits - PyTorch| = %.3g (max |logit| %.3g)", qPrintable(weights), err, scale);
        QVERIFY(scale > 1e-2);   // the reference is not degenerate
        QVERIFY(logits.std().item<double>() > 1e-3);
        QVERIFY2(err <= 1e-4, qPrintable(QString("max abs error %1").arg(err)));
        // The same network classifies the same way.
        QVERIFY(torch::equal(y.argmax(1), logits.argmax(1)));
    }

    void fixtureKeySetsMatchTheZoo_data() {
        QTest::addColumn<QString>("weights");
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("entries");
        QTest::newRow("resnet18") << "models/torchvision/resnet18-random.pt" << "resnet18" << 122;
        QTest::newRow("mobilenet_v2") << "models/torchvision/mobilenet_v2-random.pt" << "mobilenet_v2" << 314;
    }
    void fixtureKeySetsMatchTheZoo() {
        QFETCH(QString, weights);
        QFETCH(QString, arch);
        QFETCH(int, entries);
        DFQ_REQUIRE_SHARED(path, weights.toStdString());
        checkpoint::Checkpoint ck;
        try {
            ck = checkpoint::readCheckpoint(path);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        QCOMPARE(int(ck.tensors.size()), entries);
        // Same names and shapes as torchvision's state_dict() (extractStateDict lists parameters
        // before buffers, so compare as sets).
        const auto ours = models::extractStateDict(*models::createModel(arch.toStdString()));
        auto theirKeys = ck.tensors.keys(), ourKeys = ours.keys();
        std::sort(theirKeys.begin(), theirKeys.end());
        std::sort(ourKeys.begin(), ourKeys.end());
        QCOMPARE(theirKeys, ourKeys);
        for (const auto& [k, t] : ck.tensors.entries())
            QVERIFY2(t.sizes() == ours.at(k).sizes(), k.c_str());
    }

    void wrongArchitectureNamesFileAndKeys() {
        DFQ_REQUIRE_SHARED(path, "models/cifar10/resnet32.pt");
        try {
            models::loadModel(path, "resnet20");
            QFAIL("resnet32 weights loaded into resnet20");
        } catch (const models::ModelError& e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.contains(QString::fromStdString(path)), qPrintable(msg));
            QVERIFY2(msg.contains("resnet20"), qPrintable(msg));
            QVERIFY2(msg.contains("unexpected key"), qPrintable(msg));
            QVERIFY2(msg.contains("layer1.3.conv1.weight"), qPrintable(msg));
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("expected a ModelError, got: %1").arg(e.what())));
        }
        // And the other way round: missing keys.
        DFQ_REQUIRE_SHARED(path20, "models/cifar10/resnet20.pt");
        try {
            models::loadModel(path20, "resnet32");
            QFAIL("resnet20 weights loaded into resnet32");
        } catch (const models::ModelError& e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.contains(QString::fromStdString(path20)), qPrintable(msg));
            QVERIFY2(msg.contains("missing key"), qPrintable(msg));
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("expected a ModelError, got: %1").arg(e.what())));
        }
    }
};

QTEST_GUILESS_MAIN(TestZoo)
#include "tst_zoo.moc"
