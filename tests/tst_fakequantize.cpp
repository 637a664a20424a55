// Fake quantization: hand-worked values (2/4/8 bits, asymmetric / symmetric signed / unsigned,
// round-half-to-even ties, clamping, per-channel), straight-through gradients, and LSQ step
// gradients against numbers worked out by hand in the comments.
#include "quant/FakeQuantize.h"
#include "quant/QuantError.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace dfq::quant;

namespace {

torch::Tensor t(std::vector<float> v) { return torch::tensor(v, torch::kFloat); }
torch::Tensor s(float v) { return torch::tensor(v); }

bool same(const torch::Tensor& a, const torch::Tensor& b, double tol = 0.0) {
    if (a.sizes() != b.sizes())
        return false;
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>() <= tol;
}

#define CHECK_TENSOR(a, b, tol)                                                                            \
    QVERIFY2(same((a), (b), (tol)), qPrintable(QString::fromStdString(c10::str("got ", (a), "\nexpected ", (b)))))

} // namespace

class TestFakeQuantize : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ranges() {
        QCOMPARE(quantRange(2, QuantScheme::Asymmetric).qmax, int64_t(3));
        QCOMPARE(quantRange(8, QuantScheme::Asymmetric).qmin, int64_t(0));
        QCOMPARE(quantRange(8, QuantScheme::SymmetricSigned).qmin, int64_t(-127)); // restricted range
        QCOMPARE(quantRange(8, QuantScheme::SymmetricSigned).qmax, int64_t(127));
        QCOMPARE(quantRange(2, QuantScheme::SymmetricSigned).qmin, int64_t(-1));   // ternary
        QCOMPARE(quantRange(4, QuantScheme::SymmetricUnsigned).qmax, int64_t(15));
        QVERIFY_THROWS_EXCEPTION(QuantError, quantRange(1, QuantScheme::Asymmetric));
        QVERIFY_THROWS_EXCEPTION(QuantError, quantRange(9, QuantScheme::Asymmetric));
    }

    void asymmetric2bit() {
        // min -1, max 2: Δ = 3/3 = 1, z = round(1) = 1, codes [0, 3].
        QuantParams p = computeQuantParams(s(-1), s(2), 2, QuantScheme::Asymmetric);
        QCOMPARE(p.scale.item<float>(), 1.0f);
        QCOMPARE(p.zeroPoint.item<float>(), 1.0f);
        // x/Δ:      -1.7  -1  -0.5  0.5  1.5  2.5  3
        // round:    -2    -1  -0    0    2    2    3     (ties to even)
        // +z:       -1     0   1    1    3    3    4
        // clamp:     0     0   1    1    3    3    3
        // (q-z)Δ:   -1    -1   0    0    2    2    2
        const torch::Tensor x = t({-1.7f, -1.f, -0.5f, 0.5f, 1.5f, 2.5f, 3.f});
        CHECK_TENSOR(fakeQuantize(x, p), t({-1, -1, 0, 0, 2, 2, 2}), 0.0);
        CHECK_TENSOR(quantizeCodes(x, p), t({0, 0, 1, 1, 3, 3, 3}), 0.0);
        CHECK_TENSOR(dequantizeCodes(quantizeCodes(x, p), p), fakeQuantize(x, p), 0.0);
    }

    void asymmetric4bit() {
        // min -1.25, max 2.5: Δ = 3.75/15 = 0.25, z = round(5) = 5, codes [0, 15].
        QuantParams p = computeQuantParams(s(-1.25f), s(2.5f), 4, QuantScheme::Asymmetric);
        QCOMPARE(p.scale.item<float>(), 0.25f);
        QCOMPARE(p.zeroPoint.item<float>(), 5.0f);
        // x/Δ: 0.5 -> 0 (q 5, 0);  1.5 -> 2 (q 7, 0.5);  2.5 -> 2 (q 7, 0.5);  -6 -> q -1 -> 0 (-1.25);
        //      11 -> q 16 -> 15 (2.5);  -0.5 -> -0 (q 5, 0)
        const torch::Tensor x = t({0.125f, 0.375f, 0.625f, -1.5f, 2.75f, -0.125f});
        CHECK_TENSOR(fakeQuantize(x, p), t({0, 0.5f, 0.5f, -1.25f, 2.5f, 0}), 0.0);
        CHECK_TENSOR(p.rangeMin(), s(-1.25f), 0.0);
        CHECK_TENSOR(p.rangeMax(), s(2.5f), 0.0);
    }

    void asymmetric8bit() {
        // min -127.5/64, max 127.5/64: Δ = 255/64/255 = 1/64 (exact in float), z = round(127.5) = 128
        // (a tie: to even). Representable range [(0-128)/64, (255-128)/64] = [-2, 1.984375].
        //   1.9921875 -> 127.5 -> 128 -> q 256 -> 255 -> 127/64 = 1.984375   (tie, then clamp)
        //   -2.5 -> -160 -> q -32 -> 0 -> -2                                   (clamp)
        //   0.0234375 -> 1.5 -> 2 -> 2/64 = 0.03125;  0.0390625 -> 2.5 -> 2 -> 0.03125 (ties)
        //   0.5 -> 32 -> 0.5
        QuantParams p = computeQuantParams(s(-1.9921875f), s(1.9921875f), 8, QuantScheme::Asymmetric);
        QCOMPARE(p.zeroPoint.item<float>(), 128.0f);
        QCOMPARE(p.scale.item<float>(), 1.0f / 64.0f);
        CHECK_TENSOR(fakeQuantize(t({1.9921875f, -2.5f, 0.0234375f, 0.0390625f, 0.5f}), p),
                     t({1.984375f, -2.0f, 0.03125f, 0.03125f, 0.5f}), 0.0);
        // A Δ that is not a power of two (2/255): values still land on the grid k·Δ within float error.
        QuantParams q = computeQuantParams(s(-1), s(1), 8, QuantScheme::Asymmetric);
        QVERIFY(std::abs(q.scale.item<float>() - 2.0f / 255.0f) < 1e-9);
        const double d = q.scale.item<double>();
        const double z = q.zeroPoint.item<double>();
        CHECK_TENSOR(fakeQuantize(t({-1.1f, 0.0f, 0.5f}), q), t({float(-z * d), 0.0f, float(64 * d)}), 1e-6);
    }

    void rangeWidenedToZero() {
        // All-positive range [0.5, 2]: widened to [0, 2] so 0 is exact: Δ = 2/3, z = 0.
        QuantParams p = computeQuantParams(s(0.5f), s(2.0f), 2, QuantScheme::Asymmetric);
        QCOMPARE(p.zeroPoint.item<float>(), 0.0f);
        QVERIFY(std::abs(p.scale.item<float>() - 2.0f / 3.0f) < 1e-7);
        CHECK_TENSOR(fakeQuantize(t({0.0f}), p), t({0.0f}), 0.0);
        // Degenerate range: zeros stay zero, no division by zero.
        QuantParams z = computeQuantParams(s(0), s(0), 4, QuantScheme::Asymmetric);
        QCOMPARE(z.scale.item<float>(), float(kMinScale));
        CHECK_TENSOR(fakeQuantize(torch::zeros({3}), z), torch::zeros({3}), 0.0);
    }

    void symmetricSigned() {
        // 8 bit: max|x| = 15.875 = 127·0.125 -> Δ = 0.125, codes [-127, 127].
        QuantParams p8 = computeQuantParams(s(-3), s(15.875f), 8, QuantScheme::SymmetricSigned);
        QCOMPARE(p8.scale.item<float>(), 0.125f);
        QCOMPARE(p8.zeroPoint.item<float>(), 0.0f);
        // 0.5 -> 0; 1.5 -> 2; -1.5 -> -2; 160 -> 127; -160 -> -127; -128 -> -127 (no -128 code)
        CHECK_TENSOR(fakeQuantize(t({0.0625f, 0.1875f, -0.1875f, 20.f, -20.f, -16.f}), p8),
                     t({0, 0.25f, -0.25f, 15.875f, -15.875f, -15.875f}), 0.0);
        // 4 bit: max|x| = 1.75 (from the negative side) -> Δ = 0.25, codes [-7, 7].
        QuantParams p4 = computeQuantParams(s(-1.75f), s(1.0f), 4, QuantScheme::SymmetricSigned);
        QCOMPARE(p4.scale.item<float>(), 0.25f);
        // 1.5 -> 2; 2.5 -> 2; -8 -> -7; 7.2 -> 7; -0.5 -> -0
        CHECK_TENSOR(fakeQuantize(t({0.375f, 0.625f, -2.f, 1.8f, -0.125f}), p4), t({0.5f, 0.5f, -1.75f, 1.75f, 0}),
                     0.0);
        // 2 bit: ternary, Δ = 0.5: 0.5 -> 0; 0.52 -> 1; -1.5 -> -2 -> -1; 1.5 -> 2 -> 1
        QuantParams p2 = computeQuantParams(s(-0.5f), s(0.5f), 2, QuantScheme::SymmetricSigned);
        CHECK_TENSOR(fakeQuantize(t({0.25f, 0.26f, -0.75f, 0.75f}), p2), t({0, 0.5f, -0.5f, 0.5f}), 0.0);
    }

    void symmetricUnsigned() {
        // Post-ReLU: max 3 at 2 bits -> Δ = 3/3 = 1, codes [0, 3]: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 4 -> 3, -1 -> 0.
        QCOMPARE(int(chooseScheme(true, s(0))), int(QuantScheme::SymmetricUnsigned));
        QCOMPARE(int(chooseScheme(true, s(-0.1f))), int(QuantScheme::SymmetricSigned));
        QCOMPARE(int(chooseScheme(false, s(0))), int(QuantScheme::Asymmetric));
        QuantParams p = computeQuantParams(s(0), s(3), 2, QuantScheme::SymmetricUnsigned);
        QCOMPARE(p.scale.item<float>(), 1.0f);
        CHECK_TENSOR(fakeQuantize(t({0.5f, 1.5f, 2.5f, 4.f, -1.f}), p), t({0, 2, 2, 3, 0}), 0.0);
    }

    void perChannel() {
        // Row 0: [-1, 2] at 2 bits -> Δ 1, z 1. Row 1: [-0.5, 1] -> Δ 0.5, z round(1) = 1.
        const torch::Tensor w = torch::tensor({{-1.0f, 0.0f, 2.0f, 0.6f}, {-0.5f, 0.25f, 1.0f, 0.75f}});
        QuantParams p = computeQuantParams(w.amin(1), w.amax(1), 2, QuantScheme::Asymmetric);
        QVERIFY(p.perChannel());
        CHECK_TENSOR(p.scale, t({1.0f, 0.5f}), 0.0);
        CHECK_TENSOR(p.zeroPoint, t({1.0f, 1.0f}), 0.0);
        // row 1: 0.25/0.5 = 0.5 -> 0 (tie) -> 0;  0.75/0.5 = 1.5 -> 2 -> q 3 -> 1.0
        CHECK_TENSOR(fakeQuantize(w, p), torch::tensor({{-1.0f, 0.0f, 2.0f, 1.0f}, {-0.5f, 0.0f, 1.0f, 1.0f}}), 0.0);
        // Conv-shaped weight [2, 1, 2, 2] uses the same per-channel parameters along dim 0.
        CHECK_TENSOR(fakeQuantize(w.reshape({2, 1, 2, 2}), p), fakeQuantize(w, p).reshape({2, 1, 2, 2}), 0.0);
        QVERIFY_THROWS_EXCEPTION(QuantError, fakeQuantize(torch::zeros({3, 4}), p));
    }

    void steGradients() {
        QuantParams p = computeQuantParams(s(-1), s(2), 2, QuantScheme::Asymmetric);
        // Raw codes round(x/Δ)+z: -1, 0, 1, 1, 3, 3, 4 -> inside [0, 3] except the first and last.
        const torch::Tensor x0 = t({-1.7f, -1.f, -0.5f, 0.5f, 1.5f, 2.5f, 3.f});
        torch::Tensor x = x0.clone().set_requires_grad(true);
        fakeQuantize(x, p, SteMode::PassThrough).mul(t({1, 2, 3, 4, 5, 6, 7})).sum().backward();
        CHECK_TENSOR(x.grad(), t({1, 2, 3, 4, 5, 6, 7}), 0.0); // unchanged everywhere (GDFQ weights)
        torch::Tensor y = x0.clone().set_requires_grad(true);
        fakeQuantize(y, p, SteMode::Clipped).sum().backward();
        CHECK_TENSOR(y.grad(), t({0, 1, 1, 1, 1, 1, 0}), 0.0);
    }

    void lsqForwardAndGradients() {
        // x = [0.3, -1.2, 2.6, 0.74, -0.2], s = 0.5, Qn = 2, Qp = 3 -> v = x/s = [0.6, -2.4, 5.2, 1.48, -0.4]
        // forward: round(clamp(v, -2, 3))·s = [1, -2, 3, 1, -0]·0.5 = [0.5, -1, 1.5, 0.5, 0]
        // ∂x̂/∂s: 0.6 -> round-v = 0.4; -2.4 <= -Qn -> -2; 5.2 >= Qp -> 3; 1.48 -> -0.48; -0.4 -> 0.4
        // loss = Σ c_i x̂_i with c = [1,2,3,4,5]: ∂L/∂s = 0.4 - 4 + 9 - 1.92 + 2.0 = 5.48, times
        // g = 1/sqrt(N·Qp) = 1/sqrt(15): 5.48/sqrt(15) = 1.414932...
        // ∂L/∂x = c where -Qn < v < Qp: [1, 0, 0, 4, 5]
        torch::Tensor x = t({0.3f, -1.2f, 2.6f, 0.74f, -0.2f}).set_requires_grad(true);
        torch::Tensor step = s(0.5f).set_requires_grad(true);
        QCOMPARE(lsqGradScale(5, 3), 1.0 / std::sqrt(15.0));
        torch::Tensor out = lsqFakeQuantize(x, step, -2, 3);
        CHECK_TENSOR(out, t({0.5f, -1.0f, 1.5f, 0.5f, 0.0f}), 0.0);
        out.mul(t({1, 2, 3, 4, 5})).sum().backward();
        QVERIFY2(std::abs(step.grad().item<double>() - 5.48 / std::sqrt(15.0)) < 1e-5,
                 qPrintable(QString::number(step.grad().item<double>(), 'g', 10)));
        CHECK_TENSOR(x.grad(), t({1, 0, 0, 4, 5}), 0.0);

        // Explicit g = 1: the raw sum 5.48.
        torch::Tensor step1 = s(0.5f).set_requires_grad(true);
        lsqFakeQuantize(x.detach(), step1, -2, 3, 1.0).mul(t({1, 2, 3, 4, 5})).sum().backward();
        QVERIFY(std::abs(step1.grad().item<double>() - 5.48) < 1e-5);
    }

    void lsqPerChannel() {
        // Rows [0.3, 2.6] and [0.74, -0.2], steps [0.5, 0.5], bounds [-2, 3]:
        // row 0: 0.4 + 3 = 3.4; row 1: -0.48 + 0.4 = -0.08; g = 1/sqrt((4/2)·3) = 1/sqrt(6).
        torch::Tensor x = torch::tensor({{0.3f, 2.6f}, {0.74f, -0.2f}});
        torch::Tensor step = t({0.5f, 0.5f}).set_requires_grad(true);
        lsqFakeQuantize(x, step, -2, 3).sum().backward();
        CHECK_TENSOR(step.grad(), t({float(3.4 / std::sqrt(6.0)), float(-0.08 / std::sqrt(6.0))}), 1e-5);
        // A step of 0.25 in row 1 changes only row 1's output.
        torch::Tensor out = lsqFakeQuantize(x, t({0.5f, 0.25f}), -2, 3);
        CHECK_TENSOR(out, torch::tensor({{0.5f, 1.5f}, {0.75f, -0.25f}}), 0.0);
        QVERIFY_THROWS_EXCEPTION(QuantError, lsqFakeQuantize(x, step, 3, 3));
    }
};

QTEST_GUILESS_MAIN(TestFakeQuantize)
#include "tst_fakequantize.moc"
