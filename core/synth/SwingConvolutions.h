#pragma once
// Genie's "swing convolution" (Jeon et al., CVPR 2023; methods.md §7): while distilling, every strided
// convolution sees its input shifted by a random offset of up to ±jitter pixels (reflect padding, then
// a crop of the original size), so the synthetic images cannot exploit the stride's fixed sampling
// grid (the checkerboard artefacts a plain strided conv lets through).
#include "models/ZooModel.h"

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace dfq::synth {

/// Scope: installs the swing on every Conv2d with a stride > 1 of `model` (quantLayers(), forward
/// order) for as long as it lives, and restores the hooks that were there. A hook that was already on
/// such a conv (e.g. a quantizer's) still transforms the weight and sees the shifted input. One offset
/// (dy, dx) in [-jitter, jitter]² per conv and forward, drawn from this scope's own stream. Inputs
/// [N,C,H,W] with H, W > jitter (reflect padding needs it). jitter 0 installs nothing.
class SwingConvolutions {
public:
    SwingConvolutions(models::ZooModelImpl& model, int64_t jitter, uint64_t seed);
    ~SwingConvolutions();
    SwingConvolutions(const SwingConvolutions&) = delete;
    SwingConvolutions& operator=(const SwingConvolutions&) = delete;

    /// Number of convolutions swung (0 for a model without strided convs, or jitter 0).
    size_t size() const { return convs_.size(); }

private:
    class Hook;
    std::vector<models::Conv2d> convs_;
    std::vector<std::shared_ptr<models::WeightInputHook>> previous_;
    std::mt19937_64 rng_;
    int64_t jitter_;
};

} // namespace dfq::synth
