// The generator-student loop (generative/JointTrainer) and its generators: output shapes for the
// teacher geometries the product meets, a student that learns, a killed-and-resumed run that ends with
// the same student as an uninterrupted one, and the bad inputs (zero budget, diverging generator).
#include "generative/ConditionalGenerator.h"
#include "generative/GenerativeError.h"
#include "generative/JointTrainer.h"
#include "models/ModelZoo.h"
#include "pipeline/QuantizedState.h"
#include "quant/QatDistiller.h"
#include "quant/QuantSpec.h"

#include <QtTest/QtTest>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

using namespace dfq;
using namespace dfq::generative;

namespace {

// A small, fixed teacher: the Fashion-MNIST ResNet-8 with seeded weights and non-trivial BN statistics.
models::ZooModel teacher() {
    torch::manual_seed(3);
    auto m = models::createModel("fmnist_resnet8");
    torch::NoGradGuard ng;
    for (auto& bn : m->bnLayers()) {
        bn.bn->running_mean.uniform_(-0.5, 0.5);
        bn.bn->running_var.uniform_(0.5, 1.5);
    }
    m->eval();
    return m;
}

nlohmann::json tiny() {
    return {{"epochs", 3},        {"iters_per_epoch", 2}, {"batch_size", 8},   {"warmup_epochs", 1},
            {"range_epochs", 2},  {"lr_milestones", "2"}, {"probe_per_class", 2}, {"latent_dim", 16},
            {"generator_width", 16}};
}

/// conv(1->4) -> ReLU -> mean -> linear(4->10) on 28x28: a classifier with no BatchNorm at all.
class NoBnNet : public models::ZooModelImpl {
public:
    NoBnNet() {
        conv = register_module("conv", models::Conv2d(models::Conv2dOptions{1, 4, 3, 1, 1}));
        fc = register_module("fc", models::Linear(4, 10));
        info_.arch = "nobn_net";
        info_.inChannels = 1;
        info_.inHeight = info_.inWidth = 28;
        info_.numClasses = 10;
        info_.normalization = "none";
    }
    torch::Tensor features(const torch::Tensor& x) override { return torch::relu(conv(x)).mean({2, 3}); }
    torch::Tensor classify(const torch::Tensor& f) override { return fc(f); }
    torch::Tensor forward(const torch::Tensor& x) override { return classify(features(x)); }
    models::Conv2d conv{nullptr};
    models::Linear fc{nullptr};
};

quant::QuantSpec w4a4(models::ZooModelImpl& m) { return quant::buildQuantSpec(m, quant::LayerPlacement::Gdfq, 4, 4); }

torch::Tensor probeInput() {
    auto g = at::detail::createCPUGenerator(11);
    return torch::randn({4, 1, 28, 28}, g);
}

} // namespace

class TestJointTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void generatorShapes_data() {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<int>("c");
        QTest::addColumn<int>("h");
        QTest::newRow("embedding 28x28x1") << "embedding" << 1 << 28;
        QTest::newRow("embedding 32x32x3") << "embedding" << 3 << 32;
        QTest::newRow("auto 224x224x3 (cbn)") << "auto" << 3 << 224;
        QTest::newRow("cbn 32x32x3") << "cbn" << 3 << 32;
    }
    void generatorShapes() {
        QFETCH(QString, variant);
        QFETCH(int, c);
        QFETCH(int, h);
        GeneratorOptions o;
        o.variant = variant.toStdString();
        o.channels = c;
        o.height = o.width = h;
        o.classes = 1000;
        o.latentDim = 100;
        if (h == 224)   // keep the test light: the 56x56x128 first map is what matters
            o.width1 = 16, o.width2 = 8;
        auto g = makeConditionalGenerator(o);
        auto gen = at::detail::createCPUGenerator(1);
        g->reset(gen);
        g->train();
        torch::NoGradGuard ng;
        const auto x = g->forward(torch::randn({3, 100}), torch::tensor({0L, 7L, 999L}));
        QCOMPARE(x.sizes().vec(), (std::vector<int64_t>{3, c, h, h}));
        QVERIFY(torch::isfinite(x).all().item<bool>());
        // the last BN (no affine, batch statistics): every channel zero-mean, unit-variance over the batch
        QVERIFY(x.mean({0, 2, 3}).abs().max().item<double>() < 1e-4);
        QCOMPARE(g->options().variant, std::string(h > 64 || variant == "cbn" ? "cbn" : "embedding"));
    }

    void generatorRefusesOddSizes() {
        GeneratorOptions o;
        o.height = 30;
        QVERIFY_THROWS_EXCEPTION(GenerativeError, makeConditionalGenerator(o));
    }

    void conditioningChangesTheImage() {
        GeneratorOptions o;
        o.channels = 1;
        o.height = o.width = 28;
        auto g = makeConditionalGenerator(o);
        auto gen = at::detail::createCPUGenerator(2);
        g->reset(gen);
        torch::NoGradGuard ng;
        const auto z = torch::randn({1, 100}).repeat({4, 1});
        const auto x = g->forward(z, torch::tensor({0L, 0L, 1L, 2L}));
        QVERIFY(torch::allclose(x[0], x[1]));
        QVERIFY(!torch::allclose(x[0], x[2], 1e-3, 1e-3));
    }

    void zeroBudgetIsRefused() {
        JointSetup s;
        s.teacher = teacher();
        s.options = {{"epochs", 0}};
        try {
            JointTrainer t(s);
            QFAIL("no error for zero epochs");
        } catch (const GenerativeError& e) {
            QVERIFY2(std::string(e.what()).find("trains nothing") != std::string::npos, e.what());
        }
    }

    // GDFQ and ClusterQ match BN statistics: a model without BN is refused before any training, with
    // the reason and what to use instead, for both methods.
    void modelWithoutBnIsRefused() {
        for (const char* method : {"gdfq", "clusterq"}) {
            JointSetup s;
            s.teacher = std::make_shared<NoBnNet>();
            s.method = method;
            s.options = tiny();
            try {
                JointTrainer t(s);
                QFAIL("no error for a model without BN");
            } catch (const GenerativeError& e) {
                QCOMPARE(std::string(e.what()),
                         "method '" + std::string(method) +
                             "' needs the teacher's BatchNorm statistics, and 'nobn_net' has no BatchNorm layers: use "
                             "pixel-free calibration instead (real images: --calib real:DIR, or Gaussian noise: --calib noise)");
            }
        }
    }

    void unknownBudgetIsRefused() {
        JointSetup s;
        s.teacher = teacher();
        s.options = {{"budget", "huge"}};
        QVERIFY_THROWS_EXCEPTION(std::exception, JointTrainer{s});
    }

    void divergenceNamesEpochAndIteration() {
        auto t = teacher();
        {
            torch::NoGradGuard ng;
            t->quantLayers().back().weight().fill_(std::nan(""));
        }
        JointSetup s;
        s.teacher = t;
        s.options = tiny();
        JointTrainer trainer(s);
        try {
            trainer.run();
            QFAIL("no error for a NaN loss");
        } catch (const GenerativeError& e) {
            QVERIFY2(std::string(e.what()).find("epoch 1/3, iteration 1/2") != std::string::npos, e.what());
        }
        QCOMPARE(trainer.epochsDone(), int64_t(0));
    }

    void studentMovesAndRangesFreeze() {
        auto t = teacher();
        auto student = quant::cloneModel(*t);
        quant::QuantizedModel qm(student, w4a4(*student));
        const auto before = extractWeights(*student);
        const auto teacherBefore = extractWeights(*t);
        std::vector<bool> teacherGrad;
        for (auto& p : t->parameters())
            teacherGrad.push_back(p.requires_grad());
        JointSetup s;
        s.teacher = t;
        s.student = &qm;
        s.options = tiny();
        std::vector<EpochReport> reports;
        struct Rec : JointEvents {
            std::vector<EpochReport>* out;
            int64_t terms = 0;
            void epochFinished(const EpochReport& r) override { out->push_back(r); }
            void lossTerms(int64_t, const std::map<std::string, double>& m) override { terms += m.count("g_bns"); }
        } rec;
        rec.out = &reports;
        s.events = &rec;
        JointTrainer trainer(s);
        const auto r = trainer.run();
        QCOMPARE(r.epochs, int64_t(3));
        QCOMPARE(r.iterations, int64_t(6));
        QCOMPARE(rec.terms, int64_t(6));
        QCOMPARE(int(reports.size()), 3);
        QVERIFY(!reports[0].studentTrained);   // warm-up
        QVERIFY(reports[1].studentTrained);
        QVERIFY(reports[1].rangesFrozen);      // range_epochs = 2
        QVERIFY(reports[2].meanTerms.count("s_kd"));
        QCOMPARE(reports[2].generatorLr, 1e-4); // ×0.1 from epoch 2 on
        QCOMPARE(reports[0].probeImages.size(0), int64_t(20));
        QCOMPARE(int(reports[0].probe.layers.size()), int(t->bnLayers().size()));
        QVERIFY(!torch::equal(before, extractWeights(*student)));  // the student was trained
        QCOMPARE(qm.mode(), quant::QuantMode::Frozen);
        // the teacher was not touched: the same weights, its flags restored as they were
        QVERIFY(torch::equal(teacherBefore, extractWeights(*t)));
        size_t i = 0;
        for (auto& p : t->parameters())
            QCOMPARE(p.requires_grad(), bool(teacherGrad[i++]));
        QVERIFY(!t->is_training());
    }

    void resumedRunEndsLikeAnUninterruptedOne_data() {
        QTest::addColumn<QString>("method");
        QTest::newRow("gdfq") << "gdfq";
        QTest::newRow("clusterq") << "clusterq";
    }
    void resumedRunEndsLikeAnUninterruptedOne() {
        QFETCH(QString, method);
        auto options = tiny();
        if (method == "clusterq")
            options["centroid_epoch"] = 0;
        // uninterrupted
        auto t1 = teacher();
        auto s1 = quant::cloneModel(*t1);
        quant::QuantizedModel q1(s1, w4a4(*s1));
        JointSetup a;
        a.teacher = t1;
        a.student = &q1;
        a.method = method.toStdString();
        a.options = options;
        a.seed = 5;
        JointTrainer ta(a);
        ta.run();
        torch::Tensor want;
        {
            torch::NoGradGuard ng;
            want = s1->forward(probeInput());
        }
        // killed after epoch 1 (the checkpoint of epoch 1 is all that survives) ...
        std::string trainerState, studentState;
        {
            auto t2 = teacher();
            auto s2 = quant::cloneModel(*t2);
            quant::QuantizedModel q2(s2, w4a4(*s2));
            JointSetup b = a;
            b.teacher = t2;
            b.student = &q2;
            runtime::CancelToken cancel;
            b.cancel = cancel;
            JointTrainer* self = nullptr;
            b.epochFinished = [&](const EpochReport& r) {
                if (r.epoch == 1) {
                    trainerState = self->saveState();
                    studentState = pipeline::saveQuantizedState(q2);
                    cancel.cancel();
                }
            };
            JointTrainer tb(b);
            self = &tb;
            QVERIFY_THROWS_EXCEPTION(runtime::Cancelled, tb.run());
        }
        QVERIFY(!trainerState.empty());
        // ... and resumed in a fresh process-like setting: new models, new trainer, states restored.
        auto t3 = teacher();
        auto s3 = quant::cloneModel(*t3);
        quant::QuantizedModel q3(s3, w4a4(*s3));
        pipeline::restoreQuantizedState(q3, studentState);
        JointSetup c = a;
        c.teacher = t3;
        c.student = &q3;
        JointTrainer tc(c);
        tc.restoreState(trainerState);
        QCOMPARE(tc.epochsDone(), int64_t(1));
        tc.run();
        torch::NoGradGuard ng;
        const auto got = s3->forward(probeInput());
        const double diff = (got - want).abs().max().item<double>();
        QVERIFY2(diff <= 1e-5, qPrintable(QString("max |logit difference| %1").arg(diff)));
    }

    void stateOfOtherOptionsIsRefused() {
        JointSetup a;
        a.teacher = teacher();
        a.options = tiny();
        JointTrainer ta(a);
        const auto bytes = ta.saveState();
        JointSetup b = a;
        b.options["bns_weight"] = 0.5;
        JointTrainer tb(b);
        QVERIFY_THROWS_EXCEPTION(GenerativeError, tb.restoreState(bytes));
        QVERIFY_THROWS_EXCEPTION(GenerativeError, tb.restoreState("not an archive"));
    }

    void sampleIsClassBalanced() {
        JointSetup a;
        a.teacher = teacher();
        a.options = tiny();
        JointTrainer t(a);
        const auto set = t.sample(25, 3);
        QCOMPARE(set.images.sizes().vec(), (std::vector<int64_t>{25, 1, 28, 28}));
        const auto counts = torch::bincount(set.labels, {}, 10);
        QCOMPARE(counts.max().item<int64_t>() - counts.min().item<int64_t>(), int64_t(1));
        QCOMPARE(set.method, std::string("gdfq"));
    }

private:
    static torch::Tensor extractWeights(models::ZooModelImpl& m) {
        std::vector<torch::Tensor> ws;
        for (auto& l : m.quantLayers())
            ws.push_back(l.weight().detach().flatten().clone());
        return torch::cat(ws);
    }
};

QTEST_GUILESS_MAIN(TestJointTrainer)
#include "tst_jointtrainer.moc"
