// "evaluate": top-1 / top-5 / per-class accuracy of the FP32 clone and of the quantized model (Frozen)
// on data.test, in batches of eval.batch. Checkpoint: checkpoints/evaluation.json.
#include "pipeline/PipelineStage.h"
#include "pipeline/StagePlan.h"

#include "metrics/Evaluator.h"

namespace dfq::pipeline {
namespace {
using nlohmann::json;

const std::string kJson = "checkpoints/evaluation.json";

json evalJson(const metrics::EvalResult& r) {
    return {{"images", r.images}, {"top1", r.top1}, {"top5", r.top5}, {"per_class", r.perClass}, {"seconds", r.seconds}};
}

class EvaluateStage : public Stage {
public:
    std::string name() const override { return stage::Evaluate; }

    void run(StageContext& ctx) override {
        const auto& c = ctx.config;
        auto test = data::openDataset(c.testPath, ctx.datasetOptions);
        metrics::EvalOptions eo;
        eo.batchSize = c.evalBatch;
        eo.cancel = ctx.cancel;
        StageClock clock;
        const int64_t total = 2 * test->size();
        int64_t offset = 0;
        eo.progress = [&](int64_t done, int64_t) {
            ctx.progress(stage::Evaluate, offset + done, total, clock.eta(offset + done, total));
        };
        // The FP32 model runs in the quantized model's layout (channels-last, BNs not folded: the
        // quantizer hooks keep them), so that the two times differ by fake quantization alone.
        metrics::EvalOptions fpo = eo;
        fpo.foldBatchNorm = false;
        const auto fp = metrics::evaluate(*ctx.fp32, *test, fpo);
        offset = test->size();
        ctx.quantized->setMode(quant::QuantMode::Frozen);
        const auto q = metrics::evaluate(*ctx.model, *test, eo);
        json_ = {{"dataset", test->describe()}, {"class_names", test->classNames()}, {"fp32", evalJson(fp)},
                 {"quant", evalJson(q)},
                 {"layout", "channels-last, BN not folded (FP32 and quantized alike)"}};
        ctx.metric({{"stage", stage::Evaluate}, {"fp32_top1", fp.top1}, {"quant_top1", q.top1}, {"fp32_top5", fp.top5},
                    {"quant_top5", q.top5}});
        ctx.saveJson(kJson, json_);
    }

    void restore(StageContext& ctx) override { json_ = ctx.readJson(kJson); }

    json report() const override {
        return {{"evaluation", json_},
                {"fp32_top1", json_["fp32"]["top1"]},
                {"quant_top1", json_["quant"]["top1"]},
                {"fp32_top5", json_["fp32"]["top5"]},
                {"quant_top5", json_["quant"]["top5"]}};
    }

private:
    json json_;
};

} // namespace

std::unique_ptr<Stage> makeEvaluateStage() { return std::make_unique<EvaluateStage>(); }

} // namespace dfq::pipeline
