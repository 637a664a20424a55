#include "generative/ConditionalGenerator.h"

#include "generative/GenerativeError.h"

#include <torch/torch.h>

#include <cmath>

namespace dfq::generative {
namespace F = torch::nn::functional;

GeneratorOptions validatedGeneratorOptions(GeneratorOptions o) {
    if (o.variant == "auto")
        o.variant = (o.height <= 64 && o.width <= 64) ? "embedding" : "cbn";
    if (o.variant != "embedding" && o.variant != "cbn")
        throw GenerativeError("generator variant must be 'embedding', 'cbn' or 'auto', got '" + o.variant + "'");
    if (o.latentDim <= 0 || o.classes <= 0 || o.channels <= 0 || o.width1 <= 0 || o.width2 <= 0)
        throw GenerativeError("generator: latent size, classes, channels and widths must be positive");
    if (o.height < 4 || o.width < 4 || o.height % 4 != 0 || o.width % 4 != 0)
        throw GenerativeError("generator: the teacher's input " + std::to_string(o.height) + "x" + std::to_string(o.width) +
                              " is not a multiple of 4 in both sides (the generator upsamples H/4 x W/4 twice)");
    if (!(o.bnEps > 0))
        throw GenerativeError("generator: BN eps must be > 0");
    return o;
}

namespace {

torch::Tensor up2(const torch::Tensor& x) {
    return F::interpolate(x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
}

void drawUniform(torch::Tensor& w, torch::Tensor& b, int64_t fanIn, at::Generator& gen) {
    const double bound = 1.0 / std::sqrt(double(fanIn));
    w.uniform_(-bound, bound, gen);
    if (b.defined())
        b.uniform_(-bound, bound, gen);
}

// BN whose affine parameters are chosen per sample by its class (the ImageNet generator's).
class ClassBatchNormImpl : public torch::nn::Module {
public:
    ClassBatchNormImpl(int64_t channels, int64_t classes, double eps) {
        bn_ = register_module("bn", torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(channels).eps(eps).affine(false)));
        gamma_ = register_module("gamma", torch::nn::Embedding(classes, channels));
        beta_ = register_module("beta", torch::nn::Embedding(classes, channels));
    }
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& labels) {
        const auto g = gamma_(labels).unsqueeze(-1).unsqueeze(-1), b = beta_(labels).unsqueeze(-1).unsqueeze(-1);
        return bn_(x) * g + b;
    }
    void reset() {
        gamma_->weight.fill_(1.0);
        beta_->weight.zero_();
    }

private:
    torch::nn::BatchNorm2d bn_{nullptr};
    torch::nn::Embedding gamma_{nullptr}, beta_{nullptr};
};
TORCH_MODULE(ClassBatchNorm);

// The layers both variants share; `Norm` is how the inner BNs see the labels.
class GdfqGeneratorImpl : public ConditionalGeneratorImpl {
public:
    explicit GdfqGeneratorImpl(const GeneratorOptions& o) : ConditionalGeneratorImpl(o), h0_(o.height / 4), w0_(o.width / 4) {
        cbn_ = o.variant == "cbn";
        if (!cbn_)
            embed_ = register_module("embed", torch::nn::Embedding(o.classes, o.latentDim));
        linear_ = register_module("linear", torch::nn::Linear(o.latentDim, o.width1 * h0_ * w0_));
        conv1_ = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.width1, o.width1, 3).padding(1)));
        conv2_ = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.width1, o.width2, 3).padding(1)));
        conv3_ = register_module("conv3", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.width2, o.channels, 3).padding(1)));
        if (cbn_) {
            cbn0_ = register_module("bn0", ClassBatchNorm(o.width1, o.classes, 1e-5));
            cbn1_ = register_module("bn1", ClassBatchNorm(o.width1, o.classes, o.bnEps));
            cbn2_ = register_module("bn2", ClassBatchNorm(o.width2, o.classes, o.bnEps));
        } else {
            bn0_ = register_module("bn0", torch::nn::BatchNorm2d(o.width1));
            bn1_ = register_module("bn1", torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(o.width1).eps(o.bnEps)));
            bn2_ = register_module("bn2", torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(o.width2).eps(o.bnEps)));
        }
        bnOut_ = register_module("bn_out", torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(o.channels).affine(false)));
    }

    torch::Tensor forward(const torch::Tensor& z, const torch::Tensor& labels) override {
        TORCH_CHECK(z.dim() == 2 && z.size(1) == options_.latentDim && labels.dim() == 1 && labels.size(0) == z.size(0),
                    "generator: z must be [N,", options_.latentDim, "] and labels [N]");
        const auto norm = [&](int i, const torch::Tensor& x) {
            if (cbn_)
                return (i == 0 ? cbn0_ : i == 1 ? cbn1_ : cbn2_)->forward(x, labels);
            return (i == 0 ? bn0_ : i == 1 ? bn1_ : bn2_)->forward(x);
        };
        const auto act = [](const torch::Tensor& x) { return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)); };
        torch::Tensor h = cbn_ ? z : embed_(labels) * z;
        torch::Tensor x = linear_(h).view({z.size(0), options_.width1, h0_, w0_});
        x = up2(norm(0, x));
        x = up2(act(norm(1, conv1_(x))));
        x = act(norm(2, conv2_(x)));
        return bnOut_(torch::tanh(conv3_(x)));
    }

    void reset(at::Generator& gen) override {
        torch::NoGradGuard ng;
        const auto& o = options_;
        if (!cbn_)
            embed_->weight.normal_(0.0, 1.0, gen);
        drawUniform(linear_->weight, linear_->bias, o.latentDim, gen);
        drawUniform(conv1_->weight, conv1_->bias, o.width1 * 9, gen);
        drawUniform(conv2_->weight, conv2_->bias, o.width1 * 9, gen);
        drawUniform(conv3_->weight, conv3_->bias, o.width2 * 9, gen);
        if (cbn_) {
            for (auto* b : {&cbn0_, &cbn1_, &cbn2_})
                (*b)->reset();
        } else {
            for (auto* b : {&bn0_, &bn1_, &bn2_}) {
                (*b)->weight.fill_(1.0);
                (*b)->bias.zero_();
            }
        }
    }

private:
    bool cbn_ = false;
    int64_t h0_, w0_;
    torch::nn::Embedding embed_{nullptr};
    torch::nn::Linear linear_{nullptr};
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
    torch::nn::BatchNorm2d bn0_{nullptr}, bn1_{nullptr}, bn2_{nullptr}, bnOut_{nullptr};
    ClassBatchNorm cbn0_{nullptr}, cbn1_{nullptr}, cbn2_{nullptr};
};

} // namespace

ConditionalGenerator makeConditionalGenerator(const GeneratorOptions& options) {
    return std::make_shared<GdfqGeneratorImpl>(validatedGeneratorOptions(options));
}

} // namespace dfq::generative
