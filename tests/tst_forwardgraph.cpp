// ZooModelImpl::describe tells exactly the network forward() computes: a ForwardGraph that replays
// the calls with torch (each module's own forward, the same tensor ops) gives the same logits, bit
// for bit, for every zoo family, with quantizers attached and with BN folded.
#include "models/ForwardGraph.h"
#include "models/ModelError.h"
#include "models/ModelZoo.h"
#include "quant/BatchSource.h"
#include "quant/QuantizedModel.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace dfq;

namespace {

/// Values are indices into a list of tensors.
class TorchReplay : public models::ForwardGraph {
public:
    explicit TorchReplay(torch::Tensor x) { values_.push_back(std::move(x)); }
    Value input() override { return "0"; }
    Value conv(models::Conv2dImpl& c, const Value& x) override { return put(c.forward(get(x))); }
    Value batchNorm(models::BatchNorm2dImpl& bn, const Value& x) override { return put(bn.forward(get(x))); }
    Value activation(models::ActivationImpl& a, const Value& x) override { return put(a.forward(get(x))); }
    Value linear(models::LinearImpl& fc, const Value& x) override { return put(fc.forward(get(x))); }
    Value add(const Value& a, const Value& b) override { return put(get(a) + get(b)); }
    Value globalAveragePool(const Value& x) override { return put(at::mean(get(x), {2, 3})); }
    Value maxPool(const Value& x, int64_t k, int64_t s, int64_t p) override {
        return put(at::max_pool2d(get(x), {k, k}, {s, s}, {p, p}));
    }
    Value subsampleAndPadChannels(const Value& x, int64_t s, int64_t before, int64_t after) override {
        using namespace torch::indexing;
        auto t = get(x).index({Slice(), Slice(), Slice(None, None, s), Slice(None, None, s)});
        return put(at::constant_pad_nd(t, {0, 0, 0, 0, before, after}, 0.0));
    }
    void output(const Value& logits) override { out = get(logits); }

    torch::Tensor out;
    int calls = 0;

private:
    Value put(torch::Tensor t) {
        ++calls;
        values_.push_back(std::move(t));
        return std::to_string(values_.size() - 1);
    }
    const torch::Tensor& get(const Value& v) { return values_.at(std::stoul(v)); }
    std::vector<torch::Tensor> values_;
};

torch::Tensor replay(models::ZooModelImpl& m, const torch::Tensor& x, int* calls = nullptr) {
    TorchReplay g(x);
    m.describe(g);
    if (calls)
        *calls = g.calls;
    return g.out;
}

} // namespace

class TestForwardGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyFamilyReplaysExactly_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("size");
        QTest::newRow("resnet20") << "resnet20" << 32;
        QTest::newRow("fmnist_resnet8") << "fmnist_resnet8" << 28;
        QTest::newRow("resnet18") << "resnet18" << 64;
        QTest::newRow("resnet50 (bottleneck)") << "resnet50" << 64;
        QTest::newRow("mobilenet_v2") << "mobilenet_v2" << 64;
    }
    void everyFamilyReplaysExactly() {
        QFETCH(QString, arch);
        QFETCH(int, size);
        torch::manual_seed(3);
        auto m = models::createModel(arch.toStdString());
        m->eval();
        // Non-trivial BN statistics so that a skipped or misplaced BN shows.
        torch::NoGradGuard ng;
        for (auto& b : m->bnLayers()) {
            b.bn->running_mean.uniform_(-0.2, 0.2);
            b.bn->running_var.uniform_(0.5, 1.5);
            b.bn->weight.uniform_(0.5, 1.5);
            b.bn->bias.uniform_(-0.2, 0.2);
        }
        const auto& info = m->info();
        const auto x = torch::randn({2, info.inChannels, size, size});
        int calls = 0;
        const auto y = replay(*m, x, &calls);
        QVERIFY(y.defined());
        QVERIFY2(torch::equal(y, m->forward(x)), "describe() and forward() disagree");
        // Every conv, BN, activation and the classifier appear once.
        const int layers = int(m->quantLayers().size() + m->bnLayers().size() + m->activations().size());
        QVERIFY2(calls >= layers, qPrintable(QStringLiteral("%1 calls for %2 layers").arg(calls).arg(layers)));
    }

    // With quantizers on the modules (their hooks run inside each module's forward) and BN folded.
    void quantizedAndFoldedReplayExactly() {
        for (bool fold : {false, true}) {
            torch::manual_seed(4);
            auto m = models::createModel("resnet20");
            m->eval();
            quant::QuantOptions o;
            o.foldBn = fold;
            o.activationObserver = "minmax";
            quant::QuantizedModel qm(m, quant::buildQuantSpec(*m, quant::LayerPlacement::AllInputs, 4, 4, o));
            quant::GaussianNoiseSource calib({3, 32, 32}, 8, 2, 1);
            qm.calibrate(calib);
            torch::NoGradGuard ng;
            const auto x = torch::randn({2, 3, 32, 32});
            QVERIFY2(torch::equal(replay(*m, x), qm.forward(x)), fold ? "folded" : "unfolded");
        }
    }

    void modelWithoutDescriptionIsAnError() {
        struct Opaque : models::ZooModelImpl {
            torch::Tensor forward(const torch::Tensor& x) override { return x; }
            torch::Tensor features(const torch::Tensor& x) override { return x; }
            torch::Tensor classify(const torch::Tensor& f) override { return f; }
        } m;
        m.info().arch = "opaque";
        TorchReplay g(torch::zeros({1}));
        try {
            m.describe(g);
            QFAIL("no error");
        } catch (const models::ModelError& e) {
            QVERIFY(std::string(e.what()).find("'opaque'") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestForwardGraph)
#include "tst_forwardgraph.moc"
