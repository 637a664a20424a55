// "export": the quantized model as quant.json + weights.bin + fakequant.pt (+ the TorchScript archive
// when Frozen) into the context's exportDir (quant/QuantExport.h). The files are its checkpoint: a
// completed export is not written again on resume.
#include "pipeline/PipelineStage.h"
#include "pipeline/StagePlan.h"

#include "quant/QuantExport.h"

namespace dfq::pipeline {
namespace {

class ExportStage : public Stage {
public:
    std::string name() const override { return stage::Export; }
    void run(StageContext& ctx) override { quant::exportQuantized(*ctx.quantized, ctx.exportDir); }
    void restore(StageContext&) override {}
};

} // namespace

std::unique_ptr<Stage> makeExportStage() { return std::make_unique<ExportStage>(); }

} // namespace dfq::pipeline
