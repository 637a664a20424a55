#include "quant/MixedPrecision.h"

#include "quant/AdaRound.h"
#include "quant/QuantError.h"
#include "quant/QuantizedModel.h"

#include <torch/torch.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace dfq::quant {

namespace {
void checkTable(const SensitivityTable& t) {
    if (t.layers.empty() || t.bits.empty())
        throw QuantError("mixed precision: empty sensitivity table");
    if (t.weightCounts.size() != t.layers.size() || t.omega.size() != t.layers.size())
        throw QuantError("mixed precision: sensitivity table rows do not match the layers");
    for (const auto& row : t.omega)
        if (row.size() != t.bits.size())
            throw QuantError("mixed precision: sensitivity row does not match the bit candidates");
}
} // namespace

BitAllocation allocateBits(const SensitivityTable& t, int64_t budgetBits) {
    checkTable(t);
    const size_t L = t.layers.size(), K = t.bits.size();
    int64_t g = 0;
    for (size_t i = 0; i < L; ++i)
        for (size_t j = 0; j < K; ++j)
            g = std::gcd(g, t.weightCounts[i] * int64_t(t.bits[j]));
    if (g <= 0)
        g = 1;
    const int64_t B = budgetBits / g; // capacity in units of g (sizes are exact multiples of g)
    int64_t minSize = 0;
    for (size_t i = 0; i < L; ++i)
        minSize += t.weightCounts[i] * *std::min_element(t.bits.begin(), t.bits.end());
    if (minSize > budgetBits)
        throw QuantError("mixed precision: budget of " + std::to_string(budgetBits) +
                         " bits is below the smallest model (" + std::to_string(minSize) + " bits)");
    if (B > 50'000'000)
        throw QuantError("mixed precision: budget too fine-grained for the DP");
    const double inf = std::numeric_limits<double>::infinity();
    // best[c] = min Σ Ω with exact size c (units of g) over the layers so far; choice per layer.
    std::vector<double> best(size_t(B) + 1, inf), next;
    std::vector<std::vector<int8_t>> choice(L, std::vector<int8_t>(size_t(B) + 1, -1));
    best[0] = 0;
    for (size_t i = 0; i < L; ++i) {
        next.assign(size_t(B) + 1, inf);
        for (int64_t c = 0; c <= B; ++c) {
            if (best[size_t(c)] == inf)
                continue;
            for (size_t j = 0; j < K; ++j) {
                const int64_t c2 = c + t.weightCounts[i] * t.bits[j] / g;
                if (c2 > B)
                    continue;
                const double v = best[size_t(c)] + t.omega[i][j];
                if (v < next[size_t(c2)]) {
                    next[size_t(c2)] = v;
                    choice[i][size_t(c2)] = int8_t(j);
                }
            }
        }
        best.swap(next);
    }
    int64_t bestC = -1;
    for (int64_t c = 0; c <= B; ++c)
        if (best[size_t(c)] < inf && (bestC < 0 || best[size_t(c)] < best[size_t(bestC)]))
            bestC = c; // strict '<' keeps the smallest size among ties
    BitAllocation a;
    a.bits.assign(L, 0);
    a.totalOmega = best[size_t(bestC)];
    int64_t c = bestC;
    for (size_t i = L; i-- > 0;) {
        const int j = choice[i][size_t(c)];
        a.bits[i] = t.bits[size_t(j)];
        c -= t.weightCounts[i] * t.bits[size_t(j)] / g;
        a.sizeBits += t.weightCounts[i] * t.bits[size_t(j)];
    }
    return a;
}

BitAllocation allocateBitsBruteForce(const SensitivityTable& t, int64_t budgetBits) {
    checkTable(t);
    const size_t L = t.layers.size(), K = t.bits.size();
    std::vector<size_t> idx(L, 0);
    BitAllocation best;
    best.totalOmega = std::numeric_limits<double>::infinity();
    while (true) {
        int64_t size = 0;
        double om = 0;
        for (size_t i = 0; i < L; ++i) {
            size += t.weightCounts[i] * t.bits[idx[i]];
            om += t.omega[i][idx[i]];
        }
        if (size <= budgetBits && (om < best.totalOmega || (om == best.totalOmega && size < best.sizeBits))) {
            best.totalOmega = om;
            best.sizeBits = size;
            best.bits.clear();
            for (size_t i = 0; i < L; ++i)
                best.bits.push_back(t.bits[idx[i]]);
        }
        size_t p = 0;
        while (p < L && ++idx[p] == K)
            idx[p++] = 0;
        if (p == L)
            break;
    }
    if (best.bits.empty())
        throw QuantError("mixed precision: no allocation fits the budget");
    return best;
}

SensitivityTable measureSensitivity(models::ZooModel model, const QuantSpec& spec, BatchSource& source,
                                    const std::vector<int>& candidates, int64_t maxImages) {
    for (int b : candidates)
        validateBits(b, "mixed precision candidate");
    const auto images = collectImages(source, maxImages);
    torch::NoGradGuard ng;
    const bool wasTraining = model->is_training();
    model->eval();
    auto logProbs = [&](const torch::Tensor& x) {
        std::vector<torch::Tensor> out;
        for (int64_t s = 0; s < x.size(0); s += 256)
            out.push_back(torch::log_softmax(model->forward(x.narrow(0, s, std::min<int64_t>(256, x.size(0) - s))), 1));
        return torch::cat(out, 0);
    };
    const auto ref = logProbs(images);
    SensitivityTable t;
    t.bits = candidates;
    std::map<std::string, int64_t> counts;
    for (auto& l : model->quantLayers())
        counts[l.name] = l.weightCount();
    for (const auto& ls : spec.layers) {
        if (!ls.weight.quantized())
            continue;
        t.layers.push_back(ls.name);
        t.weightCounts.push_back(counts.at(ls.name));
        std::vector<double> row;
        for (int k : candidates) {
            QuantSpec one;
            one.arch = spec.arch;
            one.placement = spec.placement;
            one.weightBits = k;
            one.activationBits = kFloatBits;
            one.foldBn = false;
            LayerQuantSpec l = ls;
            l.weight.bits = k;
            l.input.bits = kFloatBits;
            one.layers.push_back(l);
            QuantizedModel qm(model, one);
            qm.setMode(QuantMode::Frozen);
            const auto lq = logProbs(images);
            // KL(P ‖ Q) per image = Σ p (log p − log q), then the mean over images.
            // In double, clamped at 0: KL is non-negative, and float cancellation at 8 bits can give -1e-9.
            const auto r64 = ref.to(torch::kDouble), q64 = lq.to(torch::kDouble);
            const double kl = (r64.exp() * (r64 - q64)).sum(1).mean().item<double>();
            row.push_back(std::max(0.0, kl));
        }
        t.omega.push_back(row);
    }
    model->train(wasTraining);
    return t;
}

QuantSpec applyAllocation(QuantSpec spec, const SensitivityTable& t, const BitAllocation& a) {
    for (size_t i = 0; i < t.layers.size(); ++i)
        for (auto& l : spec.layers)
            if (l.name == t.layers[i])
                l.weight.bits = a.bits[i];
    return spec;
}

} // namespace dfq::quant
