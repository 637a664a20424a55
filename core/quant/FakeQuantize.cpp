#include "quant/FakeQuantize.h"

#include "quant/QuantError.h"

#include <torch/autograd.h>

#include <cmath>
#include <string>

namespace dfq::quant {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

const char* schemeName(QuantScheme s) {
    switch (s) {
    case QuantScheme::Asymmetric: return "asymmetric";
    case QuantScheme::SymmetricSigned: return "symmetric-signed";
    case QuantScheme::SymmetricUnsigned: return "symmetric-unsigned";
    }
    return "?";
}

QuantRange quantRange(int bits, QuantScheme scheme) {
    if (bits < 2 || bits > 8)
        throw QuantError("quantRange: bits must be in 2..8, got " + std::to_string(bits));
    if (scheme == QuantScheme::SymmetricSigned) {
        const int64_t m = (int64_t(1) << (bits - 1)) - 1;
        return {-m, m};
    }
    return {0, (int64_t(1) << bits) - 1};
}

QuantScheme chooseScheme(bool symmetric, const torch::Tensor& min) {
    if (!symmetric)
        return QuantScheme::Asymmetric;
    return min.ge(0).all().item<bool>() ? QuantScheme::SymmetricUnsigned : QuantScheme::SymmetricSigned;
}

torch::Tensor QuantParams::rangeMin() const { return (double(qmin) - zeroPoint) * scale; }
torch::Tensor QuantParams::rangeMax() const { return (double(qmax) - zeroPoint) * scale; }

QuantParams computeQuantParams(const torch::Tensor& minIn, const torch::Tensor& maxIn, int bits, QuantScheme scheme) {
    if (minIn.sizes() != maxIn.sizes() || minIn.dim() > 1)
        throw QuantError("computeQuantParams: min and max must both be [] or both [C]");
    torch::NoGradGuard ng;
    const QuantRange r = quantRange(bits, scheme);
    const torch::Tensor mn = minIn.detach().to(torch::kFloat).clamp_max(0.0);
    const torch::Tensor mx = maxIn.detach().to(torch::kFloat).clamp_min(0.0);
    QuantParams p;
    p.bits = bits;
    p.scheme = scheme;
    p.qmin = r.qmin;
    p.qmax = r.qmax;
    switch (scheme) {
    case QuantScheme::Asymmetric:
        p.scale = ((mx - mn) / double(r.qmax)).clamp_min(kMinScale);
        p.zeroPoint = torch::round(-mn / p.scale).clamp(0.0, double(r.qmax));
        break;
    case QuantScheme::SymmetricSigned:
        p.scale = (torch::maximum(mn.abs(), mx) / double(r.qmax)).clamp_min(kMinScale);
        p.zeroPoint = torch::zeros_like(p.scale);
        break;
    case QuantScheme::SymmetricUnsigned:
        p.scale = (mx / double(r.qmax)).clamp_min(kMinScale);
        p.zeroPoint = torch::zeros_like(p.scale);
        break;
    }
    return p;
}

torch::Tensor broadcastAlongDim0(const torch::Tensor& param, const torch::Tensor& x) {
    if (param.dim() == 0)
        return param;
    if (x.dim() == 0 || x.size(0) != param.size(0))
        throw QuantError("per-channel quantizer with " + std::to_string(param.size(0)) +
                         " channels applied to a tensor of shape " + c10::str(x.sizes()));
    std::vector<int64_t> shape(size_t(x.dim()), 1);
    shape[0] = param.size(0);
    return param.reshape(shape);
}

namespace {

torch::Tensor codesOf(const torch::Tensor& x, const torch::Tensor& s, const torch::Tensor& z, const QuantParams& p) {
    return (torch::round(x / s) + z).clamp(double(p.qmin), double(p.qmax));
}

/// Fake quantization with the STE as an explicit backward, so the forward value is exactly x̂
/// (the detach trick x + (x̂ - x).detach() would add a rounding error of its own).
struct FakeQuantFunction : public torch::autograd::Function<FakeQuantFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& s,
                                 const torch::Tensor& z, int64_t qmin, int64_t qmax, bool clipped) {
        const torch::Tensor raw = torch::round(x / s) + z;
        const torch::Tensor q = raw.clamp(double(qmin), double(qmax));
        if (clipped)
            ctx->save_for_backward({raw.ge(double(qmin)).logical_and(raw.le(double(qmax)))});
        ctx->saved_data["clipped"] = clipped;
        return (q - z) * s;
    }
    static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
        torch::Tensor g = grads[0];
        if (ctx->saved_data["clipped"].toBool())
            g = g * ctx->get_saved_variables()[0].to(g.scalar_type());
        return {g, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

struct LsqFunction : public torch::autograd::Function<LsqFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& step,
                                 int64_t qlo, int64_t qhi, double g) {
        const torch::Tensor s = broadcastAlongDim0(step, x);
        const torch::Tensor v = x / s;
        ctx->save_for_backward({v, step});
        ctx->saved_data["qlo"] = qlo;
        ctx->saved_data["qhi"] = qhi;
        ctx->saved_data["g"] = g;
        return torch::round(v.clamp(double(qlo), double(qhi))) * s;
    }
    static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor& v = saved[0];
        const torch::Tensor& step = saved[1];
        const double qlo = double(ctx->saved_data["qlo"].toInt());
        const double qhi = double(ctx->saved_data["qhi"].toInt());
        const double g = ctx->saved_data["g"].toDouble();
        const torch::Tensor& go = grads[0];
        const torch::Tensor below = v.le(qlo), above = v.ge(qhi);
        const torch::Tensor inside = below.logical_or(above).logical_not();
        const torch::Tensor gx = go * inside.to(go.scalar_type());
        torch::Tensor ds = torch::where(inside, torch::round(v) - v,
                                        torch::where(below, torch::full_like(v, qlo), torch::full_like(v, qhi)));
        torch::Tensor gs = go * ds;
        if (step.dim() == 0)
            gs = gs.sum();
        else
            gs = gs.reshape({gs.size(0), -1}).sum(1);
        return {gx, gs * g, torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

torch::Tensor fakeQuantize(const torch::Tensor& x, const QuantParams& p, SteMode ste) {
    if (!p.defined())
        throw QuantError("fakeQuantize: quantizer parameters are not set (range not calibrated)");
    const torch::Tensor s = broadcastAlongDim0(p.scale.to(x.device()), x);
    const torch::Tensor z = broadcastAlongDim0(p.zeroPoint.to(x.device()), x);
    return FakeQuantFunction::apply(x, s, z, p.qmin, p.qmax, ste == SteMode::Clipped);
}

torch::Tensor quantizeCodes(const torch::Tensor& x, const QuantParams& p) {
    torch::NoGradGuard ng;
    return codesOf(x, broadcastAlongDim0(p.scale, x), broadcastAlongDim0(p.zeroPoint, x), p);
}

torch::Tensor dequantizeCodes(const torch::Tensor& q, const QuantParams& p) {
    return (q - broadcastAlongDim0(p.zeroPoint, q)) * broadcastAlongDim0(p.scale, q);
}

double lsqGradScale(int64_t numelPerStep, int64_t qp) {
    return 1.0 / std::sqrt(double(std::max<int64_t>(numelPerStep, 1)) * double(std::max<int64_t>(qp, 1)));
}

torch::Tensor lsqFakeQuantize(const torch::Tensor& x, const torch::Tensor& step, int64_t qlo, int64_t qhi,
                              double gradScale) {
    if (qlo >= qhi)
        throw QuantError("lsqFakeQuantize: need qlo < qhi, got [" + std::to_string(qlo) + ", " +
                         std::to_string(qhi) + "]");
    if (step.dim() > 1)
        throw QuantError("lsqFakeQuantize: step must be [] or [C]");
    const double g = gradScale >= 0 ? gradScale : lsqGradScale(x.numel() / std::max<int64_t>(step.numel(), 1), qhi);
    return LsqFunction::apply(x, step, qlo, qhi, g);
}

} // namespace dfq::quant
