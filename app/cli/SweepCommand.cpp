// dfq sweep CONFIG --wbits 4,6,8 --methods noise,zeroq [--abits 4,8] [--out DIR] [--set k=v ...]:
// the grid methods × wbits × abits (abits = wbits when not given), each cell a run directory under
// the sweep directory, then results.csv, results.md and report.html there (core/pipeline/Sweep.h).
#include "Commands.h"
#include "TerminalProgress.h"

#include "pipeline/Sweep.h"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace dfq::cli {
namespace {

struct SweepArgs {
    std::string config, out, wbits, abits, methods;
    std::vector<std::string> set;
};

int runSweepCommand(const SweepArgs& a) {
    namespace fs = std::filesystem;
    std::ifstream f(a.config);
    if (!f)
        throw pipeline::ConfigError({{"", "cannot read the configuration '" + a.config + "'"}});
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(f);
    } catch (const nlohmann::json::parse_error& e) {
        throw pipeline::ConfigError({{"", "'" + a.config + "' is not valid JSON: " + e.what()}});
    }
    for (const auto& s : a.set)
        pipeline::applyAssignment(doc, s);
    const std::string baseDir = fs::absolute(a.config).parent_path().string();
    pipeline::SweepGrid grid;
    grid.wbits = a.wbits.empty() ? std::vector<int>{} : pipeline::parseIntList(a.wbits, "--wbits");
    grid.abits = a.abits.empty() ? std::vector<int>{} : pipeline::parseIntList(a.abits, "--abits");
    grid.methods = pipeline::parseNameList(a.methods);
    std::string dir = a.out;
    if (dir.empty()) {
        const auto base = pipeline::parseExperimentConfig(doc, baseDir);
        char stamp[32];
        const std::time_t t = std::time(nullptr);
        std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::gmtime(&t));
        dir = (fs::path(base.outputDir) / (std::string("sweep-") + stamp)).string();
    }
    TerminalProgress progress;
    pipeline::PipelineOptions o;
    o.events = &progress;
    cancelOnInterrupt(o.cancel);
    const auto rows = pipeline::runSweep(doc, baseDir, grid, dir, o, [](int i, int n, const std::string& cell) {
        std::fprintf(stderr, "dfq sweep: cell %d/%d -> %s\n", i + 1, n, cell.c_str());
    });
    std::cout << pipeline::comparisonText(rows);
    std::printf("sweep        %s (results.csv, results.md, report.html)\n", dir.c_str());
    for (const auto& r : rows)
        if (r.status != "finished")
            return 1;
    return 0;
}

} // namespace

void addSweepCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto args = std::make_shared<SweepArgs>();
    CLI::App* cmd = app.add_subcommand("sweep", "run a grid of experiments (methods × wbits × abits) and tabulate them");
    cmd->add_option("config", args->config, "base experiment config (JSON)")->required();
    cmd->add_option("--wbits", args->wbits, "weight bits, e.g. 4,6,8 (default: the config's)");
    cmd->add_option("--abits", args->abits, "activation bits, e.g. 4,8 (default: equal to wbits)");
    cmd->add_option("--methods", args->methods, "synthesis methods, e.g. noise,zeroq (default: the config's)");
    cmd->add_option("--out", args->out, "sweep directory (default: output.dir/sweep-<time>); re-running continues it");
    cmd->add_option("--set", args->set, "override a config key: key.path=value (repeatable)")
        ->allow_extra_args(false);
    cmd->callback([&body, args] { body = [args] { return runSweepCommand(*args); }; });
    (void)common;
}

} // namespace dfq::cli
