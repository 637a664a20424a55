// dfq synth: synthesise calibration images from a model (ZeroQ, DSG, IntraQ, Genie, Gaussian noise,
// real images), or train a generator method's generator (GDFQ, ClusterQ; no student) and export its
// images, so that generator images can feed BRECQ or another toolkit.
#include "Commands.h"

#include "generative/GeneratorMethod.h"
#include "generative/JointTrainer.h"
#include "models/ModelLoader.h"
#include "runtime/Resources.h"
#include "synth/SetAssessment.h"
#include "synth/SynthesisEvents.h"
#include "synth/Synthesize.h"
#include "synth/SyntheticSetIO.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <unistd.h>

namespace dfq::cli {
namespace {

struct SynthArgs {
    std::string model, arch = "auto", method = "zeroq", out, data, options, budget;
    int64_t n = 1024, batch = -1, iters = -1, epochs = -1;
    uint64_t seed = 0;
    bool json = false, overwrite = false;
};

/// One progress line on a terminal, rewritten in place; nothing when stderr is not a TTY.
class TerminalProgress : public synth::SynthesisEvents {
public:
    void progress(const synth::SynthesisProgress& p) override {
        std::fprintf(stderr, "\r  step %lld/%lld  batch %lld/%lld  ETA %.0f s   ", (long long)p.step,
                     (long long)p.totalSteps, (long long)p.batch + 1, (long long)p.batches, p.etaSeconds);
        if (p.step == p.totalSteps)
            std::fprintf(stderr, "\n");
    }
};

int runSynth(const SynthArgs& a) {
    const std::string modelPath = a.model.empty() ? runtime::defaultModelPath() : a.model;
    auto loaded = models::loadModel(modelPath, a.arch);
    nlohmann::json opt = a.options.empty() ? nlohmann::json::object() : nlohmann::json::parse(a.options);
    if (a.batch > 0)
        opt["batch_size"] = a.batch;
    if (a.iters >= 0)
        opt["iterations"] = a.iters;
    if (!a.data.empty())
        opt["data"] = a.data;
    TerminalProgress bar;
    const bool tty = !a.json && isatty(STDERR_FILENO);
    synth::SyntheticSet set;
    if (generative::isGeneratorMethod(a.method)) {
        // A generator method: --iters is iterations per epoch, --batch the generated batch.
        if (opt.contains("iterations"))
            opt["iters_per_epoch"] = opt["iterations"], opt.erase("iterations");
        if (!a.budget.empty())
            opt["budget"] = a.budget;
        if (a.epochs >= 0)
            opt["epochs"] = a.epochs;
        if (!a.data.empty())
            throw std::runtime_error("--data is for --method real; generator methods use no data");
        struct Bar : generative::JointEvents {
            TerminalProgress inner;
            void progress(const synth::SynthesisProgress& p) override { inner.progress(p); }
        } jointBar;
        generative::JointSetup s;
        s.teacher = loaded.model;
        s.method = a.method;
        s.options = opt;
        s.seed = a.seed;
        s.events = tty ? &jointBar : nullptr;
        const auto t0 = std::chrono::steady_clock::now();
        generative::JointTrainer trainer(s);
        trainer.run();
        set = trainer.sample(a.n, a.seed + 1);
        set.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } else {
        set = synth::synthesize(a.method, *loaded.model, opt, a.n, a.seed, tty ? &bar : nullptr);
    }
    synth::SyntheticSetWriteOptions w;
    w.overwrite = a.overwrite;
    synth::writeSyntheticSet(a.out, set, w);

    const auto quality = synth::assessSyntheticSet(*loaded.model, set);
    const auto& div = quality.mean;
    const auto& featDiv = quality.features;
    const auto& pixDiv = quality.pixels;
    nlohmann::json j = {{"model", modelPath},
                        {"arch", loaded.model->info().arch},
                        {"method", set.method},
                        {"options", set.options},
                        {"n", set.size()},
                        {"seed", set.seed},
                        {"seconds", set.seconds},
                        {"out", a.out},
                        {"bn_divergence", {{"mean_l2", div.meanL2}, {"std_l2", div.stdL2}, {"kl", div.kl}}},
                        {"diversity", {{"feature_intra_class", featDiv.meanOverClasses},
                                       {"feature_pooled", featDiv.pooled},
                                       {"pixel_intra_class", pixDiv.meanOverClasses}}},
                        {"class_counts", featDiv.counts},
                        {"mode_collapse_vs_noise", quality.modeCollapse},
                        {"teacher", {{"mean_max_probability", quality.confidence.meanMaxProbability},
                                     {"mean_entropy", quality.confidence.meanEntropy}}},
                        {"notes", set.notes}};
    if (a.json)
        std::printf("%s\n", j.dump().c_str());
    else
        std::printf("%lld images by %s in %.1f s -> %s\nmean BN divergence: mean-L2 %.4f  std-L2 %.4f  KL %.4f\n"
                    "intra-class diversity: features %.4f  pixels %.4f\n",
                    (long long)set.size(), set.method.c_str(), set.seconds, a.out.c_str(), div.meanL2, div.stdL2, div.kl,
                    featDiv.meanOverClasses, pixDiv.meanOverClasses);
    return 0;
}

} // namespace

void addSynthCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto a = std::make_shared<SynthArgs>();
    CLI::App* cmd = app.add_subcommand("synth", "synthesise calibration images from the model alone");
    cmd->add_option("--model", a->model, "checkpoint; default: the embedded Fashion-MNIST reference");
    cmd->add_option("--arch", a->arch, "architecture or 'auto'");
    cmd->add_option("--method", a->method, "zeroq, dsg, intraq, genie, noise, real, or a generator method: gdfq, clusterq");
    cmd->add_option("--n", a->n, "number of images")->check(CLI::NonNegativeNumber);
    cmd->add_option("--batch", a->batch, "images optimised together");
    cmd->add_option("--iters", a->iters, "iterations per batch (pixel methods) or per epoch (generator methods)");
    cmd->add_option("--budget", a->budget, "generator methods: quick, standard (default) or paper");
    cmd->add_option("--epochs", a->epochs, "generator methods: epochs of generator training");
    cmd->add_option("--seed", a->seed);
    cmd->add_option("--data", a->data, "dataset for --method real");
    cmd->add_option("--options", a->options, "the method's options as a JSON object");
    cmd->add_option("--out", a->out, "output folder (PNG ImageFolder + tensors.pt + manifest.json)")->required();
    cmd->add_flag("--overwrite", a->overwrite, "replace an existing output folder");
    cmd->add_option("--threads", common.threads, "intra-op threads (0 = all cores)");
    cmd->add_flag("--json", a->json, "print one JSON object on stdout");
    cmd->callback([&body, a] { body = [a] { return runSynth(*a); }; });
}

} // namespace dfq::cli
