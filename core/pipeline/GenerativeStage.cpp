// "generative": a generator method (GDFQ, ClusterQ; generative/GeneratorMethod.h) trains its generator
// and the quantized student together (generative/JointTrainer.h), in place of synthesize + calibrate +
// fine-tune. The student is the spec's QuantizedModel with GDFQ's range rules: activation (and input)
// ranges by a plain EMA during the range epochs, weights by min/max tracked every step.
//
// After every epoch: checkpoints/generative-epoch-NNN.trainer (JointTrainer::saveState) + .pt (the
// student, QuantizedState.h) + generative.json ({"epoch"}); the previous epoch's pair is removed once
// the new one is written, so the last good epoch always survives a kill or a divergence. An
// interrupted stage continues after that epoch and ends exactly as an uninterrupted one.
// Completed: quantized-generative.pt + generative-result.json. With test data, every epoch also
// measures the student's top-1 on at most 100 images per class of it: for the curves only (the result is
// the final model, evaluated on the whole test set by the evaluate stage).
#include "pipeline/PipelineError.h"
#include "pipeline/PipelineStage.h"
#include "pipeline/QuantizedState.h"
#include "pipeline/RunStore.h"
#include "pipeline/SnapshotPng.h"
#include "pipeline/StagePlan.h"
#include "pipeline/SynthesisRecorder.h"

#include "generative/GenerativeError.h"
#include "generative/JointTrainer.h"
#include "metrics/Evaluator.h"

#include <cstdio>

namespace dfq::pipeline {
namespace {
using nlohmann::json;

const std::string kState = "checkpoints/quantized-generative.pt", kJson = "checkpoints/generative-result.json",
                  kProgress = "checkpoints/generative.json";

std::string epochBase(int64_t epoch) { return epochCheckpointBase("generative", epoch); }

// GDFQ's range rules on the spec (whatever PTQ observer the config names).
quant::QuantSpec generativeSpec(quant::QuantSpec spec) {
    for (auto& l : spec.layers) {
        l.weight.observer = "minmax";
        l.input.observer = "ema";
    }
    for (auto& a : spec.activations)
        a.output.observer = "ema";
    return spec;
}

// Joint-loop events -> the user's PipelineEvents and the run: losses (every 10th iteration) and one
// line per epoch in metrics.jsonl, the probe as snapshot PNGs, progress with the budget check.
class GenerativeRecorder : public generative::JointEvents {
public:
    explicit GenerativeRecorder(StageContext& ctx) : ctx_(ctx), synth_(ctx, stage::Generative) {
        diagnosticsEvery = synth_.diagnosticsEvery;
        snapshotEvery = synth_.snapshotEvery;
        snapshotPerClass = synth_.snapshotPerClass;
    }
    void progress(const synth::SynthesisProgress& p) override { synth_.progress(p); }
    void lossTerms(int64_t step, const std::map<std::string, double>& terms) override { synth_.lossTerms(step, terms); }
    void layerDiagnostics(int64_t step, const std::vector<metrics::LayerDivergence>& l) override {
        synth_.layerDiagnostics(step, l);
    }
    void snapshot(const synth::ImageSnapshot& s) override { synth_.snapshot(s); }
    void note(const std::string& m) override { synth_.note(m); }
    void epochFinished(const generative::EpochReport& r) override {
        if (ctx_.events)
            ctx_.events->epochFinished(r);
    }

private:
    StageContext& ctx_;
    SynthesisRecorder synth_;
};

class GenerativeStage : public Stage {
public:
    std::string name() const override { return stage::Generative; }

