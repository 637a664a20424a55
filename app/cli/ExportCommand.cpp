// dfq export: the model (FP32, or quantized from an export folder or a run) as an ONNX file.
#include "Commands.h"

#include "deploy/DeploySource.h"
#include "deploy/OnnxExporter.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace dfq::cli {
namespace {

struct ExportArgs {
    std::string model, arch = "auto", quantized, format = "onnx", out;
    bool floatBias = false, json = false;
};

int runExport(const ExportArgs& a) {
    if (a.format != "onnx")
        throw std::runtime_error("--format " + a.format + " is not supported (onnx is)");
    auto src = deploy::openDeploySource(a.model, a.arch, a.quantized);
    deploy::OnnxExportOptions o;
    o.quantized = src.quantized != nullptr;
    o.quantizeBias = !a.floatBias;
    if (src.quantized)
        o.spec = &src.quantized->spec();
    namespace fs = std::filesystem;
    o.metadata["dfq.source_model"] = fs::absolute(src.modelPath).string();
    if (!src.exportDir.empty())
        o.metadata["dfq.source_quantized"] = fs::absolute(src.exportDir).string();
    const auto r = deploy::exportOnnx(*src.loaded.model, a.out, o);

    std::vector<std::string> notes;
    if (o.spec && !o.spec->foldBn)
        notes.push_back("BatchNorm is kept (the spec does not fold it): a float BatchNormalization sits between each "
                        "conv and its activation quantizer, so integer runtimes run those convs in float. Quantize "
                        "with BN folded (--fold-bn) for integer convolutions.");
    if (r.narrowGrids > 0)
        notes.push_back(std::to_string(r.narrowGrids) + " quantizers use fewer than 8 bits: stored in int8/uint8 "
                        "with their grid's range enforced by a Clip (true bits in the metadata, dfq.bits)");
    if (a.json) {
        nlohmann::json j = r.toJson();
        j["model"] = src.modelPath;
        j["quantized_from"] = src.exportDir;
        j["label"] = o.spec ? o.spec->label() : "FP32";
        j["notes"] = notes;
        std::cout << j.dump() << std::endl;
        return 0;
    }
    std::printf("model        %s (%s)\n", src.modelPath.c_str(), src.loaded.model->info().arch.c_str());
    if (o.spec)
        std::printf("quantized    %s from %s\n", o.spec->label().c_str(), src.exportDir.c_str());
    else
        std::printf("precision    FP32\n");
    std::printf("onnx         %s (%.1f KiB, opset 13, %lld nodes; checked by ONNX's checker and shape inference)\n",
                r.path.c_str(), double(r.bytes) / 1024.0, (long long)r.nodes);
    std::string ops;
    for (const auto& [op, n] : r.ops)
        ops += (ops.empty() ? "" : ", ") + op + " " + std::to_string(n);
    std::printf("operators    %s\n", ops.c_str());
    if (r.quantized) {
        std::printf("weights      %lld integer (DequantizeLinear), %lld float\n", (long long)r.quantizedWeights,
                    (long long)r.floatWeights);
        std::printf("quantizers   %lld activation + %lld input Q/DQ pairs\n", (long long)r.activationQdq,
                    (long long)r.inputQdq);
        std::printf("biases       %lld int32 (max rounding error %.3g), %lld float\n", (long long)r.int32Biases,
                    r.maxBiasError, (long long)r.floatBiases);
    }
    for (const auto& n : notes)
        std::printf("note         %s\n", n.c_str());
    return 0;
}

} // namespace

void addExportCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto args = std::make_shared<ExportArgs>();
    CLI::App* cmd = app.add_subcommand("export", "write the model as ONNX: FP32, or QDQ from a quantized export or run");
    cmd->add_option("--model", args->model, "FP32 checkpoint the quantized model was made from; default: the embedded reference");
    cmd->add_option("--arch", args->arch, "architecture name or 'auto'");
    cmd->add_option("--quantized", args->quantized,
                    "a quantized export (dfq quantize --out DIR) or a run directory (its export/); omit for FP32");
    cmd->add_option("--format", args->format, "onnx (QuantizeLinear/DequantizeLinear, opset 13)");
    cmd->add_option("--out", args->out, "the .onnx file (written atomically, after ONNX's checker passed)")->required();
    cmd->add_flag("--float-bias", args->floatBias, "keep biases in float (default: int32 where input and weight are quantized)");
    cmd->add_flag("--json", args->json, "print one JSON object on stdout");
    cmd->callback([&body, args] { body = [args] { return runExport(*args); }; });
}

} // namespace dfq::cli
