#include "deploy/RuntimeComparison.h"

#include "deploy/DeployError.h"

#include <algorithm>
#include <filesystem>

namespace dfq::deploy {

double RuntimeComparison::latencyMedianMs() const {
    if (latencyMs.empty())
        return 0;
    std::vector<double> v = latencyMs;
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
}

nlohmann::json RuntimeComparison::toJson() const {
    auto summary = [](const OnnxModelSummary& s) {
        return nlohmann::json{{"path", s.path}, {"bytes", s.bytes}, {"nodes", s.nodes}, {"ops", s.ops},
                              {"integer_ops", s.integerOps()}, {"integer_convs", s.integerConvs()},
                              {"float_convs", s.floatConvs()}};
    };
    nlohmann::json j = {{"onnx", onnxPath},
                        {"images", images},
                        {"runtime", "ONNX Runtime " + runtimeVersion + " (CPU execution provider)"},
                        {"runtime_top1", runtimeTop1},
                        {"simulated_top1", simulatedTop1},
                        {"top1_difference", runtimeTop1 - simulatedTop1},
                        {"prediction_agreement", agreement},
                        {"max_logit_difference", maxLogitDiff},
                        {"mean_logit_difference", meanLogitDiff},
                        {"runtime_seconds", runtimeSeconds},
                        {"exported_graph", summary(exported)}};
    if (!optimized.path.empty())
        j["optimized_graph"] = summary(optimized);
    if (!latencyMs.empty()) {
        j["latency_ms_median"] = latencyMedianMs();
        j["latency_runs"] = latencyMs.size();
    }
    return j;
}

RuntimeComparison compareInOnnxRuntime(const OrtJob& job, const torch::Tensor& labels, const torch::Tensor& simulatedLogits) {
    const int64_t n = job.inputs.size(0);
    if (simulatedLogits.dim() != 2 || simulatedLogits.size(0) != n || labels.numel() != n)
        throw DeployError("runtime comparison: " + std::to_string(n) + " images, but " +
                          std::to_string(simulatedLogits.size(0)) + " simulated outputs and " +
                          std::to_string(labels.numel()) + " labels");
    RuntimeComparison c;
    c.onnxPath = job.model;
    c.images = n;
    c.exported = readOnnxSummary(job.model);
    const OrtResult r = runInOnnxRuntime(job);
    if (r.outputs.sizes() != simulatedLogits.sizes())
        throw DeployError("ONNX Runtime's outputs of '" + job.model + "' have another shape than the model's logits");
    c.runtimeVersion = r.version;
    c.runtimeSeconds = r.runSeconds;
    c.latencyMs = r.latencyMs;
    c.runtimeOutputs = r.outputs;
    const torch::Tensor sim = simulatedLogits.to(torch::kFloat);
    const torch::Tensor y = labels.to(torch::kLong).reshape({-1});
    const torch::Tensor pr = r.outputs.argmax(1), ps = sim.argmax(1);
    c.runtimeTop1 = 100.0 * pr.eq(y).sum().item<double>() / double(n);
    c.simulatedTop1 = 100.0 * ps.eq(y).sum().item<double>() / double(n);
    c.agreement = 100.0 * pr.eq(ps).sum().item<double>() / double(n);
    const torch::Tensor d = (r.outputs - sim).abs();
    c.maxLogitDiff = d.max().item<double>();
    c.meanLogitDiff = d.mean().item<double>();
    if (!job.optimizedModel.empty() && std::filesystem::exists(job.optimizedModel)) {
        c.optimizedPath = job.optimizedModel;
        c.optimized = readOnnxSummary(job.optimizedModel);
    }
    return c;
}

} // namespace dfq::deploy
