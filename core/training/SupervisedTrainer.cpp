#include "training/SupervisedTrainer.h"

#include "data/BatchLoader.h"

#include <torch/optim/sgd.h>

#include <chrono>
#include <cmath>
#include <random>

namespace dfq::training {
namespace {

/// Random crop after padding with the normalised value of a black pixel, and random flips, per sample.
torch::Tensor augment(const torch::Tensor& images, const data::Normalization& norm, const TrainOptions& o,
                      std::mt19937_64& rng) {
    const int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
    const int64_t p = o.cropPadding;
    torch::Tensor out = images;
    if (p > 0) {
        torch::Tensor padded = torch::empty({n, c, h + 2 * p, w + 2 * p});
        for (int64_t ch = 0; ch < c; ++ch) {
            const float mean = norm.mean.size() > size_t(ch) ? norm.mean[ch] : (norm.mean.empty() ? 0.f : norm.mean[0]);
            const float sd = norm.stdev.size() > size_t(ch) ? norm.stdev[ch] : (norm.stdev.empty() ? 1.f : norm.stdev[0]);
            padded.select(1, ch).fill_(-mean / sd);
        }
        using torch::indexing::Slice;
        padded.index_put_({Slice(), Slice(), Slice(p, p + h), Slice(p, p + w)}, images);
        out = torch::empty_like(images);
        std::uniform_int_distribution<int64_t> off(0, 2 * p);
        for (int64_t i = 0; i < n; ++i)
            out[i].copy_(padded[i].narrow(1, off(rng), h).narrow(2, off(rng), w));
    }
    if (o.horizontalFlip) {
        std::bernoulli_distribution flip(0.5);
        for (int64_t i = 0; i < n; ++i)
            if (flip(rng))
                out[i] = out[i].flip({2});
    }
    return out;
}

} // namespace

TrainResult train(models::ZooModelImpl& model, const data::Dataset& trainSet, const TrainOptions& o) {
    torch::manual_seed(o.seed);
    std::mt19937_64 rng(o.seed);
    // Weight decay on conv/linear weights only (not BN affine or biases), as is standard.
    std::vector<torch::Tensor> decay, noDecay;
    for (const auto& p : model.named_parameters())
        (p.value().dim() > 1 ? decay : noDecay).push_back(p.value());
    torch::optim::SGD opt({torch::optim::OptimizerParamGroup(decay, std::make_unique<torch::optim::SGDOptions>(
                                                                      torch::optim::SGDOptions(o.lr)
                                                                          .momentum(o.momentum)
                                                                          .nesterov(true)
                                                                          .weight_decay(o.weightDecay))),
                           torch::optim::OptimizerParamGroup(noDecay, std::make_unique<torch::optim::SGDOptions>(
                                                                        torch::optim::SGDOptions(o.lr)
                                                                            .momentum(o.momentum)
                                                                            .nesterov(true)
                                                                            .weight_decay(0)))},
                          torch::optim::SGDOptions(o.lr));
    data::BatchLoader loader(trainSet, o.batchSize, /*shuffle=*/true, o.seed);
    const int64_t stepsPerEpoch = loader.batchesPerEpoch();
    const int64_t totalSteps = stepsPerEpoch * o.epochs;
    const auto norm = data::normalizationPreset(model.info().normalization.empty() ? "none" : model.info().normalization);

    // Channels-last lets oneDNN pick its blocked convolution kernels: ~35 % faster training steps here.
    model.to(torch::kFloat);
    for (auto& p : model.parameters())
        if (p.dim() == 4)
            p.set_data(p.data().contiguous(torch::MemoryFormat::ChannelsLast));

    TrainResult result;
    const auto start = std::chrono::steady_clock::now();
    int64_t step = 0;
    model.train();
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        const auto e0 = std::chrono::steady_clock::now();
        loader.reset(uint64_t(epoch));
        double lossSum = 0;
        int64_t seen = 0, correct = 0;
        while (auto batch = loader.next()) {
            if (o.cancel.cancelled())
                throw runtime::Cancelled();
            // Linear warm-up over the first epoch, then cosine decay to zero.
            const double t = double(step) / double(totalSteps);
            double lr = step < stepsPerEpoch ? o.lr * double(step + 1) / double(stepsPerEpoch)
                                             : 0.5 * o.lr * (1.0 + std::cos(M_PI * t));
            for (auto& g : opt.param_groups())
                static_cast<torch::optim::SGDOptions&>(g.options()).lr(lr);
            torch::Tensor x = augment(batch->images, norm, o, rng).contiguous(torch::MemoryFormat::ChannelsLast);
            torch::Tensor logits = model.forward(x);
            torch::Tensor loss = torch::nn::functional::cross_entropy(logits, batch->labels);
            opt.zero_grad();
            loss.backward();
            opt.step();
            lossSum += loss.item<double>() * double(x.size(0));
            correct += logits.argmax(1).eq(batch->labels).sum().item<int64_t>();
            seen += x.size(0);
            ++step;
        }
        result.finalLoss = lossSum / double(std::max<int64_t>(seen, 1));
        result.finalTrainTop1 = 100.0 * double(correct) / double(std::max<int64_t>(seen, 1));
        if (o.onEpoch)
            o.onEpoch(epoch, result.finalLoss, result.finalTrainTop1,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count());
    }
    for (auto& p : model.parameters())
        if (p.dim() == 4)
            p.set_data(p.data().contiguous());
    model.eval();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace dfq::training
