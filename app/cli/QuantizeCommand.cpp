// dfq quantize: post-training quantization of a checkpoint, calibrated on real images, Gaussian noise
// or a synthetic set, optionally with AdaRound reconstruction; FP32 vs quantized top-1 on a test set.
//
// Calibration sets:
//   real:DIR   ImageFolder (or any data::openDataset path). "The first N images" of a class-sorted
//              folder would be only 2-3 classes, so we take the first ceil(N / classes) images of every
//              class in file order (N = 1024 on CIFAR-10: 103 per class, 1,030 images).
//   noise      N images of N(0, 1) pixels in the normalised space (seeded).
//   synth:DIR  a directory written by synth::writeSyntheticSet (tensors.pt preferred, else PNGs).
// --ptq: minmax / percentile (99.99) / mse observers for the activation ranges (weights: per-channel
// min-max, or the MSE grid search for "mse", "adaround", "brecq"); adaround = mse ranges, then AdaRound
// (quant/AdaRound.h, --adaround-iters per layer); brecq = mse ranges, then block reconstruction
// (quant/Brecq.h, --brecq-iters per block; use --preset f8l8 for BRECQ's 8-bit stem and head).
#include "Commands.h"

#include "data/BatchLoader.h"
#include "data/Dataset.h"
#include "metrics/Evaluator.h"
#include "models/ModelLoader.h"
#include "pipeline/PtqRecipe.h"
#include "quant/AdaRound.h"
#include "quant/Brecq.h"
#include "quant/MixedPrecision.h"
#include "quant/QatDistiller.h"
#include "quant/QuantError.h"
#include "quant/QuantExport.h"
#include "quant/QuantizedModel.h"
#include "runtime/Threads.h"
#include "synth/SyntheticSetIO.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <sys/resource.h>

