#pragma once
#include "models/ModelZoo.h"

namespace dfq::models {

/// Zoo entry for torchvision MobileNetV2 (width 1.0, 3x224x224, 1000 classes by default). Parameter
/// names as torchvision 0.14: features.{i}..., classifier.1.
ArchEntry mobileNetV2Entry();

} // namespace dfq::models
