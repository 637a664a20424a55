#pragma once
// ONNX export of a zoo model, float or quantized (QDQ), for integer runtimes (ONNX Runtime,
// TensorRT, OpenVINO, NPU toolchains):
//
//   models::ZooModel model = ...;                  // eval mode
//   quant::QuantizedModel qm(model, spec);  qm.calibrate(src);   // hooks frozen on the model
//   deploy::exportOnnx(*model, "model.onnx", {.spec = &qm.spec()});
//
// The graph follows the model's own description of its forward pass (ZooModelImpl::describe), opset
// 13, input "input" [N,C,H,W] (N symbolic), output "logits" [N,classes]. Quantized export:
//   weights   integer initializers (uint8 for the asymmetric / symmetric-unsigned grids, int8 for
//             symmetric-signed) -> DequantizeLinear, per output channel (axis 0) or per tensor; the
//             codes are exactly those the fake-quant model uses (AdaRound/BRECQ roundings included);
//   inputs and activations   QuantizeLinear -> DequantizeLinear at the sites the spec quantizes
//             (after ReLU/ReLU6 for gdfq/f8l8, before each Conv/Gemm for all-inputs). A grid
//             narrower than its 8-bit type (k < 8 bits, or the restricted signed range) becomes
//             Q -> DQ -> Clip[(qmin-z)s, (qmax-z)s] -> Q -> DQ: the same values as the simulation,
//             while every conv input still comes out of a DequantizeLinear;
//   biases    int32 with scale s_in * s_w (what QLinearConv consumes) where the layer's input and
//             weight are both quantized, float otherwise; the rounding error is reported;
//   BN        kept as BatchNormalization where the spec keeps it (a float op between the conv and
//             its quantizer: integer runtimes then cannot fuse that conv), absent where folded.
// Metadata ("dfq.*" keys): format, version, arch, input shape, normalisation, class names, the spec's
// label, placement, true bits per site and the whole spec as JSON.
// Before anything is written, ONNX's checker and strict shape inference run on the model; the file
// is written to PATH.tmp and renamed into place, so PATH is a checked model or is not touched.
#include "models/ZooModel.h"
#include "quant/QuantSpec.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace dfq::deploy {

struct OnnxExportOptions {
    /// false: the float graph, whatever quantizers the model carries.
    bool quantized = true;
    /// int32 biases where input and weight are quantized (integer runtimes fuse only then).
    bool quantizeBias = true;
    /// The spec the model was quantized with, for the metadata (recommended for quantized exports).
    const quant::QuantSpec* spec = nullptr;
    /// Extra metadata_props (key -> value), e.g. where the model came from.
    std::map<std::string, std::string> metadata;
};

/// What the exporter wrote.
struct OnnxExportReport {
    std::string path;
    int64_t bytes = 0;
    bool quantized = false;
    int64_t nodes = 0;
    std::map<std::string, int64_t> ops;   ///< op type -> count
    int64_t quantizedWeights = 0;         ///< layers whose weight is an integer initializer
    int64_t floatWeights = 0;
    int64_t activationQdq = 0;            ///< Q/DQ pairs on ReLU outputs
    int64_t inputQdq = 0;                 ///< Q/DQ pairs on layer inputs (all-inputs)
    int64_t narrowGrids = 0;              ///< sites written with the clipped chain (k < 8 or restricted)
    int64_t int32Biases = 0, floatBiases = 0;
    double maxBiasError = 0;              ///< max |b - dequantized int32 bias| over all channels
    int64_t weightBytes = 0;              ///< bytes of weight initializers (codes or float)
    nlohmann::json toJson() const;
};

/// Builds, checks and serialises the model (bytes of a ModelProto). Throws DeployError: a model
/// without describe(), a layer whose quantizer is not frozen or cannot be expressed (named), a
/// quantized export of a model without quantizers, a model the ONNX checker rejects (its message).
std::string buildOnnx(models::ZooModelImpl& model, const OnnxExportOptions& options = {},
                      OnnxExportReport* report = nullptr);

/// buildOnnx, then the file written atomically (parent folders created). Throws DeployError as
/// buildOnnx, or naming the path when it cannot be written.
OnnxExportReport exportOnnx(models::ZooModelImpl& model, const std::string& path,
                            const OnnxExportOptions& options = {});

} // namespace dfq::deploy
