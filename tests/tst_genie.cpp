// Genie (synth/GenieMethod.cpp): swing convolutions shift only strided convs' inputs by the offsets
// they should, the generator's shapes and output statistics, and a distillation run on the embedded
// model (finite images, falling loss, BN statistics closer than noise's, deterministic, hooks removed).
#include "metrics/BnDivergence.h"
#include "models/ModelLoader.h"
#include "models/ModelZoo.h"
#include "runtime/Resources.h"
#include "synth/GenieGenerator.h"
#include "synth/SwingConvolutions.h"
#include "synth/SynthesisError.h"
#include "synth/SynthesisMethod.h"
#include "synth/Synthesize.h"
#include "support/SharedData.h"

#include <QtTest/QtTest>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <set>

using namespace dfq;
namespace F = torch::nn::functional;

namespace {

/// x shifted as the swing does for offset (top, left) in [0, 2j]: reflect-pad by j, crop the original size.
torch::Tensor shifted(const torch::Tensor& x, int64_t j, int64_t top, int64_t left) {
    return F::pad(x, F::PadFuncOptions({j, j, j, j}).mode(torch::kReflect))
        .narrow(2, top, x.size(2))
        .narrow(3, left, x.size(3));
}

/// Doubles the weight: to check that a hook already on a conv keeps working under the swing.
struct DoubleWeight : models::WeightInputHook {
    torch::Tensor weight(const torch::Tensor& w) override { return w * 2; }
};

models::ZooModel embeddedModel() {
    if (runtime::defaultModelPath().empty())
        return nullptr;
    auto model = models::loadModel(runtime::defaultModelPath(), "auto").model;
    model->eval();
    return model;
}

} // namespace

