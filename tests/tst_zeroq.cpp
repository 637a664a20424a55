// Pixel-optimisation methods (zeroq, dsg) and the synthesis skeleton: BN statistics move toward the
// running ones, the NaN / explosion guard, models without BN, budgets, options, events, Cancel,
// determinism; plus noise and the registry.
#include "metrics/BnDivergence.h"
#include "models/ModelLoader.h"
#include "models/ModelZoo.h"
#include "runtime/Resources.h"
#include "support/SharedData.h"
#include "synth/BnStatTap.h"
#include "synth/DsgMargins.h"
#include "synth/SynthesisError.h"
#include "synth/SynthesisMethod.h"
#include "synth/SyntheticSetIO.h"
#include "data/Normalization.h"
#include "synth/Synthesize.h"

#include <QtTest/QtTest>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <functional>

using namespace dfq;
namespace F = torch::nn::functional;

namespace {

/// Low-frequency colour images (bilinear upsampled 4x4 noise plus channel offsets): closer to natural
/// images than white noise, so BN statistics fitted on them differ clearly from noise's.
torch::Tensor smoothImages(int64_t n, int64_t size = 32) {
    const torch::Tensor low = torch::randn({n, 3, 4, 4}) * 0.8 + torch::tensor({0.3f, -0.2f, 0.1f}).view({1, 3, 1, 1});
    return F::interpolate(low, F::InterpolateFuncOptions()
                                   .size(std::vector<int64_t>{size, size})
                                   .mode(torch::kBilinear)
                                   .align_corners(false));
}

/// A random ResNet-20 whose BN running statistics were fitted by a few train-mode passes over
/// smooth images, so they are non-trivial and consistent with its weights (a stand-in for the
/// trained checkpoint until the checkpoint reader is available).
models::ZooModel fittedResNet20() {
    torch::manual_seed(20);
    auto model = models::createModel("resnet20");
    model->train();
    torch::NoGradGuard ng;
    for (int i = 0; i < 30; ++i)
        model->forward(smoothImages(32));
    model->eval();
    return model;
}

/// conv(3->4) -> BN -> ReLU -> mean -> linear(4->3), 8x8 inputs; `inject` may tamper with the BN input
/// of the n-th forward (1-based), to force NaN or explosions.
class TinyNet : public models::ZooModelImpl {
public:
    explicit TinyNet(bool withBn = true) : withBn_(withBn) {
        conv = register_module("conv", models::Conv2d(models::Conv2dOptions{3, 4, 3, 1, 1}));
        if (withBn)
            bn = register_module("bn", models::BatchNorm2d(4));
        relu = register_module("relu", models::Activation());
        fc = register_module("fc", models::Linear(4, 3));
        info_.arch = withBn ? "tiny" : "tiny_nobn";
        info_.inHeight = info_.inWidth = 8;
        info_.numClasses = 3;
        info_.normalization = "none";
        torch::NoGradGuard ng;
        if (withBn) {
            bn->running_mean.copy_(torch::tensor({0.5f, -0.5f, 0.2f, 0.f}));
            bn->running_var.copy_(torch::tensor({0.5f, 2.f, 1.f, 0.3f}));
        }
    }
    torch::Tensor features(const torch::Tensor& x) override {
        torch::Tensor h = conv(x);
        ++calls;
        if (inject)
            h = inject(h, calls);
        if (withBn_)
            h = bn(h);
        return relu(h).mean({2, 3});
    }
    torch::Tensor classify(const torch::Tensor& f) override { return fc(f); }
    torch::Tensor forward(const torch::Tensor& x) override { return classify(features(x)); }

