#pragma once
#include "checkpoint/StateDict.h"
#include "models/ZooModel.h"

#include <functional>
#include <string>
#include <vector>

namespace dfq::models {

/// Options shared by all zoo constructors; -1 keeps the architecture's default.
struct ArchOptions {
    int64_t numClasses = -1;
};

/// A zoo entry: a name, a one-line description, a constructor, and a recogniser that says whether a
/// state dict's keys and shapes belong to this architecture.
struct ArchEntry {
    std::string name;
    std::string description;
    std::function<ZooModel(const ArchOptions&)> create;
    std::function<bool(const checkpoint::StateDict&)> matches;
};

/// Every registered architecture (registration order). Adding a model: one file + one line in ModelZoo.cpp.
const std::vector<ArchEntry>& architectures();
std::vector<std::string> architectureNames();

/// Builds a fresh (randomly initialised) model. Throws ModelError listing the known names.
ZooModel createModel(const std::string& arch, const ArchOptions& options = {});

/// The architecture a state dict belongs to, from its keys (e.g. CIFAR ResNet depth from the block
/// count). Returns "" when none matches.
std::string detectArchitecture(const checkpoint::StateDict& sd);

/// Class count implied by the state dict's classifier (last Linear weight's rows), -1 if unknown.
int64_t detectNumClasses(const checkpoint::StateDict& sd);

} // namespace dfq::models
