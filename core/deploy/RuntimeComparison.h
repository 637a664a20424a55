#pragma once
// The check of an exported file in a real runtime: the same images through ONNX Runtime and through
// DFQ Studio's own (simulated) model, compared on top-1, prediction agreement and logits, with the
// operators of the graph ONNX Runtime actually ran (its optimised model).
#include "deploy/OnnxModelSummary.h"
#include "deploy/OrtProcess.h"

#include <nlohmann/json.hpp>

namespace dfq::deploy {

struct RuntimeComparison {
    std::string onnxPath, optimizedPath;
    int64_t images = 0;
    double runtimeTop1 = 0, simulatedTop1 = 0;   ///< %, against the dataset's labels
    double agreement = 0;                        ///< % of images with the same predicted class
    double maxLogitDiff = 0, meanLogitDiff = 0;  ///< max / mean |ONNX Runtime - simulated| over all logits
    OnnxModelSummary exported, optimized;        ///< optimized: empty when ONNX Runtime saved none
    std::string runtimeVersion;
    double runtimeSeconds = 0;                   ///< inside session.run, all images
    std::vector<double> latencyMs;               ///< timed runs (OrtJob::latencyRuns)
    torch::Tensor runtimeOutputs;                ///< ONNX Runtime's logits [N, classes] (not in toJson)
    double latencyMedianMs() const;
    nlohmann::json toJson() const;
};

/// Runs job (job.model, its inputs [N,C,H,W]) in ONNX Runtime and compares with simulatedLogits
/// [N,classes] and labels [N]. Throws DeployError (runOnnxRuntime's errors; shapes that disagree).
RuntimeComparison compareInOnnxRuntime(const OrtJob& job, const torch::Tensor& labels, const torch::Tensor& simulatedLogits);

} // namespace dfq::deploy
