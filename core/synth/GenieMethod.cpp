// "genie": Genie's data distillation (Jeon et al., CVPR 2023; methods.md §7), the strongest peer that
// works on pixels' generator rather than on pixels. Each batch gets a fresh small generator
// (GenieGenerator) and its own latents z ~ N(0, 1); both are trained together against the frozen
// teacher with
//   L = Σ_l (‖μ̃_l − μ_l‖² + ‖σ̃_l − σ_l‖²) / C_l        (batch statistics of every BN input)
//     + input_weight · ZeroQ's input term (per-sample channel mean 0 / std 1)
// while every strided convolution of the teacher "swings" (SwingConvolutions: a random ±1 px shift of
// its input each step). The latents use Adam at lr_latent with ReduceLROnPlateau; the generator Adam at
// lr_generator, multiplied by generator_decay every 100 steps: the pairing Genie's released code runs
// (its function arguments lr_g / lr_z are swapped on the way to the optimisers; we name them by what
// they drive). The images are the generator's output for the final parameters; the teacher labels
// them (argmax), without the swing.
// Defaults differ from the paper in one place: 500 steps per batch, not 4,000 (ImageNet at 224 px);
// written down in docs/methods-notes.md.
#include "synth/FrozenTeacher.h"
#include "synth/GenieGenerator.h"
#include "synth/Losses.h"
#include "synth/PixelOptimizer.h"
#include "synth/PlateauScheduler.h"
#include "synth/SwingConvolutions.h"
#include "synth/SynthesisError.h"
#include "synth/SynthesisMethod.h"
#include "synth/SynthesisRun.h"

#include <torch/torch.h>

#include <cmath>
#include <sstream>