    void run(StageContext& ctx) override {
        const auto& c = ctx.config;
        ctx.spec = generativeSpec(ctx.spec);
        ctx.quantized = std::make_unique<quant::QuantizedModel>(ctx.model, ctx.spec);
        auto& qm = *ctx.quantized;
        int64_t startEpoch = 0;
        std::string trainerState;
        if (ctx.exists(kProgress)) { // an interrupted run: continue after its last epoch
            startEpoch = ctx.readJson(kProgress).at("epoch").get<int64_t>();
            restoreQuantizedState(qm, ctx.readFile(epochBase(startEpoch) + ".pt"));
            trainerState = ctx.readFile(epochBase(startEpoch) + ".trainer");
            ctx.message("generator training resumes after epoch " + std::to_string(startEpoch));
        }
        std::unique_ptr<data::Dataset> probeTest;
        if (!c.testPath.empty()) {
            auto o = ctx.datasetOptions;
            o.limitPerClass = o.limitPerClass > 0 ? std::min<int64_t>(o.limitPerClass, 100) : 100;
            probeTest = data::openDataset(c.testPath, o);
            // Checked before any training: otherwise the first epoch's probe would fail only after it.
            const auto& info = ctx.model->info();
            const auto classes = int64_t(probeTest->classNames().size());
            if (classes > info.numClasses)
                throw PipelineError("test data " + c.testPath + " has " + std::to_string(classes) +
                                    " classes but the model (" + info.arch + ") predicts " +
                                    std::to_string(info.numClasses) +
                                    ": the generator is conditioned on the model's classes, so the test data "
                                    "must use the same ones");
        }
        GenerativeRecorder rec(ctx);
        generative::JointSetup s;
        s.teacher = ctx.fp32;
        s.student = &qm;
        s.method = c.synthMethod;
        s.options = c.synthOptions;
        s.seed = ctx.seed(name());
        s.events = &rec;
        s.cancel = ctx.cancel;
        if (probeTest)
            s.evaluateStudent = [&] {
                metrics::EvalOptions eo;
                eo.batchSize = c.evalBatch;
                eo.cancel = ctx.cancel;
                qm.setMode(quant::QuantMode::Frozen);
                return metrics::evaluate(*ctx.model, *probeTest, eo).top1;
            };
        std::vector<json> curves;
        if (startEpoch > 0 && ctx.exists(kProgress))
            curves = ctx.readJson(kProgress).value("epochs", std::vector<json>{});
        generative::JointTrainer* trainer = nullptr;
        s.epochFinished = [&](const generative::EpochReport& r) {
            json line = epochLine(r);
            curves.push_back(line);
            line["stage"] = stage::Generative;
            line["event"] = "epoch";
            ctx.metric(line);
            if (!ctx.persistent())
                return;
            ctx.saveFile(epochBase(r.epoch) + ".trainer", trainer->saveState());
            ctx.saveFile(epochBase(r.epoch) + ".pt", saveQuantizedState(qm));
            ctx.saveJson(kProgress, {{"epoch", r.epoch}, {"epochs", curves}});
            if (r.epoch > 1) { // the previous epoch is superseded only once this one is on disk
                std::remove(ctx.path(epochBase(r.epoch - 1) + ".trainer").c_str());
                std::remove(ctx.path(epochBase(r.epoch - 1) + ".pt").c_str());
            }
        };
        generative::JointTrainer t(s);
        trainer = &t;
        if (!trainerState.empty())
            t.restoreState(trainerState);
        torch::manual_seed(s.seed);
        generative::JointResult r;
        try {
            r = t.run();
        } catch (const generative::GenerativeError& e) {
            const int64_t kept = t.epochsDone();
            throw PipelineError(std::string(e.what()) + "; the run stopped" +
                                (kept > 0 && ctx.persistent() ? ", and the checkpoint of epoch " + std::to_string(kept) +
                                                                    " is kept in " + ctx.path(epochBase(kept) + ".*")
                                                              : ""));
        }
        json_ = {{"method", c.synthMethod}, {"options", t.resolvedOptions()}, {"seed", s.seed},
                 {"epochs", r.epochs}, {"iterations", r.iterations}, {"seconds", r.seconds},
                 {"resumed_at_epoch", startEpoch}, {"spec", ctx.spec.toJson()}, {"curves", curves},
                 {"model_selection", "final model (no selection on test data; per-epoch top-1 is on a 100-per-class "
                                     "subset of the test data, for the curves only)"}};
        ctx.saveFile(kState, saveQuantizedState(qm));
        ctx.saveJson(kJson, json_);
    }

    void restore(StageContext& ctx) override {
        json_ = ctx.readJson(kJson);
        ctx.spec = quant::QuantSpec::fromJson(json_.at("spec"));
        ctx.quantized = std::make_unique<quant::QuantizedModel>(ctx.model, ctx.spec);
        restoreQuantizedState(*ctx.quantized, ctx.readFile(kState));
    }

    json report() const override { return {{"generative", json_}}; }

private:
    static json epochLine(const generative::EpochReport& r) {
        json j = {{"epoch", r.epoch}, {"iterations", r.iterations}, {"student_trained", r.studentTrained},
                  {"generator_lr", r.generatorLr}, {"student_lr", r.studentLr}, {"seconds", r.seconds},
                  {"student_top1_subset", finiteOrNull(r.studentTop1)},
                  {"probe_bn_kl", finiteOrNull(r.probe.mean.kl)},
                  {"probe_feature_diversity", finiteOrNull(r.probe.features.meanOverClasses)},
                  {"probe_confidence", finiteOrNull(r.probe.confidence.meanMaxProbability)}};
        json collapse = json::array();
        for (double v : r.probe.modeCollapse)
            collapse.push_back(finiteOrNull(v));
        j["probe_mode_collapse"] = collapse;
        for (const auto& [k, v] : r.meanTerms)
            j["loss_" + k] = finiteOrNull(v);
        if (!r.methodJson.empty())
            j["method"] = r.methodJson;
        if (auto it = r.methodTensors.find("centroid_means"); it != r.methodTensors.end()) {
            const auto m = it->second.contiguous();
            j["centroid_means"] = std::vector<float>(m.data_ptr<float>(), m.data_ptr<float>() + m.numel());
            j["centroid_shape"] = m.sizes().vec();
        }
        return j;
    }

    json json_;
};

} // namespace

std::unique_ptr<Stage> makeGenerativeStage() { return std::make_unique<GenerativeStage>(); }

} // namespace dfq::pipeline
