// "dsg": Diverse Sample Generation (Zhang, Qin et al., CVPR 2021; methods.md §3) on ZeroQ's pixel
// optimisation. Slack distribution alignment (SDA) lets each sample's BN statistics deviate from the
// running ones by as much as Gaussian inputs already do (margins: DsgMargins.h); layerwise sample
// enhancement (LSE) makes sample j weigh layer j mod L double, so samples specialise on different
// layers. Both switch off for ablations; with both off this is ZeroQ with per-sample statistics.
#include "synth/DsgMargins.h"
#include "synth/FrozenTeacher.h"
#include "synth/Losses.h"
#include "synth/PixelOptimizer.h"
#include "synth/SynthesisMethod.h"

#include <torch/torch.h>

#include <limits>

namespace dfq::synth {
namespace {

class DsgMethod : public SynthesisMethod {
public:
    std::string name() const override { return "dsg"; }
    std::string description() const override {
        return "DSG: ZeroQ pixels with slack distribution alignment and layerwise sample enhancement";
    }
    std::vector<OptionSpec> optionSpecs() const override {
        auto specs = pixelOptimizerSpecs();
        const MarginProtocol mp;
        specs.push_back({"batch_size", 0,
                         "images optimised together; 0 = the number of BN layers when lse is on (DSG's "
                         "setting: one emphasised layer per sample), else 32",
                         0, 1e6});
        specs.push_back({"sda", true, "slack distribution alignment (margins); off: exact matching"});
        specs.push_back({"lse", true, "layerwise sample enhancement weighting"});
        specs.push_back({"percentile", mp.percentile, "ε: quantile of the Gaussian-input gap used as margin", 0, 1});
        specs.push_back({"margin_reference", "spread",
                         "what Gaussian per-sample statistics are compared with to set the margins: 'spread' "
                         "(their own mean: natural sample scatter) or 'running' (the BN running statistics, "
                         "DSG's literal wording; leaves images noise-like, see docs/methods-notes.md)",
                         -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                         {"spread", "running"}});
        specs.push_back({"margin_batches", mp.batches, "Gaussian batches drawn to measure the margins", 1, 1e4});
        specs.push_back({"margin_batch_size", mp.batchSize, "images per margin batch", 1, 1e5});
        specs.push_back({"input_term", true, "include ZeroQ's image mean-0/std-1 statistics term"});
        specs.push_back({"eps", 1e-6, "std = sqrt(var + eps) on both sides", 0, 1});
        return specs;
    }

    SyntheticSet run(models::ZooModelImpl& model, const SynthesisRequest& request, SynthesisEvents* events,
                     const runtime::CancelToken& cancel) override {
        const nlohmann::json opt = resolveOptions(request.options);
        requireBatchNorm(model);
        const PixelOptimizerOptions po = pixelOptimizerOptions(opt);
        const bool useSda = opt.at("sda").get<bool>(), useLse = opt.at("lse").get<bool>();
        const bool inputTerm = opt.at("input_term").get<bool>();
        MarginProtocol mp;
        mp.percentile = opt.at("percentile").get<double>();
        mp.reference = opt.at("margin_reference").get<std::string>() == "running" ? MarginReference::Running
                                                                                   : MarginReference::Spread;
        mp.batches = opt.at("margin_batches").get<int64_t>();
        mp.batchSize = opt.at("margin_batch_size").get<int64_t>();
        mp.eps = opt.at("eps").get<double>();
        BnsOptions bns;
        bns.eps = mp.eps;

        const int64_t layers = int64_t(model.bnLayers().size());
        int64_t batchSize = opt.at("batch_size").get<int64_t>();
        if (batchSize == 0)
            batchSize = useLse ? layers : 32;
        nlohmann::json recorded = opt;
        recorded["batch_size"] = batchSize;   // what was used, not "auto"

        SynthesisRun run(name(), model, request, recorded, batchSize, po.iterations, events, cancel);
        FrozenTeacher frozen(model, frozenTeacherOptions(po));
        BnStatTap tap(model);
        SdaMargins margins;
        if (useSda) {
            at::Generator gen = run.generator(0);
            margins = estimateSdaMargins(model, tap, mp, gen);
        }
        const auto& info = model.info();
        const PixelLoss loss = [&](const torch::Tensor& images, const TeacherOutputs&,
                                   const std::vector<BnLayerStats>& stats) {
            LossTerms lt;
            const torch::Tensor L = sdaLossMatrix(stats, margins, bns.eps);
            lt.total = useLse ? lseLoss(L) : sdaLoss(L);
            lt.parts[useSda ? "sda" : "bns"] = sdaLoss(L);
            if (useLse)
                lt.parts["lse"] = lt.total;
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

std::unique_ptr<SynthesisMethod> makeDsgMethod() { return std::make_unique<DsgMethod>(); }

} // namespace dfq::synth