namespace dfq::synth {
namespace {

std::string num(double x) {
    std::ostringstream o;
    o.precision(4);
    o << x;
    return o.str();
}

void setLr(torch::optim::Adam& adam, double lr) {
    for (auto& group : adam.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

class GenieMethod : public SynthesisMethod {
public:
    std::string name() const override { return "genie"; }
    std::string description() const override {
        return "Genie: a small generator and its latents distilled on BN batch statistics, with swing convolutions";
    }
    std::vector<OptionSpec> optionSpecs() const override {
        return {
            {"batch_size", 64, "images per generator (each batch has its own generator and latents)", 2, 1e6},
            {"iterations", 500, "optimisation steps per batch (the paper: 4,000 on ImageNet)", 1, 1e7},
            {"lr_latent", 0.1, "Adam learning rate of the latents", 1e-8, 1e3},
            {"lr_generator", 0.01, "Adam learning rate of the generator", 1e-8, 1e3},
            {"patience", 100, "latents' ReduceLROnPlateau: steps without improvement before reducing", 0, 1e7},
            {"lr_factor", 0.1, "latents' ReduceLROnPlateau: multiplier of the learning rate", 1e-6, 1},
            {"min_lr", 1e-4, "latents' ReduceLROnPlateau: lower bound of the learning rate", 0, 1e3},
            {"generator_decay", 0.95, "generator learning rate × this every 100 steps", 1e-6, 1},
            {"latent_dim", 256, "length of each latent vector", 1, 1e5},
            {"generator_width", 128, "channels of the generator's first feature map (the second has half)", 2, 4096},
            {"swing", 1, "swing convolutions: largest shift in pixels of a strided conv's input (0: off)", 0, 8},
            {"input_weight", 1.0, "weight of the input-statistics term", 0, 1e6},
            {"eps", 1e-6, "std = sqrt(var + eps) on both sides of the BN term", 0, 1},
            {"channels_last", true, "NHWC memory format for the teacher's convolutions"},
            {"fold_bn", true, "fold the teacher's BNs into its convs while distilling (same losses, faster)"},
            {"max_recoveries", 3, "NaN / explosion recoveries per batch before giving up", 0, 100},
            {"explode_ratio", 1e6, "a loss above this multiple of the first loss counts as exploded", 1, 1e300},
        };
    }

    SyntheticSet run(models::ZooModelImpl& model, const SynthesisRequest& request, SynthesisEvents* events,
                     const runtime::CancelToken& cancel) override {
        const nlohmann::json opt = resolveOptions(request.options);
        requireBatchNorm(model);
        const int64_t batchSize = opt.at("batch_size").get<int64_t>(), iterations = opt.at("iterations").get<int64_t>();
        const double lrLatent = opt.at("lr_latent").get<double>(), lrGenerator = opt.at("lr_generator").get<double>(),
                     decay = opt.at("generator_decay").get<double>(), inputWeight = opt.at("input_weight").get<double>(),
                     eps = opt.at("eps").get<double>(), explodeRatio = opt.at("explode_ratio").get<double>();
        const int64_t patience = opt.at("patience").get<int64_t>(), jitter = opt.at("swing").get<int64_t>(),
                      maxRecoveries = opt.at("max_recoveries").get<int64_t>();
        const double factor = opt.at("lr_factor").get<double>(), minLr = opt.at("min_lr").get<double>();
        const auto& info = model.info();
        if (jitter >= std::min(info.inHeight, info.inWidth))
            throw SynthesisError("genie: swing " + std::to_string(jitter) + " must be smaller than the input (" +
                                 std::to_string(info.inHeight) + "x" + std::to_string(info.inWidth) + ")");
        GenieGeneratorOptions go;
        go.latentDim = opt.at("latent_dim").get<int64_t>();
        go.channels = info.inChannels;
        go.height = info.inHeight;
        go.width = info.inWidth;
        go.c1 = opt.at("generator_width").get<int64_t>();
        go.c2 = go.c1 / 2;
        BnsOptions inputTerm;   // per-sample, as ZeroQ's and Genie's input term
        inputTerm.eps = eps;

        SynthesisRun run(name(), model, request, opt, batchSize, iterations, events, cancel);
        FrozenTeacherOptions teacherOptions;
        teacherOptions.channelsLast = opt.at("channels_last").get<bool>();
        teacherOptions.foldBatchNorm = opt.at("fold_bn").get<bool>();
        FrozenTeacher frozen(model, teacherOptions);
        const auto format = teacherOptions.channelsLast ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
        BnStatTap tap(model);

        return run.run([&](int64_t batch, int64_t size, at::Generator& gen) {
            const std::string where = "method 'genie', batch " + std::to_string(batch + 1) + "/" +
                                      std::to_string(run.batches());
            GenieGenerator generator(go);
            generator->reset(gen);
            generator->train();   // its BNs use batch statistics, also for the final images
            torch::Tensor z = torch::randn({size, go.latentDim}, gen).requires_grad_(true);
            SwingConvolutions swing(model, jitter, uint64_t(torch::randint(1LL << 62, {1}, gen).item<int64_t>()));

            // Last finite state, to go back to when a step diverges (taken every 10 steps: the
            // generator's first layer is large, and a slightly older state costs only a few steps).
            std::vector<torch::Tensor> snapshot;
            const auto params = [&] {
                auto p = generator->parameters();
                p.push_back(z);
                return p;
            };
            const auto save = [&] {
                torch::NoGradGuard ng;
                snapshot.clear();
                for (const auto& p : params())
                    snapshot.push_back(p.detach().clone());
            };
            save();
            double lrZ = lrLatent, lrG = lrGenerator;
            auto adamZ = std::make_unique<torch::optim::Adam>(std::vector<torch::Tensor>{z}, torch::optim::AdamOptions(lrZ));
            auto adamG = std::make_unique<torch::optim::Adam>(generator->parameters(), torch::optim::AdamOptions(lrG));
            PlateauScheduler plateau(lrZ, patience, factor, minLr);
            double firstLoss = std::nan("");
            int64_t recoveries = 0;

            for (int64_t it = 0; it < iterations; ++it) {
                run.checkCancel();
                tap.clear();
                const torch::Tensor x = generator->forward(z).contiguous(format);
                const torch::Tensor features = model.features(x);
                const torch::Tensor logits = model.classify(features);
                const torch::Tensor bns = genieBnsLoss(tap.stats(), eps);
                const torch::Tensor input = inputStatsLoss(x, inputTerm);
                const torch::Tensor total = bns + inputWeight * input;
                const double loss = total.item<double>();

                const bool nonFinite = !std::isfinite(loss);
                if (nonFinite || (std::isfinite(firstLoss) && firstLoss > 0 && loss > explodeRatio * firstLoss)) {
                    const std::string what = nonFinite ? "loss became " + num(loss)
                                                       : "loss exploded to " + num(loss) + " (first loss " + num(firstLoss) + ")";
                    if (recoveries >= maxRecoveries)
                        throw SynthesisError(where + ": " + what + " at iteration " + std::to_string(it + 1) + "/" +
                                             std::to_string(iterations) + " after " + std::to_string(recoveries) +
                                             " recoveries (latent learning rate " + num(lrZ) +
                                             "); no images were kept from this batch");
                    ++recoveries;
                    {
                        torch::NoGradGuard ng;
                        auto ps = params();
                        for (size_t i = 0; i < ps.size(); ++i)
                            ps[i].copy_(snapshot[i]);
                    }
                    lrZ *= 0.5;
                    lrG *= 0.5;
                    plateau.setLr(lrZ);
                    adamZ = std::make_unique<torch::optim::Adam>(std::vector<torch::Tensor>{z}, torch::optim::AdamOptions(lrZ));
                    adamG = std::make_unique<torch::optim::Adam>(generator->parameters(), torch::optim::AdamOptions(lrG));
                    run.note(where + ": " + what + " at iteration " + std::to_string(it + 1) +
                             "; went back to the last finite generator and latents and halved both learning rates (recovery " +
                             std::to_string(recoveries) + "/" + std::to_string(maxRecoveries) + ")");
                    tap.clear();
                    continue;
                }
                if (!std::isfinite(firstLoss))
                    firstLoss = loss;
                if (it % 10 == 0)
                    save();

                adamZ->zero_grad();
                adamG->zero_grad();
                total.backward();
                adamZ->step();
                adamG->step();
                const double lrUsed = lrZ;
                lrZ = plateau.step(loss);
                setLr(*adamZ, lrZ);
                if ((it + 1) % 100 == 0) {
                    lrG *= decay;
                    setLr(*adamG, lrG);
                }
                tap.detach();
                run.step(batch, it, lrUsed, {{"total", loss}, {"bns", bns.item<double>()}, {"input", input.item<double>()}},
                         x.detach(), logits.detach(), &tap.stats(), features.detach());
            }
            tap.clear();

            torch::NoGradGuard ng;
            torch::Tensor images = generator->forward(z);
            if (!torch::isfinite(images).all().item<bool>()) {
                run.note(where + ": the last update produced non-finite images; rendered the last finite generator instead");
                auto ps = params();
                for (size_t i = 0; i < ps.size(); ++i)
                    ps[i].copy_(snapshot[i]);
                images = generator->forward(z);
                if (!torch::isfinite(images).all().item<bool>())
                    throw SynthesisError(where + ": the generator produced non-finite images; no images were kept from this batch");
            }
            return std::make_pair(images.contiguous(), torch::Tensor());
        });
    }
};

} // namespace

std::unique_ptr<SynthesisMethod> makeGenieMethod() { return std::make_unique<GenieMethod>(); }

} // namespace dfq::synth
