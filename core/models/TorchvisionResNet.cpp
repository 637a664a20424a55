#include "models/TorchvisionResNet.h"

namespace dfq::models {
// Placeholder until the torchvision models land.
std::vector<ArchEntry> torchvisionResNetEntries() { return {}; }
} // namespace dfq::models
