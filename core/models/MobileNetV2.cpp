#include "models/MobileNetV2.h"

namespace dfq::models {
// Placeholder until the torchvision models land.
ArchEntry mobileNetV2Entry() { return {"mobilenet_v2", "placeholder", nullptr, nullptr}; }
} // namespace dfq::models
