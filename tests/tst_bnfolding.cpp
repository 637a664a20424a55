// BN folding: folded and unfolded FP32 networks agree (resnet20 and mobilenet_v2 with random weights
// and randomised BN statistics, eval mode), hand-checked folded values on a one-conv model (conv with
// and without bias, affine and non-affine BN), and the errors.
#include "models/ModelZoo.h"
#include "quant/BnFolding.h"
#include "quant/QuantError.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace dfq;
using namespace dfq::quant;

namespace {

/// conv(3->4, 3x3, bias optional) -> BN(bnChannels) -> ReLU -> mean -> linear(4->2).
class TinyNet : public models::ZooModelImpl {
public:
    TinyNet(bool convBias, bool affine, int64_t bnChannels = 4) {
        models::Conv2dOptions o;
        o.in = 3;
        o.out = 4;
        o.padding = 1;
        o.bias = convBias;
        conv = register_module("conv", models::Conv2d(o));
        bn = register_module("bn", models::BatchNorm2d(bnChannels, 1e-3, 0.1, affine));
        act = register_module("act", models::Activation());
        fc = register_module("fc", models::Linear(4, 2));
        info_.arch = "tiny";
        info_.inHeight = info_.inWidth = 8;
        info_.numClasses = 2;
    }
    torch::Tensor features(const torch::Tensor& x) override { return act(bn(conv(x))).mean({2, 3}); }
    torch::Tensor classify(const torch::Tensor& f) override { return fc(f); }
    torch::Tensor forward(const torch::Tensor& x) override { return classify(features(x)); }

    models::Conv2d conv{nullptr};
    models::BatchNorm2d bn{nullptr};
    models::Activation act{nullptr};
    models::Linear fc{nullptr};
};

/// Running statistics and affine parameters far from the identity, so folding has work to do.
void randomiseBn(models::ZooModelImpl& m, uint64_t seed) {
    torch::manual_seed(seed);
    torch::NoGradGuard ng;
    for (auto& ref : m.bnLayers()) {
        auto& bn = *ref.bn;
        bn.running_mean.normal_(0.0, 0.3);
        bn.running_var.uniform_(0.3, 2.0);
        if (bn.affine()) {
            bn.weight.uniform_(0.5, 1.5);
            bn.bias.normal_(0.0, 0.2);
        }
    }
}

/// max |a - b| / max(|a|): agreement relative to the logit scale.
double relMaxDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>() / a.abs().max().item<double>();
}

void checkFoldedAgrees(models::ZooModel m, const torch::Tensor& x, int expectedFolds) {
    randomiseBn(*m, 5);
    m->eval();
    torch::NoGradGuard ng;
    const torch::Tensor before = m->forward(x);
    const FoldReport r = foldBatchNorms(*m);
    QCOMPARE(int(r.folded.size()), expectedFolds);
    QVERIFY(r.skipped.empty());
    for (auto& ref : m->bnLayers())
        QVERIFY(!ref.bn->enabled);
    const torch::Tensor after = m->forward(x);
    const double d = relMaxDiff(before, after);
    QVERIFY2(d < 1e-5, qPrintable(QString("relative max difference %1").arg(d)));
    // Folding again finds nothing left to fold and changes nothing.
    QCOMPARE(int(foldBatchNorms(*m).folded.size()), 0);
    QVERIFY(torch::equal(m->forward(x), after));
}

} // namespace

class TestBnFolding : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resnet20Agrees() {
        auto m = models::createModel("resnet20");
        torch::manual_seed(1);
        checkFoldedAgrees(m, torch::randn({8, 3, 32, 32}), 19);
        // Every conv now has a registered bias parameter (saved with the state dict).
        const auto params = m->named_parameters();
        QVERIFY(params.contains("conv1.bias"));
        QVERIFY(params.contains("layer3.2.conv2.bias"));
        QVERIFY(!params.contains("linear.bias") || params["linear.bias"].defined());
    }

    void mobilenetV2Agrees() {
        auto m = models::createModel("mobilenet_v2");
        const int bns = int(m->bnLayers().size());
        QCOMPARE(bns, 52);  // torchvision MobileNetV2: every conv is followed by a BN
        torch::manual_seed(2);
        checkFoldedAgrees(m, torch::randn({2, 3, 112, 112}), bns);
    }

    void handWorkedValues() {
        for (bool convBias : {false, true}) {
            for (bool affine : {false, true}) {
                auto net = std::make_shared<TinyNet>(convBias, affine);
                randomiseBn(*net, 9);
                net->eval();
                const torch::Tensor w0 = net->conv->weight.detach().clone();
                const torch::Tensor b0 = convBias ? net->conv->bias.detach().clone() : torch::zeros({4});
                auto& bn = *net->bn;
                const torch::Tensor g = affine ? bn.weight.detach().clone() : torch::ones({4});
                const torch::Tensor be = affine ? bn.bias.detach().clone() : torch::zeros({4});
                const torch::Tensor mu = bn.running_mean.clone(), var = bn.running_var.clone();
                torch::manual_seed(4);
                const torch::Tensor x = torch::randn({3, 3, 8, 8});
                torch::NoGradGuard ng;
                const torch::Tensor y0 = net->forward(x);

                const FoldReport r = foldBatchNorms(*net);
                QCOMPARE(int(r.folded.size()), 1);
                QCOMPARE(r.folded[0].first, std::string("bn"));
                QCOMPARE(r.folded[0].second, std::string("conv"));
                // Channel 2 by hand: s = γ/sqrt(var+eps), W' = W·s, b' = β + (b - μ)·s.
                const double s2 = g[2].item<double>() / std::sqrt(var[2].item<double>() + 1e-3);
                QVERIFY((net->conv->weight[2] - w0[2] * s2).abs().max().item<double>() < 1e-6);
                const double bExp = be[2].item<double>() + (b0[2].item<double>() - mu[2].item<double>()) * s2;
                QVERIFY(std::abs(net->conv->bias[2].item<double>() - bExp) < 1e-6);
                QVERIFY(net->named_parameters().contains("conv.bias"));
                QVERIFY(relMaxDiff(y0, net->forward(x)) < 1e-5);
            }
        }
    }

    void mismatchedChannelsIsAnError() {
        TinyNet net(false, true, /*bnChannels=*/5);
        try {
            foldBatchNorms(net);
            QFAIL("expected QuantError");
        } catch (const QuantError& e) {
            QVERIFY(std::string(e.what()).find("'bn'") != std::string::npos);
            QVERIFY(std::string(e.what()).find("'conv'") != std::string::npos);
        }
        QVERIFY(net.bn->enabled);  // nothing changed
    }

    void nonFiniteStatisticsAreAnError() {
        TinyNet net(false, true);
        net.bn->running_var[1] = std::numeric_limits<float>::quiet_NaN();
        try {
            foldBatchNorms(net);
            QFAIL("expected QuantError");
        } catch (const QuantError& e) {
            QVERIFY(std::string(e.what()).find("bn") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestBnFolding)
#include "tst_bnfolding.moc"
