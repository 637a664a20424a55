#pragma once
#include "checkpoint/CheckpointReader.h"
#include "models/StateDictMapping.h"
#include "models/ZooModel.h"

#include <string>

namespace dfq::models {

struct LoadedModel {
    ZooModel model{nullptr};
    checkpoint::Checkpoint checkpoint;   ///< tensors cleared after mapping to save memory
    MappingReport report;
    bool archDetected = false;           ///< true when "auto" picked the architecture
};

/// Reads a checkpoint, picks the architecture ("auto": from the keys), builds the model, maps the
/// weights, and puts it in eval mode. Throws ModelError naming the file when the architecture is
/// unknown, or when keys are missing / unexpected / mis-shaped (the report is in the message).
LoadedModel loadModel(const std::string& path, const std::string& arch = "auto");

} // namespace dfq::models
