#include "synth/PixelConversion.h"

#include <torch/torch.h>

#include <stdexcept>

namespace dfq::synth {
namespace {

/// mean and std as [1,C,1,1] tensors for C channels.
std::pair<torch::Tensor, torch::Tensor> channelStats(const data::Normalization& n, int64_t channels) {
    auto vec = [&](const std::vector<float>& v, float fallback) {
        if (v.empty())
            return torch::full({1, channels, 1, 1}, fallback);
        if (v.size() == 1)
            return torch::full({1, channels, 1, 1}, v[0]);
        if (int64_t(v.size()) != channels)
            throw std::invalid_argument("normalisation '" + n.name + "' has " + std::to_string(v.size()) +
                                        " channel values for images with " + std::to_string(channels) +
                                        " channels");
        return torch::tensor(v).reshape({1, channels, 1, 1});
    };
    return {vec(n.mean, 0.0f), vec(n.stdev, 1.0f)};
}

} // namespace

torch::Tensor toPixels(const torch::Tensor& images, const data::Normalization& n) {
    TORCH_CHECK(images.dim() == 4, "toPixels: images must be [N,C,H,W], got ", images.sizes());
    torch::NoGradGuard ng;
    auto [mean, sd] = channelStats(n, images.size(1));
    torch::Tensor x = images.detach().to(torch::kFloat32) * sd + mean;
    x = (x.clamp(0.0, 1.0) * 255.0).round().to(torch::kUInt8);
    return x.permute({0, 2, 3, 1}).contiguous();
}

torch::Tensor fromPixels(const torch::Tensor& pixels, const data::Normalization& n) {
    TORCH_CHECK(pixels.dim() == 4, "fromPixels: pixels must be [N,H,W,C], got ", pixels.sizes());
    auto [mean, sd] = channelStats(n, pixels.size(3));
    torch::Tensor x = pixels.permute({0, 3, 1, 2}).to(torch::kFloat32) / 255.0;
    return ((x - mean) / sd).contiguous();
}

} // namespace dfq::synth
