#include "data/Normalization.h"

#include <stdexcept>

namespace dfq::data {
namespace {

struct Preset {
    const char* name;
    std::vector<float> mean;
    std::vector<float> stdev;
};

// The statistics each reference model was trained with (torchvision and the usual CIFAR/MNIST values).
const std::vector<Preset>& presets() {
    static const std::vector<Preset> all = {
        {"imagenet", {0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}},
        {"cifar10", {0.4914f, 0.4822f, 0.4465f}, {0.2470f, 0.2435f, 0.2616f}},
        {"fashion-mnist", {0.2860f}, {0.3530f}},
        {"mnist", {0.1307f}, {0.3081f}},
        {"none", {0.0f}, {1.0f}},
    };
    return all;
}

} // namespace

Normalization normalizationPreset(const std::string& name) {
    for (const auto& p : presets())
        if (name == p.name)
            return Normalization{p.name, p.mean, p.stdev};
    std::string known;
    for (const auto& n : normalizationPresetNames())
        known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown normalization '" + name + "' (known: " + known + ")");
}

std::vector<std::string> normalizationPresetNames() {
    std::vector<std::string> names;
    for (const auto& p : presets())
        names.push_back(p.name);
    return names;
}

} // namespace dfq::data
