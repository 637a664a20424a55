#pragma once
#include <string>
#include <vector>

namespace dfq::data {

/// Per-channel normalisation applied after scaling pixels to [0,1]: x' = (x - mean[c]) / std[c].
struct Normalization {
    std::string name;           ///< preset name, or "custom"
    std::vector<float> mean;    ///< one per channel (or one, broadcast)
    std::vector<float> stdev;   ///< one per channel (or one, broadcast)
};

/// Presets: "imagenet" (0.485,0.456,0.406)/(0.229,0.224,0.225), "cifar10" (0.4914,0.4822,0.4465)/
/// (0.2470,0.2435,0.2616), "fashion-mnist" (0.2860)/(0.3530), "mnist" (0.1307)/(0.3081), "none" (0)/(1).
/// Throws std::invalid_argument listing the known names.
Normalization normalizationPreset(const std::string& name);
std::vector<std::string> normalizationPresetNames();

} // namespace dfq::data
