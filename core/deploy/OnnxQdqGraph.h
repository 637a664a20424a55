#pragma once
// The ForwardGraph that writes ONNX nodes (internal to deploy/: it includes ONNX's protobuf headers,
// which need ONNX_ML/ONNX_NAMESPACE; see core/CMakeLists.txt). OnnxExporter.h documents the graph.
#include "deploy/OnnxExporter.h"
#include "models/ForwardGraph.h"
#include "quant/TensorQuantizer.h"

#include <onnx/onnx_pb.h>

#include <map>
#include <set>
#include <string>

namespace dfq::deploy {

class OnnxQdqGraph : public models::ForwardGraph {
public:
    /// Writes into graph; reads quantizers from the model's hooks when quantized.
    OnnxQdqGraph(onnx::GraphProto& graph, models::ZooModelImpl& model, const OnnxExportOptions& options,
                 OnnxExportReport& report);

    Value input() override;
    Value conv(models::Conv2dImpl& conv, const Value& x) override;
    Value batchNorm(models::BatchNorm2dImpl& bn, const Value& x) override;
    Value activation(models::ActivationImpl& act, const Value& x) override;
    Value linear(models::LinearImpl& fc, const Value& x) override;
    Value add(const Value& a, const Value& b) override;
    Value globalAveragePool(const Value& x) override;
    Value maxPool(const Value& x, int64_t kernel, int64_t stride, int64_t padding) override;
    Value subsampleAndPadChannels(const Value& x, int64_t stride, int64_t padBefore, int64_t padAfter) override;
    void output(const Value& logits) override;

    /// Bits per quantized site ("layer1.0.conv1.weight" -> 4), for the metadata.
    const std::map<std::string, int>& siteBits() const { return siteBits_; }

private:
    std::string fresh(const std::string& base);
    const std::string& moduleName(const torch::nn::Module& m) const;
    onnx::NodeProto* node(const std::string& op, const std::vector<std::string>& inputs, const Value& output);
    std::string initializer(const std::string& name, const torch::Tensor& t);
    /// Q -> DQ (plus the clipped chain for narrow grids) of x with a frozen per-tensor quantizer.
    Value quantizeDequantize(const Value& x, const quant::TensorQuantizer& q, bool isInput);
    /// The weight as DequantizeLinear of its codes (or a float initializer), and its per-channel scale.
    Value weightValue(const std::string& layer, torch::Tensor w, models::WeightInputHook* hook, torch::Tensor* scale);
    /// The bias: int32 -> DQ when x comes from a DequantizeLinear and the weight is quantized.
    Value biasValue(const std::string& layer, const torch::Tensor& b, const Value& x, const torch::Tensor& wScale);
    /// A Conv/Gemm's inputs: x (through its input quantizer), the weight, the bias (if any).
    std::vector<std::string> layerInputs(const std::string& name, const std::shared_ptr<models::WeightInputHook>& hook,
                                         const Value& x, const torch::Tensor& weight, const torch::Tensor& bias);
    models::WeightInputHook* quantHookOf(const std::string& layer, const std::shared_ptr<models::WeightInputHook>& h);

    onnx::GraphProto& graph_;
    models::ZooModelImpl& model_;
    const OnnxExportOptions& options_;
    OnnxExportReport& report_;
    std::map<const torch::nn::Module*, std::string> names_;
    std::set<std::string> used_;
    std::map<Value, float> dqScale_;   ///< values that are the output of a per-tensor DequantizeLinear
    std::map<std::string, int> siteBits_;
};

/// Effective frozen parameters of a quantizer (the learnable step as the scale when it has one).
quant::QuantParams effectiveParams(const quant::TensorQuantizer& q);

} // namespace dfq::deploy
