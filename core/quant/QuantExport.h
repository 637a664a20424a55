#pragma once
// Export of a quantized model (after calibration / AdaRound / BRECQ):
//
//   DIR/quant.json      documented below
//   DIR/weights.bin     the integer weight codes of every quantized layer, one byte per weight,
//                       layers concatenated in forward order; each layer's bytes are the row-major
//                       codes of its weight [out, in/g, kh, kw] or [out, in]. dtype per layer:
//                       "uint8" for the asymmetric / symmetric-unsigned schemes (codes 0..2^k−1),
//                       "int8" for symmetric-signed (codes −(2^(k−1)−1)..2^(k−1)−1).
//   DIR/fakequant.pt    torch.save-compatible state dict of the whole model in FP32 with every
//                       quantized weight replaced by its dequantized value (what the fake-quant model
//                       computes with); BN folded into convs when the spec folds BN.
//
// quant.json: {"format": "dfq-quant-export-1", "arch", "label", "spec": QuantSpec::toJson,
//   "codes_file": "weights.bin", "codes_bytes": total,
//   "layers": [{"name", "shape": [...], "bits", "scheme", "dtype", "offset", "length", "qmin", "qmax",
//               "scales": [C], "zero_points": [C], "rounding": "nearest" | "adaround"}],
//   "activations": [...], "inputs": [...]  (TensorQuantizer::toJson: represented min/max per site)}
// Dequantization: w = (q − zero_point[c])·scale[c] per output channel c (float32 arithmetic) —
// identical, bit for bit, to the fake-quantized weight the model computes with.
//
//   DIR/fakequant.torchscript.pt  the fake-quant model as a TorchScript archive (TorchScriptExport.h),
//                       written when the model is frozen; quant.json names it as "torchscript_file".
//   DIR/model.onnx      written by the pipeline's export stage (runs, `dfq quantize --out`) when the
//                       model is frozen: the ONNX QDQ graph (deploy/OnnxExporter.h), for `dfq verify-onnx`.
//
// DIR is written as a unit (runtime/AtomicDirectory.h): every file goes into DIR.tmp and is fsynced,
// then the folder is renamed into place (replacing an earlier export), so DIR is the old export or the
// new one, never a mix; on error nothing is left behind. An existing DIR that is neither empty nor an
// export (no quant.json of this format) is refused, never deleted.
#include "quant/QuantizedModel.h"

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace dfq::quant {

/// Writes the files above as the folder dir (its parent created if needed). extra, when given, adds
/// files to the staging folder before it is committed (the pipeline's export stage writes model.onnx,
/// deploy/OnnxExporter.h, there), so they are part of the same unit. Throws QuantError (a folder that
/// is not an export, cannot write, extra failed: the message names the path).
nlohmann::json exportQuantized(QuantizedModel& qm, const std::string& dir,
                               const std::function<void(const std::string& stagingDir)>& extra = {});

/// True when dir holds a quant.json of this export format (what exportQuantized may replace, and
/// what loadQuantizedExport and `dfq export --quantized` accept).
bool isQuantizedExport(const std::string& dir);

/// Reads quant.json + weights.bin back: layer name -> dequantized weight (float32, original shape).
std::map<std::string, torch::Tensor> readExportedWeights(const std::string& dir);

/// Rebuilds the quantized model an export describes, on a model of the same architecture (loaded
/// from its FP32 checkpoint): the spec from quant.json (BN folded when it says so), every weight,
/// bias and BN tensor from fakequant.pt (what QAT or a generator method trained), each frozen grid
/// from quant.json, checked against the codes in weights.bin. The result is Frozen and computes what
/// the exported model computed. Throws QuantError naming the folder: not an export, another
/// architecture, missing or inconsistent files.
std::unique_ptr<QuantizedModel> loadQuantizedExport(models::ZooModel model, const std::string& dir);

} // namespace dfq::quant
