// TorchScript export: the archive, loaded back with torch::jit::load, gives the same logits and
// predictions as the in-memory fake-quantized model (W4A4 gdfq, calibrated), for a batch size other
// than the traced one; an unfrozen model and an unwritable path are clear errors.
#include "models/ModelLoader.h"
#include "quant/BatchSource.h"
#include "quant/QuantError.h"
#include "quant/TorchScriptExport.h"
#include "runtime/Resources.h"
#include "support/SharedData.h"

#include <QtTest/QtTest>

#include <torch/script.h>
#include <torch/torch.h>

#include <filesystem>

using namespace dfq;
using namespace dfq::quant;

namespace {
void checkRoundTrip(const std::string& modelPath, const std::string& dir) {
    auto m = models::loadModel(modelPath, "auto").model;
    m->eval();
    const auto& info = m->info();
    QuantOptions o;
    o.activationObserver = "minmax";
    QuantizedModel qm(m, buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 4, o));
    GaussianNoiseSource calib({info.inChannels, info.inHeight, info.inWidth}, 16, 2, 1);
    qm.calibrate(calib);

    const std::string path = dir + "/model.torchscript.pt";
    exportTorchScript(qm, path);
    QVERIFY(std::filesystem::exists(path));
    QVERIFY(!std::filesystem::exists(path + ".tmp"));

    auto loaded = torch::jit::load(path);
    loaded.eval();
    torch::manual_seed(11);
    const auto x = torch::randn({7, info.inChannels, info.inHeight, info.inWidth});
    torch::NoGradGuard ng;
    const auto ref = qm.forward(x);
    const auto got = loaded.forward({x}).toTensor();
    QCOMPARE(got.sizes().vec(), ref.sizes().vec());
    const double err = (got - ref).abs().max().item<double>();
    QVERIFY2(err <= 1e-5, qPrintable(QStringLiteral("max abs logit difference %1").arg(err)));
    QVERIFY(torch::equal(got.argmax(1), ref.argmax(1)));
    // It is a quantized model: the FP32 model disagrees with it by much more than that.
    qm.setMode(QuantMode::Disabled);
    QVERIFY((qm.forward(x) - ref).abs().max().item<double>() > 1e-3);
}
} // namespace

class TestTorchScriptExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void embeddedModelRoundTrip() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        QTemporaryDir tmp;
        checkRoundTrip(runtime::defaultModelPath(), tmp.path().toStdString());
    }
    void resnet20RoundTrip() {
        DFQ_REQUIRE_SHARED(model, "models/cifar10/resnet20.pt");
        QTemporaryDir tmp;
        checkRoundTrip(model, tmp.path().toStdString());
    }
    void unfrozenIsAnError() {
        auto m = models::loadModel(runtime::defaultModelPath(), "auto").model;
        QuantizedModel qm(m, buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 4));
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/x.pt";
        QVERIFY_THROWS_EXCEPTION(QuantError, exportTorchScript(qm, path));
        QVERIFY(!std::filesystem::exists(path));
    }
    void unwritablePathIsAnError() {
        auto m = models::loadModel(runtime::defaultModelPath(), "auto").model;
        QuantizedModel qm(m, buildQuantSpec(*m, LayerPlacement::Gdfq, 8, kFloatBits));   // weights only: frozen
        try {
            exportTorchScript(qm, "/proc/dfq-no-such-dir/model.pt");
            QFAIL("no exception");
        } catch (const QuantError& e) {
            QVERIFY(std::string(e.what()).find("/proc/dfq-no-such-dir/model.pt") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestTorchScriptExport)
#include "tst_torchscriptexport.moc"
