#include "deploy/OnnxExporter.h"

#include "deploy/DeployError.h"
#include "deploy/OnnxQdqGraph.h"
#include "data/Normalization.h"
#include "models/ModelError.h"
#include "quant/QuantHooks.h"
#include "runtime/AtomicFile.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace dfq::deploy {

namespace {

constexpr int kOpset = 13;         // per-channel DequantizeLinear (axis) needs 13
constexpr int kIrVersion = 7;      // the IR of opset 13

bool carriesQuantizers(models::ZooModelImpl& model) {
    for (auto& l : model.quantLayers())
        if (dynamic_cast<quant::WeightQuantHook*>(l.hook().get()))
            return true;
    for (auto& a : model.activations())
        if (dynamic_cast<quant::ActivationQuantHook*>(a.act->hook.get()))
            return true;
    return false;
}

void addMetadata(onnx::ModelProto& m, const std::string& key, const std::string& value) {
    auto* p = m.add_metadata_props();
    p->set_key(key);
    p->set_value(value);
}

} // namespace

nlohmann::json OnnxExportReport::toJson() const {
    return {{"path", path},
            {"bytes", bytes},
            {"quantized", quantized},
            {"nodes", nodes},
            {"ops", ops},
            {"quantized_weights", quantizedWeights},
            {"float_weights", floatWeights},
            {"activation_qdq", activationQdq},
            {"input_qdq", inputQdq},
            {"narrow_grids", narrowGrids},
            {"int32_biases", int32Biases},
            {"float_biases", floatBiases},
            {"max_bias_error", maxBiasError},
            {"weight_bytes", weightBytes}};
}

std::string buildOnnx(models::ZooModelImpl& model, const OnnxExportOptions& options, OnnxExportReport* reportOut) {
    OnnxExportReport report;
    report.quantized = options.quantized;
    if (options.quantized && !carriesQuantizers(model))
        throw DeployError("a quantized ONNX export needs a quantized model, and '" + model.info().arch +
                          "' carries no quantizers: quantize it first, or export it as FP32");

    onnx::ModelProto m;
    m.set_ir_version(kIrVersion);
    m.set_producer_name("DFQ Studio");
    m.set_producer_version(DFQ_VERSION);
    m.set_model_version(1);
    auto* opset = m.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    auto* graph = m.mutable_graph();
    graph->set_name(model.info().arch + (options.quantized ? "_qdq" : "_fp32"));

    std::map<std::string, int> bits;
    {
        torch::NoGradGuard ng;
        OnnxQdqGraph g(*graph, model, options, report);
        try {
            model.describe(g);
        } catch (const models::ModelError& e) {
            throw DeployError(e.what());
        }
        bits = g.siteBits();
    }

    const auto& info = model.info();
    addMetadata(m, "dfq.format", "dfq-onnx-1");
    addMetadata(m, "dfq.version", DFQ_VERSION);
    addMetadata(m, "dfq.arch", info.arch);
    addMetadata(m, "dfq.precision", options.quantized ? "qdq" : "fp32");
    addMetadata(m, "dfq.input_shape", nlohmann::json({info.inChannels, info.inHeight, info.inWidth}).dump());
    addMetadata(m, "dfq.classes", std::to_string(info.numClasses));
    if (!info.classNames.empty())
        addMetadata(m, "dfq.class_names", nlohmann::json(info.classNames).dump());
    if (!info.normalization.empty()) {
        addMetadata(m, "dfq.normalization", info.normalization);
        try {
            const auto n = data::normalizationPreset(info.normalization);
            addMetadata(m, "dfq.normalization_mean", nlohmann::json(n.mean).dump());
            addMetadata(m, "dfq.normalization_std", nlohmann::json(n.stdev).dump());
        } catch (const std::exception&) {
        }
    }
    if (options.quantized) {
        addMetadata(m, "dfq.bits", nlohmann::json(bits).dump());   // the true bit width of every site
        if (options.spec) {
            addMetadata(m, "dfq.label", options.spec->label());
            addMetadata(m, "dfq.placement", quant::placementName(options.spec->placement));
            addMetadata(m, "dfq.bn_folded", options.spec->foldBn ? "true" : "false");
            addMetadata(m, "dfq.spec", options.spec->toJson().dump());
        }
    }
    for (const auto& [k, v] : options.metadata)
        addMetadata(m, k, v);

    try {
        onnx::checker::check_model(m);
    } catch (const std::exception& e) {
        throw DeployError(std::string("ONNX's checker rejects the exported graph: ") + e.what());
    }
    try {
        // Strict: a node whose shapes do not agree is an error, not a silently untyped value.
        onnx::shape_inference::InferShapes(m, onnx::OpSchemaRegistry::Instance(),
                                           onnx::ShapeInferenceOptions(/*check_type=*/true, /*error_mode=*/1));
    } catch (const std::exception& e) {
        throw DeployError(std::string("ONNX shape inference rejects the exported graph: ") + e.what());
    }

    for (const auto& n : graph->node())
        ++report.ops[n.op_type()];
    report.nodes = graph->node_size();
    std::string bytes;
    if (!m.SerializeToString(&bytes))
        throw DeployError("the ONNX model could not be serialised (over 2 GiB?)");
    report.bytes = int64_t(bytes.size());
    if (reportOut)
        *reportOut = report;
    return bytes;
}

OnnxExportReport exportOnnx(models::ZooModelImpl& model, const std::string& path, const OnnxExportOptions& options) {
    OnnxExportReport report;
    const std::string bytes = buildOnnx(model, options, &report);
    try {
        const fs::path parent = fs::path(path).parent_path();
        if (!parent.empty())
            fs::create_directories(parent);
        runtime::writeFileAtomically(path, bytes);
    } catch (const std::exception& e) {
        throw DeployError("cannot write the ONNX file '" + path + "': " + e.what());
    }
    report.path = path;
    return report;
}

} // namespace dfq::deploy
