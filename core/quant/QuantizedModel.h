#pragma once
// A zoo model with quantizers attached according to a QuantSpec: the entry point of PTQ.
//
//   auto model = models::createModel("resnet20");
//   QuantSpec spec = buildQuantSpec(*model, LayerPlacement::Gdfq, 4, 4);
//   QuantizedModel qm(model, spec);                 // folds BN if spec.foldBn, caches weight ranges
//   GaussianNoiseSource noise({3, 32, 32}, 64, 8);
//   qm.calibrate(noise);                            // observers see 8 batches, ranges frozen
//   torch::Tensor logits = qm.forward(x);           // fake-quantized (QuantMode::Frozen)
//   qm.setMode(QuantMode::Disabled);                // the same model in FP32
//
// The model is shared, and the hooks sit on it: its own forward() is quantized as long as this
// object lives (the destructor detaches them). BN folding changes its weights for good.
#include "models/ZooModel.h"
#include "quant/BatchSource.h"
#include "quant/BnFolding.h"
#include "quant/QuantHooks.h"
#include "quant/QuantSpec.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dfq::quant {

struct CalibrationReport {
    int64_t batches = 0;
    int64_t images = 0;
};

class QuantizedModel {
public:
    /// Validates the spec against the model, folds BN when spec.foldBn, attaches the hooks, and
    /// computes and caches every weight range (weights do not change during PTQ). The mode starts as
    /// Calibrating when the spec has activation/input quantizers, Frozen otherwise.
    /// Throws QuantError: spec/model mismatch, NaN/Inf weights (naming the layer), or a layer that
    /// already carries another hook.
    QuantizedModel(models::ZooModel model, QuantSpec spec);
    ~QuantizedModel();
    QuantizedModel(const QuantizedModel&) = delete;
    QuantizedModel& operator=(const QuantizedModel&) = delete;

    const models::ZooModel& model() const { return model_; }
    const QuantSpec& spec() const { return spec_; }
    const FoldReport& foldReport() const { return fold_; }

    /// x [N, C, H, W] -> logits [N, classes] with the current mode.
    torch::Tensor forward(const torch::Tensor& x);

    /// Sets every hook's mode, or only those whose site matches (layer or activation name, e.g. all
    /// names starting with "layer2.1." for one BRECQ block).
    void setMode(QuantMode m);
    void setMode(QuantMode m, const std::function<bool(const std::string& site)>& which);
    /// The mode last set for all sites.
    QuantMode mode() const { return mode_; }

    /// Calibrating mode, eval mode, no gradients; feeds up to maxBatches batches (-1: all) from
    /// source through the model; then freeze() and Frozen mode. The model's train/eval state is
    /// restored. Throws QuantError: empty source, a batch not [N, C, H, W] of the model's input size
    /// (expected vs got), NaN/Inf in a batch (naming the batch) or at a layer (naming the layer).
    CalibrationReport calibrate(BatchSource& source, int64_t maxBatches = -1);
    /// One calibration batch (same checks), without freezing.
    void observeBatch(const torch::Tensor& x);
    /// Freezes every activation/input quantizer from its observer and sets Frozen mode. Throws
    /// QuantError naming a site that saw no data.
    void freeze();
    /// Forgets what the activation/input observers saw (to recalibrate on another source).
    void resetObservers();
    /// Recomputes the cached weight ranges from the current weights (after editing them).
    void refreshWeightRanges();

    /// Hooks by name; nullptr when the spec does not quantize that layer/activation.
    WeightQuantHook* weightHook(const std::string& layer);
    ActivationQuantHook* activationHook(const std::string& activation);
    std::vector<std::string> layerNames() const;
    std::vector<std::string> activationNames() const;

    /// The spec plus every frozen range: {"spec": ..., "bn_folded": [...], "weights": [...],
    /// "inputs": [...], "activations": [...]} (TensorQuantizer::toJson entries).
    nlohmann::json toJson() const;

    /// Removes the hooks from the model (idempotent; called by the destructor).
    void detach();

private:
    void checkBatch(const torch::Tensor& x, int64_t index) const;

    models::ZooModel model_;
    QuantSpec spec_;
    FoldReport fold_;
    QuantMode mode_ = QuantMode::Calibrating;
    bool attached_ = false;
    int64_t batchesSeen_ = 0;
    std::vector<std::pair<models::QuantLayerRef, std::shared_ptr<WeightQuantHook>>> layers_;
    std::vector<std::pair<models::ActivationRef, std::shared_ptr<ActivationQuantHook>>> acts_;
};

} // namespace dfq::quant