namespace dfq::cli {
namespace {

struct QuantizeArgs {
    std::string model, arch = "auto", calib, test, out, preset = "gdfq", ptq = "minmax";
    int64_t calibN = 1024, batch = 64, adaroundIters = 2000, brecqIters = 1000;
    int wbits = 8, abits = 8, qatEpochs = 0;
    double qatLr = 1e-4, mpAvgBits = 0;
    uint64_t seed = 0;
    bool json = false;
};

std::string shapeString(const torch::Tensor& t) {
    std::ostringstream os;
    os << t.sizes();
    return os.str();
}

std::unique_ptr<quant::BatchSource> makeCalibSource(const QuantizeArgs& a, const models::ModelInfo& info,
                                                    const data::DatasetOptions& base, std::string& described,
                                                    torch::Tensor& holder, torch::Tensor& labels) {
    if (a.calibN <= 0)
        throw quant::QuantError("--calib-n must be positive");
    if (a.calib == "noise") {
        described = "gaussian noise N(0,1), " + std::to_string(a.calibN) + " images, seed " + std::to_string(a.seed);
        quant::GaussianNoiseSource src({info.inChannels, info.inHeight, info.inWidth}, a.batch,
                                       (a.calibN + a.batch - 1) / a.batch, a.seed);
        holder = quant::collectImages(src, a.calibN);
    } else if (a.calib.rfind("real:", 0) == 0) {
        data::DatasetOptions o = base;
        const int64_t classes = std::max<int64_t>(1, info.numClasses);
        o.limitPerClass = (a.calibN + classes - 1) / classes;
        auto ds = data::openDataset(a.calib.substr(5), o);
        if (ds->size() == 0)
            throw quant::QuantError("calibration set '" + a.calib.substr(5) + "' is empty");
        described = ds->describe() + ", first " + std::to_string(o.limitPerClass) + " per class, " +
                    std::to_string(std::min<int64_t>(ds->size(), a.calibN)) + " images";
        std::vector<int64_t> idx(size_t(ds->size()));
        for (int64_t i = 0; i < ds->size(); ++i)
            idx[size_t(i)] = i;
        // ceil(N / classes) per class, then exactly N: the last classes give one image fewer.
        if (int64_t(idx.size()) > a.calibN)
            idx.resize(size_t(a.calibN));
        auto batch = ds->get(idx);
        holder = batch.images;
        labels = batch.labels;
    } else if (a.calib.rfind("synth:", 0) == 0) {
        auto set = synth::readSyntheticSet(a.calib.substr(6));
        holder = set.images;
        labels = set.labels; // the teacher's argmax (or the conditional class)
        if (holder.defined() && holder.size(0) > a.calibN) {
            holder = holder.narrow(0, 0, a.calibN);
            if (labels.defined())
                labels = labels.narrow(0, 0, a.calibN);
        }
        described = "synthetic set " + a.calib.substr(6) + " (" + set.method + ")";
    } else {
        throw quant::QuantError("--calib must be real:DIR, noise or synth:DIR (got '" + a.calib + "')");
    }
    if (!holder.defined() || holder.numel() == 0 || holder.size(0) == 0)
        throw quant::QuantError("calibration set is empty");
    if (holder.dim() != 4 || holder.size(1) != info.inChannels || holder.size(2) != info.inHeight ||
        holder.size(3) != info.inWidth)
        throw quant::QuantError("calibration images have shape " + shapeString(holder) + ", the model expects [N, " + std::to_string(info.inChannels) + ", " +
                                std::to_string(info.inHeight) + ", " + std::to_string(info.inWidth) + "]");
    if (!torch::isfinite(holder).all().item<bool>())
        throw quant::QuantError("calibration images contain NaN or Inf");
    return std::make_unique<quant::TensorBatchSource>(holder, a.batch);
}

int runQuantize(const QuantizeArgs& a, const CommonOptions& common) {
    const auto t0 = std::chrono::steady_clock::now();
    quant::validateBits(a.wbits, "--wbits");
    quant::validateBits(a.abits, "--abits");
    if (a.wbits == quant::kFloatBits || a.abits == quant::kFloatBits)
        throw quant::QuantError("--wbits/--abits must be in 2..8");
    const auto placement = quant::parsePlacement(a.preset);
    const auto ptqs = pipeline::ptqMethodNames();
    if (std::find(ptqs.begin(), ptqs.end(), a.ptq) == ptqs.end())
        throw quant::QuantError("unknown --ptq '" + a.ptq + "' (available: minmax, percentile, mse, adaround, brecq)");
    if (a.qatEpochs < 0)
        throw quant::QuantError("--qat-epochs must be >= 0");
    const int threads = runtime::configureThreads(common.threads);
    torch::manual_seed(a.seed);

    auto loaded = models::loadModel(a.model, a.arch);
    auto model = loaded.model;
    model->eval();
    const auto& info = model->info();
    for (const auto& p : model->named_parameters())
        if (!torch::isfinite(p.value()).all().item<bool>())
            throw quant::QuantError("checkpoint '" + a.model + "': parameter '" + p.key() + "' contains NaN or Inf");

    data::DatasetOptions dopt;
    dopt.geometry = {info.inChannels, info.inHeight, info.inWidth};
    dopt.normalization = data::normalizationPreset(info.normalization.empty() ? "none" : info.normalization);
    std::string calibDesc;
    torch::Tensor calibImages, calibLabels;
    auto source = makeCalibSource(a, info, dopt, calibDesc, calibImages, calibLabels);
    models::ZooModel teacher = a.qatEpochs > 0 ? quant::cloneModel(*model) : nullptr;

    std::unique_ptr<data::Dataset> testSet;
    if (!a.test.empty())
        testSet = data::openDataset(a.test, dopt);

    metrics::EvalOptions eopt;
    eopt.batchSize = 256;
    double fpTop1 = std::nan(""), fpSeconds = std::nan("");
    if (testSet) {
        const auto r = metrics::evaluate(*model, *testSet, eopt);
        fpTop1 = r.top1;
        fpSeconds = r.seconds;
    }

    const quant::QuantOptions qopt = pipeline::quantOptionsForPtq(a.ptq); // shared with `dfq run`
    auto spec = quant::buildQuantSpec(*model, placement, a.wbits, a.abits, qopt);
    nlohmann::json mpJson;
    if (a.mpAvgBits > 0) {
        // ZeroQ mixed precision: Ω on (up to) 256 calibration images, DP at Σ|W|·k <= avg·Σ|W|.
        quant::TensorBatchSource mpSrc(calibImages, a.batch);
        const auto table = quant::measureSensitivity(model, spec, mpSrc, {2, 4, 8}, 256);
        int64_t total = 0;
        for (auto c : table.weightCounts)
            total += c;
        const auto budget = int64_t(std::floor(a.mpAvgBits * double(total)));
        const auto alloc = quant::allocateBits(table, budget);
        spec = quant::applyAllocation(spec, table, alloc);
        nlohmann::json rows = nlohmann::json::array();
        for (size_t i = 0; i < table.layers.size(); ++i)
            rows.push_back({{"layer", table.layers[i]}, {"weights", table.weightCounts[i]}, {"omega", table.omega[i]},
                            {"bits", alloc.bits[i]}});
        mpJson = {{"candidates", table.bits}, {"budget_bits", budget}, {"size_bits", alloc.sizeBits},
                  {"total_omega", alloc.totalOmega}, {"layers", rows}};
    }
    quant::QuantizedModel qm(model, spec);
    const auto calib = qm.calibrate(*source);

    nlohmann::json adaJson = nlohmann::json::array();
    if (a.ptq == "adaround") {
        source = std::make_unique<quant::TensorBatchSource>(calibImages, a.batch);
        quant::AdaRoundOptions ao;
        ao.iterations = a.adaroundIters;
        ao.seed = a.seed;
        // Progress goes to stderr, also with --json (stdout carries only the JSON object).
        ao.progress = [](const std::string& l, int64_t it, double rec, double reg) {
                if (it % 500 == 0)
                    std::fprintf(stderr, "  adaround %-22s it %5lld  rec %.5g  reg %.5g\n", l.c_str(), (long long)it, rec, reg);
            };
        for (const auto& r : quant::runAdaRound(qm, *source, ao))
            adaJson.push_back({{"layer", r.layer}, {"mse_nearest", r.mseNearest}, {"mse_adaround", r.mseAdaRound},
                               {"flipped", r.flippedFraction}, {"seconds", r.seconds}});
    }

    if (a.ptq == "brecq") {
        source = std::make_unique<quant::TensorBatchSource>(calibImages, a.batch);
        quant::BrecqOptions bo;
        bo.iterations = a.brecqIters;
        bo.seed = a.seed;
        // Progress goes to stderr, also with --json (stdout carries only the JSON object).
        bo.progress = [](const std::string& b, int64_t it, double rec, double reg) {
                if (it % 500 == 0)
                    std::fprintf(stderr, "  brecq %-14s it %5lld  rec %.5g  reg %.5g\n", b.c_str(), (long long)it, rec, reg);
            };
        for (const auto& r : quant::runBrecq(qm, *source, bo))
            adaJson.push_back({{"block", r.block}, {"mse_before", r.mseBefore}, {"mse_after", r.mseAfter},
                               {"seconds", r.seconds}});
    }

    nlohmann::json qatJson;
    if (a.qatEpochs > 0) {
        // Epochs over the calibration images (shuffled per epoch, seeded); real images keep their labels,
        // noise/synthetic use the teacher's argmax (labels -1).
        const int64_t n = calibImages.size(0);
        const int64_t perEpoch = (n + a.batch - 1) / a.batch;
        torch::Generator gen = at::detail::createCPUGenerator(a.seed + 1);
        torch::Tensor order = torch::randperm(n, gen, torch::kLong);
        int64_t pos = 0, epoch = 0;
        quant::QatOptions qo;
        qo.steps = perEpoch * a.qatEpochs;
        qo.lr = a.qatLr;
        qo.rewind = [&] {
            order = torch::randperm(n, gen, torch::kLong);
            pos = 0;
            ++epoch;
        };
        // Progress goes to stderr, also with --json (stdout carries only the JSON object).
        qo.progress = [perEpoch](int64_t step, int64_t steps, double loss) {
                if ((step + 1) % perEpoch == 0)
                    std::fprintf(stderr, "  qat step %lld/%lld  loss %.4f\n", (long long)step + 1, (long long)steps, loss);
            };
        auto next = [&]() -> std::optional<data::Batch> {
            if (pos >= n)
                return std::nullopt;
            const auto idx = order.narrow(0, pos, std::min(a.batch, n - pos));
            pos += idx.size(0);
            data::Batch b;
            b.images = calibImages.index_select(0, idx);
            b.labels = calibLabels.defined() ? calibLabels.index_select(0, idx) : torch::full({idx.size(0)}, -1, torch::kLong);
            return b;
        };
        const auto r = quant::runQatDistillation(qm, teacher, next, qo);
        qatJson = {{"epochs", a.qatEpochs}, {"steps", r.steps}, {"lr", a.qatLr}, {"schedule", qo.schedule},
                   {"alpha", qo.alpha}, {"temperature", qo.temperature}, {"kl_reduction", qo.klReduction},
                   {"labels", calibLabels.defined() ? "dataset" : "teacher argmax"}, {"final_loss", r.lastLoss}};
    }

    double qTop1 = std::nan(""), qSeconds = std::nan("");
    if (testSet) {
        const auto r = metrics::evaluate(*model, *testSet, eopt);
        qTop1 = r.top1;
        qSeconds = r.seconds;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string protocol = pipeline::protocolLabel(a.ptq, a.qatEpochs);

    auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
    nlohmann::json j;
    {
        j["model"] = a.model;
        j["arch"] = info.arch;
        j["calibration"] = calibDesc;
        j["calibration_images"] = calib.images;
        j["test"] = a.test;
        j["ptq"] = a.ptq;
        j["label"] = spec.label();
        j["protocol"] = protocol;
        j["fp32_top1"] = num(fpTop1);
        // Same test set, same batch size, same run: the cost of fake quantization at inference.
        j["fp32_eval_seconds"] = num(fpSeconds);
        j["quant_eval_seconds"] = num(qSeconds);
        j["fake_quant_eval_ratio"] = num(qSeconds / fpSeconds);
        struct rusage ru {};
        getrusage(RUSAGE_SELF, &ru);
        j["peak_rss_mb"] = double(ru.ru_maxrss) / 1024.0;
        j["quant_top1"] = num(qTop1);
        j["quantization"] = qm.toJson();
        if (a.ptq == "adaround") {
            j["adaround_iterations"] = a.adaroundIters;
            j["adaround_layers"] = adaJson;
        }
        if (a.ptq == "brecq") {
            j["brecq_iterations"] = a.brecqIters;
            j["brecq_blocks"] = adaJson;
        }
        if (a.qatEpochs > 0)
            j["qat"] = qatJson;
        if (a.mpAvgBits > 0)
            j["mixed_precision"] = mpJson;
        j["seed"] = a.seed;
        j["threads"] = threads;
        j["seconds"] = seconds;
    }
    if (!a.out.empty()) { // quant.json + weights.bin + fakequant.pt (QuantExport.h), then result.json
        namespace fs = std::filesystem;
        quant::exportQuantized(qm, a.out);
        fs::create_directories(a.out);
        const fs::path dst = fs::path(a.out) / "result.json", tmp = fs::path(a.out) / "result.json.tmp";
        {
            std::ofstream f(tmp);
            f << j.dump(2) << '\n';
            if (!f)
                throw quant::QuantError("cannot write " + tmp.string());
        }
        fs::rename(tmp, dst);
    }
    if (a.json) {
        std::cout << j.dump() << std::endl;
        return 0;
    }
    std::printf("model        %s (%s)\n", a.model.c_str(), info.arch.c_str());
    std::printf("calibration  %s (%lld images)\n", calibDesc.c_str(), (long long)calib.images);
    std::printf("quantization %s, ptq %s, protocol %s\n", spec.label().c_str(), a.ptq.c_str(), protocol.c_str());
    std::printf("%s", spec.describe().c_str());
    if (testSet) {
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
    cmd->add_option("--calib", args->calib, "real:DIR | noise | synth:DIR")->required();
    cmd->add_option("--calib-n", args->calibN, "calibration images (real: ceil(N/classes) per class)");
    cmd->add_option("--wbits", args->wbits, "weight bits (2..8)")->required();
    cmd->add_option("--abits", args->abits, "activation bits (2..8)")->required();
    cmd->add_option("--preset", args->preset, "placement: gdfq, f8l8, all-inputs");
    cmd->add_option("--ptq", args->ptq, "minmax, percentile, mse, adaround, brecq");
    cmd->add_option("--adaround-iters", args->adaroundIters, "AdaRound iterations per layer (published: 20000)");
    cmd->add_option("--brecq-iters", args->brecqIters, "BRECQ iterations per block (published: 20000)");
    cmd->add_option("--qat-epochs", args->qatEpochs, "QAT-KD epochs over the calibration images after PTQ (QatDistiller.h)");
    cmd->add_option("--qat-lr", args->qatLr, "QAT-KD learning rate (SGD Nesterov, cosine schedule)");
    cmd->add_option("--mp-avg-bits", args->mpAvgBits, "mixed precision (ZeroQ): per-layer weight bits from {2,4,8} at a size of at most this many bits per weight on average (e.g. 4 = the size of uniform W4)");
    cmd->add_option("--test", args->test, "test set for top-1");
    cmd->add_option("--out", args->out, "output directory: quant.json, weights.bin, fakequant.pt (QuantExport.h) and result.json (the --json object); each written atomically");
    cmd->add_option("--batch", args->batch, "calibration batch size")->check(CLI::PositiveNumber);
    cmd->add_option("--seed", args->seed, "seed");
    cmd->add_option("--threads", common.threads, "intra-op threads (0 = all cores)")->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", args->json, "print one JSON object on stdout");
    cmd->callback([&body, &common, args] { body = [&common, args] { return runQuantize(*args, common); }; });
}

} // namespace dfq::cli
