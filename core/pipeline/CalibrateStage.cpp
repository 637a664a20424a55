// "calibrate": the QuantizedModel of the spec, calibrated on the calibration set (observer ranges
// frozen), then reconstructed for ptq.method adaround (per layer) or brecq (per block). With
// quant.mp_avg_bits the per-layer weight bits are chosen first (ZeroQ mixed precision on the
// calibration set). Checkpoint: checkpoints/quantized.pt (QuantizedState.h) + calibration.json (which
// also holds the mixed-precision spec, so a resume rebuilds the same model).
#include "pipeline/PipelineStage.h"
#include "pipeline/QuantizedState.h"
#include "pipeline/StagePlan.h"

#include "quant/AdaRound.h"
#include "quant/BatchSource.h"
#include "quant/Brecq.h"
#include "quant/MixedPrecision.h"

#include <cmath>

namespace dfq::pipeline {
namespace {
using nlohmann::json;

const std::string kState = "checkpoints/quantized.pt", kJson = "checkpoints/calibration.json";

class CalibrateStage : public Stage {
public:
    std::string name() const override { return stage::Calibrate; }

    void run(StageContext& ctx) override {
        const auto& c = ctx.config;
        const uint64_t seed = ctx.seed(name());
        torch::manual_seed(seed);
        json mixed;
        if (c.mpAvgBits > 0)
            mixed = chooseBits(ctx);
        ctx.quantized = std::make_unique<quant::QuantizedModel>(ctx.model, ctx.spec);
        auto& qm = *ctx.quantized;
        quant::TensorBatchSource src(ctx.images, c.calibBatch);
        const auto rep = qm.calibrate(src);
        json_ = {{"images", rep.images}, {"batches", rep.batches}, {"ptq", c.ptqMethod}};
        if (!mixed.is_null()) {
            json_["mixed_precision"] = mixed;
            json_["quant_spec"] = ctx.spec.toJson();
        }
        // Progress over units (layers or blocks) × iterations, and one metrics line per iteration.
        StageClock clock;
        int64_t unit = -1, done = 0;
        std::string lastUnit;
        auto onProgress = [&](int64_t units, int64_t iters) {
            return [&, units, iters](const std::string& u, int64_t it, double recLoss, double regLoss) {
                if (u != lastUnit) {
                    lastUnit = u;
                    ++unit;
                }
                done = unit * iters + it;
                ctx.metric({{"stage", stage::Calibrate}, {"unit", u}, {"iteration", it}, {"loss_rec", finiteOrNull(recLoss)},
                            {"loss_reg", finiteOrNull(regLoss)}});
                ctx.progress(stage::Calibrate, done, units * iters, clock.eta(done, units * iters));
            };
        };
        if (c.ptqMethod == "adaround") {
            quant::TensorBatchSource s2(ctx.images, c.calibBatch);
            quant::AdaRoundOptions ao;
            ao.iterations = c.adaroundIters;
            ao.seed = seed;
            ao.cancel = ctx.cancel;
            ao.progress = onProgress(int64_t(qm.layerNames().size()), c.adaroundIters);
            json rows = json::array();
            for (const auto& r : quant::runAdaRound(qm, s2, ao))
                rows.push_back({{"layer", r.layer}, {"mse_nearest", r.mseNearest}, {"mse_adaround", r.mseAdaRound},
                                {"flipped", r.flippedFraction}, {"seconds", r.seconds}});
            json_["adaround"] = rows;
        } else if (c.ptqMethod == "brecq") {
            quant::TensorBatchSource s2(ctx.images, c.calibBatch);
            quant::BrecqOptions bo;
            bo.iterations = c.brecqIters;
            bo.seed = seed;
            bo.cancel = ctx.cancel;
            bo.progress = onProgress(int64_t(quant::brecqUnits(*ctx.model).size()), c.brecqIters);
            json rows = json::array();
            for (const auto& r : quant::runBrecq(qm, s2, bo))
                rows.push_back({{"block", r.block}, {"mse_before", r.mseBefore}, {"mse_after", r.mseAfter}, {"seconds", r.seconds}});
            json_["brecq"] = rows;
        }
        ctx.saveFile(kState, saveQuantizedState(qm));
        ctx.saveJson(kJson, json_);
    }

    void restore(StageContext& ctx) override {
        json_ = ctx.readJson(kJson);
        if (json_.contains("quant_spec")) {
            ctx.spec = quant::QuantSpec::fromJson(json_["quant_spec"]);
            ctx.recordSpecInManifest();
        }
        ctx.quantized = std::make_unique<quant::QuantizedModel>(ctx.model, ctx.spec);
        restoreQuantizedState(*ctx.quantized, ctx.readFile(kState));
    }

    json report() const override { return {{"calibration", json_}}; }

private:
    // ZeroQ mixed precision: Ω of every layer at 2, 4, 8 bits on (up to) 256 calibration images, then
    // the allocation of least total Ω with Σ|W|·bits <= mp_avg_bits · Σ|W|. Changes ctx.spec.
    static json chooseBits(StageContext& ctx) {
        quant::TensorBatchSource src(ctx.images, ctx.config.calibBatch);
        const auto table = quant::measureSensitivity(ctx.model, ctx.spec, src, {2, 4, 8}, 256);
        int64_t total = 0;
        for (auto n : table.weightCounts)
            total += n;
        const auto budget = int64_t(std::floor(ctx.config.mpAvgBits * double(total)));
        const auto alloc = quant::allocateBits(table, budget);
        ctx.spec = quant::applyAllocation(ctx.spec, table, alloc);
        ctx.recordSpecInManifest();
        json rows = json::array();
        for (size_t i = 0; i < table.layers.size(); ++i)
            rows.push_back({{"layer", table.layers[i]}, {"weights", table.weightCounts[i]}, {"omega", table.omega[i]},
                            {"bits", alloc.bits[i]}});
        return {{"candidates", table.bits}, {"budget_bits", budget}, {"size_bits", alloc.sizeBits},
                {"total_omega", alloc.totalOmega}, {"layers", rows}};
    }

    json json_;
};

} // namespace

std::unique_ptr<Stage> makeCalibrateStage() { return std::make_unique<CalibrateStage>(); }

} // namespace dfq::pipeline
