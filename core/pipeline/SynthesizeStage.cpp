// "synthesize": the calibration set from the model alone (synthesis.method, n, options), written to
// checkpoints/synthetic/ (PNGs + exact tensors) and checkpoints/synthesis.json. A sweep may copy a
// completed set from another run made with the same method, options, n, seed, model and threads.
#include "pipeline/PipelineStage.h"
#include "pipeline/RunStore.h"
#include "pipeline/StagePlan.h"
#include "pipeline/SynthesisRecorder.h"

#include "runtime/Threads.h"
#include "synth/Synthesize.h"
#include "synth/SyntheticSetIO.h"

namespace dfq::pipeline {
namespace {
using nlohmann::json;

const std::string kSetDir = "checkpoints/synthetic", kJson = "checkpoints/synthesis.json";

class SynthesizeStage : public Stage {
public:
    std::string name() const override { return stage::Synthesize; }

    void run(StageContext& ctx) override {
        const auto& c = ctx.config;
        const uint64_t seed = ctx.seed(name());
        if (reuse(ctx, seed))
            return;
        torch::manual_seed(seed);
        SynthesisRecorder rec(ctx, name());
        auto set = synth::synthesize(c.synthMethod, *ctx.model, c.synthOptions, c.synthN, seed, &rec, ctx.cancel);
        if (ctx.persistent()) {
            synth::SyntheticSetWriteOptions wo;
            wo.overwrite = true;
            synth::writeSyntheticSet(ctx.path(kSetDir), set, wo);
            // Calibrate on the set as stored, as restore() and `--calib synth:DIR` do: on some CPUs the
            // synthesiser's tensor and the one read back give convolutions that differ in the last
            // bits (seen on an AMD EPYC: activation ranges 1e-7 apart), and a resumed run must give
            // the uninterrupted run's result bit for bit.
            auto stored = synth::readSyntheticSet(ctx.path(kSetDir));
            set.images = stored.images;
            set.labels = stored.labels;
        }
        ctx.images = set.images;
        ctx.labels = set.labels;
        json_ = {{"method", set.method}, {"options", set.options}, {"n", set.size()}, {"seed", seed},
                 {"seconds", set.seconds}, {"final_loss", finiteOrNull(rec.lastLoss)}, {"bn_divergence", rec.divergenceJson()},
                 {"notes", set.notes}};
        ctx.saveJson(kJson, json_);
    }

    void restore(StageContext& ctx) override {
        auto set = synth::readSyntheticSet(ctx.path(kSetDir));
        ctx.images = set.images;
        ctx.labels = set.labels;
        json_ = ctx.readJson(kJson);
    }

    json report() const override { return {{"synthesis", json_}}; }

private:
    // Copies the set of options.reuseSynthesisFrom when it was made the same way; false otherwise
    // (anything unreadable included: then this run synthesises its own).
    bool reuse(StageContext& ctx, uint64_t seed) {
        if (ctx.reuseSynthesisFrom.empty() || !ctx.persistent())
            return false;
        const auto& c = ctx.config;
        const std::string& from = ctx.reuseSynthesisFrom;
        try {
            RunStore other = RunStore::open(from);
            if (!other.state().done(stage::Synthesize))
                return false;
            const json theirs = other.readJson(kJson);
            const json m = other.manifest();
            const json& rc = m.at("config").at("resolved");
            const bool same = theirs.value("method", "") == c.synthMethod && theirs.value("n", int64_t(-1)) == c.synthN &&
                              theirs.value("seed", uint64_t(0)) == seed &&
                              rc.at("synthesis").value("resolved_options", json()) == c.resolved.at("synthesis").value("resolved_options", json()) &&
                              rc.at("model").value("path", "") == c.modelPath && m.value("arch", "") == ctx.model->info().arch &&
                              m.value("threads", -1) == runtime::configureThreads(c.threads);
            if (!same)
                return false;
            auto set = synth::readSyntheticSet(other.path(kSetDir));
            if (set.size() != c.synthN)
                return false;
            synth::SyntheticSetWriteOptions wo;
            wo.overwrite = true;
            synth::writeSyntheticSet(ctx.path(kSetDir), set, wo);
            ctx.images = set.images;
            ctx.labels = set.labels;
            json_ = theirs;
            json_["reused_from"] = from;
            ctx.saveJson(kJson, json_);
            ctx.metric({{"stage", stage::Synthesize}, {"reused_from", from}});
            ctx.message("synthetic set reused from " + from + " (same method, options, n, seed)");
            return true;
        } catch (const std::exception&) {
            return false;
        }
    }

    json json_;
};

} // namespace

std::unique_ptr<Stage> makeSynthesizeStage() { return std::make_unique<SynthesizeStage>(); }

} // namespace dfq::pipeline
