// "fine-tune": QAT with knowledge distillation from the FP32 clone (quant/QatDistiller.h), qat.epochs
// epochs over the calibration set in batches of qat.batch. Every epoch is shuffled by its own
// generator (stage seed + epoch + 1), so an epoch resumed from a checkpoint sees the same order as
// the uninterrupted run. After every epoch: checkpoints/qat-epoch-NNN.pt (the student) + .optim (the
// SGD state, momentum buffers included) + qat.json ({"epoch", "steps"}); an interrupted fine-tune
// continues after the last of them. Completed: quantized-finetuned.pt + fine-tune.json.
#include "pipeline/PipelineStage.h"
#include "pipeline/QuantizedState.h"
#include "pipeline/StagePlan.h"

#include "quant/QatDistiller.h"

#include <sstream>

namespace dfq::pipeline {
namespace {
using nlohmann::json;

const std::string kState = "checkpoints/quantized-finetuned.pt", kJson = "checkpoints/fine-tune.json",
                  kProgress = "checkpoints/qat.json";

std::string epochBase(int64_t epoch) { return epochCheckpointBase("qat", epoch); }

class FineTuneStage : public Stage {
public:
    std::string name() const override { return stage::FineTune; }

    void run(StageContext& ctx) override {
        const auto& c = ctx.config;
        auto& qm = *ctx.quantized;
        const torch::Tensor images = ctx.images, labels = ctx.labels;
        const uint64_t seed = ctx.seed(name());
        const int64_t n = images.size(0), perEpoch = (n + c.qatBatch - 1) / c.qatBatch;
        auto epochOrder = [&](int64_t e) {
            auto gen = at::detail::createCPUGenerator(seed + uint64_t(e) + 1);
            return torch::randperm(n, gen, torch::kLong);
        };
        int64_t startEpoch = 0;
        std::string optimBytes;
        if (ctx.exists(kProgress)) { // an interrupted fine-tune: continue from its last epoch
            startEpoch = ctx.readJson(kProgress).at("epoch").get<int64_t>();
            restoreQuantizedState(qm, ctx.readFile(epochBase(startEpoch) + ".pt"));
            optimBytes = ctx.readFile(epochBase(startEpoch) + ".optim");
            ctx.message("fine-tune resumes after epoch " + std::to_string(startEpoch));
        }
        int64_t epoch = startEpoch, pos = 0;
        torch::Tensor order = epochOrder(epoch);
        quant::QatOptions qo;
        qo.steps = perEpoch * c.qatEpochs;
        qo.lr = c.qatLr;
        qo.firstStep = startEpoch * perEpoch;
        qo.cancel = ctx.cancel;
        qo.rewind = [&] {
            ++epoch;
            order = epochOrder(epoch);
            pos = 0;
        };
        auto next = [&]() -> std::optional<data::Batch> {
            if (pos >= n)
                return std::nullopt;
            const auto idx = order.narrow(0, pos, std::min(c.qatBatch, n - pos));
            pos += idx.size(0);
            return data::Batch{images.index_select(0, idx), labels.defined() ? labels.index_select(0, idx) : torch::Tensor()};
        };
        StageClock clock;
        const int64_t first = qo.firstStep;
        qo.progress = [&](int64_t step, int64_t steps, double loss) {
            ctx.metric({{"stage", stage::FineTune}, {"step", step + 1}, {"epoch", step / perEpoch + 1}, {"loss", finiteOrNull(loss)}});
            ctx.progress(stage::FineTune, step + 1, steps, clock.eta(step + 1 - first, steps - first));
        };
        qo.prepareOptimizer = [&](torch::optim::Optimizer& opt) {
            if (optimBytes.empty())
                return;
            torch::serialize::InputArchive a;
            std::istringstream is(optimBytes);
            a.load_from(is);
            opt.load(a);
        };
        qo.afterStep = [&](int64_t step, torch::optim::Optimizer& opt) {
            if ((step + 1) % perEpoch != 0 || !ctx.persistent())
                return;
            const int64_t done = (step + 1) / perEpoch;
            torch::serialize::OutputArchive a;
            opt.save(a);
            std::ostringstream os;
            a.save_to(os);
            ctx.saveFile(epochBase(done) + ".pt", saveQuantizedState(qm));
            ctx.saveFile(epochBase(done) + ".optim", os.str());
            ctx.saveJson(kProgress, {{"epoch", done}, {"steps", step + 1}});
        };
        torch::manual_seed(seed);
        const auto r = quant::runQatDistillation(qm, ctx.fp32, next, qo);
        json_ = {{"epochs", c.qatEpochs}, {"steps", r.steps}, {"lr", c.qatLr}, {"batch", c.qatBatch},
                 {"final_loss", finiteOrNull(r.lastLoss)}, {"resumed_at_epoch", startEpoch},
                 {"labels", labels.defined() ? "synthetic set labels" : "teacher argmax"}};
        ctx.saveFile(kState, saveQuantizedState(qm));
        ctx.saveJson(kJson, json_);
    }

    void restore(StageContext& ctx) override {
        restoreQuantizedState(*ctx.quantized, ctx.readFile(kState));
        json_ = ctx.readJson(kJson);
    }

    json report() const override { return {{"fine_tune", json_}}; }

private:
    json json_;
};

} // namespace

std::unique_ptr<Stage> makeFineTuneStage() { return std::make_unique<FineTuneStage>(); }

} // namespace dfq::pipeline
