#include "deploy/OnnxModelSummary.h"

#include "deploy/DeployError.h"

#include <onnx/onnx_pb.h>

#include <fstream>
#include <set>
#include <sstream>

namespace dfq::deploy {

std::string opName(const std::string& key) {
    const auto dot = key.rfind('.');
    return dot == std::string::npos ? key : key.substr(dot + 1);
}

bool isIntegerOp(const std::string& op) {
    static const std::set<std::string> ops{"QLinearConv",   "ConvInteger",   "QLinearMatMul", "MatMulInteger",
                                           "QGemm",         "QLinearAdd",    "QLinearMul",    "QLinearGlobalAveragePool",
                                           "QLinearAveragePool", "QLinearConcat", "QLinearLeakyRelu", "QLinearSigmoid",
                                           "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "QAttention"};
    return ops.count(op) > 0;
}

std::string OnnxModelSummary::metadataValue(const std::string& key, const std::string& fallback) const {
    auto it = metadata.find(key);
    return it == metadata.end() ? fallback : it->second;
}

int64_t OnnxModelSummary::integerOps() const {
    int64_t n = 0;
    for (const auto& [k, c] : ops)
        if (isIntegerOp(opName(k)))
            n += c;
    return n;
}

int64_t OnnxModelSummary::integerConvs() const {
    int64_t n = 0;
    for (const auto& [k, c] : ops)
        if (opName(k) == "QLinearConv" || opName(k) == "ConvInteger")
            n += c;
    return n;
}

int64_t OnnxModelSummary::floatConvs() const {
    int64_t n = 0;
    for (const auto& [k, c] : ops)
        if (opName(k) == "Conv" || opName(k) == "FusedConv")
            n += c;
    return n;
}

OnnxModelSummary readOnnxSummary(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw DeployError("cannot open the ONNX file '" + path + "'");
    std::ostringstream ss;
    ss << f.rdbuf();
    const std::string bytes = ss.str();
    onnx::ModelProto m;
    if (bytes.empty() || !m.ParseFromString(bytes) || !m.has_graph())
        throw DeployError("'" + path + "' is not an ONNX model (it does not parse as a ModelProto with a graph)");
    OnnxModelSummary s;
    s.path = path;
    s.bytes = int64_t(bytes.size());
    s.irVersion = m.ir_version();
    for (const auto& o : m.opset_import())
        s.opsets[o.domain()] = o.version();
    for (const auto& p : m.metadata_props())
        s.metadata[p.key()] = p.value();
    const auto& g = m.graph();
    s.nodes = g.node_size();
    for (const auto& n : g.node()) {
        const std::string d = n.domain();
        ++s.ops[d.empty() || d == "ai.onnx" ? n.op_type() : d + "." + n.op_type()];
    }
    // The first input that is not an initializer (older exporters list initializers as inputs too).
    std::set<std::string> inits;
    for (const auto& i : g.initializer()) {
        inits.insert(i.name());
        int64_t count = 1;
        for (int64_t d : i.dims())
            count *= d;
        const auto type = onnx::TensorProto_DataType(i.data_type());
        const int64_t width = type == onnx::TensorProto::UINT8 || type == onnx::TensorProto::INT8 ? 1
                              : type == onnx::TensorProto::INT64 || type == onnx::TensorProto::DOUBLE ? 8 : 4;
        s.initializerBytes[onnx::TensorProto_DataType_Name(type)] += count * width;
    }
    for (const auto& in : g.input()) {
        if (inits.count(in.name()))
            continue;
        s.inputName = in.name();
        if (in.type().has_tensor_type() && in.type().tensor_type().has_shape())
            for (const auto& d : in.type().tensor_type().shape().dim())
                s.inputShape.push_back(d.has_dim_value() ? d.dim_value() : -1);
        break;
    }
    if (g.output_size() > 0)
        s.outputName = g.output(0).name();
    return s;
}

} // namespace dfq::deploy
