// BnStatTap: per-sample and per-batch statistics of BN inputs against hand-computed values, gradients
// back to the input image, hook chaining and RAII removal.
#include "support/SharedData.h"

#include "models/ModelZoo.h"
#include "synth/BnStatTap.h"
#include "synth/FrozenTeacher.h"
#include "synth/Losses.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace dfq;

namespace {

/// A model whose first layer is a BatchNorm on the raw input, so the tap sees exactly the tensor we
/// feed (no convolution in between).
class BnFirstNet : public models::ZooModelImpl {
public:
    explicit BnFirstNet(int64_t channels) {
        bn = register_module("bn", models::BatchNorm2d(channels));
        fc = register_module("fc", models::Linear(channels, 3));
        info_.arch = "bn_first";
        info_.inChannels = channels;
    }
    torch::Tensor features(const torch::Tensor& x) override { return bn(x).mean({2, 3}); }
    torch::Tensor classify(const torch::Tensor& f) override { return fc(f); }
    torch::Tensor forward(const torch::Tensor& x) override { return classify(features(x)); }

    models::BatchNorm2d bn{nullptr};
    models::Linear fc{nullptr};
};

/// x [2,2,1,2]: sample 0 = {c0: [1,3], c1: [0,4]}, sample 1 = {c0: [5,7], c1: [2,2]}.
torch::Tensor knownInput() {
    return torch::tensor({1.f, 3.f, 0.f, 4.f, 5.f, 7.f, 2.f, 2.f}).reshape({2, 2, 1, 2});
}

struct CountingHook : models::BatchNormHook {
    int calls = 0;
    void observeInput(const torch::Tensor&) override { ++calls; }
};

} // namespace

