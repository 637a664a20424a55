#pragma once
// `dfq verify-onnx` as a function (the CLI and the GUI's Runs tab call it): an exported ONNX file run
// in ONNX Runtime on a dataset and compared with the simulated model it was exported from.
#include "deploy/RuntimeComparison.h"

#include <string>

namespace dfq::deploy {

struct RuntimeCheckOptions {
    std::string file;                 ///< the .onnx file
    std::string data;                 ///< dataset ("" = the embedded default's, Debian's Fashion-MNIST)
    std::string model;                ///< FP32 checkpoint ("" = the one in the file's metadata)
    std::string arch = "auto";
    std::string quantized;            ///< export or run ("" = the one in the file's metadata, QDQ files)
    int64_t limit = -1;               ///< first N images (-1 = all)
    int64_t batch = 100;
    int threads = 1;                  ///< for both runtimes
    std::string optimization = "all";
    std::string optimized;            ///< "" = FILE.ort-optimized.onnx
    int latencyRuns = 0;
    int64_t latencyBatch = 1;
};

struct RuntimeCheck {
    RuntimeComparison comparison;
    std::string data, model, exportDir, label;   ///< what was compared ("FP32" or the spec's label)
};

/// Throws DeployError (file, model or export not found or not matching), DataError, ModelError.
RuntimeCheck checkInOnnxRuntime(const RuntimeCheckOptions& options);

} // namespace dfq::deploy
