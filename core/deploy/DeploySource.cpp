#include "deploy/DeploySource.h"

#include "deploy/DeployError.h"
#include "quant/QuantExport.h"
#include "runtime/Resources.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace dfq::deploy {

std::string findQuantizedExport(const std::string& runOrDir) {
    const fs::path p(runOrDir);
    if (!fs::is_directory(p))
        throw DeployError("'" + runOrDir + "' is not a folder (a quantized export or a run directory was expected)");
    if (quant::isQuantizedExport(p.string()))
        return p.string();
    if (quant::isQuantizedExport((p / "export").string()))
        return (p / "export").string();
    if (fs::exists(p / "manifest.json") || fs::exists(p / "config.json"))
        throw DeployError("the run '" + runOrDir + "' has no quantized export (export/quant.json): it has not reached "
                          "its export stage, or it was configured with export off; resume it, or quantize with "
                          "`dfq quantize ... --out DIR`");
    throw DeployError("'" + runOrDir + "' is neither a quantized export (quant.json) nor a run directory");
}

DeploySource openDeploySource(const std::string& model, const std::string& arch, const std::string& quantized) {
    DeploySource s;
    s.modelPath = model.empty() ? runtime::defaultModelPath() : model;
    if (s.modelPath.empty())
        throw DeployError("no --model given and the embedded default model was not found");
    s.loaded = models::loadModel(s.modelPath, arch);
    s.loaded.model->eval();
    if (!quantized.empty()) {
        s.exportDir = findQuantizedExport(quantized);
        s.quantized = quant::loadQuantizedExport(s.loaded.model, s.exportDir);
    }
    return s;
}

} // namespace dfq::deploy
