#pragma once
#include "checkpoint/StateDict.h"
#include "models/ZooModel.h"

#include <string>
#include <vector>

namespace dfq::models {

/// What happened when a state dict was copied into a model.
struct MappingReport {
    std::vector<std::string> missing;      ///< model keys the state dict lacks
    std::vector<std::string> unexpected;   ///< state-dict keys the model lacks
    std::vector<std::string> misShaped;    ///< "key: checkpoint [16,3,3,3] vs model [16,1,3,3]"
    size_t copied = 0;
    bool ok() const { return missing.empty() && unexpected.empty() && misShaped.empty(); }
    /// Multi-line human-readable summary (first few keys of each list, then counts).
    std::string describe() const;
};

/// Copies matching tensors (converted to the model's dtype) into the model's parameters and buffers.
/// num_batches_tracked may be missing without complaint (older checkpoints lack it).
MappingReport applyStateDict(ZooModelImpl& model, const checkpoint::StateDict& sd);

/// The model's own parameters and buffers as a state dict (names as PyTorch would write them).
checkpoint::StateDict extractStateDict(const ZooModelImpl& model);

} // namespace dfq::models
