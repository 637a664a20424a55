#pragma once
// Multiply-accumulates of one forward pass, counted from the shapes the model actually sees (one
// image through the model), for throughput figures in GFLOP/s (1 MAC = 2 FLOP).
//
// Counted: Conv2d (out_numel · in/groups · k · k) and Linear (out · in) — the layers that dominate;
// BN, activations, pooling and additions are left out (under 2 % on the zoo's ResNets).
#include "models/ZooModel.h"

#include <string>
#include <vector>

namespace dfq::metrics {

struct LayerMacs {
    std::string name;
    int64_t macs = 0;          ///< per image
};

struct ModelMacs {
    int64_t macs = 0;          ///< per image, all counted layers
    std::vector<LayerMacs> layers;
    double forwardFlops() const { return 2.0 * double(macs); }
};

/// Runs one zero image [1, C, H, W] through the model (eval mode, no grad; hooks already on the layers
/// stay in place and are restored) and counts the MACs per Conv2d/Linear layer.
ModelMacs countMacs(models::ZooModelImpl& model);

} // namespace dfq::metrics