class TestGenie : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void swingOnlyOnStridedConvs() {
        auto model = models::createModel("resnet20");
        std::vector<std::string> strided;
        for (auto& l : model->quantLayers())
            if (l.isConv() && l.conv->options().stride > 1)
                strided.push_back(l.name);
        // CIFAR ResNet-20: the first conv of layer2 and layer3 (its shortcuts are parameter-free).
        QCOMPARE(strided, (std::vector<std::string>{"layer2.0.conv1", "layer3.0.conv1"}));
        {
            synth::SwingConvolutions swing(*model, 1, 7);
            QCOMPARE(swing.size(), size_t(2));
            for (auto& l : model->quantLayers())
                QCOMPARE(bool(l.hook()), l.isConv() && l.conv->options().stride > 1);
        }
        for (auto& l : model->quantLayers())
            QVERIFY(!l.hook());
        synth::SwingConvolutions off(*model, 0, 7);
        QCOMPARE(off.size(), size_t(0));
    }

    void swingShiftsByEveryOffsetInRange() {
        auto model = models::createModel("resnet20");
        models::Conv2d conv{nullptr};
        for (auto& l : model->quantLayers())
            if (l.name == "layer2.0.conv1")
                conv = l.conv;
        torch::NoGradGuard ng;
        torch::manual_seed(3);
        const torch::Tensor x = torch::randn({2, 16, 8, 8});
        // The 9 outputs a ±1 swing may give, computed by hand.
        std::vector<torch::Tensor> candidates;
        for (int64_t top = 0; top < 3; ++top)
            for (int64_t left = 0; left < 3; ++left)
                candidates.push_back(conv->forward(shifted(x, 1, top, left)));
        const torch::Tensor plain = conv->forward(x);
        QVERIFY(torch::allclose(plain, candidates[4]));   // offset (1,1) is no shift
        std::set<int> seen;
        {
            synth::SwingConvolutions swing(*model, 1, 11);
            for (int call = 0; call < 100; ++call) {
                const torch::Tensor y = conv->forward(x);
                int match = -1;
                for (int k = 0; k < 9; ++k)
                    if (torch::allclose(y, candidates[size_t(k)], 1e-5, 1e-6))
                        match = k;
                QVERIFY2(match >= 0, "a swung output is not one of the 9 shifted convolutions");
                seen.insert(match);
            }
        }
        QCOMPARE(seen.size(), size_t(9));   // P(missing one in 100 draws) < 1e-4; the seed fixes it anyway
        QVERIFY(torch::equal(conv->forward(x), plain));

        // A hook that was there keeps transforming the weight under the swing, and comes back after.
        auto previous = std::make_shared<DoubleWeight>();
        conv->hook = previous;
        {
            synth::SwingConvolutions swing(*model, 1, 11);
            const torch::Tensor y = conv->forward(x);
            bool found = false;
            for (const auto& c : candidates)
                found = found || torch::allclose(y, c * 2, 1e-5, 1e-5);
            QVERIFY(found);
        }
        QCOMPARE(conv->hook.get(), static_cast<models::WeightInputHook*>(previous.get()));
        conv->hook = nullptr;
    }

    void generatorShapesAndStatistics() {
        for (auto [c, h, w] : std::vector<std::tuple<int64_t, int64_t, int64_t>>{{3, 32, 32}, {1, 28, 28}, {3, 30, 17}}) {
            synth::GenieGeneratorOptions o;
            o.channels = c;
            o.height = h;
            o.width = w;
            o.latentDim = 32;
            o.c1 = 16;
            o.c2 = 8;
            synth::GenieGenerator a(o), b(o);
            auto ga = at::detail::createCPUGenerator(5), gb = at::detail::createCPUGenerator(5);
            a->reset(ga);
            b->reset(gb);
            a->train();
            b->train();
            const torch::Tensor z = torch::randn({8, 32});
            const torch::Tensor y = a->forward(z);
            QCOMPARE(y.sizes(), (c10::IntArrayRef{8, c, h, w}));
            // Same stream, same generator.
            QVERIFY(torch::equal(y, b->forward(z)));
            // The last BN (no affine, batch statistics): each channel has mean 0, variance 1 over the batch.
            auto [var, mean] = at::var_mean(y, {0, 2, 3}, false, false);
            QVERIFY(mean.abs().max().item<double>() < 1e-4);
            QVERIFY((var - 1).abs().max().item<double>() < 1e-3);
        }
    }

    void registeredWithDefaults() {
        const auto names = synth::methodNames();
        QVERIFY(std::find(names.begin(), names.end(), "genie") != names.end());
        const auto d = synth::createMethod("genie")->defaultOptions();
        QCOMPARE(d.at("lr_latent").get<double>(), 0.1);
        QCOMPARE(d.at("lr_generator").get<double>(), 0.01);
        QCOMPARE(d.at("latent_dim").get<int64_t>(), int64_t(256));
        QCOMPARE(d.at("swing").get<int64_t>(), int64_t(1));
    }

    void distilsTheEmbeddedModel() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        auto model = embeddedModel();
        const nlohmann::json opt = {{"iterations", 30}, {"batch_size", 16}, {"latent_dim", 64}, {"generator_width", 32}};
        const auto set = synth::synthesize("genie", *model, opt, 32, 4);
        const auto& info = model->info();
        QCOMPARE(set.images.sizes(), (c10::IntArrayRef{32, info.inChannels, info.inHeight, info.inWidth}));
        QVERIFY(torch::isfinite(set.images).all().item<bool>());
        QCOMPARE(set.steps.size(), size_t(60));
        for (const char* term : {"total", "bns", "input"})
            QVERIFY(set.steps.front().terms.count(term));
        // The loss falls within each batch.
        QVERIFY(set.steps[29].terms.at("total") < 0.5 * set.steps[0].terms.at("total"));
        QVERIFY(set.steps[59].terms.at("total") < 0.5 * set.steps[30].terms.at("total"));
        // Closer to the teacher's BN statistics than Gaussian noise.
        const auto noise = synth::synthesize("noise", *model, nullptr, 32, 4);
        const double klGenie = metrics::meanDivergence(metrics::bnDivergence(*model, set.images)).kl;
        const double klNoise = metrics::meanDivergence(metrics::bnDivergence(*model, noise.images)).kl;
        qInfo("genie (30 it): mean BN KL %.4f, noise %.4f", klGenie, klNoise);
        QVERIFY(klGenie < klNoise);
        // The swing is gone, the teacher is as it was, and the same seed gives the same images.
        for (auto& l : model->quantLayers())
            QVERIFY(!l.hook());
        QVERIFY(!model->is_training());
        for (const auto& p : model->parameters())
            QVERIFY(!p.grad().defined());
        const auto again = synth::synthesize("genie", *model, opt, 32, 4);
        QVERIFY(torch::equal(again.images, set.images));
    }

    void badInput() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        auto model = embeddedModel();
        // A zero budget, a batch too small for the generator's batch statistics, an unknown option.
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, synth::synthesize("genie", *model, {{"iterations", 1}}, 0, 0));
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, synth::synthesize("genie", *model, {{"batch_size", 1}}, 4, 0));
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, synth::synthesize("genie", *model, {{"swnig", 1}}, 4, 0));
    }
};

QTEST_GUILESS_MAIN(TestGenie)
#include "tst_genie.moc"
