#pragma once
// Uniform fake quantization (quantize then dequantize, in float) with straight-through gradients,
// and LSQ learnable step sizes. Everything here is stateless: the ranges come from observers
// (Observers.h), the hooks that apply them to a model live in QuantHooks.h.
//
// Rules (k = bits, 2..8; x any float tensor; Δ = scale, z = zero point):
//
//   Asymmetric (GDFQ family default, §0 of methods.md):
//       the range is first widened to contain 0: min <- min(min, 0), max <- max(max, 0), so that
//       0 (zero padding, ReLU zeros) is exactly representable, as integer runtimes require;
//       Δ = (max - min) / (2^k - 1)
//       z = clamp(round(-min / Δ), 0, 2^k - 1)
//       q = clamp(round(x / Δ) + z, 0, 2^k - 1),   x̂ = (q - z) · Δ
//   Symmetric signed (weights or signed activations under a symmetric spec):
//       Δ = max(|min|, |max|) / (2^(k-1) - 1),    z = 0
//       q = clamp(round(x / Δ), -(2^(k-1) - 1), 2^(k-1) - 1)
//       We use the RESTRICTED range (no -2^(k-1) code): the grid is then symmetric, ±max|x| map
//       exactly to ±qmax and negation is exact; the extra negative code could never be reached by a
//       scale derived from max|x| anyway, and int8 kernels that avoid accumulator overflow (VNNI,
//       ARM dot products) assume [-127, 127]. At k = 2 this is ternary {-1, 0, 1}.
//   Symmetric unsigned (post-ReLU tensors under a symmetric spec, chosen when min >= 0):
//       Δ = max / (2^k - 1),  z = 0,  q = clamp(round(x / Δ), 0, 2^k - 1)
//
//   round() is round-half-to-even (torch::round, like torch.round): 0.5 -> 0, 1.5 -> 2, 2.5 -> 2,
//   -0.5 -> -0. x / Δ is a true division (not x · (1/Δ)), so hand-worked ties are exact.
//   A degenerate range (max == min, e.g. an all-zero channel) gets Δ = kMinScale so that zeros stay 0.
//
// Granularity: a scale of shape [] is per tensor; a scale of shape [C] is per channel along dim 0
// (output channels of a Conv2d weight [out,in/g,kh,kw] or a Linear weight [out,in]).
//
// Straight-through estimator (gradient w.r.t. x; scale and zero point get none):
//   SteMode::PassThrough: gradient passed unchanged everywhere (GDFQ, for weights: the clipping
//                         range is the weight's own min/max so nothing is clipped anyway).
//   SteMode::Clipped:     gradient passed where round(x/Δ)+z lies in [qmin, qmax], zero outside
//                         (activations with frozen ranges: values beyond the range cannot move the
//                         output, so pretending they can misleads training). Same mask as PyTorch's
//                         fake_quantize_per_tensor_affine.
#include <torch/types.h>

#include <cstdint>

namespace dfq::quant {

enum class QuantScheme {
    Asymmetric,        ///< q in [0, 2^k-1], integer zero point
    SymmetricSigned,   ///< q in [-(2^(k-1)-1), 2^(k-1)-1], zero point 0
    SymmetricUnsigned, ///< q in [0, 2^k-1], zero point 0
};
const char* schemeName(QuantScheme s);

enum class SteMode { PassThrough, Clipped };

/// Smallest scale used for a degenerate (zero-width) range.
constexpr double kMinScale = 1e-8;

/// Integer code range [qmin, qmax] of a scheme at k bits (k in 2..8; 32 is not quantized).
struct QuantRange {
    int64_t qmin = 0, qmax = 0;
};
QuantRange quantRange(int bits, QuantScheme scheme);

/// Asymmetric when !symmetric; otherwise unsigned when every channel's min >= 0, signed otherwise.
QuantScheme chooseScheme(bool symmetric, const torch::Tensor& min);

/// Frozen quantizer parameters. scale and zeroPoint are float32 of shape [] (per tensor) or [C]
/// (per channel along dim 0); zeroPoint holds integers (0 for the symmetric schemes).
struct QuantParams {
    torch::Tensor scale, zeroPoint;
    int64_t qmin = 0, qmax = 0;
    int bits = 8;
    QuantScheme scheme = QuantScheme::Asymmetric;
    bool defined() const { return scale.defined(); }
    bool perChannel() const { return scale.dim() == 1; }
    /// The represented range [(qmin - z)·Δ, (qmax - z)·Δ], same shape as scale.
    torch::Tensor rangeMin() const;
    torch::Tensor rangeMax() const;
};

/// Parameters for the range [min, max] (both [] or both [C]) by the rules above.
QuantParams computeQuantParams(const torch::Tensor& min, const torch::Tensor& max, int bits, QuantScheme scheme);

/// x̂ = (clamp(round(x/Δ)+z, qmin, qmax) - z)·Δ with the chosen straight-through gradient.
/// Per-channel params need x.size(0) == C.
torch::Tensor fakeQuantize(const torch::Tensor& x, const QuantParams& p, SteMode ste = SteMode::PassThrough);

/// The integer codes q = clamp(round(x/Δ)+z, qmin, qmax) as a float tensor (no gradient); for
/// export and tests. dequantize(q) = (q - z)·Δ.
torch::Tensor quantizeCodes(const torch::Tensor& x, const QuantParams& p);
torch::Tensor dequantizeCodes(const torch::Tensor& q, const QuantParams& p);

/// Reshapes a [] or [C] parameter to broadcast against x along dim 0 ([C,1,1,...]).
torch::Tensor broadcastAlongDim0(const torch::Tensor& param, const torch::Tensor& x);

// ---- LSQ (Esser et al., ICLR 2020) ------------------------------------------------------------
// Forward: v = x / s,  x̂ = round(clamp(v, -Qn, Qp)) · s    (s = step, learnable, > 0)
// Backward (the paper's eq. 3 and 5):
//   ∂x̂/∂x = 1 if -Qn < v < Qp, else 0
//   ∂x̂/∂s = round(v) - v if -Qn < v < Qp;  -Qn if v <= -Qn;  Qp if v >= Qp
//   the step's gradient is the sum over the elements it governs, times g.
// g = 1 / sqrt(N · Qp) with N the number of elements one step governs (x.numel() per tensor,
// x.numel()/C per channel: each channel's step only sees its own elements), see lsqGradScale().
// A fixed integer zero point z folds into the bounds: -Qn = qmin - z, Qp = qmax - z.

/// g = 1 / sqrt(numelPerStep · Qp); Qp is taken as at least 1.
double lsqGradScale(int64_t numelPerStep, int64_t qp);

/// LSQ fake quantization as a custom autograd function. step: [] or [C] (per channel along dim 0),
/// positive. qlo = -Qn, qhi = Qp (integers, qlo < qhi). gradScale: g; pass < 0 for the default
/// lsqGradScale(x.numel() / step.numel(), qhi).
torch::Tensor lsqFakeQuantize(const torch::Tensor& x, const torch::Tensor& step, int64_t qlo, int64_t qhi,
                              double gradScale = -1.0);

} // namespace dfq::quant
