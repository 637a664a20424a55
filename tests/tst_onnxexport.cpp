// ONNX export (deploy/OnnxExporter.h) checked in ONNX Runtime, a real integer runtime:
//  - FP32 and QDQ graphs of the embedded default compute what DFQ Studio's model computes: with
//    ONNX Runtime's optimisations off and float biases, the logits agree to float rounding (so Q/DQ
//    placement, the clipped k-bit grids, folded and kept BN are the simulation's), and with them on
//    the optimised graph holds integer convolutions and the predictions agree;
//  - the file carries the true bits and the placement, and integer weight initializers;
//  - bad input: nothing to quantize, unfrozen quantizers, an unwritable path, a graph the checker
//    rejects (no file left behind), a file that is not ONNX, no runtime installed.
// The runtime is installed by scripts/setup.sh (scripts/setup-onnxruntime.sh); where it cannot be,
// the runtime tests skip saying so (under CI they fail instead).
#include "data/Dataset.h"
#include "deploy/DeployError.h"
#include "deploy/OnnxExporter.h"
#include "deploy/OnnxModelSummary.h"
#include "deploy/OrtProcess.h"
#include "deploy/RuntimeComparison.h"
#include "models/CifarResNet.h"
#include "models/ModelLoader.h"
#include "models/ModelZoo.h"
#include "quant/BatchSource.h"
#include "quant/QuantizedModel.h"
#include "runtime/Resources.h"
#include "support/SharedData.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>

using namespace dfq;
namespace fs = std::filesystem;

namespace {

bool runtimeRequired() {
    for (const char* var : {"CI", "DFQ_REQUIRE_ONNXRUNTIME"}) {
        const char* v = std::getenv(var);
        if (v && (std::string(v) == "true" || std::string(v) == "1" || std::string(v) == "yes"))
            return true;
    }
    return false;
}

std::string runtimeMissing() {
    const std::string script = deploy::onnxRuntimeScript();
    if (script.empty())
        return "resources/ort/run-model.cjs not found";
    if (!fs::exists(fs::path(script).parent_path() / "node_modules" / "onnxruntime-node"))
        return std::string("ONNX Runtime (npm onnxruntime-node) is not installed; ") + deploy::kOnnxRuntimeInstallCommand +
               " installs it";
    return "";
}

#define REQUIRE_ONNX_RUNTIME()                                                                         \
    do {                                                                                               \
        const std::string m_ = runtimeMissing();                                                       \
        if (!m_.empty()) {                                                                             \
            if (runtimeRequired())                                                                     \
                QFAIL((m_ + " (a failure under CI, where scripts/setup.sh installs it)").c_str());     \
            QSKIP(m_.c_str());                                                                         \
        }                                                                                              \
    } while (0)

struct Images {
    torch::Tensor x, y;
};

Images fashion(bool train, int64_t n) {
    auto m = models::loadModel(runtime::defaultModelPath()).model;
    data::DatasetOptions o;
    o.geometry = {1, 28, 28};
    o.normalization = data::normalizationPreset("fashion-mnist");
    o.train = train;
    o.limit = n;
    auto ds = data::openDataset(runtime::defaultDataPath(), o);
    std::vector<int64_t> idx(size_t(ds->size()));
    std::iota(idx.begin(), idx.end(), 0);
    auto b = ds->get(idx);
    return {b.images, b.labels};
}

struct Quantized {
    models::ZooModel model;
    std::unique_ptr<quant::QuantizedModel> qm;
};

Quantized quantizeDefault(quant::LayerPlacement placement, int bits, bool fold, bool symmetricWeights = false) {
    Quantized q;
    q.model = models::loadModel(runtime::defaultModelPath()).model;
    q.model->eval();
    quant::QuantOptions o;
    o.foldBn = fold;
    o.symmetricWeights = symmetricWeights;
    o.activationObserver = "minmax";
    q.qm = std::make_unique<quant::QuantizedModel>(q.model, quant::buildQuantSpec(*q.model, placement, bits, bits, o));
    quant::TensorBatchSource calib(fashion(/*train=*/true, 256).x, 64);
    q.qm->calibrate(calib);
    return q;
}

deploy::RuntimeComparison runBoth(const std::string& file, quant::QuantizedModel* qm, models::ZooModelImpl& model,
                                  const Images& data, const std::string& optimization, const std::string& optimized = "") {
    torch::NoGradGuard ng;
    const auto sim = qm ? qm->forward(data.x) : model.forward(data.x);
    deploy::OrtJob job;
    job.model = file;
    job.inputs = data.x;
    job.batch = 128;
    job.optimization = optimization;
    job.optimizedModel = optimized;
    job.threads = 1;
    return deploy::compareInOnnxRuntime(job, data.y, sim);
}

std::string message(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

} // namespace

class TestOnnxExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { DFQ_REQUIRE_EMBEDDED_MODEL(); }

