#pragma once
#include "models/ZooModel.h"

#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

namespace dfq::synth {

/// Statistics of one BatchNorm layer's *input* (the conv output it normalises) for one forward pass,
/// next to the layer's running statistics. Variances are biased (divide by the element count), as
/// BatchNorm itself uses them.
struct BnLayerStats {
    std::string name;            ///< module path, e.g. "layer1.0.bn1"
    torch::Tensor sampleMean;    ///< [N,C] mean over H,W of each sample
    torch::Tensor sampleVar;     ///< [N,C] biased variance over H,W of each sample
    torch::Tensor batchMean;     ///< [C] mean over N,H,W
    torch::Tensor batchVar;      ///< [C] biased variance over N,H,W
    torch::Tensor runningMean;   ///< [C] the BN's running_mean (no grad)
    torch::Tensor runningVar;    ///< [C] the BN's running_var (no grad)
    double eps = 1e-5;           ///< the BN's eps
    bool recorded() const { return sampleMean.defined(); }
};

/// Attaches a statistic tap to every BatchNorm2d of a zoo model (bnLayers(), forward order) for as
/// long as the tap lives. Each forward records, per layer, the statistics above, computed from the BN
/// input with autograd intact, so losses on them differentiate back to the input image.
///
/// A hook that was already on a BN (e.g. a quantizer's) keeps being called first and is restored
/// when the tap is destroyed. Not thread-safe: one forward at a time.
class BnStatTap {
public:
    explicit BnStatTap(models::ZooModelImpl& model);
    ~BnStatTap();
    BnStatTap(const BnStatTap&) = delete;
    BnStatTap& operator=(const BnStatTap&) = delete;

    /// Number of BN layers tapped (0 for a model without BatchNorm).
    size_t layerCount() const { return stats_.size(); }
    /// Per layer, forward order; entries not reached by the last forward have recorded() == false.
    /// A layer called twice in one forward keeps the last call.
    const std::vector<BnLayerStats>& stats() const { return stats_; }
    const BnLayerStats& layer(size_t i) const { return stats_.at(i); }

    /// Drops the recorded tensors (and with them the autograd graph they hold); running stats stay.
    void clear();
    /// Cuts the recorded tensors from the autograd graph (keeps the values, e.g. for diagnostics
    /// after backward()).
    void detach();
    /// When false, forwards are not recorded (e.g. a label-only forward); default true.
    void setEnabled(bool on) { enabled_ = on; }

private:
    class Hook;
    void record(size_t index, const torch::Tensor& x);

    std::vector<models::BatchNormRef> layers_;
    std::vector<std::shared_ptr<models::BatchNormHook>> previous_;
    std::vector<BnLayerStats> stats_;
    bool enabled_ = true;
};

} // namespace dfq::synth
