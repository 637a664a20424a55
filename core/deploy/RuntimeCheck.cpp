#include "deploy/RuntimeCheck.h"

#include "data/Dataset.h"
#include "deploy/DeployError.h"
#include "deploy/DeploySource.h"
#include "runtime/Resources.h"

#include <torch/torch.h>

#include <filesystem>
#include <numeric>

namespace fs = std::filesystem;

namespace dfq::deploy {

RuntimeCheck checkInOnnxRuntime(const RuntimeCheckOptions& a) {
    const auto summary = readOnnxSummary(a.file);
    const bool qdq = summary.metadataValue("dfq.precision") == "qdq";
    auto fromMeta = [&](const std::string& given, const std::string& key) {
        if (!given.empty())
            return given;
        const std::string m = summary.metadataValue(key);
        return fs::exists(m) ? m : std::string();
    };
    const std::string modelPath = fromMeta(a.model, "dfq.source_model");
    const std::string quantPath = qdq ? fromMeta(a.quantized, "dfq.source_quantized") : std::string();
    if (summary.metadataValue("dfq.format").empty() && a.model.empty())
        throw DeployError("'" + a.file + "' was not written by DFQ Studio: give --model (and --quantized) to "
                          "compare it with a simulated model");
    if (modelPath.empty())
        throw DeployError("the model '" + a.file + "' was exported from (" +
                          summary.metadataValue("dfq.source_model", "unknown") + ") is not there: give --model");
    if (qdq && quantPath.empty())
        throw DeployError("the quantized export '" + a.file + "' was made from (" +
                          summary.metadataValue("dfq.source_quantized", "unknown") + ") is not there: give --quantized");
    auto src = openDeploySource(modelPath, a.arch, quantPath);
    auto& model = *src.loaded.model;
    const auto& info = model.info();
    if (!summary.metadataValue("dfq.arch").empty() && summary.metadataValue("dfq.arch") != info.arch)
        throw DeployError("'" + a.file + "' is a " + summary.metadataValue("dfq.arch") + ", but " + modelPath + " is a " +
                          info.arch);

    data::DatasetOptions dopt;
    dopt.geometry = {info.inChannels, info.inHeight, info.inWidth};
    dopt.normalization = data::normalizationPreset(info.normalization.empty() ? "none" : info.normalization);
    dopt.limit = a.limit;
    dopt.decodeThreads = a.threads;
    RuntimeCheck out;
    out.data = a.data.empty() ? runtime::defaultDataPath() : a.data;
    auto dataset = data::openDataset(out.data, dopt);
    const int64_t n = dataset->size();
    if (n == 0)
        throw DeployError("the dataset '" + out.data + "' holds no images");

    // The images once, then the simulated logits (the quantized model is frozen, eval mode).
    std::vector<torch::Tensor> xs, ys, sims;
    torch::NoGradGuard ng;
    for (int64_t i = 0; i < n; i += 500) {
        std::vector<int64_t> idx(size_t(std::min<int64_t>(500, n - i)));
        std::iota(idx.begin(), idx.end(), i);
        auto b = dataset->get(idx);
        sims.push_back(src.quantized ? src.quantized->forward(b.images) : model.forward(b.images));
        xs.push_back(b.images);
        ys.push_back(b.labels);
    }
    OrtJob job;
    job.model = a.file;
    job.inputs = torch::cat(xs);
    job.batch = a.batch;
    job.threads = a.threads;
    job.optimization = a.optimization;
    job.optimizedModel =
        !a.optimized.empty() ? a.optimized : (fs::path(a.file).replace_extension("").string() + ".ort-optimized.onnx");
    job.latencyRuns = a.latencyRuns;
    job.latencyBatch = a.latencyBatch;
    out.comparison = compareInOnnxRuntime(job, torch::cat(ys), torch::cat(sims));
    out.model = modelPath;
    out.exportDir = src.exportDir;
    out.label = src.quantized ? src.quantized->spec().label() : "FP32";
    return out;
}

} // namespace dfq::deploy
