#pragma once
// Runs an ONNX file in ONNX Runtime, a real integer runtime, through its Node.js binding (npm
// onnxruntime-node, installed by scripts/setup-onnxruntime.sh): a child process `node run-model.cjs`
// (resources/ort/) reads the images from a raw float32 file and writes the outputs back. With graph
// optimisation on, ONNX Runtime folds QuantizeLinear/DequantizeLinear pairs into integer kernels
// (QLinearConv, ...), and saves the graph it actually runs (optimizedModel).
#include <torch/types.h>

#include <string>
#include <vector>

namespace dfq::deploy {

/// The command that installs the runtime (named in every "not installed" error).
constexpr const char* kOnnxRuntimeInstallCommand = "bash scripts/setup-onnxruntime.sh";

struct OrtJob {
    std::string model;                   ///< the .onnx file
    torch::Tensor inputs;                ///< [N,C,H,W] float32, normalised
    int64_t batch = 100;                 ///< images per session.run
    std::string optimizedModel;          ///< where ONNX Runtime writes its optimised graph ("" = not written)
    std::string optimization = "all";    ///< graph optimisation level: all, extended, basic, disabled
    int threads = 0;                     ///< intra-op threads (0 = ONNX Runtime's default: all cores)
    int latencyRuns = 0;                 ///< > 0: timed runs of latencyBatch images after the outputs
    int64_t latencyBatch = 1;
    int latencyWarmup = 10;
};

struct OrtResult {
    torch::Tensor outputs;               ///< [N, classes] float32
    std::string version;                 ///< ONNX Runtime's version
    double runSeconds = 0;               ///< time inside session.run over all batches
    std::vector<double> latencyMs;       ///< one per timed run
};

/// The runner script, or "" when it is not found (runtime::resourcePath("ort/run-model.cjs")).
std::string onnxRuntimeScript();

/// Throws DeployError: Node.js or onnxruntime-node missing (naming kOnnxRuntimeInstallCommand), ONNX
/// Runtime rejecting the model or failing (its message), outputs of an unexpected size.
OrtResult runInOnnxRuntime(const OrtJob& job);

} // namespace dfq::deploy
