// Export: codes·scale read back from quant.json + weights.bin equal the model's fake-quantized
// weights bit for bit (nearest rounding and AdaRound), the files appear, the folder is replaced as a
// unit and only when it is an export, and a missing file is a clear error.
#include "checkpoint/CheckpointReader.h"
#include "models/ModelZoo.h"
#include "models/StateDictMapping.h"
#include "quant/AdaRound.h"
#include "quant/BatchSource.h"
#include "quant/QuantError.h"
#include "quant/QuantExport.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

using namespace dfq;
using namespace dfq::quant;

class TestQuantExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip() {
        QTemporaryDir tmp;
        torch::manual_seed(6);
        auto m = models::createModel("resnet20");
        m->eval();
        QuantOptions o;
        o.activationObserver = "minmax";
        auto spec = buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 4, o);
        QuantizedModel qm(m, spec);
        GaussianNoiseSource calib({3, 32, 32}, 16, 2, 1);
        qm.calibrate(calib);
        // One layer with AdaRound rounding (a few steps) to cover the rounding path.
        GaussianNoiseSource src({3, 32, 32}, 16, 2, 2);
        AdaRoundOptions ao;
        ao.iterations = 20;
        ao.which = [](const std::string& l) { return l == "layer2.0.conv1"; };
        runAdaRound(qm, src, ao);

        const std::string dir = tmp.path().toStdString() + "/export";
        const auto j = exportQuantized(qm, dir);
        QVERIFY(std::filesystem::exists(dir + "/quant.json"));
        QVERIFY(std::filesystem::exists(dir + "/weights.bin"));
        QVERIFY(std::filesystem::exists(dir + "/fakequant.pt"));
        QVERIFY(std::filesystem::exists(dir + "/fakequant.torchscript.pt"));
        QVERIFY(!std::filesystem::exists(dir + "/quant.json.tmp"));
        const auto back = readExportedWeights(dir);
        QCOMPARE(int(back.size()), int(spec.layers.size()));
        torch::NoGradGuard ng;
        for (auto& ref : m->quantLayers()) {
            auto* hook = qm.weightHook(ref.name);
            const auto fq = hook->weight(ref.weight());
            QVERIFY2(torch::equal(back.at(ref.name), fq), ref.name.c_str());
        }
        // Codes are 4-bit asymmetric: 0..15, one byte each.
        QCOMPARE(j.at("layers")[0].at("dtype").get<std::string>(), std::string("uint8"));
        int64_t total = 0;
        for (auto& ref : m->quantLayers())
            total += ref.weightCount();
        QCOMPARE(j.at("codes_bytes").get<int64_t>(), total);
        // The state dict carries the dequantized weights.
        const auto ck = checkpoint::readCheckpoint(dir + "/fakequant.pt");
        QVERIFY(ck.tensors.contains("layer2.0.conv1.weight"));
    }
    // The export folder is written as a unit: a second export replaces the first whole (no stray
    // file of the old one, no .tmp/.old left), and a folder that is not an export is refused, kept.
    void exportReplacesOnlyExports() {
        QTemporaryDir tmp;
        torch::manual_seed(7);
        auto m = models::createModel("resnet20");
        m->eval();
        QuantOptions o;
        o.activationObserver = "minmax";
        QuantizedModel qm(m, buildQuantSpec(*m, LayerPlacement::Gdfq, 8, 8, o));
        GaussianNoiseSource calib({3, 32, 32}, 8, 1, 1);
        qm.calibrate(calib);
        const std::string root = tmp.path().toStdString();
        const std::string dir = root + "/export";
        exportQuantized(qm, dir);
        { std::ofstream(dir + "/stale.txt") << "from the first export"; }
        exportQuantized(qm, dir);
        QVERIFY(std::filesystem::exists(dir + "/quant.json"));
        QVERIFY(!std::filesystem::exists(dir + "/stale.txt"));
        QVERIFY(!std::filesystem::exists(dir + ".tmp") && !std::filesystem::exists(dir + ".old"));
        QCOMPARE(int(readExportedWeights(dir).size()), int(qm.spec().layers.size()));

        const std::string project = root + "/project";
        std::filesystem::create_directories(project);
        { std::ofstream(project + "/main.cpp") << "int main() {}"; }
        try {
            exportQuantized(qm, project);
            QFAIL("a folder that is not an export was replaced");
        } catch (const QuantError& e) {
            QVERIFY2(std::string(e.what()).find("not a quantized export") != std::string::npos, e.what());
        }
        QVERIFY(std::filesystem::is_regular_file(project + "/main.cpp"));
        QVERIFY(!std::filesystem::exists(project + "/quant.json") && !std::filesystem::exists(project + ".tmp"));
    }
    // loadQuantizedExport rebuilds, on a fresh model from the FP32 weights, the model the export
    // describes: the same logits bit for bit, also when BN is folded, weights were changed after
    // quantizing (as QAT does) and a layer uses AdaRound codes; a model of another architecture is refused.
    void loadReproducesTheExportedModel() {
        for (bool fold : {false, true}) {
            QTemporaryDir tmp;
            torch::manual_seed(11);
            auto m = models::createModel("resnet20");
            m->eval();
            const auto fp32 = models::extractStateDict(*m);
            QuantOptions o;
            o.activationObserver = "minmax";
            o.foldBn = fold;
            QuantizedModel qm(m, buildQuantSpec(*m, LayerPlacement::AllInputs, 4, 4, o));
            GaussianNoiseSource calib({3, 32, 32}, 16, 2, 1);
            qm.calibrate(calib);
            {
                torch::NoGradGuard ng;   // "training" moved a bias and a BN after calibration
                for (auto& b : m->bnLayers())
                    b.bn->bias.add_(0.01);
                for (auto& l : m->quantLayers())
                    if (l.isConv() && l.conv->bias.defined())
                        l.conv->bias.add_(0.02);
            }
            GaussianNoiseSource src({3, 32, 32}, 16, 2, 2);
            AdaRoundOptions ao;
            ao.iterations = 20;
            ao.which = [](const std::string& l) { return l == "layer2.0.conv1"; };
            runAdaRound(qm, src, ao);
            const std::string dir = tmp.path().toStdString() + "/export";
            exportQuantized(qm, dir);

            auto fresh = models::createModel("resnet20");
            models::applyStateDict(*fresh, fp32);
            fresh->eval();
            auto back = loadQuantizedExport(fresh, dir);
            QCOMPARE(back->mode(), QuantMode::Frozen);
            torch::NoGradGuard ng;
            const auto x = torch::randn({4, 3, 32, 32});
            QVERIFY2(torch::equal(back->forward(x), qm.forward(x)), fold ? "folded" : "unfolded");

            auto other = models::createModel("resnet32");
            try {
                loadQuantizedExport(other, dir);
                QFAIL("another architecture was accepted");
            } catch (const QuantError& e) {
                QVERIFY2(std::string(e.what()).find("resnet32") != std::string::npos, e.what());
            }
        }
    }
    void missingDirectory() {
        bool threw = false;
        try {
            readExportedWeights("/nonexistent/dfq-export");
        } catch (const QuantError& e) {
            threw = std::string(e.what()).find("quant.json") != std::string::npos;
        }
        QVERIFY(threw);
    }
};

QTEST_GUILESS_MAIN(TestQuantExport)
#include "tst_quantexport.moc"
