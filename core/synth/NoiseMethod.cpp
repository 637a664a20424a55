// "noise": Gaussian N(0,1) images in the normalised input space, labelled by the teacher. The
// cheapest calibration baseline, and the one that works for models without BatchNorm.
#include "synth/FrozenTeacher.h"
#include "synth/SynthesisMethod.h"
#include "synth/SynthesisRun.h"

#include <torch/torch.h>

namespace dfq::synth {
namespace {

class NoiseMethod : public SynthesisMethod {
public:
    std::string name() const override { return "noise"; }
    std::string description() const override { return "Gaussian noise N(0,1) in the normalised input space"; }
    std::vector<OptionSpec> optionSpecs() const override {
        return {{"batch_size", 256, "images drawn and labelled together", 1, 1e6},
                {"std", 1.0, "standard deviation of the noise", 0, 1e6}};
    }

    SyntheticSet run(models::ZooModelImpl& model, const SynthesisRequest& request, SynthesisEvents* events,
                     const runtime::CancelToken& cancel) override {
        const nlohmann::json opt = resolveOptions(request.options);
        const double sd = opt.at("std").get<double>();
        SynthesisRun run(name(), model, request, opt, opt.at("batch_size").get<int64_t>(), 0, events, cancel);
        FrozenTeacher frozen(model);
        const auto& info = model.info();
        return run.run([&](int64_t, int64_t size, at::Generator& gen) {
            return std::make_pair(torch::randn({size, info.inChannels, info.inHeight, info.inWidth}, gen) * sd,
                                  torch::Tensor());
        });
    }
};

} // namespace

std::unique_ptr<SynthesisMethod> makeNoiseMethod() { return std::make_unique<NoiseMethod>(); }

} // namespace dfq::synth
