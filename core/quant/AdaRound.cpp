#include "quant/AdaRound.h"

#include "quant/LayerInputCapture.h"
#include "quant/QuantError.h"

#include <chrono>
#include <torch/torch.h>

#include <cmath>

namespace dfq::quant {

torch::Tensor rectifiedSigmoid(const torch::Tensor& v) {
    return torch::clamp(torch::sigmoid(v) * (kAdaRoundZeta - kAdaRoundGamma) + kAdaRoundGamma, 0.0, 1.0);
}

torch::Tensor adaRoundRegularizer(const torch::Tensor& h, double beta) {
    return (1.0 - (2.0 * h - 1.0).abs().pow(beta)).sum();
}

torch::Tensor adaRoundInitV(const torch::Tensor& w, const QuantParams& grid) {
    torch::NoGradGuard ng;
    const auto scale = broadcastAlongDim0(grid.scale, w);
    const auto x = w.detach() / scale;
    const auto frac = x - torch::floor(x);
    // σ(V) = (frac − γ)/(ζ − γ) lies in [1/12, 11/12] for frac in [0, 1): the logit is finite.
    const auto s = (frac - kAdaRoundGamma) / (kAdaRoundZeta - kAdaRoundGamma);
    return torch::log(s / (1.0 - s));
}

double adaRoundBeta(int64_t t, int64_t total, double warmup, double betaStart, double betaEnd) {
    const double start = warmup * double(total);
    if (double(t) < start)
        return 0.0;
    const double rel = (double(t) - start) / std::max(1.0, double(total) - start);
    return betaEnd + (betaStart - betaEnd) * std::max(0.0, 1.0 - rel);
}

AdaRoundRounding::AdaRoundRounding(torch::Tensor v) : v_(std::move(v)) {}

torch::Tensor AdaRoundRounding::fakeQuantize(const torch::Tensor& w, const QuantParams& grid) {
    const auto wd = w.detach();
    const auto scale = broadcastAlongDim0(grid.scale, wd);
    const auto zp = broadcastAlongDim0(grid.zeroPoint, wd);
    const auto base = torch::floor(wd / scale);
    const auto h = hard_ ? (rectifiedSigmoid(v_.detach()) >= 0.5).to(wd.scalar_type()) : rectifiedSigmoid(v_);
    const auto q = torch::clamp(base + h + zp, double(grid.qmin), double(grid.qmax));
    return (q - zp) * scale;
}

torch::Tensor AdaRoundRounding::codes(const torch::Tensor& w, const QuantParams& grid) const {
    torch::NoGradGuard ng;
    const auto scale = broadcastAlongDim0(grid.scale, w);
    const auto zp = broadcastAlongDim0(grid.zeroPoint, w);
    const auto up = (rectifiedSigmoid(v_) >= 0.5).to(w.scalar_type());
    return torch::clamp(torch::floor(w / scale) + up + zp, double(grid.qmin), double(grid.qmax));
}

torch::Tensor collectImages(BatchSource& source, int64_t maxImages) {
    std::vector<torch::Tensor> parts;
    int64_t n = 0;
    while (maxImages < 0 || n < maxImages) {
        auto b = source.next();
        if (!b)
            break;
        auto x = b->detach();
        if (maxImages >= 0 && n + x.size(0) > maxImages)
            x = x.narrow(0, 0, maxImages - n);
        n += x.size(0);
        parts.push_back(x.contiguous());
    }
    if (parts.empty() || n == 0)
        throw QuantError("calibration source gave no images");
    return torch::cat(parts, 0);
}

namespace {

constexpr int64_t kChunk = 256;

torch::Tensor layerForward(models::QuantLayerRef& ref, const torch::Tensor& x) {
    return ref.isConv() ? ref.conv->forward(x) : ref.linear->forward(x);
}

torch::Tensor layerForwardChunked(models::QuantLayerRef& ref, const torch::Tensor& x) {
    torch::NoGradGuard ng;
    std::vector<torch::Tensor> out;
    for (int64_t s = 0; s < x.size(0); s += kChunk)
        out.push_back(layerForward(ref, x.narrow(0, s, std::min(kChunk, x.size(0) - s))));
    return torch::cat(out, 0);
}

/// Σ over dim 1, mean over the rest (BRECQ's lp_loss with p = 2).
torch::Tensor recLoss(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).pow(2).sum(1).mean();
}

} // namespace

