#pragma once
// The small generator Genie distils into (Jeon et al., CVPR 2023; the GDFQ generator without labels):
//   z [N,L] -> Linear -> [N,c1,⌈H/4⌉,⌈W/4⌉] -> BN -> upsample -> conv3x3 c1->c2 -> BN -> LeakyReLU(0.2)
//   -> upsample to [H,W] -> conv3x3 c2->C -> tanh -> BN(affine=false)
// The last BN (batch statistics, train mode) makes each channel zero-mean, unit-variance over the
// batch: images come out in the teacher's normalised input space.
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <ATen/core/Generator.h>

namespace dfq::synth {

struct GenieGeneratorOptions {
    int64_t latentDim = 256;
    int64_t channels = 3, height = 32, width = 32;   ///< the images produced, [N,channels,height,width]
    int64_t c1 = 128, c2 = 64;                       ///< feature widths
};

class GenieGeneratorImpl : public torch::nn::Module {
public:
    explicit GenieGeneratorImpl(const GenieGeneratorOptions& options);
    /// z [N,latentDim] -> images [N,channels,height,width]. Needs N >= 2 in train mode (batch statistics).
    torch::Tensor forward(const torch::Tensor& z);
    /// Draws every weight and bias from `gen` (PyTorch's default: U(±1/√fan_in)), so a batch's
    /// generator depends only on its own random stream; BN starts at weight 1, bias 0.
    void reset(at::Generator& gen);
    const GenieGeneratorOptions& options() const { return options_; }

private:
    GenieGeneratorOptions options_;
    int64_t initH_, initW_;
    torch::nn::Linear linear_{nullptr};
    torch::nn::BatchNorm2d bn0_{nullptr}, bn1_{nullptr}, bnOut_{nullptr};
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
};
TORCH_MODULE(GenieGenerator);

} // namespace dfq::synth