    void fp32MatchesInRuntime() {
        DFQ_REQUIRE_FASHION_MNIST();
        REQUIRE_ONNX_RUNTIME();
        const std::string dir = testing::makeTempDir("onnx-fp32");
        testing::RemoveOnExit cleanup{dir};
        auto model = models::loadModel(runtime::defaultModelPath()).model;
        deploy::OnnxExportOptions o;
        o.quantized = false;
        const auto r = deploy::exportOnnx(*model, dir + "/fp32.onnx", o);
        QVERIFY(fs::exists(dir + "/fp32.onnx"));
        QVERIFY(!fs::exists(dir + "/fp32.onnx.tmp"));
        QCOMPARE(r.ops.at("Conv"), int64_t(7));
        QCOMPARE(r.ops.count("QuantizeLinear"), size_t(0));
        const auto s = deploy::readOnnxSummary(dir + "/fp32.onnx");
        QCOMPARE(s.metadataValue("dfq.arch"), std::string("fmnist_resnet8"));
        QCOMPARE(s.metadataValue("dfq.precision"), std::string("fp32"));
        QCOMPARE(s.inputShape, (std::vector<int64_t>{-1, 1, 28, 28}));
        const auto data = fashion(false, 512);
        const auto c = runBoth(dir + "/fp32.onnx", nullptr, *model, data, "all");
        QCOMPARE(c.agreement, 100.0);
        QVERIFY2(c.maxLogitDiff < 1e-3, qPrintable(QString::number(c.maxLogitDiff)));
        QCOMPARE(c.runtimeTop1, c.simulatedTop1);
    }

    // Optimisations off and float biases: ONNX Runtime evaluates our graph node by node in float,
    // so any difference beyond float rounding would be a Q/DQ placed or parameterised unlike the
    // simulation (the 4-bit grids go through the Clip chain; BN is kept in one case, folded in the other).
    // Float rounding (another summation order in a conv) may move a value that lies on a rounding
    // tie to the next code (ONNX Runtime's QuantizeLinear may also divide differently): a few images
    // then differ by a code's worth. A misplaced or misparameterised quantizer moves nearly all.
    void qdqGraphIsTheSimulation_data() {
        QTest::addColumn<int>("placement");
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("fold");
        QTest::addColumn<bool>("symmetric");
        QTest::newRow("W4A4 gdfq, BN kept") << int(quant::LayerPlacement::Gdfq) << 4 << false << false;
        QTest::newRow("W4A4 f8l8, BN folded") << int(quant::LayerPlacement::F8L8) << 4 << true << false;
        QTest::newRow("W3A3 all-inputs, symmetric weights") << int(quant::LayerPlacement::AllInputs) << 3 << true << true;
        QTest::newRow("W8A8 all-inputs") << int(quant::LayerPlacement::AllInputs) << 8 << true << false;
    }
    void qdqGraphIsTheSimulation() {
        QFETCH(int, placement);
        QFETCH(int, bits);
        QFETCH(bool, fold);
        QFETCH(bool, symmetric);
        DFQ_REQUIRE_FASHION_MNIST();
        REQUIRE_ONNX_RUNTIME();
        const std::string dir = testing::makeTempDir("onnx-qdq");
        testing::RemoveOnExit cleanup{dir};
        auto q = quantizeDefault(quant::LayerPlacement(placement), bits, fold, symmetric);
        deploy::OnnxExportOptions o;
        o.spec = &q.qm->spec();
        o.quantizeBias = false;
        const auto r = deploy::exportOnnx(*q.model, dir + "/q.onnx", o);
        QCOMPARE(r.quantizedWeights, int64_t(8));
        QCOMPARE(r.ops.count("BatchNormalization") > 0, !fold);
        if (bits < 8)
            QVERIFY(r.narrowGrids > 0);
        const auto data = fashion(false, 512);
        const auto c = runBoth(dir + "/q.onnx", q.qm.get(), *q.model, data, "disabled");
        torch::NoGradGuard ng;
        const auto diff = (c.runtimeOutputs - q.qm->forward(data.x)).abs();
        const double off = diff.gt(1e-3).to(torch::kDouble).mean().item<double>();
        QVERIFY2(off < 0.05, qPrintable(QStringLiteral("%1 % of the logits differ (max %2)").arg(100 * off).arg(c.maxLogitDiff)));
        QVERIFY2(c.meanLogitDiff < 1e-3, qPrintable(QString::number(c.meanLogitDiff)));
        QVERIFY2(c.agreement >= 99.8, qPrintable(QString::number(c.agreement)));
    }

