// applyStateDict / extractStateDict: round trips, and the report for missing, unexpected and
// mis-shaped keys (the message the user sees when a checkpoint does not fit).
#include "support/SharedData.h"

#include "checkpoint/CheckpointWriter.h"
#include "models/ModelLoader.h"
#include "models/ModelZoo.h"
#include "models/StateDictMapping.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace dfq;

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

/// A copy of sd without the keys for which drop(key) is true.
template <typename Pred>
checkpoint::StateDict without(const checkpoint::StateDict& sd, Pred drop) {
    checkpoint::StateDict out;
    for (const auto& [k, t] : sd.entries())
        if (!drop(k))
            out.insert(k, t);
    return out;
}

/// Gives every BN non-trivial running statistics so that a round trip really tests the buffers.
void perturb(models::ZooModelImpl& m) {
    torch::NoGradGuard ng;
    for (auto& bn : m.bnLayers()) {
        bn.bn->running_mean.normal_(0.0, 0.1);
        bn.bn->running_var.uniform_(0.5, 1.5);
        bn.bn->weight.uniform_(0.5, 1.5);
        bn.bn->bias.normal_(0.0, 0.1);
    }
}

} // namespace

class TestStateDictMapping : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        torch::manual_seed(1);
        torch::set_num_threads(2);
    }

    void roundTrip_data() {
        QTest::addColumn<QString>("arch");
        for (const char* a : {"resnet20", "fmnist_resnet8", "resnet18", "mobilenet_v2"})
            QTest::newRow(a) << a;
    }
    void roundTrip() {
        QFETCH(QString, arch);
        models::ZooModel a = models::createModel(arch.toStdString());
        models::ZooModel b = models::createModel(arch.toStdString());
        perturb(*a);
        const checkpoint::StateDict sd = models::extractStateDict(*a);
        const models::MappingReport r = models::applyStateDict(*b, sd);
        QVERIFY2(r.ok(), r.describe().c_str());
        QCOMPARE(r.copied, sd.size());
        QVERIFY(r.describe().find("all " + std::to_string(sd.size()) + " tensors mapped") != std::string::npos);

        a->eval();
        b->eval();
        torch::NoGradGuard ng;
        const auto& info = a->info();
        const int64_t side = info.inHeight == 224 ? 64 : info.inHeight;   // any size works; keep it quick
        const torch::Tensor x = torch::randn({2, info.inChannels, side, side});
        QVERIFY(torch::equal(a->forward(x), b->forward(x)));
        // extractStateDict clones: changing the model afterwards leaves the dict alone.
        const torch::Tensor before = sd.entries().front().second.clone();
        b->quantLayers().front().weight().add_(1.0);
        QVERIFY(torch::equal(sd.entries().front().second, before));
    }

    void missingKeysWhenTheModelIsDeeper() {
        // resnet20 weights onto resnet32: blocks 3 and 4 of every stage stay unset.
        const auto sd = models::extractStateDict(*models::createModel("resnet20"));
        models::ZooModel m = models::createModel("resnet32");
        const models::MappingReport r = models::applyStateDict(*m, sd);
        QVERIFY(!r.ok());
        QVERIFY(r.unexpected.empty());
        QVERIFY(r.misShaped.empty());
        QCOMPARE(r.copied, sd.size());
        // 3 stages x 2 blocks x (2 convs + 2 BN x 4 tensors), num_batches_tracked excused.
        QCOMPARE(int(r.missing.size()), 3 * 2 * (2 + 2 * 4));
        QVERIFY(contains(r.missing, "layer1.3.conv1.weight"));
        QVERIFY(contains(r.missing, "layer3.4.bn2.running_var"));
        QVERIFY(!contains(r.missing, "layer3.4.bn2.num_batches_tracked"));
        const std::string text = r.describe();
        QVERIFY2(text.find("60 missing key(s): layer1.3.conv1.weight") != std::string::npos, text.c_str());
        QVERIFY2(text.find("(54 more)") != std::string::npos, text.c_str());
    }

    void unexpectedKeysWhenTheModelIsShallower() {
        const auto sd = models::extractStateDict(*models::createModel("resnet32"));
        models::ZooModel m = models::createModel("resnet20");
        const models::MappingReport r = models::applyStateDict(*m, sd);
        QVERIFY(r.missing.empty());
        QVERIFY(r.misShaped.empty());
        QCOMPARE(int(r.unexpected.size()), 3 * 2 * (2 + 2 * 5));   // these include num_batches_tracked
        QCOMPARE(r.unexpected.front(), std::string("layer1.3.conv1.weight"));
        QVERIFY(r.describe().find("unexpected key(s)") != std::string::npos);
    }

    void misShapedHead() {
        // A 100-class head onto a 10-class model: everything else fits.
        models::ArchOptions hundred;
        hundred.numClasses = 100;
        const auto sd = models::extractStateDict(*models::createModel("resnet20", hundred));
        models::ZooModel m = models::createModel("resnet20");
        const models::MappingReport r = models::applyStateDict(*m, sd);
        QVERIFY(r.missing.empty());
        QVERIFY(r.unexpected.empty());
        QCOMPARE(r.misShaped,
                 (std::vector<std::string>{"linear.weight: checkpoint [100,64] vs model [10,64]",
                                           "linear.bias: checkpoint [100] vs model [10]"}));
        QCOMPARE(r.copied, sd.size() - 2);
        QVERIFY(r.describe().find("2 mis-shaped key(s): linear.weight: checkpoint [100,64] vs model [10,64]") !=
                std::string::npos);

        // Same for torchvision heads.
        const auto mb = models::extractStateDict(*models::createModel("mobilenet_v2"));
        models::ArchOptions ten;
        ten.numClasses = 10;
        models::ZooModel small = models::createModel("mobilenet_v2", ten);
        const models::MappingReport r2 = models::applyStateDict(*small, mb);
        QCOMPARE(r2.misShaped.size(), size_t(2));
        QCOMPARE(r2.misShaped.front(), std::string("classifier.1.weight: checkpoint [1000,1280] vs model [10,1280]"));
    }

    void torchvisionDepthMismatch() {
        const auto sd = models::extractStateDict(*models::createModel("resnet18"));
        models::ZooModel m = models::createModel("resnet34");
        const models::MappingReport r = models::applyStateDict(*m, sd);
        QVERIFY(r.unexpected.empty());
        QVERIFY(r.misShaped.empty());
        QVERIFY(contains(r.missing, "layer1.2.conv1.weight"));
        QVERIFY(contains(r.missing, "layer3.5.bn2.weight"));
        // BasicBlock weights into a Bottleneck net: conv3 missing, and 3x3 vs 1x1 shapes.
        models::ZooModel r50 = models::createModel("resnet50");
        const models::MappingReport r2 = models::applyStateDict(*r50, sd);
        QVERIFY(contains(r2.missing, "layer1.0.conv3.weight"));
        QVERIFY(contains(r2.misShaped, "layer1.0.conv1.weight: checkpoint [64,64,3,3] vs model [64,64,1,1]"));
    }

    void numBatchesTrackedIsOptional() {
        // Checkpoints from PyTorch < 0.4.1 have no num_batches_tracked.
        const auto sd = models::extractStateDict(*models::createModel("resnet18"));
        const auto old = without(sd, [](const std::string& k) { return k.find("num_batches_tracked") != std::string::npos; });
        QCOMPARE(int(old.size()), 122 - 20);
        models::ZooModel m = models::createModel("resnet18");
        const models::MappingReport r = models::applyStateDict(*m, old);
        QVERIFY2(r.ok(), r.describe().c_str());
        QCOMPARE(r.copied, old.size());
    }

    void convertsDtype() {
        // float64 checkpoints load into the float32 model; a 1-element tensor fills a scalar buffer.
        models::ZooModel a = models::createModel("resnet20");
        perturb(*a);
        const checkpoint::StateDict original = models::extractStateDict(*a);
        checkpoint::StateDict sd;
        for (const auto& [k, t] : original.entries())
            sd.insert(k, t.is_floating_point() ? t.to(torch::kFloat64) : t.reshape({1}));
        models::ZooModel b = models::createModel("resnet20");
        const models::MappingReport r = models::applyStateDict(*b, sd);
        QVERIFY2(r.ok(), r.describe().c_str());
        for (const auto& p : b->named_parameters())
            QCOMPARE(p.value().scalar_type(), torch::kFloat32);
        a->eval();
        b->eval();
        torch::NoGradGuard ng;
        const torch::Tensor x = torch::randn({2, 3, 32, 32});
        QVERIFY(torch::allclose(a->forward(x), b->forward(x), 0.0, 0.0));
    }

    // A checkpoint whose BNs were folded away: refused with what is wrong (no BN statistics), with an
    // explicit architecture and with detection.
    void checkpointWithoutBatchNormIsNamed() {
        auto model = models::createModel("fmnist_resnet8", {});
        checkpoint::StateDict noBn;
        const checkpoint::StateDict all = models::extractStateDict(*model);   // entries() refers into it
        for (const auto& [key, t] : all.entries())
            if (key.find("bn") == std::string::npos)
                noBn.insert(key, t);
        const std::string path = dfq::testing::makeTempDir("nobn") + "/folded.pt";
        checkpoint::writeStateDict(path, noBn);
        for (const char* arch : {"fmnist_resnet8", "auto"}) {
            try {
                models::loadModel(path, arch);
                QFAIL("a checkpoint without BN loaded");
            } catch (const std::exception& e) {
                const std::string m = e.what();
                QVERIFY2(m.find(path) != std::string::npos, e.what());
                QVERIFY2(m.find("no BatchNorm") != std::string::npos || m.find("could not be recognised") != std::string::npos, e.what());
                if (std::string(arch) != "auto")
                    QVERIFY2(m.find("no BatchNorm parameters") != std::string::npos, e.what());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestStateDictMapping)
#include "tst_statedictmapping.moc"
