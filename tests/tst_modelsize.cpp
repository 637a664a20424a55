// modelSize: storage at a spec's bits, against sizes counted by hand for the CIFAR ResNet-20.
#include "models/ModelZoo.h"
#include "quant/ModelSize.h"
#include "quant/QuantSpec.h"

#include <QtTest/QtTest>
#include <torch/torch.h>

using namespace dfq;

class TestModelSize : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void floatSpecIsTheFp32Model() {
        auto m = models::createModel("resnet20");
        const auto spec = quant::buildQuantSpec(*m, quant::LayerPlacement::Gdfq, quant::kFloatBits, quant::kFloatBits);
        const auto s = quant::modelSize(*m, spec);
        QCOMPARE(s.weightBits, int64_t(0));
        QCOMPARE(s.rangeBits, int64_t(0));
        QCOMPARE(s.totalBits(), s.fp32Bits);
        QCOMPARE(s.compression(), 1.0);
    }

    void resnet20W4PerChannelByHand() {
        // ResNet-20 (He et al. CIFAR variant): stem 16x3x3x3; 3 stages x 3 blocks x 2 convs 3x3 at
        // 16/32/64 channels (the first conv of stages 2 and 3 takes 16/32 in); option-A shortcuts
        // have no weights; fc 10x64 + bias 10. BN: 19 layers, 4 floats per channel.
        const int64_t conv = 16 * 3 * 9                                   // stem
                             + 6 * 16 * 16 * 9                            // stage 1
                             + 32 * 16 * 9 + 5 * 32 * 32 * 9              // stage 2
                             + 64 * 32 * 9 + 5 * 64 * 64 * 9;             // stage 3
        const int64_t fc = 10 * 64;
        const int64_t weights = conv + fc;
        const int64_t channels = 16 + 6 * 16 + 6 * 32 + 6 * 64 + 10;      // output channels of every layer
        const int64_t bnChannels = 16 + 6 * 16 + 6 * 32 + 6 * 64;
        const int64_t other = 10 /* fc bias */ + 4 * bnChannels;
        QCOMPARE(weights, int64_t(268336));   // + 1,376 BN affine + 10 bias = the 269,722 parameters of ResNet-20

        auto m = models::createModel("resnet20");
        const auto spec = quant::buildQuantSpec(*m, quant::LayerPlacement::Gdfq, 4, 4);
        const auto s = quant::modelSize(*m, spec);
        QCOMPARE(s.weightBits, weights * 4);
        QCOMPARE(s.rangeBits, channels * 64);
        QCOMPARE(s.floatBits, other * 32);
        QCOMPARE(s.fp32Bits, (weights + other) * 32);
        QVERIFY(s.compression() > 7.0 && s.compression() < 8.0);   // 4-bit weights, ranges and BN in float
    }

    void oneLayerAtTwoBitsSavesItsShare() {
        auto m = models::createModel("resnet20");
        auto spec = quant::buildQuantSpec(*m, quant::LayerPlacement::Gdfq, 4, 4);
        const auto before = quant::modelSize(*m, spec);
        spec.layers.back().weight.bits = 2;                 // the classifier, 640 weights
        const auto after = quant::modelSize(*m, spec);
        QCOMPARE(before.weightBits - after.weightBits, int64_t(640 * 2));
        spec.layers.back().weight.perChannel = false;       // one range instead of 10
        QCOMPARE(quant::modelSize(*m, spec).rangeBits, after.rangeBits - 9 * 64);
        spec.layers.back().weight.bits = quant::kFloatBits; // float: counted with the other parameters
        const auto fl = quant::modelSize(*m, spec);
        QCOMPARE(fl.floatBits, after.floatBits + 640 * 32);
        QCOMPARE(fl.weightBits, after.weightBits - 640 * 2);
    }

    void topologyGivesTheModelsSizeAndSpec() {
        // The GUI builds and sizes specs from quantTopology alone; its counts must be the model's.
        for (const char* arch : {"resnet20", "mobilenet_v2", "fmnist_resnet8"}) {
            auto m = models::createModel(arch);
            const auto topo = quant::quantTopology(*m);
            QCOMPARE(topo.arch, std::string(arch));
            QCOMPARE(topo.layers.size(), m->quantLayers().size());
            QCOMPARE(topo.activations.size(), m->activations().size());
            int64_t weights = 0;
            for (auto& l : m->quantLayers())
                weights += l.weightCount();
            int64_t counted = 0;
            for (const auto& l : topo.layers)
                counted += l.weightElements;
            QCOMPARE(counted, weights);
            QVERIFY(topo.floatElements > weights);   // + biases, BN affine and running statistics
            for (auto placement : {quant::LayerPlacement::Gdfq, quant::LayerPlacement::F8L8, quant::LayerPlacement::AllInputs}) {
                const auto fromModel = quant::buildQuantSpec(*m, placement, 3, 5);
                const auto fromTopo = quant::buildQuantSpec(topo, placement, 3, 5);
                QCOMPARE(fromTopo.toJson().dump(), fromModel.toJson().dump());
                const auto a = quant::modelSize(*m, fromModel), b = quant::modelSize(topo, fromTopo);
                QCOMPARE(b.weightBits, a.weightBits);
                QCOMPARE(b.rangeBits, a.rangeBits);
                QCOMPARE(b.floatBits, a.floatBits);
                QCOMPARE(b.fp32Bits, a.fp32Bits);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestModelSize)
#include "tst_modelsize.moc"
