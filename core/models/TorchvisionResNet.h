#pragma once
#include "models/ModelZoo.h"

#include <vector>

namespace dfq::models {

/// Zoo entries for torchvision ResNet-18/34/50 (3x224x224, ImageNet normalisation, 1000 classes by
/// default). Parameter names as torchvision 0.14: conv1, bn1, layer{1..4}.{i}.{conv1,bn1,conv2,bn2
/// [,conv3,bn3][,downsample.0,downsample.1]}, fc.
std::vector<ArchEntry> torchvisionResNetEntries();

} // namespace dfq::models
