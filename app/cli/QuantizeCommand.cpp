// dfq quantize: post-training quantization of a checkpoint, calibrated on real images, Gaussian noise
// or a synthetic set, optionally reconstructed (AdaRound, BRECQ) and fine-tuned (QAT-KD); FP32 vs
// quantized top-1 on a test set.
//
// A thin front end over the pipeline's stages (core/pipeline/StagePlan.h): the flags become an
// ExperimentConfig (--calib = data.calibration, --calib-n = synthesis.n, --batch = ptq.batch and
// qat.batch, --mp-avg-bits = quant.mp_avg_bits, ...; docs/config.md) that runs in memory
// (pipeline::runInMemory): no run directory, nothing to resume. --seed seeds every stage directly
// (SeedPolicy::RunSeed), as this command always did, so its numbers stay those of docs/benchmarks.md;
// QAT shuffles each epoch with its own generator (seed + epoch + 1), as `dfq run` does.
//
// Calibration sets (CalibrationSetStage.cpp):
//   real:DIR   ImageFolder (or any data::openDataset path): the first ceil(N / classes) images of every
//              class in file order, then the first N (N = 1024 on CIFAR-10: 103 per class, 1,024 images).
//   noise      N images of N(0, 1) pixels in the normalised space (seeded).
//   gen:NAME   a generator method (gdfq, clusterq): the generative stage trains a generator and the
//              student together (--budget, --epochs, --iters, --gen-options); no PTQ or QAT flags.
//   synth:DIR  a directory written by synth::writeSyntheticSet (tensors.pt preferred, else PNGs).
// --ptq: minmax / percentile (99.99) / mse observers for the activation ranges (weights: per-channel
// min-max, or the MSE grid search for "mse", "adaround", "brecq"); adaround = mse ranges, then AdaRound
// (quant/AdaRound.h, --adaround-iters per layer); brecq = mse ranges, then block reconstruction
// (quant/Brecq.h, --brecq-iters per block; use --preset f8l8 for BRECQ's 8-bit stem and head).
#include "Commands.h"

#include "pipeline/Pipeline.h"
#include "pipeline/PipelineStage.h"
#include "pipeline/PtqRecipe.h"
#include "quant/QatDistiller.h"
#include "quant/QuantError.h"
#include "runtime/AtomicFile.h"
#include "runtime/Threads.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include <sys/resource.h>

namespace dfq::cli {
namespace {
using nlohmann::json;

struct QuantizeArgs {
    std::string model, arch = "auto", calib, test, out, preset = "gdfq", ptq = "minmax", budget, genOptions;
    int64_t calibN = 1024, batch = 64, adaroundIters = 2000, brecqIters = 1000, epochs = -1, iters = -1;
    int wbits = 8, abits = 8, qatEpochs = 0;
    double qatLr = 1e-4, mpAvgBits = 0;
    uint64_t seed = 0;
    bool json = false, foldBn = false, symWeights = false;
};

// The experiment these flags describe.
// gen:NAME: the generator method NAME trains the student together with its generator.
bool isGenerator(const QuantizeArgs& a) { return a.calib.rfind("gen:", 0) == 0; }

json synthesisFor(const QuantizeArgs& a) {
    if (!isGenerator(a))
        return {{"n", a.calibN}};
    json o = a.genOptions.empty() ? json::object() : json::parse(a.genOptions);
    if (!a.budget.empty())
        o["budget"] = a.budget;
    if (a.epochs >= 0)
        o["epochs"] = a.epochs;
    if (a.iters >= 0)
        o["iters_per_epoch"] = a.iters;
    return {{"method", a.calib.substr(4)}, {"n", a.calibN}, {"options", o}};
}

json configFor(const QuantizeArgs& a, const CommonOptions& common) {
    return {{"model", {{"path", a.model}, {"arch", a.arch}}},
            {"data", {{"test", a.test.empty() ? "none" : a.test}, {"calibration", isGenerator(a) ? "" : a.calib}}},
            {"synthesis", synthesisFor(a)},
            {"quant", {{"wbits", a.wbits}, {"abits", a.abits}, {"preset", a.preset}, {"mp_avg_bits", std::max(0.0, a.mpAvgBits)},
                       {"fold_bn", a.foldBn}, {"symmetric_weights", a.symWeights}}},
            {"ptq", {{"method", a.ptq}, {"batch", a.batch}, {"adaround_iters", a.adaroundIters}, {"brecq_iters", a.brecqIters}}},
            {"qat", {{"epochs", a.qatEpochs}, {"lr", a.qatLr}, {"batch", a.batch}}},
            {"eval", {{"batch", 256}}},
            {"seed", a.seed},
            {"threads", common.threads},
            {"output", {{"export", !a.out.empty()}, {"snapshots", false}}}};
}

// A configuration problem, said with the flag that caused it.
quant::QuantError asFlagError(const pipeline::ConfigError& e) {
    static const std::map<std::string, std::string> flags = {
        {"model.path", "--model"}, {"model.arch", "--arch"}, {"data.test", "--test"}, {"data.calibration", "--calib"},
        {"synthesis.n", "--calib-n"}, {"quant.wbits", "--wbits"}, {"quant.abits", "--abits"}, {"quant.preset", "--preset"},
        {"quant.mp_avg_bits", "--mp-avg-bits"}, {"ptq.method", "--ptq"}, {"ptq.batch", "--batch"},
        {"ptq.adaround_iters", "--adaround-iters"}, {"ptq.brecq_iters", "--brecq-iters"}, {"qat.epochs", "--qat-epochs"},
        {"qat.lr", "--qat-lr"}, {"qat.batch", "--batch"}, {"seed", "--seed"}, {"threads", "--threads"},
        {"synthesis.method", "--calib"}, {"synthesis.options", "--calib"}};
    std::string text;
    for (const auto& i : e.issues()) {
        const auto f = flags.find(i.path);
        text += (text.empty() ? "" : "\n  ") + (f != flags.end() ? f->second + ": " + i.message : i.text());
    }
    return quant::QuantError(text);
}

// Reconstruction and QAT losses on stderr (also with --json: stdout carries only the JSON object),
// from the stages' metrics lines.
class QuantizeProgress : public pipeline::PipelineEvents {
public:
    QuantizeProgress(std::string ptq, int64_t qatEpochs) : ptq_(std::move(ptq)), qatEpochs_(qatEpochs) {}

