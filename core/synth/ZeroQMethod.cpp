// "zeroq": ZeroQ's distilled data (Cai et al., CVPR 2020; methods.md §1). Pixels start as N(0,1) and
// are optimised so that every BN input's statistics match the BN's running statistics, and the image's
// own statistics match mean 0 / std 1. No label term: labels are the teacher's argmax afterwards.
#include "synth/FrozenTeacher.h"
#include "synth/Losses.h"
#include "synth/PixelOptimizer.h"
#include "synth/SynthesisMethod.h"

#include <torch/torch.h>

namespace dfq::synth {
namespace {

class ZeroQMethod : public SynthesisMethod {
public:
    std::string name() const override { return "zeroq"; }
    std::string description() const override {
        return "ZeroQ distilled data: Gaussian pixels optimised to match the BN running statistics";
    }
    std::vector<OptionSpec> optionSpecs() const override {
        auto specs = pixelOptimizerSpecs();
        specs.push_back({"batch_size", 32, "images optimised together (each batch independently)", 1, 1e6});
        specs.push_back({"per_batch", false,
                         "compare batch statistics [C] instead of per-sample statistics [N,C] (ZeroQ's code)"});
        specs.push_back({"input_term", true, "include the image's own mean-0/std-1 statistics term"});
        specs.push_back({"eps", 1e-6, "std = sqrt(var + eps) on both sides", 0, 1});
        return specs;
    }

    SyntheticSet run(models::ZooModelImpl& model, const SynthesisRequest& request, SynthesisEvents* events,
                     const runtime::CancelToken& cancel) override {
        const nlohmann::json opt = resolveOptions(request.options);
        requireBatchNorm(model);
        const PixelOptimizerOptions po = pixelOptimizerOptions(opt);
        BnsOptions bns;
        bns.perBatch = opt.at("per_batch").get<bool>();
        bns.eps = opt.at("eps").get<double>();
        const bool inputTerm = opt.at("input_term").get<bool>();

        SynthesisRun run(name(), model, request, opt, opt.at("batch_size").get<int64_t>(), po.iterations, events,
                         cancel);
        FrozenTeacher frozen(model, frozenTeacherOptions(po));
        BnStatTap tap(model);
        const auto& info = model.info();
        const PixelLoss loss = [&](const torch::Tensor& images, const TeacherOutputs&,
                                   const std::vector<BnLayerStats>& stats) {
            LossTerms lt;
            lt.parts["bns"] = zeroqBnsLoss(stats, bns);
            lt.total = lt.parts["bns"];
            if (inputTerm) {
                lt.parts["input"] = inputStatsLoss(images, bns);
                lt.total = lt.total + lt.parts["input"];
            }
            return lt;
        };
        return run.run([&](int64_t batch, int64_t size, at::Generator& gen) {
            const torch::Tensor init = torch::randn({size, info.inChannels, info.inHeight, info.inWidth}, gen);
            return std::make_pair(optimizePixels(init, tap, loss, po, run, batch), torch::Tensor());
        });
    }
};

} // namespace

std::unique_ptr<SynthesisMethod> makeZeroQMethod() { return std::make_unique<ZeroQMethod>(); }

} // namespace dfq::synth