    // Optimisations on (the default of verify-onnx): Q/DQ pairs become integer kernels; predictions
    // stay those of the simulation up to the integer arithmetic (int32 biases, fixed-point rescale).
    void integerKernelsInRuntime() {
        DFQ_REQUIRE_FASHION_MNIST();
        REQUIRE_ONNX_RUNTIME();
        const std::string dir = testing::makeTempDir("onnx-int8");
        testing::RemoveOnExit cleanup{dir};
        auto q = quantizeDefault(quant::LayerPlacement::AllInputs, 8, /*fold=*/true);
        deploy::OnnxExportOptions o;
        o.spec = &q.qm->spec();
        const auto r = deploy::exportOnnx(*q.model, dir + "/q8.onnx", o);
        QVERIFY(r.int32Biases > 0);
        const auto data = fashion(false, 1000);
        const auto c = runBoth(dir + "/q8.onnx", q.qm.get(), *q.model, data, "all", dir + "/q8.opt.onnx");
        QVERIFY(!c.optimizedPath.empty());
        QVERIFY2(c.optimized.integerConvs() > 0, "no QLinearConv/ConvInteger in ONNX Runtime's optimised graph");
        QVERIFY2(c.agreement >= 99.0, qPrintable(QString::number(c.agreement)));
        QVERIFY2(std::abs(c.runtimeTop1 - c.simulatedTop1) <= 0.5,
                 qPrintable(QStringLiteral("%1 vs %2").arg(c.runtimeTop1).arg(c.simulatedTop1)));
    }

    // The other zoo families (max pooling and downsample convs; depthwise convs, ReLU6 and the inverted
    // residuals) in the runtime: FP32 to float rounding, and W8A8 with integer kernels.
    void otherFamiliesInRuntime_data() {
        QTest::addColumn<QString>("arch");
        QTest::newRow("resnet18") << "resnet18";
        QTest::newRow("mobilenet_v2") << "mobilenet_v2";
    }
    void otherFamiliesInRuntime() {
        QFETCH(QString, arch);
        REQUIRE_ONNX_RUNTIME();
        const std::string dir = testing::makeTempDir("onnx-zoo");
        testing::RemoveOnExit cleanup{dir};
        torch::manual_seed(5);
        auto model = models::createModel(arch.toStdString());
        model->eval();
        Images data{torch::randn({2, 3, 224, 224}), torch::zeros({2}, torch::kLong)};
        deploy::OnnxExportOptions fp32;
        fp32.quantized = false;
        deploy::exportOnnx(*model, dir + "/fp32.onnx", fp32);
        auto c = runBoth(dir + "/fp32.onnx", nullptr, *model, data, "all");
        torch::NoGradGuard ng;
        const double scale = model->forward(data.x).abs().max().item<double>();
        QVERIFY2(c.maxLogitDiff <= 1e-4 * std::max(1.0, scale), qPrintable(QString::number(c.maxLogitDiff)));

        quant::QuantOptions o;
        o.foldBn = true;
        o.activationObserver = "minmax";
        quant::QuantizedModel qm(model, quant::buildQuantSpec(*model, quant::LayerPlacement::AllInputs, 8, 8, o));
        quant::GaussianNoiseSource calib({3, 224, 224}, 2, 2, 1);
        qm.calibrate(calib);
        deploy::OnnxExportOptions q8;
        q8.spec = &qm.spec();
        deploy::exportOnnx(*model, dir + "/q8.onnx", q8);
        c = runBoth(dir + "/q8.onnx", &qm, *model, data, "all", dir + "/q8.opt.onnx");
        QVERIFY2(c.optimized.integerConvs() > 0, "no integer convolution in ONNX Runtime's optimised graph");
    }

