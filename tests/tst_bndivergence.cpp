// BN divergence: Gaussian KL against hand-worked values, per-layer L2 gaps, and the model-level
// measurement against statistics computed directly on the input.
#include "metrics/BnDivergence.h"
#include "models/ModelZoo.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace dfq;

namespace {

/// BatchNorm straight on the input: the divergence is that of the input's own statistics.
class BnFirstNet : public models::ZooModelImpl {
public:
    BnFirstNet() {
        bn = register_module("bn", models::BatchNorm2d(2));
        fc = register_module("fc", models::Linear(2, 3));
        info_.arch = "bn_first";
        info_.inChannels = 2;
    }
    torch::Tensor features(const torch::Tensor& x) override { return bn(x).mean({2, 3}); }
    torch::Tensor classify(const torch::Tensor& f) override { return fc(f); }
    torch::Tensor forward(const torch::Tensor& x) override { return classify(features(x)); }
    models::BatchNorm2d bn{nullptr};
    models::Linear fc{nullptr};
};

double d(const torch::Tensor& t) { return t.item<double>(); }

} // namespace

class TestBnDivergence : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void klOfIdenticalGaussiansIsZero() {
        const auto mu = torch::tensor({0.0, -3.0, 7.5}, torch::kFloat64);
        const auto var = torch::tensor({1.0, 0.25, 9.0}, torch::kFloat64);
        QVERIFY(torch::allclose(metrics::gaussianKl(mu, var, mu, var), torch::zeros({3}, torch::kFloat64)));
    }

    void klHandWorked() {
        // KL(N(0,1) ‖ N(1,4)) = ½[log(4/1) + (1 + (0−1)²)/4 − 1] = ½[1.3862944 + 0.5 − 1] = 0.4431472.
        QVERIFY(std::abs(d(metrics::gaussianKl(torch::tensor(0.0), torch::tensor(1.0), torch::tensor(1.0),
                                               torch::tensor(4.0))) - 0.4431472) < 1e-6);
        // KL(N(1,4) ‖ N(0,1)) = ½[log(1/4) + (4 + 1)/1 − 1] = ½[−1.3862944 + 4] = 1.3068528 (asymmetric).
        QVERIFY(std::abs(d(metrics::gaussianKl(torch::tensor(1.0), torch::tensor(4.0), torch::tensor(0.0),
                                               torch::tensor(1.0))) - 1.3068528) < 1e-6);
    }

    void layerDivergenceHandWorked() {
        // c0: batch N(0,1) vs running N(1,4): KL 0.4431472; c1: N(1,1) vs N(1,1): 0. Mean 0.2215736.
        // Mean gap ‖[0,1] − [1,1]‖ = 1; std gap ‖[1,1] − [2,1]‖ = 1 (eps 0).
        const auto l = metrics::layerDivergence("x", torch::tensor({0.f, 1.f}), torch::tensor({1.f, 1.f}),
                                                torch::tensor({1.f, 1.f}), torch::tensor({4.f, 1.f}), 0.0);
        QCOMPARE(l.name, std::string("x"));
        QVERIFY(std::abs(l.kl - 0.2215736) < 1e-6);
        QVERIFY(std::abs(l.meanL2 - 1.0) < 1e-12);
        QVERIFY(std::abs(l.stdL2 - 1.0) < 1e-12);

        const auto m = metrics::meanDivergence({l, metrics::LayerDivergence{"y", 3, 5, 1}});
        QCOMPARE(m.name, std::string("mean"));
        QVERIFY(std::abs(m.meanL2 - 2.0) < 1e-12 && std::abs(m.stdL2 - 3.0) < 1e-12);
    }

    void modelLevelMatchesDirectStatistics() {
        auto net = std::make_shared<BnFirstNet>();
        {
            torch::NoGradGuard ng;
            net->bn->running_mean.copy_(torch::tensor({0.5f, -1.f}));
            net->bn->running_var.copy_(torch::tensor({2.f, 0.5f}));
        }
        torch::manual_seed(7);
        const torch::Tensor x = torch::randn({7, 2, 3, 5}) * 1.5 + 0.25;
        const double eps = net->bn->eps();
        const auto direct = metrics::layerDivergence("bn", x.mean({0, 2, 3}), x.var({0, 2, 3}, false),
                                                     net->bn->running_mean, net->bn->running_var, eps);
        // Whole-set statistics, merged across chunks of 3 (3 + 3 + 1 images) or in one chunk.
        for (int64_t chunk : {3, 256}) {
            const auto layers = metrics::bnDivergence(*net, x, chunk);
            QCOMPARE(layers.size(), size_t(1));
            QCOMPARE(layers[0].name, std::string("bn"));
            QVERIFY(std::abs(layers[0].kl - direct.kl) < 1e-6);
            QVERIFY(std::abs(layers[0].meanL2 - direct.meanL2) < 1e-6);
            QVERIFY(std::abs(layers[0].stdL2 - direct.stdL2) < 1e-6);
        }
        // Mode and hooks are restored.
        QVERIFY(net->is_training());
        QVERIFY(!net->bn->hook);
        // Data drawn from the running statistics' own Gaussians diverges far less than shifted data.
        const torch::Tensor matched = torch::randn({64, 2, 8, 8}) * torch::sqrt(net->bn->running_var).view({1, 2, 1, 1}) +
                                      net->bn->running_mean.view({1, 2, 1, 1});
        QVERIFY(metrics::bnDivergence(*net, matched)[0].kl < 0.01);
        QVERIFY(metrics::bnDivergence(*net, matched + 3)[0].kl > 1.0);
    }

    void resnet20HasOneEntryPerBn() {
        auto model = models::createModel("resnet20");
        const auto layers = metrics::bnDivergence(*model, torch::randn({4, 3, 32, 32}), 2);
        QCOMPARE(layers.size(), size_t(19));
        for (const auto& l : layers)
            QVERIFY(std::isfinite(l.kl) && l.kl >= 0);
    }
};

QTEST_GUILESS_MAIN(TestBnDivergence)
#include "tst_bndivergence.moc"
