#pragma once
// The skeleton every method shares: split N images into batches, let the method produce each batch,
// label it with the teacher, report progress / loss / diagnostics / previews, honour Cancel, and
// assemble the SyntheticSet.
#include "synth/BnStatTap.h"
#include "synth/SynthesisMethod.h"

#include <ATen/core/Generator.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dfq::synth {

class SynthesisRun {
public:
    /// Throws SynthesisError when request.count <= 0 or batchSize <= 0.
    /// stepsPerBatch: optimisation steps per batch (for progress/ETA); 0 for one-shot methods.
    SynthesisRun(std::string method, models::ZooModelImpl& model, const SynthesisRequest& request,
                 nlohmann::json resolvedOptions, int64_t batchSize, int64_t stepsPerBatch,
                 SynthesisEvents* events, const runtime::CancelToken& cancel);

    /// Produces batch `batch` of `size` images: images [size,C,H,W] normalised, and labels [size] int64
    /// or an undefined tensor to have the teacher label them (argmax). `gen` is this batch's own
    /// random stream, seeded from (seed, batch), so batches do not depend on each other.
    using Producer = std::function<std::pair<torch::Tensor, torch::Tensor>(int64_t batch, int64_t size,
                                                                           at::Generator& gen)>;
    SyntheticSet run(const Producer& produce);

    // --- for producers ---
    models::ZooModelImpl& model() { return model_; }
    const SynthesisRequest& request() const { return request_; }
    const std::string& method() const { return method_; }
    int64_t batches() const { return batches_; }
    /// A random stream independent of the batches' (e.g. for DSG's margin estimation).
    at::Generator generator(uint64_t stream) const;
    /// Throws runtime::Cancelled when the token fired.
    void checkCancel() const;
    /// Reports one optimisation step: records it with its diagnostics (StepRecord: BN KL from `stats`,
    /// teacher confidence/entropy from `logits` [B,K], feature diversity from `features` [B,D]; each
    /// may be null/undefined), sends progress and loss terms, and every K steps per-layer divergence
    /// and a preview (from images and logits).
    void step(int64_t batch, int64_t iteration, double lr, const std::map<std::string, double>& terms,
              const torch::Tensor& images, const torch::Tensor& logits, const std::vector<BnLayerStats>* stats,
              const torch::Tensor& features = {});
    /// A non-fatal event worth telling the user; also kept in SyntheticSet::notes.
    void note(const std::string& message);

private:
    void sendProgress(int64_t batch);
    /// labels [B]: shown under the images; logits [B,K]: the teacher's, for its confidence in them.
    void sendPreview(int64_t batch, const torch::Tensor& images, const torch::Tensor& labels, const torch::Tensor& logits);

    std::string method_;
    models::ZooModelImpl& model_;
    SynthesisRequest request_;
    nlohmann::json options_;
    int64_t batchSize_, stepsPerBatch_, batches_;
    SynthesisEvents* events_;
    runtime::CancelToken cancel_;
    std::vector<StepRecord> steps_;
    std::vector<std::string> notes_;
    int64_t stepsDone_ = 0, imagesDone_ = 0;
    std::chrono::steady_clock::time_point start_;
};

} // namespace dfq::synth
