// "export": the quantized model as quant.json + weights.bin + fakequant.pt (+ the TorchScript archive
// and the ONNX QDQ graph model.onnx when Frozen) into the context's exportDir (quant/QuantExport.h,
// deploy/OnnxExporter.h), one folder written as a unit. The files are its checkpoint: a completed
// export is not written again on resume.
#include "pipeline/PipelineStage.h"
#include "pipeline/StagePlan.h"

#include "deploy/OnnxExporter.h"
#include "quant/QuantExport.h"

#include <filesystem>

namespace dfq::pipeline {
namespace {

class ExportStage : public Stage {
public:
    std::string name() const override { return stage::Export; }
    void run(StageContext& ctx) override {
        quant::QuantizedModel& qm = *ctx.quantized;
        quant::exportQuantized(qm, ctx.exportDir, [&](const std::string& staging) {
            if (qm.mode() != quant::QuantMode::Frozen)
                return;
            namespace fs = std::filesystem;
            deploy::OnnxExportOptions o;
            o.spec = &qm.spec();
            if (!ctx.config.modelPath.empty())
                o.metadata["dfq.source_model"] = fs::absolute(ctx.config.modelPath).string();
            o.metadata["dfq.source_quantized"] = fs::absolute(ctx.exportDir).string();
            deploy::exportOnnx(*qm.model(), staging + "/model.onnx", o);
        });
    }
    void restore(StageContext&) override {}
};

} // namespace

std::unique_ptr<Stage> makeExportStage() { return std::make_unique<ExportStage>(); }

} // namespace dfq::pipeline
