#include "generative/JointOptions.h"

#include "generative/GenerativeError.h"

#include <sstream>

namespace dfq::generative {

std::vector<synth::OptionSpec> jointOptionSpecs() {
    const double inf = std::numeric_limits<double>::infinity();
    return {
        {"budget", "standard", "schedule preset: quick (demo), standard (CPU tables), paper (GDFQ's 400x200)", -inf, inf,
         {"quick", "standard", "paper"}},
        {"epochs", 400, "epochs of the joint loop", 0, 1e6},
        {"iters_per_epoch", 200, "generator + student iterations per epoch", 0, 1e7},
        {"batch_size", 200, "generated images per iteration", 2, 65536},
        {"warmup_epochs", 4, "epochs that train the generator only", 0, 1e6},
        {"range_epochs", 4, "epochs in which activation ranges follow an EMA before they are frozen", 0, 1e6},
        {"lr_milestones", "100,200,300", "epochs at which both learning rates drop by lr_factor (comma-separated)"},
        {"lr_factor", 0.1, "learning-rate factor at each milestone", 0, 1},
        {"generator", "auto", "generator: embedding (CIFAR), cbn (ImageNet, class-conditional BN), auto", -inf, inf,
         {"auto", "embedding", "cbn"}},
        {"latent_dim", 100, "size of the latent z", 1, 65536},
        {"generator_width", 128, "channels of the generator's first feature map (the second has half)", 2, 4096},
        {"generator_bn_eps", 0.8, "eps of the generator's inner BNs (GDFQ: 0.8)", 1e-8, 10},
        {"generator_lr", 1e-3, "Adam learning rate of the generator", 1e-9, 10},
        {"beta1", 0.5, "Adam beta1 of the generator", 0, 0.9999},
        {"beta2", 0.999, "Adam beta2 of the generator", 0, 0.99999},
        {"ce_weight", 1.0, "weight of the teacher's cross-entropy on the conditioning class", 0, 1e6},
        {"bns_weight", 0.1, "weight of the BN-statistics loss (beta)", 0, 1e6},
        {"student_lr", 1e-4, "SGD learning rate of the student", 1e-12, 10},
        {"momentum", 0.9, "SGD Nesterov momentum of the student", 0, 0.9999},
        {"weight_decay", 1e-4, "student weight decay", 0, 1},
        {"alpha", 1.0, "weight of the distillation term", 0, 1e6},
        {"temperature", 20.0, "distillation temperature T", 1e-3, 1e3},
        {"kl_reduction", "mean", "KL reduction: mean (divides by B*C, GDFQ) or batchmean (by B)", -inf, inf,
         {"mean", "batchmean"}},
        {"channels_last", true, "NHWC memory format for the teacher's convolutions"},
        {"fold_bn", true, "fold the teacher's BNs into its convs (same losses, faster)"},
        {"explode_ratio", 1e4, "generator loss above this times the first epoch's median stops the run", 2, 1e12},
        {"probe_per_class", 8, "fixed probe images per class rendered and assessed every epoch", 2, 256},
    };
}

std::vector<std::string> budgetNames() { return {"quick", "standard", "paper"}; }

nlohmann::json budgetOptions(const std::string& budget) {
    if (budget == "paper")
        return {{"epochs", 400}, {"iters_per_epoch", 200}, {"batch_size", 200}, {"warmup_epochs", 4},
                {"range_epochs", 4}, {"lr_milestones", "100,200,300"}};
    // CPU budgets. Warm-up and range epochs keep GDFQ's share of the first epochs, the milestones
    // fall at 1/2 and 3/4, and the generator is half (standard) or a quarter (quick) as wide as the
    // paper's: its two 3x3 convolutions cost more than a ResNet-20 forward and backward together,
    // and their cost falls with the square of the width. quick: 54 s on the embedded default, W4A4
    // (docs/benchmarks.md); its activation ranges follow the EMA for half the run, since ranges
    // frozen on a barely warmed-up generator's images cost 30 points there.
    if (budget == "standard")
        return {{"epochs", 20}, {"iters_per_epoch", 50}, {"batch_size", 64}, {"warmup_epochs", 2},
                {"range_epochs", 2}, {"lr_milestones", "10,15"}, {"generator_width", 64}};
    if (budget == "quick")
        return {{"epochs", 8}, {"iters_per_epoch", 40}, {"batch_size", 32}, {"warmup_epochs", 2},
                {"range_epochs", 4}, {"lr_milestones", "6"}, {"generator_width", 32}, {"probe_per_class", 4}};
    throw GenerativeError("unknown budget '" + budget + "' (known: quick, standard, paper)");
}

JointOptions parseJointOptions(const nlohmann::json& j) {
    JointOptions o;
    o.budget = j.value("budget", o.budget);
    o.epochs = j.value("epochs", o.epochs);
    o.itersPerEpoch = j.value("iters_per_epoch", o.itersPerEpoch);
    o.batchSize = j.value("batch_size", o.batchSize);
    o.warmupEpochs = j.value("warmup_epochs", o.warmupEpochs);
    o.rangeEpochs = j.value("range_epochs", o.rangeEpochs);
    o.lrFactor = j.value("lr_factor", o.lrFactor);
    o.generatorVariant = j.value("generator", o.generatorVariant);
    o.latentDim = j.value("latent_dim", o.latentDim);
    o.generatorWidth = j.value("generator_width", o.generatorWidth);
    o.generatorBnEps = j.value("generator_bn_eps", o.generatorBnEps);
    o.generatorLr = j.value("generator_lr", o.generatorLr);
    o.beta1 = j.value("beta1", o.beta1);
    o.beta2 = j.value("beta2", o.beta2);
    o.ceWeight = j.value("ce_weight", o.ceWeight);
    o.bnsWeight = j.value("bns_weight", o.bnsWeight);
    o.studentLr = j.value("student_lr", o.studentLr);
    o.momentum = j.value("momentum", o.momentum);
    o.weightDecay = j.value("weight_decay", o.weightDecay);
    o.alpha = j.value("alpha", o.alpha);
    o.temperature = j.value("temperature", o.temperature);
    o.klReduction = j.value("kl_reduction", o.klReduction);
    o.channelsLast = j.value("channels_last", o.channelsLast);
    o.foldBn = j.value("fold_bn", o.foldBn);
    o.explodeRatio = j.value("explode_ratio", o.explodeRatio);
    o.probePerClass = j.value("probe_per_class", o.probePerClass);
    if (j.contains("lr_milestones")) {
        o.lrMilestones.clear();
        std::stringstream ss(j.at("lr_milestones").get<std::string>());
        for (std::string item; std::getline(ss, item, ',');) {
            if (item.find_first_not_of(' ') == std::string::npos)
                continue;
            try {
                size_t used = 0;
                const long long e = std::stoll(item, &used);
                if (item.find_first_not_of(' ', used) != std::string::npos || e < 0)
                    throw std::invalid_argument(item);
                o.lrMilestones.push_back(e);
            } catch (const std::exception&) {
                throw GenerativeError("option lr_milestones: '" + item + "' is not an epoch number (expected e.g. \"100,200,300\")");
            }
        }
    }
    if (o.epochs <= 0 || o.itersPerEpoch <= 0)
        throw GenerativeError("a budget of " + std::to_string(o.epochs) + " epochs x " + std::to_string(o.itersPerEpoch) +
                              " iterations trains nothing: epochs and iters_per_epoch must both be > 0");
    return o;
}

} // namespace dfq::generative
