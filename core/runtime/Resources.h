#pragma once
#include <string>

namespace dfq::runtime {

/// Locates a shipped resource (e.g. "models/fmnist_resnet8.pt"): $DFQ_RESOURCES, then the installed
/// share/dfq-studio next to the executable, then the source tree's resources/. "" when not found.
std::string resourcePath(const std::string& rel);

/// The embedded default: the Fashion-MNIST reference model and Debian's Fashion-MNIST folder.
std::string defaultModelPath();
std::string defaultDataPath();   ///< /usr/share/datasets/fashion-mnist

} // namespace dfq::runtime
