// dfq verify-onnx: runs an exported ONNX file in ONNX Runtime (graph optimisation on, so Q/DQ pairs
// become integer kernels) and compares it with DFQ Studio's simulated model on a dataset.
#include "Commands.h"

#include "data/Dataset.h"
#include "deploy/DeployError.h"
#include "deploy/DeploySource.h"
#include "deploy/RuntimeComparison.h"
#include "runtime/AtomicFile.h"
#include "runtime/Resources.h"
#include "runtime/Threads.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>

namespace fs = std::filesystem;

namespace dfq::cli {
namespace {

struct VerifyArgs {
    std::string file, data, model, arch = "auto", quantized, optimized, report, optimization = "all";
    int64_t limit = -1, batch = 100, latencyBatch = 1;
    int latencyRuns = 0;
    bool json = false;
};

std::string opsLine(const deploy::OnnxModelSummary& s, bool integerOnly) {
    std::string out;
    for (const auto& [k, n] : s.ops)
        if (!integerOnly || deploy::isIntegerOp(deploy::opName(k)))
            out += (out.empty() ? "" : ", ") + k + " " + std::to_string(n);
    return out.empty() ? "none" : out;
}

int runVerify(const VerifyArgs& a, const CommonOptions& common) {
    const auto summary = deploy::readOnnxSummary(a.file);
    const bool qdq = summary.metadataValue("dfq.precision") == "qdq";
    auto fromMeta = [&](const std::string& given, const std::string& key) {
        if (!given.empty())
            return given;
        const std::string m = summary.metadataValue(key);
        return fs::exists(m) ? m : std::string();
    };
    const std::string modelPath = fromMeta(a.model, "dfq.source_model");
    const std::string quantPath = qdq ? fromMeta(a.quantized, "dfq.source_quantized") : std::string();
    if (summary.metadataValue("dfq.format").empty() && a.model.empty())
        throw deploy::DeployError("'" + a.file + "' was not written by DFQ Studio: give --model (and --quantized) to "
                                  "compare it with a simulated model");
    if (modelPath.empty())
        throw deploy::DeployError("the model '" + a.file + "' was exported from (" +
                                  summary.metadataValue("dfq.source_model", "unknown") + ") is not there: give --model");
    if (qdq && quantPath.empty())
        throw deploy::DeployError("the quantized export '" + a.file + "' was made from (" +
                                  summary.metadataValue("dfq.source_quantized", "unknown") +
                                  ") is not there: give --quantized");
    auto src = deploy::openDeploySource(modelPath, a.arch, quantPath);
    auto& model = *src.loaded.model;
    const auto& info = model.info();
    if (!summary.metadataValue("dfq.arch").empty() && summary.metadataValue("dfq.arch") != info.arch)
        throw deploy::DeployError("'" + a.file + "' is a " + summary.metadataValue("dfq.arch") + ", but " + modelPath +
                                  " is a " + info.arch);

    const int threads = runtime::configureThreads(common.threads);
    data::DatasetOptions dopt;
    dopt.geometry = {info.inChannels, info.inHeight, info.inWidth};
    dopt.normalization = data::normalizationPreset(info.normalization.empty() ? "none" : info.normalization);
    dopt.limit = a.limit;
    dopt.decodeThreads = threads;
    const std::string dataPath = a.data.empty() ? runtime::defaultDataPath() : a.data;
    auto dataset = data::openDataset(dataPath, dopt);
    const int64_t n = dataset->size();
    if (n == 0)
        throw deploy::DeployError("the dataset '" + dataPath + "' holds no images");

    // The images once, then the simulated logits (the quantized model is frozen, eval mode).
    std::vector<torch::Tensor> xs, ys, sims;
    torch::NoGradGuard ng;
    for (int64_t i = 0; i < n; i += 500) {
        std::vector<int64_t> idx(size_t(std::min<int64_t>(500, n - i)));
        std::iota(idx.begin(), idx.end(), i);
        auto b = dataset->get(idx);
        sims.push_back(src.quantized ? src.quantized->forward(b.images) : model.forward(b.images));
        xs.push_back(b.images);
        ys.push_back(b.labels);
    }
    deploy::OrtJob job;
    job.model = a.file;
    job.inputs = torch::cat(xs);
    job.batch = a.batch;
    job.threads = threads;
    job.optimization = a.optimization;
    job.optimizedModel = !a.optimized.empty() ? a.optimized
                                              : (fs::path(a.file).replace_extension("").string() + ".ort-optimized.onnx");
    job.latencyRuns = a.latencyRuns;
    job.latencyBatch = a.latencyBatch;
    const auto c = deploy::compareInOnnxRuntime(job, torch::cat(ys), torch::cat(sims));

    nlohmann::json j = c.toJson();
    j["data"] = dataPath;
    j["model"] = modelPath;
    j["quantized_from"] = src.exportDir;
    j["label"] = src.quantized ? src.quantized->spec().label() : "FP32";
    j["threads"] = threads;
    j["graph_optimization"] = a.optimization;
    if (!a.report.empty())
        runtime::writeFileAtomically(a.report, j.dump(2) + "\n");
    if (a.json) {
        std::cout << j.dump() << std::endl;
        return 0;
    }
    std::printf("onnx         %s (%s, %.1f KiB)\n", a.file.c_str(), j["label"].get<std::string>().c_str(),
                double(c.exported.bytes) / 1024.0);
    std::printf("runtime      ONNX Runtime %s, CPU execution provider, graph optimisation '%s', %d threads\n",
                c.runtimeVersion.c_str(), a.optimization.c_str(), threads);
    std::printf("data         %s (%lld images)\n", dataPath.c_str(), (long long)c.images);
    std::printf("top-1        ONNX Runtime %.2f %%, DFQ Studio simulated %.2f %% (difference %+.2f points)\n",
                c.runtimeTop1, c.simulatedTop1, c.runtimeTop1 - c.simulatedTop1);
    std::printf("agreement    %.2f %% of the images get the same class\n", c.agreement);
    std::printf("logits       largest difference %.4g, mean %.3g\n", c.maxLogitDiff, c.meanLogitDiff);
    if (!c.optimizedPath.empty()) {
        std::printf("optimised    %s (the graph ONNX Runtime ran)\n", c.optimizedPath.c_str());
        std::printf("integer ops  %s\n", opsLine(c.optimized, true).c_str());
        std::printf("convolutions %lld integer, %lld float\n", (long long)c.optimized.integerConvs(),
                    (long long)c.optimized.floatConvs());
    }
    if (!c.latencyMs.empty())
        std::printf("latency      %.3f ms median over %zu runs of %lld image(s)\n", c.latencyMedianMs(), c.latencyMs.size(),
                    (long long)a.latencyBatch);
    return 0;
}

} // namespace

void addVerifyOnnxCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto args = std::make_shared<VerifyArgs>();
    CLI::App* cmd = app.add_subcommand("verify-onnx",
                                       "run an exported ONNX file in ONNX Runtime and compare it with the simulated model");
    cmd->add_option("file", args->file, "the .onnx file (from dfq export)")->required();
    cmd->add_option("--data", args->data, "test set (ImageFolder, IDX, CIFAR binary); default: Debian's Fashion-MNIST");
    cmd->add_option("--model", args->model, "FP32 checkpoint; default: the one the file was exported from");
    cmd->add_option("--arch", args->arch, "architecture name or 'auto'");
    cmd->add_option("--quantized", args->quantized, "quantized export or run; default: the one the file was exported from");
    cmd->add_option("--limit", args->limit, "only the first N images");
    cmd->add_option("--batch", args->batch, "images per ONNX Runtime call")->check(CLI::PositiveNumber);
    cmd->add_option("--optimized", args->optimized, "where ONNX Runtime saves its optimised graph (default: FILE.ort-optimized.onnx)");
    cmd->add_option("--optimization", args->optimization, "ONNX Runtime graph optimisation: all, extended, basic, disabled")
        ->check(CLI::IsMember({"all", "extended", "basic", "disabled"}));
    cmd->add_option("--latency", args->latencyRuns, "also time this many runs (after 10 warm-up runs)");
    cmd->add_option("--latency-batch", args->latencyBatch, "images per timed run")->check(CLI::PositiveNumber);
    cmd->add_option("--report", args->report, "write the comparison as JSON to this file");
    cmd->add_option("--threads", common.threads, "threads for both runtimes (0 = all cores)")->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", args->json, "print one JSON object on stdout");
    cmd->callback([&body, &common, args] { body = [&common, args] { return runVerify(*args, common); }; });
}

} // namespace dfq::cli
