#include "synth/PixelOptimizer.h"

#include "synth/PlateauScheduler.h"
#include "synth/SynthesisError.h"

#include <torch/torch.h>

#include <cmath>
#include <memory>
#include <sstream>

namespace dfq::synth {

std::vector<OptionSpec> pixelOptimizerSpecs() {
    const PixelOptimizerOptions d;
    return {
        {"iterations", d.iterations, "optimisation steps per batch", 1, 1e7},
        {"lr", d.lr, "Adam learning rate on the pixels", 1e-8, 1e3},
        {"patience", d.patience, "ReduceLROnPlateau: steps without improvement before reducing", 0, 1e7},
        {"lr_factor", d.factor, "ReduceLROnPlateau: multiplier of the learning rate", 1e-6, 1},
        {"min_lr", d.minLr, "ReduceLROnPlateau: lower bound of the learning rate", 0, 1e3},
        {"max_recoveries", d.maxRecoveries, "NaN / explosion recoveries per batch before giving up", 0, 100},
        {"explode_ratio", d.explodeRatio, "a loss above this multiple of the first loss counts as exploded", 1, 1e300},
        {"channels_last", d.channelsLast, "NHWC memory format for images and conv weights"},
        {"fold_bn", d.foldBatchNorm, "fold the teacher's BNs into its convs while optimising (same losses, faster)"},
    };
}

PixelOptimizerOptions pixelOptimizerOptions(const nlohmann::json& j) {
    PixelOptimizerOptions o;
    o.iterations = j.at("iterations").get<int64_t>();
    o.lr = j.at("lr").get<double>();
    o.patience = j.at("patience").get<int64_t>();
    o.factor = j.at("lr_factor").get<double>();
    o.minLr = j.at("min_lr").get<double>();
    o.maxRecoveries = j.at("max_recoveries").get<int64_t>();
    o.explodeRatio = j.at("explode_ratio").get<double>();
    o.channelsLast = j.at("channels_last").get<bool>();
    o.foldBatchNorm = j.at("fold_bn").get<bool>();
    return o;
}

FrozenTeacherOptions frozenTeacherOptions(const PixelOptimizerOptions& o) {
    FrozenTeacherOptions f;
    f.channelsLast = o.channelsLast;
    f.foldBatchNorm = o.foldBatchNorm;
    return f;
}

void requireBatchNorm(models::ZooModelImpl& model) {
    if (model.bnLayers().empty())
        throw SynthesisError("model '" + model.info().arch +
                             "' has no BatchNorm layers: BN-statistic methods (zeroq, dsg) cannot run; use "
                             "--method noise or real-image calibration instead");
}

namespace {

std::unique_ptr<torch::optim::Adam> makeAdam(const torch::Tensor& x, double lr) {
    return std::make_unique<torch::optim::Adam>(std::vector<torch::Tensor>{x}, torch::optim::AdamOptions(lr));
}

void setLr(torch::optim::Adam& adam, double lr) {
    for (auto& group : adam.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

std::string num(double x) {
    std::ostringstream o;
    o.precision(4);
    o << x;
    return o.str();
}

} // namespace

torch::Tensor optimizePixels(const torch::Tensor& init, BnStatTap& tap, const PixelLoss& lossFn,
                             const PixelOptimizerOptions& o, SynthesisRun& run, int64_t batch,
                             const PixelView& view) {
    const auto format = o.channelsLast ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
    torch::Tensor x = init.detach().to(torch::kFloat32).contiguous(format).clone(format).requires_grad_(true);
    torch::Tensor lastGood = x.detach().clone(format);
    auto adam = makeAdam(x, o.lr);
    PlateauScheduler plateau(o.lr, o.patience, o.factor, o.minLr);
    double firstLoss = std::nan("");
    int64_t recoveries = 0;
    auto& model = run.model();
    const std::string where = "method '" + run.method() + "', batch " + std::to_string(batch + 1) + "/" +
                              std::to_string(run.batches());

    for (int64_t it = 0; it < o.iterations; ++it) {
        run.checkCancel();
        tap.clear();
        TeacherOutputs out;
        out.features = model.features(view ? view(x) : x);
        out.logits = model.classify(out.features);
        const torch::Tensor& logits = out.logits;
        LossTerms lt = lossFn(x, out, tap.stats());
        const double loss = lt.total.item<double>();

        const bool nonFinite = !std::isfinite(loss);
        const bool exploded = !nonFinite && std::isfinite(firstLoss) && firstLoss > 0 &&
                              loss > o.explodeRatio * firstLoss;
        if (nonFinite || exploded) {
            const std::string what = nonFinite ? "loss became " + num(loss)
                                               : "loss exploded to " + num(loss) + " (first loss " +
                                                     num(firstLoss) + ")";
            if (recoveries >= o.maxRecoveries)
                throw SynthesisError(where + ": " + what + " at iteration " + std::to_string(it + 1) + "/" +
                                     std::to_string(o.iterations) + " after " + std::to_string(recoveries) +
                                     " recoveries (learning rate " + num(plateau.lr()) +
                                     "); no images were kept from this batch");
            ++recoveries;
            const double lr = plateau.lr() * 0.5;
            {
                torch::NoGradGuard ng;
                x.copy_(lastGood);
            }
            // Adam's moment estimates may now hold NaN/huge values: restart it.
            adam = makeAdam(x, lr);
            plateau.setLr(lr);
            run.note(where + ": " + what + " at iteration " + std::to_string(it + 1) +
                     "; restored the last finite images and halved the learning rate to " + num(lr) +
                     " (recovery " + std::to_string(recoveries) + "/" + std::to_string(o.maxRecoveries) + ")");
            tap.clear();
            continue;
        }
        if (!std::isfinite(firstLoss))
            firstLoss = loss;
        {
            torch::NoGradGuard ng;
            lastGood.copy_(x);
        }

        const double lrUsed = plateau.lr();
        adam->zero_grad();
        lt.total.backward();
        adam->step();
        setLr(*adam, plateau.step(loss));

        std::map<std::string, double> terms{{"total", loss}};
        for (const auto& [name, t] : lt.parts)
            terms[name] = t.item<double>();
        tap.detach();   // the graph is spent; diagnostics only need the values
        run.step(batch, it, lrUsed, terms, x.detach(), logits.detach(), &tap.stats(), out.features.detach());
    }
    tap.clear();

    torch::Tensor out = x.detach();
    // The last step's update was never evaluated; if it produced NaN pixels, keep the images before it.
    if (!torch::isfinite(out).all().item<bool>()) {
        run.note(where + ": the last update produced non-finite pixels; kept the images before it");
        out = lastGood;
    }
    return out.contiguous();
}

} // namespace dfq::synth