    void metadataAndIntegerWeights() {
        DFQ_REQUIRE_FASHION_MNIST();
        const std::string dir = testing::makeTempDir("onnx-meta");
        testing::RemoveOnExit cleanup{dir};
        auto q = quantizeDefault(quant::LayerPlacement::F8L8, 4, /*fold=*/false);
        deploy::OnnxExportOptions o;
        o.spec = &q.qm->spec();
        o.metadata["dfq.source_model"] = "somewhere.pt";
        deploy::exportOnnx(*q.model, dir + "/q.onnx", o);
        const auto s = deploy::readOnnxSummary(dir + "/q.onnx");
        QCOMPARE(s.metadataValue("dfq.precision"), std::string("qdq"));
        QCOMPARE(s.metadataValue("dfq.placement"), std::string("f8l8"));
        QCOMPARE(s.metadataValue("dfq.source_model"), std::string("somewhere.pt"));
        QCOMPARE(s.metadataValue("dfq.label"), q.qm->spec().label());
        const auto bits = nlohmann::json::parse(s.metadataValue("dfq.bits"));
        QCOMPARE(bits.at("conv1.weight").get<int>(), 8);          // f8l8: first layer at 8 bits
        QCOMPARE(bits.at("linear.weight").get<int>(), 8);         // and the last
        QCOMPARE(bits.at("layer2.0.conv1.weight").get<int>(), 4);
        QCOMPARE(bits.at("layer1.0.relu1").get<int>(), 4);
        QVERIFY(nlohmann::json::parse(s.metadataValue("dfq.spec")).is_object());
        // Weights are one byte per value: the uint8 initializers hold every weight of the model.
        int64_t weights = 0;
        for (auto& l : q.model->quantLayers())
            weights += l.weightCount();
        QVERIFY(s.initializerBytes.at("UINT8") >= weights);
        QVERIFY(s.initializerBytes.count("FLOAT") == 0 || s.initializerBytes.at("FLOAT") < 4 * weights / 4);
    }

    void badInput() {
        const std::string dir = testing::makeTempDir("onnx-bad");
        testing::RemoveOnExit cleanup{dir};
        auto model = models::loadModel(runtime::defaultModelPath()).model;
        // A quantized export of a float model.
        std::string m = message([&] { deploy::buildOnnx(*model); });
        QVERIFY2(m.find("carries no quantizers") != std::string::npos, m.c_str());
        // Quantizers that are not calibrated yet.
        {
            quant::QuantizedModel qm(model, quant::buildQuantSpec(*model, quant::LayerPlacement::Gdfq, 4, 4));
            m = message([&] { deploy::buildOnnx(*model); });
            QVERIFY2(m.find("not frozen") != std::string::npos && m.find("conv1") != std::string::npos, m.c_str());
        }
        // An output path under a regular file.
        std::ofstream(dir + "/file") << "x";
        deploy::OnnxExportOptions fp32;
        fp32.quantized = false;
        m = message([&] { deploy::exportOnnx(*model, dir + "/file/model.onnx", fp32); });
        QVERIFY2(m.find("cannot write the ONNX file '" + dir + "/file/model.onnx'") != std::string::npos, m.c_str());
        // A graph ONNX's checker rejects is never written.
        struct Broken : models::CifarResNetImpl {
            Broken() : CifarResNetImpl(models::CifarResNetOptions{}) {}
            void describe(models::ForwardGraph& g) override { g.output(g.add(g.input(), "nowhere")); }
        } broken;
        m = message([&] { deploy::exportOnnx(broken, dir + "/broken.onnx", fp32); });
        QVERIFY2(m.find("checker rejects") != std::string::npos, m.c_str());
        QVERIFY(!fs::exists(dir + "/broken.onnx"));
        QVERIFY(!fs::exists(dir + "/broken.onnx.tmp"));
        // Not an ONNX file.
        std::ofstream(dir + "/garbage.onnx") << "definitely not a protobuf \x01\x02\x03";
        m = message([&] { deploy::readOnnxSummary(dir + "/garbage.onnx"); });
        QVERIFY2(m.find("'" + dir + "/garbage.onnx' is not an ONNX model") != std::string::npos, m.c_str());
        // No Node.js on the PATH: the error names the command that installs the runtime.
        deploy::exportOnnx(*model, dir + "/fp32.onnx", fp32);
        const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
        setenv("PATH", (dir + "/empty").c_str(), 1);
        deploy::OrtJob job;
        job.model = dir + "/fp32.onnx";
        job.inputs = torch::zeros({1, 1, 28, 28});
        m = message([&] { deploy::runInOnnxRuntime(job); });
        setenv("PATH", path.c_str(), 1);
        QVERIFY2(m.find("scripts/setup") != std::string::npos, m.c_str());
    }
};

QTEST_APPLESS_MAIN(TestOnnxExport)
#include "tst_onnxexport.moc"
