// dfq eval: FP32 accuracy of a checkpoint on a dataset.
#include "Commands.h"

#include "data/Dataset.h"
#include "metrics/Evaluator.h"
#include "models/ModelLoader.h"
#include "runtime/Resources.h"
#include "runtime/Threads.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace dfq::cli {
namespace {

struct EvalArgs {
    std::string model, arch = "auto", data, normalize;
    int64_t batch = 256, limit = -1;
    bool json = false;
    bool asStored = false;
};

int runEval(const EvalArgs& a, const CommonOptions& common) {
    const std::string modelPath = a.model.empty() ? runtime::defaultModelPath() : a.model;
    if (modelPath.empty())
        throw std::runtime_error("no --model given and the embedded default model was not found");
    auto loaded = models::loadModel(modelPath, a.arch);
    auto& model = *loaded.model;
    const auto& info = model.info();

    data::DatasetOptions dopt;
    dopt.geometry = {info.inChannels, info.inHeight, info.inWidth};
    dopt.normalization = data::normalizationPreset(
        !a.normalize.empty() ? a.normalize : (info.normalization.empty() ? "none" : info.normalization));
    const std::string dataPath = a.data.empty() ? runtime::defaultDataPath() : a.data;
    const int threads = runtime::configureThreads(common.threads);
    dopt.decodeThreads = threads;
    // Opening decodes a small ImageFolder completely (see ImageFolder): timed apart from inference so
    // that both inference alone and the end-to-end cost from files can be compared.
    const auto open0 = std::chrono::steady_clock::now();
    auto dataset = data::openDataset(dataPath, dopt);
    const double openSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - open0).count();

    metrics::EvalOptions eopt;
    eopt.batchSize = a.batch;
    eopt.limit = a.limit;
    eopt.fastLayout = !a.asStored;
    const bool tty = !a.json && isatty(STDERR_FILENO);
    if (tty)
        eopt.progress = [](int64_t done, int64_t total) {
            std::fprintf(stderr, "\r  evaluating %lld/%lld", (long long)done, (long long)total);
            if (done == total)
                std::fprintf(stderr, "\n");
        };
    const auto r = metrics::evaluate(model, *dataset, eopt);

    const auto& classes = dataset->classNames().empty() ? info.classNames : dataset->classNames();
    if (a.json) {
        nlohmann::json j;
        j["model"] = modelPath;
        j["arch"] = info.arch;
        j["arch_detected"] = loaded.archDetected;
        j["checkpoint_format"] = checkpoint::toString(loaded.checkpoint.format);
        j["data"] = dataPath;
        j["normalization"] = dopt.normalization.name;
        j["images"] = r.images;
        j["top1"] = r.top1;
        j["top5"] = r.top5;
        nlohmann::json pc = nlohmann::json::object();
        for (size_t c = 0; c < r.perClass.size(); ++c) {
            const std::string name = c < classes.size() ? classes[c] : std::to_string(c);
            pc[name] = std::isnan(r.perClass[c]) ? nlohmann::json(nullptr) : nlohmann::json(r.perClass[c]);
        }
        j["per_class"] = pc;
        // seconds / images_per_second: inference on decoded tensors (plus decoding for a lazily decoded
        // dataset); end_to_end_*: from the files, opening and decoding included.
        j["seconds"] = r.seconds;
        j["images_per_second"] = r.imagesPerSecond;
        j["data_open_seconds"] = openSeconds;
        j["end_to_end_seconds"] = openSeconds + r.seconds;
        j["end_to_end_images_per_second"] = double(r.images) / (openSeconds + r.seconds);
        j["threads"] = threads;
        j["layout"] = a.asStored ? "as stored" : "channels-last, BN folded";
        j["notes"] = dataset->notes();
        std::cout << j.dump() << std::endl;
        return 0;
    }
    std::printf("model      %s (%s%s, %s)\n", modelPath.c_str(), info.arch.c_str(),
                loaded.archDetected ? ", detected" : "", checkpoint::toString(loaded.checkpoint.format));
    std::printf("data       %s\n", dataset->describe().c_str());
    for (const auto& n : dataset->notes())
        std::printf("note       %s\n", n.c_str());
    std::printf("top-1      %.2f %%\ntop-5      %.2f %%\n", r.top1, r.top5);
    std::printf("per class\n");
    for (size_t c = 0; c < r.perClass.size(); ++c) {
        if (std::isnan(r.perClass[c]))
            continue;
        const std::string name = c < classes.size() ? classes[c] : std::to_string(c);
        std::printf("  %-14s %6.2f %%\n", name.c_str(), r.perClass[c]);
    }
    std::printf("speed      %.0f images/s inference (%lld images, %.2f s, %d threads); %.0f images/s from the files "
                "(%.2f s opening the data)\n",
                r.imagesPerSecond, (long long)r.images, r.seconds, threads, double(r.images) / (openSeconds + r.seconds),
                openSeconds);
    return 0;
}

} // namespace

void addEvalCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto args = std::make_shared<EvalArgs>();
    CLI::App* cmd = app.add_subcommand("eval", "FP32 top-1/top-5/per-class accuracy of a checkpoint on a dataset");
    cmd->add_option("--model", args->model, "checkpoint (torch.save zip or legacy, TorchScript); default: the embedded Fashion-MNIST reference");
    cmd->add_option("--arch", args->arch, "architecture name or 'auto' (detected from the keys)");
    cmd->add_option("--data", args->data, "ImageFolder, IDX folder/file or CIFAR-10 binary folder; default: Debian's Fashion-MNIST");
    cmd->add_option("--normalize", args->normalize, "normalisation preset (imagenet, cifar10, fashion-mnist, mnist, none); default: the model's");
    cmd->add_option("--batch", args->batch, "batch size")->check(CLI::PositiveNumber);
    cmd->add_option("--limit", args->limit, "evaluate only the first N images");
    cmd->add_option("--threads", common.threads, "intra-op threads (0 = all cores)")->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", args->json, "print one JSON object on stdout");
    cmd->add_flag("--as-stored", args->asStored,
                  "run the model exactly as stored (NCHW weights, BN unfolded) instead of channels-last with BN folded");
    cmd->callback([&body, &common, args] { body = [&common, args] { return runEval(*args, common); }; });
}

} // namespace dfq::cli