    models::Conv2d conv{nullptr};
    models::BatchNorm2d bn{nullptr};
    models::Activation relu{nullptr};
    models::Linear fc{nullptr};
    int calls = 0;
    std::function<torch::Tensor(const torch::Tensor&, int)> inject;

private:
    bool withBn_;
};

double meanKl(models::ZooModelImpl& m, const torch::Tensor& images) {
    return metrics::meanDivergence(metrics::bnDivergence(m, images)).kl;
}

struct Recorder : synth::SynthesisEvents {
    int progressCalls = 0, lossCalls = 0, diagCalls = 0, snapshots = 0;
    std::vector<int64_t> finished;
    std::vector<std::string> notes;
    synth::SynthesisProgress last;
    torch::Tensor lastSnapshot;
    size_t diagLayers = 0;
    std::function<void()> onProgress;
    void progress(const synth::SynthesisProgress& p) override {
        ++progressCalls;
        last = p;
        if (onProgress)
            onProgress();
    }
    void lossTerms(int64_t, const std::map<std::string, double>& t) override {
        ++lossCalls;
        QVERIFY(t.count("total"));
    }
    void layerDiagnostics(int64_t, const std::vector<metrics::LayerDivergence>& l) override {
        ++diagCalls;
        diagLayers = l.size();
    }
    void snapshot(const synth::ImageSnapshot& s) override {
        ++snapshots;
        lastSnapshot = s.images;
    }
    void batchFinished(int64_t b, const torch::Tensor&, const torch::Tensor&) override { finished.push_back(b); }
    void note(const std::string& m) override { notes.push_back(m); }
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

} // namespace

class TestZeroQ : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void registryListsMethods() {
        const auto names = synth::methodNames();
        for (const char* n : {"zeroq", "dsg", "noise", "real", "intraq"})
            QVERIFY(std::find(names.begin(), names.end(), n) != names.end());
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, synth::createMethod("gan"));
        const auto zq = synth::createMethod("zeroq")->defaultOptions();
        QCOMPARE(zq.at("lr").get<double>(), 0.5);
        QCOMPARE(zq.at("iterations").get<int64_t>(), int64_t(500));
        QCOMPARE(zq.at("patience").get<int64_t>(), int64_t(100));
        QCOMPARE(zq.at("min_lr").get<double>(), 1e-4);
        QCOMPARE(zq.at("per_batch").get<bool>(), false);
    }

    void optionValidation() {
        auto m = synth::createMethod("zeroq");
        try {
            m->resolveOptions({{"iteratons", 5}});
            QFAIL("unknown option accepted");
        } catch (const synth::SynthesisError& e) {
            QVERIFY(contains(e.what(), "unknown option 'iteratons'") && contains(e.what(), "iterations"));
        }
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, m->resolveOptions({{"iterations", "many"}}));
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, m->resolveOptions({{"iterations", 0}}));
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, m->resolveOptions({{"per_batch", 1}}));
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, m->resolveOptions(nlohmann::json::array()));
        const auto r = m->resolveOptions({{"iterations", 20.0}, {"lr", 1}});
        QVERIFY(r.at("iterations").is_number_integer());
        QCOMPARE(r.at("lr").get<double>(), 1.0);
        QCOMPARE(r.at("batch_size").get<int64_t>(), int64_t(32));
    }

    void zeroqBeatsNoiseOnBnDivergence() {
        auto model = fittedResNet20();
        const nlohmann::json opt = {{"iterations", 20}, {"batch_size", 16}};
        const auto zq = synth::synthesize("zeroq", *model, opt, 32, 1);
        const auto noise = synth::synthesize("noise", *model, nullptr, 32, 1);
        QCOMPARE(zq.images.sizes(), (std::vector<int64_t>{32, 3, 32, 32}));
        QCOMPARE(zq.labels.sizes(), (std::vector<int64_t>{32}));
        QCOMPARE(zq.labels.scalar_type(), torch::kLong);
        QVERIFY(torch::isfinite(zq.images).all().item<bool>());
        QCOMPARE(zq.batches, int64_t(2));
        QCOMPARE(zq.steps.size(), size_t(40));
        QCOMPARE(zq.normalization.name, std::string("imagenet"));
        // The loss goes down within each batch.
        QVERIFY(zq.steps[19].terms.at("total") < zq.steps[0].terms.at("total"));
        // Per-step diagnostics are kept: the batch's BN KL falls with the loss, the teacher's
        // confidence is a probability, entropy and feature diversity are measured.
        for (const auto& st : zq.steps) {
            QVERIFY(std::isfinite(st.bnKl) && st.bnKl >= 0);
            QVERIFY(st.confidence >= 0.1 - 1e-6 && st.confidence <= 1.0 + 1e-6);
            QVERIFY(std::isfinite(st.entropy) && st.entropy >= 0);
            QVERIFY(std::isfinite(st.featureDiversity) || std::isnan(st.featureDiversity));
        }
        QVERIFY(zq.steps[19].bnKl < zq.steps[0].bnKl);
        // Labels are the teacher's argmax on the final images.
        {
            torch::NoGradGuard ng;
            QVERIFY(torch::equal(model->forward(zq.images).argmax(1), zq.labels));
        }
        const double klZ = meanKl(*model, zq.images), klN = meanKl(*model, noise.images);
        const double klReal = meanKl(*model, smoothImages(32));
        qInfo("resnet20 (random, BN fitted on smooth images): mean BN KL zeroq(20 it) %.4f, noise %.4f, "
              "smooth-image data %.4f",
              klZ, klN, klReal);
        QVERIFY(klZ < klN);
        // Teacher restored: eval mode kept as it was, parameters trainable again.
        QVERIFY(!model->is_training());
        for (const auto& p : model->parameters())
            QVERIFY(p.requires_grad());
        for (const auto& l : model->bnLayers())
            QVERIFY(!l.bn->hook);
    }

    void intraqReachesItsTargets() {
        // A trained teacher (the embedded Fashion-MNIST ResNet-8): a random one has near-constant logits.
        DFQ_REQUIRE_EMBEDDED_MODEL();
        auto model = models::loadModel(runtime::defaultModelPath(), "auto").model;
        model->eval();
        const nlohmann::json opt = {{"iterations", 40}, {"batch_size", 10}};
        const auto set = synth::synthesize("intraq", *model, opt, 20, 2);
        // Balanced targets over the set, kept as the labels.
        QVERIFY(torch::equal(set.labels, torch::arange(20, torch::kLong) % 10));
        QVERIFY(torch::isfinite(set.images).all().item<bool>());
        for (const char* term : {"ce", "bns", "mdc"})
            QVERIFY(set.steps.front().terms.count(term));
        QVERIFY(set.steps[39].terms.at("ce") < set.steps[0].terms.at("ce"));
        // The teacher (on the uncropped images) mostly agrees with the targets.
        torch::NoGradGuard ng;
        const double agree = model->forward(set.images).argmax(1).eq(set.labels).to(torch::kFloat).mean().item<double>();
        qInfo("intraq: teacher agrees with %.0f %% of the targets after 40 iterations", 100 * agree);
        QVERIFY(agree >= 0.3);   // 3× chance; 60 % here with 2 threads
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError,
                                 synth::synthesize("intraq", *model, {{"mdc_lower", 0.6}, {"mdc_upper", 0.2}}, 4, 0));
    }

    void trainedResNet20() {
        DFQ_REQUIRE_SHARED(path, "models/cifar10/resnet20.pt");
        auto model = models::loadModel(path).model;
        const auto zq = synth::synthesize("zeroq", *model, {{"iterations", 20}}, 32, 1);
        const auto noise = synth::synthesize("noise", *model, nullptr, 32, 1);
        const double klZ = meanKl(*model, zq.images), klN = meanKl(*model, noise.images);
        double klReal = std::nan("");
        if (const std::string data = testing::sharedPath("data/cifar10-jpeg"); !data.empty()) {
            const auto real = synth::synthesize("real", *model, {{"data", data}}, 100, 0);
            QCOMPARE(torch::bincount(real.labels).min().item<int64_t>(), int64_t(10));
            klReal = meanKl(*model, real.images);
            QVERIFY(klReal < klN);
        }
        qInfo("resnet20 (CIFAR-10 checkpoint): mean BN KL zeroq(20 it) %.4f, noise %.4f, 100 real train images %.4f",
              klZ, klN, klReal);
        QVERIFY(klZ < klN);
    }

    void dsgRunsAndAblationsMatchZeroQ() {
        auto model = fittedResNet20();
        const auto dsg = synth::synthesize("dsg", *model, {{"iterations", 10}}, 19, 3);
        QCOMPARE(dsg.options.at("batch_size").get<int64_t>(), int64_t(19));   // auto = BN layer count
        QCOMPARE(dsg.batches, int64_t(1));
        QVERIFY(dsg.steps.back().terms.count("lse") && dsg.steps.back().terms.count("sda"));
        QVERIFY(torch::isfinite(dsg.images).all().item<bool>());
        const double klDsg = meanKl(*model, dsg.images);
        const double klNoise = meanKl(*model, synth::synthesize("noise", *model, nullptr, 19, 3).images);
        qInfo("resnet20 (random, BN fitted): mean BN KL dsg(10 it) %.4f, noise %.4f", klDsg, klNoise);
        QVERIFY(klDsg < klNoise);

        // With SDA and LSE off, DSG is ZeroQ with per-sample statistics. Images cannot be compared
        // after a few steps (Adam at lr 0.5 amplifies float summation-order differences), but the
        // losses of the same starting images must agree, and the end points stay close.
        const nlohmann::json common = {{"iterations", 5}, {"batch_size", 8}};
        nlohmann::json off = common;
        off["sda"] = false;
        off["lse"] = false;
        const auto a = synth::synthesize("dsg", *model, off, 8, 11);
        const auto b = synth::synthesize("zeroq", *model, common, 8, 11);
        QVERIFY(a.steps[0].terms.count("bns") && !a.steps[0].terms.count("lse"));
        const double a0 = a.steps[0].terms.at("total"), b0 = b.steps[0].terms.at("total");
        QVERIFY(std::abs(a0 - b0) <= 1e-5 * b0);
        const double a4 = a.steps[4].terms.at("total"), b4 = b.steps[4].terms.at("total");
        QVERIFY(std::abs(a4 - b4) <= 0.05 * b4);
    }

    void dsgMarginProtocol() {
        // BN straight on an 8x8 input with running mean 3, var 1. For N(0,1) pixels a sample's channel
        // mean is N(0, 1/64): its spread around the population (0) has 90th percentile of |·| =
        // 1.645/8 = 0.206; its gap to the running mean 3 is 3 − N(0,1/64), 90th percentile
        // 3 + 1.2816/8 = 3.160. 256 samples per channel: a few percent of sampling error.
        struct BnOnInput : models::ZooModelImpl {
            BnOnInput() {
                bn = register_module("bn", models::BatchNorm2d(3));
                fc = register_module("fc", models::Linear(3, 2));
                info_.inHeight = info_.inWidth = 8;
                torch::NoGradGuard ng;
                bn->running_mean.fill_(3.0);
            }
            torch::Tensor features(const torch::Tensor& x) override { return bn(x).mean({2, 3}); }
            torch::Tensor classify(const torch::Tensor& f) override { return fc(f); }
            torch::Tensor forward(const torch::Tensor& x) override { return classify(features(x)); }
            models::BatchNorm2d bn{nullptr};
            models::Linear fc{nullptr};
        } model;
        model.eval();
        synth::BnStatTap tap(model);
        synth::MarginProtocol p;   // 4 x 64 images, ε = 0.9, spread
        at::Generator gen = at::detail::createCPUGenerator(9);
        const auto spread = synth::estimateSdaMargins(model, tap, p, gen);
        QCOMPARE(spread.delta.size(), size_t(1));
        QCOMPARE(spread.delta[0].sizes(), (std::vector<int64_t>{3}));
        for (int c = 0; c < 3; ++c) {
            const double d = spread.delta[0][c].item<double>();
            QVERIFY2(d > 0.17 && d < 0.25, qPrintable(QString::number(d)));
        }
        p.reference = synth::MarginReference::Running;
        const auto running = synth::estimateSdaMargins(model, tap, p, gen);
        for (int c = 0; c < 3; ++c) {
            const double d = running.delta[0][c].item<double>();
            QVERIFY2(d > 3.12 && d < 3.20, qPrintable(QString::number(d)));
        }
        QVERIFY(!tap.layer(0).recorded());   // cleared afterwards
    }

    void sameSeedSameImages() {
        TinyNet net;
        const auto a = synth::synthesize("zeroq", net, {{"iterations", 3}, {"batch_size", 4}}, 6, 42);
        const auto b = synth::synthesize("zeroq", net, {{"iterations", 3}, {"batch_size", 4}}, 6, 42);
        const auto c = synth::synthesize("zeroq", net, {{"iterations", 3}, {"batch_size", 4}}, 6, 43);
        QVERIFY(torch::equal(a.images, b.images));
        QVERIFY(!torch::equal(a.images, c.images));
        QCOMPARE(a.size(), int64_t(6));   // 4 + 2: the last batch is smaller
    }

    void channelsLastGivesTheSameResult() {
        auto model = fittedResNet20();
        // The defaults (channels-last, BN folded into the convs) against the plain forward.
        const nlohmann::json plain = {{"iterations", 5}, {"batch_size", 8}, {"channels_last", false}, {"fold_bn", false}};
        const nlohmann::json opt = {{"iterations", 5}, {"batch_size", 8}};
        QCOMPARE(synth::createMethod("zeroq")->defaultOptions().at("channels_last").get<bool>(), true);
        QCOMPARE(synth::createMethod("zeroq")->defaultOptions().at("fold_bn").get<bool>(), true);
        const auto a = synth::synthesize("zeroq", *model, plain, 8, 5);
        const auto b = synth::synthesize("zeroq", *model, opt, 8, 5);
        // Same starting images: same first loss up to float summation order; close afterwards.
        const double a0 = a.steps[0].terms.at("total"), b0 = b.steps[0].terms.at("total");
        QVERIFY(std::abs(a0 - b0) <= 1e-5 * a0);
        const double a4 = a.steps[4].terms.at("total"), b4 = b.steps[4].terms.at("total");
        QVERIFY(std::abs(a4 - b4) <= 0.05 * a4);
        QVERIFY(b.images.is_contiguous());
        for (const auto& p : model->parameters())
            QVERIFY(p.is_contiguous());   // layout restored
        for (auto& ref : model->bnLayers())
            QVERIFY(ref.bn->enabled);     // BNs unfolded again
    }

    void nanIsRecovered() {
        TinyNet net;
        // The 5th forward (iteration 5 of the batch) sees a NaN BN input once.
        net.inject = [](const torch::Tensor& h, int call) {
            return call == 5 ? h + std::numeric_limits<float>::quiet_NaN() : h;
        };
        Recorder rec;
        const auto set = synth::synthesize("zeroq", net, {{"iterations", 12}, {"batch_size", 4}}, 4, 1, &rec);
        QVERIFY(torch::isfinite(set.images).all().item<bool>());
        QCOMPARE(set.notes.size(), size_t(1));
        QVERIFY(contains(set.notes[0], "iteration 5") && contains(set.notes[0], "nan") &&
                contains(set.notes[0], "halved the learning rate to 0.25"));
        QCOMPARE(rec.notes, set.notes);
        // The recovered iteration is not a step: 11 steps recorded, later ones at lr 0.25.
        QCOMPARE(set.steps.size(), size_t(11));
        QCOMPARE(set.steps.back().lr, 0.25);
    }

    void explosionIsRecovered() {
        TinyNet net;
        net.inject = [](const torch::Tensor& h, int call) { return call == 3 ? h * 1e6 : h; };
        const auto set = synth::synthesize("zeroq", net, {{"iterations", 6}, {"batch_size", 4}}, 4, 1);
        QCOMPARE(set.notes.size(), size_t(1));
        QVERIFY(contains(set.notes[0], "exploded") && contains(set.notes[0], "iteration 3"));
        QVERIFY(torch::isfinite(set.images).all().item<bool>());
    }

    void persistentNanStopsWithAClearError() {
        TinyNet net;
        net.inject = [](const torch::Tensor& h, int call) {
            return call >= 4 ? h + std::numeric_limits<float>::quiet_NaN() : h;
        };
        Recorder rec;
        try {
            synth::synthesize("zeroq", net, {{"iterations", 20}, {"batch_size", 4}}, 8, 1, &rec);
            QFAIL("no error for a persistent NaN");
        } catch (const synth::SynthesisError& e) {
            const std::string msg = e.what();
            qInfo("%s", e.what());
            // Iterations 4, 5, 6 are recovered; the 4th NaN in a row (iteration 7) gives up.
            QVERIFY(contains(msg, "method 'zeroq', batch 1/2") && contains(msg, "iteration 7/20") &&
                    contains(msg, "after 3 recoveries") && contains(msg, "nan"));
        }
        QCOMPARE(rec.notes.size(), size_t(3));
        QVERIFY(rec.finished.empty());
    }

    void modelWithoutBatchNorm() {
        TinyNet net(/*withBn=*/false);
        for (const char* method : {"zeroq", "dsg"}) {
            try {
                synth::synthesize(method, net, nullptr, 4, 1);
                QFAIL("no error for a model without BN");
            } catch (const synth::SynthesisError& e) {
                QCOMPARE(std::string(e.what()),
                         std::string("model 'tiny_nobn' has no BatchNorm layers: BN-statistic methods (zeroq, dsg) "
                                     "cannot run; use --method noise or real-image calibration instead"));
            }
        }
        // Noise does not need BN.
        const auto set = synth::synthesize("noise", net, nullptr, 5, 1);
        QCOMPARE(set.images.sizes(), (std::vector<int64_t>{5, 3, 8, 8}));
    }

    void realImagesFromAnImageFolder() {
        // An ImageFolder written by our own exporter (PNG class folders; manifest.json and tensors.pt at
        // the root are not classes) read back through data::openDataset: class-balanced first images.
        TinyNet net;
        const std::string dir = testing::makeTempDir("realsynth") + "/set";
        synth::SyntheticSet src;
        src.images = torch::rand({9, 3, 8, 8});
        src.labels = torch::tensor({0, 0, 0, 0, 1, 1, 1, 2, 2}, torch::kLong);
        src.numClasses = 3;
        src.normalization = data::normalizationPreset("none");
        synth::writeSyntheticSet(dir, src);

        const auto set = synth::synthesize("real", net, {{"data", dir}}, 6, 0);
        // ceil(6/3) = 2 per class, in file order: images 0,1 (class 0), 4,5 (class 1), 7,8 (class 2).
        QVERIFY(torch::equal(set.labels, torch::tensor({0, 0, 1, 1, 2, 2}, torch::kLong)));
        const auto idx = torch::tensor({0, 1, 4, 5, 7, 8}, torch::kLong);
        QVERIFY(torch::allclose(set.images, src.images.index_select(0, idx), 0, 0.5 / 255 + 1e-5));

        // Unbalanced: the first 5 in file order; teacher labels on request.
        const auto first = synth::synthesize("real", net, {{"data", dir}, {"balanced", false}, {"labels", "teacher"}}, 5, 0);
        QVERIFY(torch::allclose(first.images, src.images.slice(0, 0, 5), 0, 0.5 / 255 + 1e-5));
        {
            torch::NoGradGuard ng;
            QVERIFY(torch::equal(first.labels, net.forward(first.images).argmax(1)));
        }

        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, synth::synthesize("real", net, nullptr, 4, 0));
        try {
            synth::synthesize("real", net, {{"data", dir}}, 10, 0);   // at most 4 per class: 4 + 3 + 2
            QFAIL("too few images not reported");
        } catch (const synth::SynthesisError& e) {
            QVERIFY2(contains(e.what(), "yields only 9 images with at most 4 per class, 10 were asked for"), e.what());
        }
    }

    void zeroBudgetIsAnError() {
        TinyNet net;
        for (const char* method : {"zeroq", "dsg", "noise"}) {
            try {
                synth::synthesize(method, net, nullptr, 0, 1);
                QFAIL("no error for a zero budget");
            } catch (const synth::SynthesisError& e) {
                QVERIFY(contains(e.what(), "budget of 0 images"));
            }
        }
    }

    void eventsReportProgressDiagnosticsAndPreviews() {
        TinyNet net;
        Recorder rec;
        rec.diagnosticsEvery = 2;
        rec.snapshotEvery = 3;
        rec.snapshotPerClass = 2;
        const auto set = synth::synthesize("zeroq", net, {{"iterations", 6}, {"batch_size", 5}}, 10, 1, &rec);
        QCOMPARE(rec.lossCalls, 12);
        QCOMPARE(rec.last.step, int64_t(12));
        QCOMPARE(rec.last.totalSteps, int64_t(12));
        QCOMPARE(rec.last.imagesDone, int64_t(10));
        QCOMPARE(rec.last.etaSeconds, 0.0);
        // Per batch: iterations 0, 2, 4 plus the end of the batch.
        QCOMPARE(rec.diagCalls, 8);
        QCOMPARE(rec.diagLayers, size_t(1));
        // Per batch: iterations 0, 3 plus the end of the batch.
        QCOMPARE(rec.snapshots, 6);
        QCOMPARE(rec.lastSnapshot.scalar_type(), torch::kUInt8);
        QCOMPARE(rec.lastSnapshot.dim(), int64_t(4));
        QCOMPARE(rec.lastSnapshot.size(3), int64_t(3));   // [n,H,W,C]
        QVERIFY(rec.lastSnapshot.size(0) <= 2 * 3);
        QCOMPARE(rec.finished, (std::vector<int64_t>{0, 1}));
    }

    void cancelKeepsFinishedBatches() {
        TinyNet net;
        Recorder rec;
        runtime::CancelToken cancel;
        // Cancel during the second batch (after 5 + 2 steps).
        rec.onProgress = [&] {
            if (rec.last.step == 7)
                cancel.cancel();
        };
        QVERIFY_THROWS_EXCEPTION(runtime::Cancelled, synth::synthesize("zeroq", net, {{"iterations", 5}, {"batch_size", 2}},
                                                                       6, 1, &rec, cancel));
        QCOMPARE(rec.finished, (std::vector<int64_t>{0}));
        // The teacher is restored after a cancel too.
        QVERIFY(!net.bn->hook);
        for (const auto& p : net.parameters())
            QVERIFY(p.requires_grad());
    }
};

QTEST_GUILESS_MAIN(TestZeroQ)
#include "tst_zeroq.moc"