    void metric(const json& m) override {
        const std::string stage = m.value("stage", "");
        if (stage == pipeline::stage::Calibrate && m.contains("unit")) {
            const auto it = m.value("iteration", int64_t(0));
            if (it % 500 == 0)
                std::fprintf(stderr, ptq_ == "brecq" ? "  brecq %-14s it %5lld  rec %.5g  reg %.5g\n"
                                                     : "  adaround %-22s it %5lld  rec %.5g  reg %.5g\n",
                             m.value("unit", "").c_str(), (long long)it, number(m, "loss_rec"), number(m, "loss_reg"));
        } else if (stage == pipeline::stage::FineTune) {
            qatLoss_ = number(m, "loss");
        }
    }
    void stageProgress(const std::string& stage, int64_t done, int64_t total, double) override {
        if (stage != pipeline::stage::FineTune || qatEpochs_ <= 0)
            return;
        const int64_t perEpoch = std::max<int64_t>(1, total / qatEpochs_);
        if (done % perEpoch == 0)
            std::fprintf(stderr, "  qat step %lld/%lld  loss %.4f\n", (long long)done, (long long)total, qatLoss_);
    }

private:
    static double number(const json& m, const char* key) {
        return m.contains(key) && m[key].is_number() ? m[key].get<double>() : std::nan("");
    }
    std::string ptq_;
    int64_t qatEpochs_;
    double qatLoss_ = std::nan("");
};

int runQuantize(const QuantizeArgs& a, const CommonOptions& common) {
    const auto t0 = std::chrono::steady_clock::now();
    quant::validateBits(a.wbits, "--wbits");
    quant::validateBits(a.abits, "--abits");
    if (a.wbits == quant::kFloatBits || a.abits == quant::kFloatBits)
        throw quant::QuantError("--wbits/--abits must be in 2..8");
    quant::parsePlacement(a.preset);
    const auto ptqs = pipeline::ptqMethodNames();
    if (std::find(ptqs.begin(), ptqs.end(), a.ptq) == ptqs.end())
        throw quant::QuantError("unknown --ptq '" + a.ptq + "' (available: minmax, percentile, mse, adaround, brecq)");
    if (a.qatEpochs < 0)
        throw quant::QuantError("--qat-epochs must be >= 0");
    if (a.calibN <= 0)
        throw quant::QuantError("--calib-n must be positive");
    if (a.calib != "noise" && a.calib.rfind("real:", 0) != 0 && a.calib.rfind("synth:", 0) != 0 && !isGenerator(a))
        throw quant::QuantError("--calib must be real:DIR, noise, synth:DIR or gen:METHOD (got '" + a.calib + "')");
    if (!isGenerator(a) && (!a.budget.empty() || a.epochs >= 0 || a.iters >= 0 || !a.genOptions.empty()))
        throw quant::QuantError("--budget, --epochs, --iters and --gen-options are for --calib gen:METHOD");
    const int threads = runtime::configureThreads(common.threads);

    pipeline::ExperimentConfig config;
    try {
        config = pipeline::parseExperimentConfig(configFor(a, common), ""); // paths relative to the working directory
    } catch (const pipeline::ConfigError& e) {
        throw asFlagError(e);
    }
    QuantizeProgress progress(a.ptq, a.qatEpochs);
    pipeline::PipelineOptions options;
    options.events = &progress;
    const auto run = pipeline::runInMemory(config, a.out, options, pipeline::SeedPolicy::RunSeed);
    const pipeline::StageContext& ctx = *run.context;
    const json& res = run.results;

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const bool gen = res.contains("generative");
    const std::string protocol = gen ? config.protocol() : pipeline::protocolLabel(a.ptq, a.qatEpochs);
    const std::string calibDesc = gen ? "generator " + a.calib.substr(4) + " (trained with the student)"
                                      : res.at("calibration_set").value("description", "");
    const int64_t calibImages =
        gen ? res.at("generative").value("iterations", int64_t(0)) *
                  res.at("generative").at("options").value("batch_size", int64_t(0))
            : res.at("calibration").value("images", int64_t(0));
    auto num = [](double v) { return std::isnan(v) ? json(nullptr) : json(v); };
    auto eval = [&](const char* which, const char* key) {
        return res.contains("evaluation") ? res.at("evaluation").at(which).value(key, std::nan("")) : std::nan("");
    };
    const double fpTop1 = eval("fp32", "top1"), fpSeconds = eval("fp32", "seconds");
    const double qTop1 = eval("quant", "top1"), qSeconds = eval("quant", "seconds");

    json j;
    j["model"] = a.model;
    j["arch"] = ctx.model->info().arch;
    j["calibration"] = calibDesc;
    j["calibration_images"] = calibImages;
    j["test"] = a.test;
    j["ptq"] = a.ptq;
    j["label"] = ctx.spec.label();
    j["protocol"] = protocol;
    j["fp32_top1"] = num(fpTop1);
    // Same test set, batch size, run and layout (EvaluateStage records which): the cost of fake
    // quantization at inference. `dfq eval`'s default folds BN and is faster.
    if (res.contains("evaluation"))
        j["eval_layout"] = res.at("evaluation").value("layout", "");
    j["fp32_eval_seconds"] = num(fpSeconds);
    j["quant_eval_seconds"] = num(qSeconds);
    j["fake_quant_eval_ratio"] = num(qSeconds / fpSeconds);
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    j["peak_rss_mb"] = double(ru.ru_maxrss) / 1024.0;
    j["quant_top1"] = num(qTop1);
    j["quantization"] = ctx.quantized->toJson();
    if (a.ptq == "adaround") {
        j["adaround_iterations"] = a.adaroundIters;
        j["adaround_layers"] = res.at("calibration").value("adaround", json::array());
    }
    if (a.ptq == "brecq") {
        j["brecq_iterations"] = a.brecqIters;
        j["brecq_blocks"] = res.at("calibration").value("brecq", json::array());
    }
    if (a.qatEpochs > 0) {
        const json& ft = res.at("fine_tune");
        const quant::QatOptions qo; // the schedule and loss the fine-tune stage trains with
        j["qat"] = {{"epochs", a.qatEpochs}, {"steps", ft.at("steps")}, {"lr", a.qatLr}, {"schedule", qo.schedule},
                    {"alpha", qo.alpha}, {"temperature", qo.temperature}, {"kl_reduction", qo.klReduction},
                    {"labels", ctx.labels.defined() ? "dataset" : "teacher argmax"}, {"final_loss", ft.at("final_loss")}};
    }
    if (gen) {
        const json& g = res.at("generative");
        j["generator"] = {{"method", g.at("method")}, {"options", g.at("options")}, {"epochs", g.at("epochs")},
                          {"iterations", g.at("iterations")}, {"seconds", g.at("seconds")},
                          {"model_selection", g.at("model_selection")}, {"curves", g.at("curves")}};
    }
    if (a.mpAvgBits > 0)
        j["mixed_precision"] = res.at("calibration").at("mixed_precision");
    j["seed"] = a.seed;
    j["threads"] = threads;
    j["seconds"] = seconds;

    if (!a.out.empty()) { // the export stage wrote quant.json + weights.bin + fakequant.pt; then result.json
        namespace fs = std::filesystem;
        fs::create_directories(a.out);
        const fs::path dst = fs::path(a.out) / "result.json";
        try {
            runtime::writeFileAtomically(dst.string(), j.dump(2) + "\n");
        } catch (const runtime::FileError& e) {
            throw quant::QuantError(e.what());
        }
    }
    if (a.json) {
        std::cout << j.dump() << std::endl;
        return 0;
    }
    std::printf("model        %s (%s)\n", a.model.c_str(), ctx.model->info().arch.c_str());
    std::printf("calibration  %s (%lld images)\n", calibDesc.c_str(), (long long)calibImages);
    std::printf("quantization %s, ptq %s, protocol %s\n", ctx.spec.label().c_str(), a.ptq.c_str(), protocol.c_str());
    std::printf("%s", ctx.spec.describe().c_str());
    if (res.contains("evaluation")) {
        std::printf("fp32 top-1   %.2f %%\n", fpTop1);
        std::printf("quant top-1  %.2f %%\n", qTop1);
    }
    std::printf("wall time    %.1f s (%d threads)\n", seconds, threads);
    return 0;
}

} // namespace
void addQuantizeCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto args = std::make_shared<QuantizeArgs>();
    CLI::App* cmd = app.add_subcommand("quantize", "post-training quantization (min-max/percentile/MSE ranges, AdaRound) and its top-1");
    cmd->add_option("--model", args->model, "checkpoint")->required();
    cmd->add_option("--arch", args->arch, "architecture name or 'auto'");
    cmd->add_option("--calib", args->calib, "real:DIR | noise | synth:DIR | gen:gdfq | gen:clusterq (a generator trained with the student)")->required();
    cmd->add_option("--budget", args->budget, "gen: quick, standard (default) or paper");
    cmd->add_option("--epochs", args->epochs, "gen: epochs of the joint loop (overrides the budget)");
    cmd->add_option("--iters", args->iters, "gen: iterations per epoch (overrides the budget)");
    cmd->add_option("--gen-options", args->genOptions, "gen: the method's options as a JSON object");
    cmd->add_option("--calib-n", args->calibN, "calibration images (real: ceil(N/classes) per class)");
    cmd->add_option("--wbits", args->wbits, "weight bits (2..8)")->required();
    cmd->add_option("--abits", args->abits, "activation bits (2..8)")->required();
    cmd->add_option("--preset", args->preset, "placement: gdfq, f8l8, all-inputs");
    cmd->add_flag("--fold-bn", args->foldBn, "fold BN into the convolutions before quantizing (for integer runtimes; GDFQ keeps BN)");
    cmd->add_flag("--sym-weights", args->symWeights, "symmetric signed weight grids (int8, zero point 0) instead of asymmetric");
    cmd->add_option("--ptq", args->ptq, "minmax, percentile, mse, adaround, brecq");
    cmd->add_option("--adaround-iters", args->adaroundIters, "AdaRound iterations per layer (published: 20000)");
    cmd->add_option("--brecq-iters", args->brecqIters, "BRECQ iterations per block (published: 20000)");
    cmd->add_option("--qat-epochs", args->qatEpochs, "QAT-KD epochs over the calibration images after PTQ (QatDistiller.h)");
    cmd->add_option("--qat-lr", args->qatLr, "QAT-KD learning rate (SGD Nesterov, cosine schedule)");
    cmd->add_option("--mp-avg-bits", args->mpAvgBits, "mixed precision (ZeroQ): per-layer weight bits from {2,4,8} at a size of at most this many bits per weight on average (e.g. 4 = the size of uniform W4)");
    cmd->add_option("--test", args->test, "test set for top-1");
    cmd->add_option("--out", args->out, "output directory: quant.json, weights.bin, fakequant.pt (QuantExport.h), model.onnx (ONNX QDQ, dfq verify-onnx) and result.json (the --json object); each written atomically");
    cmd->add_option("--batch", args->batch, "calibration batch size")->check(CLI::PositiveNumber);
    cmd->add_option("--seed", args->seed, "seed");
    cmd->add_option("--threads", common.threads, "intra-op threads (0 = all cores)")->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", args->json, "print one JSON object on stdout");
    cmd->callback([&body, &common, args] { body = [&common, args] { return runQuantize(*args, common); }; });
}

} // namespace dfq::cli
