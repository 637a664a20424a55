#pragma once
// What an export or a runtime check starts from: the FP32 model (a checkpoint) and, for a quantized
// model, the quantized export a run or `dfq quantize --out` wrote (quant/QuantExport.h).
#include "models/ModelLoader.h"
#include "quant/QuantizedModel.h"

#include <memory>
#include <string>

namespace dfq::deploy {

struct DeploySource {
    std::string modelPath;
    models::LoadedModel loaded;                       ///< eval mode
    std::string exportDir;                            ///< "" for FP32
    std::unique_ptr<quant::QuantizedModel> quantized; ///< null for FP32; hooks on loaded.model
};

/// A quantized export folder from a path that is one (quant.json of ours), or a run directory whose
/// export/ is one. Throws DeployError saying which it is not.
std::string findQuantizedExport(const std::string& runOrDir);

/// model: a checkpoint ("" = the embedded default); quantized: "" (FP32), an export folder or a run
/// directory. Throws DeployError / ModelError / QuantError naming the file.
DeploySource openDeploySource(const std::string& model, const std::string& arch, const std::string& quantized);

} // namespace dfq::deploy
