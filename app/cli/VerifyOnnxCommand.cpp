// dfq verify-onnx: runs an exported ONNX file in ONNX Runtime (graph optimisation on, so Q/DQ pairs
// become integer kernels) and compares it with DFQ Studio's simulated model on a dataset.
#include "Commands.h"

#include "deploy/RuntimeCheck.h"
#include "runtime/AtomicFile.h"
#include "runtime/Threads.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace dfq::cli {
namespace {

struct VerifyArgs {
    deploy::RuntimeCheckOptions check;   ///< the flags bind to it directly; threads come from --threads
    std::string report;
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
    const int threads = runtime::configureThreads(common.threads);
    deploy::RuntimeCheckOptions o = a.check;
    o.threads = threads;
    const auto check = deploy::checkInOnnxRuntime(o);
    const auto& c = check.comparison;
    const std::string& dataPath = check.data;

    nlohmann::json j = c.toJson();
    j["data"] = dataPath;
    j["model"] = check.model;
    j["quantized_from"] = check.exportDir;
    j["label"] = check.label;
    j["threads"] = threads;
    j["graph_optimization"] = o.optimization;
    if (!a.report.empty())
        runtime::writeFileAtomically(a.report, j.dump(2) + "\n");
    if (a.json) {
        std::cout << j.dump() << std::endl;
        return 0;
    }
    std::printf("onnx         %s (%s, %.1f KiB)\n", o.file.c_str(), j["label"].get<std::string>().c_str(),
                double(c.exported.bytes) / 1024.0);
    std::printf("runtime      ONNX Runtime %s, CPU execution provider, graph optimisation '%s', %d threads\n",
                c.runtimeVersion.c_str(), o.optimization.c_str(), threads);
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
                    (long long)o.latencyBatch);
    return 0;
}

} // namespace

void addVerifyOnnxCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto args = std::make_shared<VerifyArgs>();
    CLI::App* cmd = app.add_subcommand("verify-onnx",
                                       "run an exported ONNX file in ONNX Runtime and compare it with the simulated model");
    cmd->add_option("file", args->check.file, "the .onnx file (from dfq export)")->required();
    cmd->add_option("--data", args->check.data, "test set (ImageFolder, IDX, CIFAR binary); default: Debian's Fashion-MNIST");
    cmd->add_option("--model", args->check.model, "FP32 checkpoint; default: the one the file was exported from");
    cmd->add_option("--arch", args->check.arch, "architecture name or 'auto'");
    cmd->add_option("--quantized", args->check.quantized, "quantized export or run; default: the one the file was exported from");
    cmd->add_option("--limit", args->check.limit, "only the first N images");
    cmd->add_option("--batch", args->check.batch, "images per ONNX Runtime call")->check(CLI::PositiveNumber);
    cmd->add_option("--optimized", args->check.optimized, "where ONNX Runtime saves its optimised graph (default: FILE.ort-optimized.onnx)");
    cmd->add_option("--optimization", args->check.optimization, "ONNX Runtime graph optimisation: all, extended, basic, disabled")
        ->check(CLI::IsMember({"all", "extended", "basic", "disabled"}));
    cmd->add_option("--latency", args->check.latencyRuns, "also time this many runs (after 10 warm-up runs)");
    cmd->add_option("--latency-batch", args->check.latencyBatch, "images per timed run")->check(CLI::PositiveNumber);
    cmd->add_option("--report", args->report, "write the comparison as JSON to this file");
    cmd->add_option("--threads", common.threads, "threads for both runtimes (0 = all cores)")->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", args->json, "print one JSON object on stdout");
    cmd->callback([&body, &common, args] { body = [&common, args] { return runVerify(*args, common); }; });
}

} // namespace dfq::cli
