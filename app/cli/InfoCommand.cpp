// dfq info: what a checkpoint holds and how it maps onto the zoo; the list of architectures.
#include "Commands.h"

#include "models/ModelLoader.h"
#include "models/ModelZoo.h"
#include "runtime/BlasCheck.h"
#include "runtime/Resources.h"
#include "runtime/Threads.h"

#include <cstdio>

namespace dfq::cli {
namespace {

int runInfo(const std::string& modelPath, const std::string& arch) {
    if (modelPath.empty()) {
        std::printf("architectures:\n");
        for (const auto& e : models::architectures())
            std::printf("  %-16s %s\n", e.name.c_str(), e.description.c_str());
        const auto blas = runtime::inspectBlas();
        std::printf("BLAS: %s%s\nthreads: %d of %d cores\n", blas.library.c_str(), blas.isOpenBlas ? " (OpenBLAS)" : "",
                    runtime::configureThreads(0), runtime::hardwareThreads());
        std::printf("embedded default model: %s\n", runtime::defaultModelPath().c_str());
        return 0;
    }
    auto loaded = models::loadModel(modelPath, arch);
    auto& m = *loaded.model;
    const auto& info = m.info();
    std::printf("file         %s (%s)\n", modelPath.c_str(), checkpoint::toString(loaded.checkpoint.format));
    if (!loaded.checkpoint.unwrappedFrom.empty())
        std::printf("state dict   under '%s'\n", loaded.checkpoint.unwrappedFrom.c_str());
    if (!loaded.checkpoint.strippedPrefix.empty())
        std::printf("prefix       '%s' stripped\n", loaded.checkpoint.strippedPrefix.c_str());
    for (const auto& [k, v] : loaded.checkpoint.extras)
        std::printf("extra        %s = %s\n", k.c_str(), v.c_str());
    std::printf("arch         %s%s\ninput        %lldx%lldx%lld\nclasses      %lld\nparameters   %lld\n",
                info.arch.c_str(), loaded.archDetected ? " (detected)" : "", (long long)info.inChannels,
                (long long)info.inHeight, (long long)info.inWidth, (long long)info.numClasses,
                (long long)m.parameterCount());
    const auto ql = m.quantLayers();
    const auto bn = m.bnLayers();
    std::printf("quantizable  %zu layers\n", ql.size());
    for (auto l : ql)
        std::printf("  %-28s %-6s %lld weights\n", l.name.c_str(), l.isConv() ? "conv" : "linear", (long long)l.weightCount());
    std::printf("batch norm   %zu layers\n", bn.size());
    return 0;
}

} // namespace

void addInfoCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto model = std::make_shared<std::string>();
    auto arch = std::make_shared<std::string>("auto");
    CLI::App* cmd = app.add_subcommand("info", "describe a checkpoint, or list architectures and the runtime");
    cmd->add_option("--model", *model, "checkpoint to describe");
    cmd->add_option("--arch", *arch, "architecture or 'auto'");
    cmd->callback([&body, model, arch] { body = [model, arch] { return runInfo(*model, *arch); }; });
}

} // namespace dfq::cli
