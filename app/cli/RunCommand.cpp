// dfq run CONFIG [--out DIR] [--set key.path=value ...]: one experiment through the pipeline
// (core/pipeline/Pipeline.h) into a run directory; dfq resume RUN: finishes an interrupted run.
// Exit codes: 0 finished, 1 error (configuration problems listed by key path), 130 cancelled (Ctrl-C;
// `dfq resume` continues it).
#include "Commands.h"
#include "TerminalProgress.h"

#include "pipeline/Pipeline.h"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace dfq::cli {
namespace {

struct RunArgs {
    std::string config, out, run;
    std::vector<std::string> set;
    bool json = false;
};

int report(const pipeline::RunOutcome& o, bool json) {
    if (o.status != "finished") {
        std::fprintf(stderr, "dfq: run %s: %s; `dfq resume %s` continues it\n", o.runDir.c_str(), o.status.c_str(), o.runDir.c_str());
        return 130;
    }
    if (json) {
        auto j = o.results;
        j["run_dir"] = o.runDir;
        std::cout << j.dump() << std::endl;
        return 0;
    }
    const auto& r = o.results;
    auto pct = [&](const char* k) { return r.contains(k) && r[k].is_number() ? r[k].get<double>() : NAN; };
    std::printf("run          %s\n", o.runDir.c_str());
    std::printf("quantization %s, protocol %s\n", r.value("label", "").c_str(), r.value("protocol", "").c_str());
    if (r.contains("fp32_top1")) {
        std::printf("fp32 top-1   %.2f %%  (top-5 %.2f %%)\n", pct("fp32_top1"), pct("fp32_top5"));
        std::printf("quant top-1  %.2f %%  (top-5 %.2f %%)\n", pct("quant_top1"), pct("quant_top5"));
    }
    std::printf("time         %.1f s\n", r.value("seconds", 0.0));
    std::printf("report       %s/report.html\n", o.runDir.c_str());
    return 0;
}

} // namespace

void addRunCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto args = std::make_shared<RunArgs>();
    CLI::App* cmd = app.add_subcommand("run", "run an experiment from a JSON config (docs/config.md) into a run directory");
    cmd->add_option("config", args->config, "experiment config (JSON)")->required();
    cmd->add_option("--out", args->out, "run directory (default: output.dir/output.name from the config)");
    cmd->add_option("--set", args->set, "override a config key: key.path=value (repeatable), e.g. quant.wbits=6")
        ->allow_extra_args(false); // one value per --set, so a following positional is not swallowed
    cmd->add_flag("--json", args->json, "print results.json (plus run_dir) on stdout");
    cmd->callback([&body, args] {
        body = [args] {
            auto config = pipeline::loadExperimentConfig(args->config, args->set);
            const std::string dir = args->out.empty() ? pipeline::defaultRunDir(config) : args->out;
            TerminalProgress progress;
            pipeline::PipelineOptions o;
            o.events = &progress;
            cancelOnInterrupt(o.cancel);
            std::fprintf(stderr, "dfq run: %s -> %s\n", args->config.c_str(), dir.c_str());
            return report(pipeline::startRun(config, dir, o), args->json);
        };
    });

    CLI::App* res = app.add_subcommand("resume", "finish an interrupted run (completed stages are loaded, not recomputed)");
    res->add_option("run", args->run, "run directory")->required();
    res->add_flag("--json", args->json, "print results.json (plus run_dir) on stdout");
    res->callback([&body, args] {
        body = [args] {
            TerminalProgress progress;
            pipeline::PipelineOptions o;
            o.events = &progress;
            cancelOnInterrupt(o.cancel);
            return report(pipeline::resumeRun(args->run, o), args->json);
        };
    });
    (void)common;
}

} // namespace dfq::cli
