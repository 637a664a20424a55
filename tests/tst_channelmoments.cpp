// channelMoments: values and gradients against at::var_mean and autograd, in double, in both memory
// formats, with one or both outputs used.
#include "synth/ChannelMoments.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace dfq;

class TestChannelMoments : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handWorked() {
        // Sample 0: c0 [1,3] -> mean 2, var 1; c1 [0,4] -> 2, 4. Sample 1: c0 [5,7] -> 6, 1; c1 [2,2] -> 2, 0.
        const torch::Tensor x = torch::tensor({1.f, 3.f, 0.f, 4.f, 5.f, 7.f, 2.f, 2.f}).reshape({2, 2, 1, 2});
        auto [mean, var] = synth::channelMoments(x);
        QVERIFY(torch::equal(mean, torch::tensor({2.f, 2.f, 6.f, 2.f}).reshape({2, 2})));
        QVERIFY(torch::equal(var, torch::tensor({1.f, 4.f, 1.f, 0.f}).reshape({2, 2})));
        // d(Σ var)/dx = 2(x − mean)/HW = x − mean here: [−1, 1, −2, 2, −1, 1, 0, 0].
        torch::Tensor xg = x.clone().requires_grad_(true);
        synth::channelMoments(xg).second.sum().backward();
        QVERIFY(torch::allclose(xg.grad(), torch::tensor({-1.f, 1.f, -2.f, 2.f, -1.f, 1.f, 0.f, 0.f}).reshape({2, 2, 1, 2})));
    }

    void matchesAutogradOfVarMean() {
        torch::manual_seed(4);
        for (bool channelsLast : {false, true}) {
            const auto format = channelsLast ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
            const torch::Tensor x0 = (torch::randn({3, 5, 6, 7}, torch::kDouble) * 2 + 0.5).contiguous(format);
            const torch::Tensor wm = torch::randn({3, 5}, torch::kDouble), wv = torch::randn({3, 5}, torch::kDouble);
            for (int used = 0; used < 3; ++used) {   // 0: both outputs, 1: mean only, 2: var only
                torch::Tensor a = x0.clone().requires_grad_(true), b = x0.clone().requires_grad_(true);
                auto [m1, v1] = synth::channelMoments(a);
                auto [v2, m2] = at::var_mean(b, {2, 3}, false, false);
                QVERIFY(torch::allclose(m1, m2, 1e-12, 1e-12));
                QVERIFY(torch::allclose(v1, v2, 1e-10, 1e-12));
                const auto loss = [&](const torch::Tensor& m, const torch::Tensor& v) {
                    if (used == 1)
                        return (m * wm).sum();
                    if (used == 2)
                        return (v * wv).sum();
                    return (m * wm).sum() + (v * wv).sum();
                };
                loss(m1, v1).backward();
                loss(m2, v2).backward();
                QVERIFY2(torch::allclose(a.grad(), b.grad(), 1e-10, 1e-12),
                         (std::string(channelsLast ? "channels-last" : "NCHW") + ", case " + std::to_string(used)).c_str());
            }
        }
    }

    void withoutGradient() {
        const torch::Tensor x = torch::randn({2, 3, 4, 4});
        auto [mean, var] = synth::channelMoments(x);
        QVERIFY(!mean.requires_grad() && !var.requires_grad());
        QVERIFY((var >= 0).all().item<bool>());
        QVERIFY_THROWS_EXCEPTION(c10::Error, synth::channelMoments(torch::randn({2, 3, 4})));
    }
};

QTEST_GUILESS_MAIN(TestChannelMoments)
#include "tst_channelmoments.moc"
