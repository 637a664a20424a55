#pragma once
// The generators of the GDFQ family (methods.md §2): a class label and a latent z become an image in
// the teacher's normalised input space.
//
//   "embedding" (GDFQ's CIFAR generator):  h = Embedding(K, L)[y] ⊙ z
//       Linear(L -> c1·H/4·W/4) -> view -> BN(c1) -> up×2 -> conv3×3 c1->c1 -> BN(c1, eps) -> LeakyReLU(0.2)
//       -> up×2 -> conv3×3 c1->c2 -> BN(c2, eps) -> LeakyReLU(0.2) -> conv3×3 c2->C -> tanh -> BN(C, affine=false)
//   "cbn" (GDFQ's ImageNet generator): no embedding, h = z; the same layers, but every BN before the last
//       is class-conditional: per-class γ/β from Embedding(K, ch), initialised to 1 / 0.
//
// eps defaults to GDFQ's 0.8 (an accident inherited from ACGAN code, kept so that results compare).
// The last BN (batch statistics) makes every channel zero-mean, unit-variance over the batch. The
// generator stays in train mode (batch statistics, N >= 2), as in GDFQ.
#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/types.h>

#include <memory>
#include <string>

namespace dfq::generative {

struct GeneratorOptions {
    std::string variant = "auto";                  ///< "embedding", "cbn", or "auto": embedding up to 64×64, cbn above
    int64_t latentDim = 100;                       ///< L
    int64_t classes = 10;                          ///< K
    int64_t channels = 3, height = 32, width = 32; ///< images [N,C,H,W]; H and W divisible by 4
    int64_t width1 = 128, width2 = 64;             ///< c1, c2
    double bnEps = 0.8;                            ///< eps of the two inner BNs after the convolutions
};

/// Resolves "auto" and checks every size; throws GenerativeError naming the problem.
GeneratorOptions validatedGeneratorOptions(GeneratorOptions options);

class ConditionalGeneratorImpl : public torch::nn::Module {
public:
    /// z [N,L] float, labels [N] int64 in [0,K) -> images [N,C,H,W].
    virtual torch::Tensor forward(const torch::Tensor& z, const torch::Tensor& labels) = 0;
    /// Draws every weight from `gen` (PyTorch's default initialisation: U(±1/√fan_in) for linear and
    /// conv weights and biases, N(0,1) for embeddings; BN γ = 1, β = 0), so a run depends only on its seed.
    virtual void reset(at::Generator& gen) = 0;
    const GeneratorOptions& options() const { return options_; }

protected:
    explicit ConditionalGeneratorImpl(GeneratorOptions o) : options_(std::move(o)) {}
    GeneratorOptions options_;
};
using ConditionalGenerator = std::shared_ptr<ConditionalGeneratorImpl>;

/// Builds the variant the (validated) options name.
ConditionalGenerator makeConditionalGenerator(const GeneratorOptions& options);

} // namespace dfq::generative