class TestBnStatTap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void perSampleAndBatchStatistics() {
        auto net = std::make_shared<BnFirstNet>(2);
        net->eval();
        synth::BnStatTap tap(*net);
        QCOMPARE(tap.layerCount(), size_t(1));
        QVERIFY(!tap.layer(0).recorded());
        net->forward(knownInput());
        const auto& s = tap.layer(0);
        QVERIFY(s.recorded());
        QCOMPARE(s.name, std::string("bn"));
        // Per sample, over H,W: s0c0 [1,3] -> mean 2 var 1; s0c1 [0,4] -> 2, 4; s1c0 [5,7] -> 6, 1;
        // s1c1 [2,2] -> 2, 0.
        QVERIFY(torch::equal(s.sampleMean, torch::tensor({2.f, 2.f, 6.f, 2.f}).reshape({2, 2})));
        QVERIFY(torch::equal(s.sampleVar, torch::tensor({1.f, 4.f, 1.f, 0.f}).reshape({2, 2})));
        // Per batch, over N,H,W: c0 {1,3,5,7} -> mean 4, var (9+1+1+9)/4 = 5;
        // c1 {0,4,2,2} -> mean 2, var (4+4+0+0)/4 = 2.
        QVERIFY(torch::allclose(s.batchMean, torch::tensor({4.f, 2.f})));
        QVERIFY(torch::allclose(s.batchVar, torch::tensor({5.f, 2.f})));
        // Running statistics are the BN's buffers (defaults 0 / 1).
        QVERIFY(torch::equal(s.runningMean, torch::zeros({2})));
        QVERIFY(torch::equal(s.runningVar, torch::ones({2})));
        QCOMPARE(s.eps, 1e-5);
    }

    void batchStatisticsMatchTorchOnRandomInput() {
        auto net = std::make_shared<BnFirstNet>(3);
        synth::BnStatTap tap(*net);
        torch::manual_seed(3);
        const torch::Tensor x = torch::randn({5, 3, 4, 6}) * 3 + 1;
        net->forward(x);
        const auto& s = tap.layer(0);
        QVERIFY(torch::allclose(s.batchMean, x.mean({0, 2, 3}), 1e-5, 1e-5));
        QVERIFY(torch::allclose(s.batchVar, x.var({0, 2, 3}, /*unbiased=*/false), 1e-4, 1e-5));
        QVERIFY(torch::allclose(s.sampleVar, x.var({2, 3}, false), 1e-4, 1e-5));
    }

    void gradientFlowsToInput() {
        auto net = std::make_shared<BnFirstNet>(2);
        for (auto& p : net->parameters())
            p.requires_grad_(false);
        synth::BnStatTap tap(*net);
        torch::Tensor x = knownInput().requires_grad_(true);
        net->forward(x);
        // d(Σ sampleMean)/dx = 1/(H·W) = 0.5 everywhere.
        tap.layer(0).sampleMean.sum().backward();
        QVERIFY(torch::allclose(x.grad(), torch::full_like(x, 0.5)));

        // d(batchVar_c)/dx = 2(x − μ_c)/(N·H·W) = (x − μ_c)/2: c0 (μ 4): 1,3,5,7 -> −1.5,−0.5,0.5,1.5;
        // c1 (μ 2): 0,4,2,2 -> −1, 1, 0, 0.
        x.mutable_grad() = torch::Tensor();
        net->forward(x);
        tap.layer(0).batchVar.sum().backward();
        const torch::Tensor expected =
            torch::tensor({-1.5f, -0.5f, -1.f, 1.f, 0.5f, 1.5f, 0.f, 0.f}).reshape({2, 2, 1, 2});
        QVERIFY(torch::allclose(x.grad(), expected, 1e-5, 1e-6));
    }

    void detachAndClear() {
        auto net = std::make_shared<BnFirstNet>(2);
        synth::BnStatTap tap(*net);
        torch::Tensor x = knownInput().requires_grad_(true);
        net->forward(x);
        QVERIFY(tap.layer(0).sampleMean.requires_grad());
        tap.detach();
        QVERIFY(!tap.layer(0).sampleMean.requires_grad());
        QVERIFY(torch::equal(tap.layer(0).sampleMean, torch::tensor({2.f, 2.f, 6.f, 2.f}).reshape({2, 2})));
        tap.clear();
        QVERIFY(!tap.layer(0).recorded());
        QVERIFY(tap.layer(0).runningVar.defined());
        tap.setEnabled(false);
        net->forward(x);
        QVERIFY(!tap.layer(0).recorded());
    }

    void everyResNet20LayerInForwardOrderAndHooksRemoved() {
        auto model = models::createModel("resnet20");
        model->eval();
        auto layers = model->bnLayers();
        auto previous = std::make_shared<CountingHook>();
        layers[3].bn->hook = previous;
        {
            synth::BnStatTap tap(*model);
            QCOMPARE(tap.layerCount(), size_t(19));
            model->forward(torch::randn({2, 3, 32, 32}));
            for (size_t i = 0; i < tap.layerCount(); ++i) {
                QVERIFY(tap.layer(i).recorded());
                QCOMPARE(tap.layer(i).name, layers[i].name);
                QCOMPARE(tap.layer(i).sampleMean.size(1), layers[i].bn->channels());
            }
            QCOMPARE(tap.layer(0).name, std::string("bn1"));
            QCOMPARE(tap.layer(18).name, std::string("layer3.2.bn2"));
            QCOMPARE(previous->calls, 1);   // the hook that was there keeps being called
        }
        for (size_t i = 0; i < layers.size(); ++i)
            QVERIFY(i == 3 ? layers[i].bn->hook == previous : !layers[i].bn->hook);
        layers[3].bn->hook.reset();
    }

    void foldedTeacherGivesTheSameStatisticsAndGradient() {
        // A ResNet-20 with non-trivial BN parameters (γ of both signs, shifted means, varied variances).
        torch::manual_seed(21);
        auto model = models::createModel("resnet20");
        {
            torch::NoGradGuard ng;
            for (auto& ref : model->bnLayers()) {
                const int64_t c = ref.bn->channels();
                ref.bn->running_mean.copy_(torch::randn({c}) * 0.5);
                ref.bn->running_var.copy_(torch::rand({c}) * 1.5 + 0.5);
                ref.bn->weight.copy_((torch::rand({c}) + 0.5) * (torch::randint(0, 2, {c}) * 2 - 1));
                ref.bn->bias.copy_(torch::randn({c}) * 0.2);
            }
        }
        std::vector<torch::Tensor> weights;
        for (auto& p : model->parameters())
            weights.push_back(p.detach().clone());
        const torch::Tensor x0 = torch::randn({4, 3, 32, 32});

        struct Result {
            std::vector<synth::BnLayerStats> stats;
            torch::Tensor logits, loss, grad;
            size_t folded = 0;
        };
        const auto run = [&](bool fold) {
            synth::FrozenTeacherOptions o;
            o.foldBatchNorm = fold;
            synth::FrozenTeacher frozen(*model, o);
            synth::BnStatTap tap(*model);
            Result r;
            r.folded = frozen.foldedCount();
            torch::Tensor x = x0.clone().requires_grad_(true);
            r.logits = model->forward(x);
            r.loss = synth::zeroqBnsLoss(tap.stats());
            r.loss.backward();
            r.grad = x.grad().clone();
            tap.detach();
            r.stats = tap.stats();
            return r;
        };
        const Result plain = run(false), folded = run(true);
        QCOMPARE(plain.folded, size_t(0));
        QCOMPARE(folded.folded, size_t(19));
        QVERIFY(torch::allclose(plain.logits, folded.logits, 1e-4, 1e-4));
        for (size_t i = 0; i < plain.stats.size(); ++i) {
            QVERIFY2(torch::allclose(plain.stats[i].sampleMean, folded.stats[i].sampleMean, 1e-3, 1e-4),
                     plain.stats[i].name.c_str());
            QVERIFY2(torch::allclose(plain.stats[i].sampleVar, folded.stats[i].sampleVar, 1e-3, 1e-4),
                     plain.stats[i].name.c_str());
        }
        QVERIFY(std::abs(plain.loss.item<double>() / folded.loss.item<double>() - 1) < 1e-4);
        const double scale = plain.grad.abs().max().item<double>();
        QVERIFY(torch::allclose(plain.grad, folded.grad, 1e-3, 1e-4 * scale));

        // Everything is back: BNs on, no hooks on the convs, weights untouched.
        for (auto& ref : model->bnLayers())
            QVERIFY(ref.bn->enabled);
        for (auto& l : model->quantLayers())
            QVERIFY(!l.hook());
        const auto after = model->parameters();
        for (size_t i = 0; i < weights.size(); ++i)
            QVERIFY(torch::equal(after[i], weights[i]));

        // A BN with a zero-scale channel cannot be inverted: it is left unfolded.
        {
            torch::NoGradGuard ng;
            model->bnLayers()[5].bn->weight[0] = 0;
        }
        synth::FrozenTeacherOptions o;
        o.foldBatchNorm = true;
        synth::FrozenTeacher frozen(*model, o);
        QCOMPARE(frozen.foldedCount(), size_t(18));
        QVERIFY(model->bnLayers()[5].bn->enabled);
    }
};

QTEST_GUILESS_MAIN(TestBnStatTap)
#include "tst_bnstattap.moc"
