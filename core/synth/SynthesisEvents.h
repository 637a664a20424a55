#pragma once
// What a running synthesis reports, for the GUI and the CLI to show. Plain C++ (no Qt): the GUI
// forwards these to its thread itself. Every callback runs on the synthesis thread, between
// iterations, and should return quickly; the defaults do nothing, so a consumer overrides only
// what it shows.
#include "metrics/BnDivergence.h"

#include <torch/types.h>

#include <map>
#include <string>
#include <vector>

namespace dfq::synth {

struct SynthesisProgress {
    int64_t step = 0;          ///< optimisation steps done so far, over all batches (1-based after a step)
    int64_t totalSteps = 0;    ///< steps of the whole run (iterations × batches; batches for noise/real)
    int64_t batch = 0;         ///< current batch, 0-based
    int64_t batches = 0;       ///< number of batches
    int64_t imagesDone = 0;    ///< images of finished batches
    double elapsedSeconds = 0;
    double etaSeconds = 0;     ///< remaining, extrapolated from the mean step time; 0 when unknown
};

/// A few images of the current batch, for a live preview.
struct ImageSnapshot {
    int64_t step = 0;
    int64_t batch = 0;
    torch::Tensor images;      ///< uint8 [n,H,W,C], de-normalised to pixel values
    torch::Tensor labels;      ///< int64 [n], the teacher's current prediction (or target class)
    torch::Tensor confidence;  ///< float [n], the teacher's softmax probability of that label (undefined: unknown)
};

class SynthesisEvents {
public:
    virtual ~SynthesisEvents() = default;

    /// After every step.
    virtual void progress(const SynthesisProgress&) {}
    /// After every step: total loss ("total") and its terms by name (e.g. "bns", "input", "sda").
    virtual void lossTerms(int64_t step, const std::map<std::string, double>& terms) {}
    /// Every diagnosticsEvery steps (and at the end of each batch): per-BN-layer divergence of the
    /// current batch's statistics from the running statistics.
    virtual void layerDiagnostics(int64_t step, const std::vector<metrics::LayerDivergence>& layers) {}
    /// Every snapshotEvery steps (and at the end of each batch): up to snapshotPerClass images per
    /// predicted class of the current batch.
    virtual void snapshot(const ImageSnapshot&) {}
    /// A batch is final: images [B,C,H,W] float normalised, labels [B]. Everything delivered here
    /// stays valid when the run is cancelled or fails later.
    virtual void batchFinished(int64_t batch, const torch::Tensor& images, const torch::Tensor& labels) {}
    /// Something the user should know that is not an error (e.g. a recovered NaN).
    virtual void note(const std::string& message) {}

    int64_t diagnosticsEvery = 50;   ///< <= 0: only at the end of each batch
    int64_t snapshotEvery = 100;     ///< <= 0: only at the end of each batch
    int64_t snapshotPerClass = 1;
};

} // namespace dfq::synth
