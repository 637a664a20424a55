// "load": the checkpoint, its FP32 clone (teacher and reference), the evaluation data options and the
// quantization spec of the config. Always re-executed on resume: the model file is its checkpoint.
#include "pipeline/PipelineStage.h"
#include "pipeline/StagePlan.h"

#include "models/ModelLoader.h"
#include "quant/QatDistiller.h"
#include "quant/QuantError.h"

namespace dfq::pipeline {
namespace {

class LoadStage : public Stage {
public:
    std::string name() const override { return stage::Load; }

    void run(StageContext& ctx) override {
        const auto& c = ctx.config;
        auto loaded = models::loadModel(c.modelPath, c.arch);
        ctx.model = loaded.model;
        ctx.model->eval();
        for (const auto& p : ctx.model->named_parameters())
            if (!torch::isfinite(p.value()).all().item<bool>())
                throw quant::QuantError("checkpoint '" + c.modelPath + "': parameter '" + p.key() + "' contains NaN or Inf");
        ctx.fp32 = quant::cloneModel(*ctx.model);
        ctx.datasetOptions = datasetOptionsFor(c, ctx.model->info());
        ctx.spec = quantSpecFor(c, *ctx.model);
        ctx.recordSpecInManifest();
    }
};

} // namespace

std::unique_ptr<Stage> makeLoadStage() { return std::make_unique<LoadStage>(); }

} // namespace dfq::pipeline
