#pragma once
// What an ONNX file holds, read with libonnx: its operators (to tell which integer kernels an
// optimised graph contains), its input, and DFQ Studio's metadata.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dfq::deploy {

struct OnnxModelSummary {
    std::string path;
    int64_t bytes = 0;
    int64_t irVersion = 0;
    std::map<std::string, int64_t> opsets;          ///< domain ("" = ai.onnx) -> version
    std::map<std::string, int64_t> ops;             ///< "Conv", or "<domain>.<op>" outside ai.onnx -> count
    int64_t nodes = 0;
    std::string inputName, outputName;
    std::vector<int64_t> inputShape;                ///< -1 for a symbolic dimension
    std::map<std::string, std::string> metadata;    ///< metadata_props
    /// Initializer bytes by element type ("FLOAT", "UINT8", "INT8", "INT32", "INT64"): how much of the
    /// file is integer codes.
    std::map<std::string, int64_t> initializerBytes;
    std::string metadataValue(const std::string& key, const std::string& fallback = "") const;

    /// Count of integer-kernel operators (QLinearConv, ConvInteger, QLinearMatMul, MatMulInteger,
    /// QGemm, QLinearAdd, QLinearGlobalAveragePool, ... in any domain).
    int64_t integerOps() const;
    /// Integer convolutions (QLinearConv, ConvInteger, in any domain).
    int64_t integerConvs() const;
    /// Float convolutions (Conv in any domain, including ONNX Runtime's NCHWc layout ops).
    int64_t floatConvs() const;
};

/// The operator name without its domain ("com.microsoft.QGemm" -> "QGemm").
std::string opName(const std::string& key);
/// True for the operators that compute on integers (list above).
bool isIntegerOp(const std::string& op);

/// Throws DeployError naming the file: unreadable, not an ONNX model.
OnnxModelSummary readOnnxSummary(const std::string& path);

} // namespace dfq::deploy
