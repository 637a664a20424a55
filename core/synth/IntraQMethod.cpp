// "intraq": IntraQ's pixel optimisation (Zhong et al., CVPR 2022; methods.md §7), one of the strongest
// peers. Pixels start as N(0,1); each image has a target class (balanced over the set) and is
// optimised with
//   L = soft-target CE (target probability p ~ U(soft_low, 1), the rest spread evenly)
//     + bns_weight · ZeroQ BNS over the per-batch statistics
//     + mdc_weight · marginal distance constraint (cosine distance to the class centre in [lower, upper])
// while the teacher sees a random resized crop of the batch each step ("local object reinforcement":
// scale U(crop_min, 1), aspect ratio U(3/4, 4/3) in log space, bilinear back to the input size).
// Choices where the paper leaves room (written down in docs/methods-notes.md): one crop per batch and
// step, BNS on per-batch statistics, centres detached, bounds 0.1 / 0.5.
#include "synth/FrozenTeacher.h"
#include "synth/Losses.h"
#include "synth/PixelOptimizer.h"
#include "synth/SynthesisError.h"
#include "synth/SynthesisMethod.h"

#include <torch/torch.h>

#include <cmath>
#include <random>

namespace dfq::synth {
namespace {

class IntraQMethod : public SynthesisMethod {
public:
    std::string name() const override { return "intraq"; }
    std::string description() const override {
        return "IntraQ: class-targeted pixels with soft labels, a marginal distance constraint and random-resized-crop views";
    }
    std::vector<OptionSpec> optionSpecs() const override {
        auto specs = pixelOptimizerSpecs();
        specs.push_back({"batch_size", 32, "images optimised together (each batch independently)", 1, 1e6});
        specs.push_back({"soft_low", 0.95, "target-class probability drawn from U(soft_low, 1) per image", 0.01, 1});
        specs.push_back({"bns_weight", 1.0, "weight of the BN-statistics term", 0, 1e6});
        specs.push_back({"mdc_weight", 1.0, "weight of the marginal distance constraint", 0, 1e6});
        specs.push_back({"mdc_lower", 0.1, "lower bound of the cosine distance to the class centre", 0, 2});
        specs.push_back({"mdc_upper", 0.5, "upper bound of the cosine distance to the class centre", 0, 2});
        specs.push_back({"crop_min", 0.5, "random resized crop: smallest area fraction (1: no crop)", 0.05, 1});
        specs.push_back({"eps", 1e-6, "std = sqrt(var + eps) on both sides of the BN term", 0, 1});
        return specs;
    }

    SyntheticSet run(models::ZooModelImpl& model, const SynthesisRequest& request, SynthesisEvents* events,
                     const runtime::CancelToken& cancel) override {
        const nlohmann::json opt = resolveOptions(request.options);
        requireBatchNorm(model);
        const PixelOptimizerOptions po = pixelOptimizerOptions(opt);
        BnsOptions bns;
        bns.perBatch = true;
        bns.eps = opt.at("eps").get<double>();
        const double softLow = opt.at("soft_low").get<double>(), bnsWeight = opt.at("bns_weight").get<double>(),
                     mdcWeight = opt.at("mdc_weight").get<double>(), lower = opt.at("mdc_lower").get<double>(),
                     upper = opt.at("mdc_upper").get<double>(), cropMin = opt.at("crop_min").get<double>();
        if (lower > upper)
            throw SynthesisError("intraq: mdc_lower (" + std::to_string(lower) + ") is above mdc_upper (" +
                                 std::to_string(upper) + ")");
        const int64_t batchSize = opt.at("batch_size").get<int64_t>();

        SynthesisRun run(name(), model, request, opt, batchSize, po.iterations, events, cancel);
        FrozenTeacher frozen(model, frozenTeacherOptions(po));
        BnStatTap tap(model);
        const auto& info = model.info();
        const int64_t classes = std::max<int64_t>(1, info.numClasses);
        const int64_t h = info.inHeight, w = info.inWidth;

        return run.run([&](int64_t batch, int64_t size, at::Generator& gen) {
            // Balanced targets over the whole set: image j of the run gets class j mod K.
            const torch::Tensor labels = (torch::arange(size, torch::kLong) + batch * batchSize) % classes;
            const torch::Tensor pTarget = torch::rand({size}, gen) * (1.0 - softLow) + softLow;
            // The crops' own stream, seeded from the batch's generator: reproducible, batch-independent.
            std::mt19937_64 rng(uint64_t(torch::randint(1LL << 62, {1}, gen).item<int64_t>()));
            std::uniform_real_distribution<double> u01(0.0, 1.0);
            const PixelView view = [&](const torch::Tensor& x) -> torch::Tensor {
                if (cropMin >= 1.0)
                    return x;
                for (int attempt = 0; attempt < 10; ++attempt) {
                    const double area = (cropMin + (1.0 - cropMin) * u01(rng)) * double(h * w);
                    const double logr = std::log(3.0 / 4.0) + (std::log(4.0 / 3.0) - std::log(3.0 / 4.0)) * u01(rng);
                    const auto ch = int64_t(std::lround(std::sqrt(area / std::exp(logr))));
                    const auto cw = int64_t(std::lround(std::sqrt(area * std::exp(logr))));
                    if (ch < 1 || cw < 1 || ch > h || cw > w)
                        continue;
                    const auto top = int64_t(u01(rng) * double(h - ch + 1)) , left = int64_t(u01(rng) * double(w - cw + 1));
                    const auto crop = x.narrow(2, std::min(top, h - ch), ch).narrow(3, std::min(left, w - cw), cw);
                    return torch::nn::functional::interpolate(
                        crop, torch::nn::functional::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{h, w})
                                  .mode(torch::kBilinear)
                                  .align_corners(false));
                }
                return x;
            };
            const PixelLoss loss = [&](const torch::Tensor&, const TeacherOutputs& t,
                                       const std::vector<BnLayerStats>& stats) {
                LossTerms lt;
                lt.parts["ce"] = softTargetCrossEntropy(t.logits, labels, pTarget);
                lt.parts["bns"] = zeroqBnsLoss(stats, bns);
                lt.parts["mdc"] = marginalDistanceLoss(t.features, labels, lower, upper);
                lt.total = lt.parts["ce"] + bnsWeight * lt.parts["bns"] + mdcWeight * lt.parts["mdc"];
                return lt;
            };
            const torch::Tensor init = torch::randn({size, info.inChannels, h, w}, gen);
            return std::make_pair(optimizePixels(init, tap, loss, po, run, batch, view), labels);
        });
    }
};

} // namespace

std::unique_ptr<SynthesisMethod> makeIntraQMethod() { return std::make_unique<IntraQMethod>(); }

} // namespace dfq::synth