std::vector<AdaRoundLayerReport> runAdaRound(QuantizedModel& qm, BatchSource& source, const AdaRoundOptions& o) {
    if (o.iterations < 0 || o.batchSize <= 0)
        throw QuantError("AdaRound: iterations must be >= 0 and batch size > 0");
    models::ZooModel model = qm.model();
    const auto images = collectImages(source, o.maxImages);
    const bool wasTraining = model->is_training();
    model->eval();
    // Only V gets gradients: freeze the model's own parameters for the duration.
    std::vector<std::pair<torch::Tensor, bool>> grads;
    for (auto& p : model->parameters()) {
        grads.emplace_back(p, p.requires_grad());
        p.set_requires_grad(false);
    }
    auto restore = [&] {
        for (auto& [p, g] : grads)
            p.set_requires_grad(g);
        qm.setMode(QuantMode::Frozen);
        model->train(wasTraining);
    };

    std::vector<AdaRoundLayerReport> reports;
    torch::Generator gen = at::detail::createCPUGenerator(o.seed);
    try {
        for (auto& ref : model->quantLayers()) {
            auto* hook = qm.weightHook(ref.name);
            if (!hook || !hook->weightQuantizer().enabled() || (o.which && !o.which(ref.name)))
                continue;
            if (!hook->weightQuantizer().frozen())
                throw QuantError("AdaRound: layer '" + ref.name + "' has no weight range");
            if (o.cancel.cancelled())
                throw runtime::Cancelled();

            // FP32 target on FP32 inputs.
            qm.setMode(QuantMode::Disabled);
            const auto xFp = captureLayerInput(model, ref, images);
            const auto y = layerForwardChunked(ref, xFp);
            // Inputs from the quantized model so far.
            qm.setMode(QuantMode::Frozen);
            const auto xQ = captureLayerInput(model, ref, images);
            hook->rounding = nullptr;
            AdaRoundLayerReport rep;
            const auto unitStart = std::chrono::steady_clock::now();
            rep.layer = ref.name;
            rep.mseNearest = (layerForwardChunked(ref, xQ) - y).pow(2).mean().item<double>();

            const auto& grid = hook->weightQuantizer().params();
            const auto w = ref.weight().detach();
            auto rounding = std::make_shared<AdaRoundRounding>(adaRoundInitV(w, grid).set_requires_grad(true));
            hook->rounding = rounding;
            torch::optim::Adam opt({rounding->v()}, torch::optim::AdamOptions(o.lr));
            const int64_t n = xQ.size(0);
            const int64_t bs = std::min(o.batchSize, n);
            for (int64_t t = 0; t < o.iterations; ++t) {
                if (t % 50 == 0)
                    if (o.cancel.cancelled())
                throw runtime::Cancelled();
                const auto idx = torch::randperm(n, gen, torch::kLong).narrow(0, 0, bs);
                const auto out = layerForward(ref, xQ.index_select(0, idx));
                auto rec = recLoss(out, y.index_select(0, idx));
                const double beta = adaRoundBeta(t, o.iterations, o.warmup, o.betaStart, o.betaEnd);
                torch::Tensor reg = beta > 0 ? o.lambda * adaRoundRegularizer(rectifiedSigmoid(rounding->v()), beta)
                                             : torch::zeros({}, out.options());
                auto loss = rec + reg;
                opt.zero_grad();
                loss.backward();
                opt.step();
                if (o.progress && (t % 100 == 0))
                    o.progress(ref.name, t, rec.item<double>(), reg.item<double>());
            }
            rounding->setHard(true);
            {
                torch::NoGradGuard ng;
                rep.mseAdaRound = (layerForwardChunked(ref, xQ) - y).pow(2).mean().item<double>();
                const auto nearest = quantizeCodes(w, grid);
                rep.flippedFraction = (rounding->codes(w, grid) != nearest).to(torch::kDouble).mean().item<double>();
            }
            if (o.progress)
                o.progress(ref.name, o.iterations, rep.mseAdaRound, 0.0);
            rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - unitStart).count();
            reports.push_back(rep);
        }
    } catch (...) {
        restore();
        throw;
    }
    restore();
    return reports;
}

} // namespace dfq::quant
