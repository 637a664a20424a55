#pragma once
// Per-class statistics of a BN layer's input within one mixed batch: what ClusterQ clusters and aligns
// (methods.md §4) and what FDDA compares with its BNS centres (§5).
#include "synth/BnStatTap.h"

#include <torch/types.h>

#include <vector>

namespace dfq::generative {

struct ClassStats {
    torch::Tensor mean;    ///< [K,C] mean over (samples of class k, H, W)
    torch::Tensor var;     ///< [K,C] biased variance over the same elements
    torch::Tensor counts;  ///< [K] int64 samples of each class (rows of classes with 0 samples are 0)
};

/// From the per-sample statistics of one layer (layer.sampleMean/sampleVar [N,C]; all samples have
/// the same H×W, so the class statistics follow exactly: μ_k = mean_n μ_n, σ²_k = mean_n (σ²_n + μ_n²) − μ_k²).
/// labels [N] int64; samples with a label < 0 are left out (e.g. the ones the teacher misclassifies).
/// Keeps the autograd graph of the inputs.
ClassStats classStatistics(const synth::BnLayerStats& layer, const torch::Tensor& labels, int64_t classes);

/// The deep BN layers of the GDFQ family (ClusterQ, FDDA): with L BN layers, indices
/// ⌊(L+1)/2⌋ − 2 … L−1 (0-based, clamped at 0). ResNet-20 (19 BNs): 8 … 18.
std::vector<size_t> deepBnLayers(size_t layerCount);

} // namespace dfq::generative
