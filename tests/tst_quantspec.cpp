// QuantSpec: placement presets on a resnet20 (layer counts, first/last bits under f8l8, inputs under
// all-inputs), validation errors that name the layer, JSON round trip and the printed table.
#include "models/ModelZoo.h"
#include "quant/QuantError.h"
#include "quant/QuantSpec.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace dfq;
using namespace dfq::quant;

namespace {

/// what() of the QuantError thrown by f, or "" if none.
template <class F>
std::string errorOf(F&& f) {
    try {
        f();
    } catch (const QuantError& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

} // namespace

class TestQuantSpec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void gdfqOnResnet20() {
        auto m = models::createModel("resnet20");
        const QuantSpec s = buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 4);
        // 1 stem conv + 9 blocks x 2 convs + 1 linear; 1 stem ReLU + 9 blocks x 2 ReLUs.
        QCOMPARE(int(s.layers.size()), 20);
        QCOMPARE(int(s.activations.size()), 19);
        QCOMPARE(s.layers.front().name, std::string("conv1"));
        QCOMPARE(s.layers.back().name, std::string("linear"));
        QCOMPARE(s.layers.back().kind, std::string("linear"));
        QCOMPARE(s.activations.back().name, std::string("layer3.2.relu2"));
        for (const auto& l : s.layers) {
            QCOMPARE(l.weight.bits, 4);  // first and last included
            QVERIFY(l.weight.perChannel);
            QVERIFY(!l.weight.symmetric);
            QCOMPARE(l.weight.observer, std::string("minmax"));
            QVERIFY(!l.input.quantized());  // the network input and residual sums stay FP32
        }
        for (const auto& a : s.activations) {
            QCOMPARE(a.output.bits, 4);
            QVERIFY(!a.output.perChannel);
            QCOMPARE(a.output.observer, std::string("ema"));
            QCOMPARE(a.output.observerConfig.emaBeta, 0.9);
        }
        QCOMPARE(s.label(), std::string("W4A4 gdfq"));
        QCOMPARE(s.arch, std::string("resnet20"));
        QVERIFY(!s.foldBn);
    }

    void f8l8OnResnet20() {
        auto m = models::createModel("resnet20");
        const QuantSpec s = buildQuantSpec(*m, LayerPlacement::F8L8, 4, 4);
        QCOMPARE(s.findLayer("conv1")->weight.bits, 8);
        QCOMPARE(s.findLayer("linear")->weight.bits, 8);
        QCOMPARE(s.findLayer("layer1.0.conv1")->weight.bits, 4);
        QCOMPARE(s.findLayer("layer3.2.conv2")->weight.bits, 4);
        QCOMPARE(s.findActivation("layer3.2.relu2")->output.bits, 8);  // feeds the classifier
        QCOMPARE(s.findActivation("layer3.2.relu1")->output.bits, 4);
        QCOMPARE(s.findActivation("relu")->output.bits, 4);
        int eights = 0;
        for (const auto& l : s.layers)
            eights += l.weight.bits == 8;
        QCOMPARE(eights, 2);
        // The same via gdfq + firstLastBits.
        QuantOptions o;
        o.firstLastBits = 8;
        QCOMPARE(buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 4, o).toJson()["layers"], s.toJson()["layers"]);
    }

    void allInputsOnResnet20() {
        auto m = models::createModel("resnet20");
        QuantOptions o;
        o.activationObserver = "minmax";
        const QuantSpec s = buildQuantSpec(*m, LayerPlacement::AllInputs, 8, 6, o);
        QVERIFY(s.activations.empty());
        QCOMPARE(int(s.layers.size()), 20);
        for (const auto& l : s.layers) {
            QCOMPARE(l.input.bits, 6);  // the network input (conv1) included
            QCOMPARE(l.weight.bits, 8);
            QCOMPARE(l.input.observer, std::string("minmax"));
        }
        o.firstLastBits = 8;
        const QuantSpec e = buildQuantSpec(*m, LayerPlacement::AllInputs, 4, 4, o);
        QCOMPARE(e.findLayer("conv1")->input.bits, 8);
        QCOMPARE(e.findLayer("linear")->input.bits, 8);
        QCOMPARE(e.findLayer("layer2.0.conv1")->input.bits, 4);
    }

    void floatBitsAndOptions() {
        auto m = models::createModel("resnet20");
        const QuantSpec w4 = buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 32);  // weights only
        QVERIFY(w4.activations.empty());
        QCOMPARE(w4.label(), std::string("W4A32 gdfq"));
        QuantOptions o;
        o.perChannelWeights = false;
        o.symmetricWeights = true;
        o.weightObserver = "mse";
        o.activationObserver = "percentile";
        o.foldBn = true;
        const QuantSpec s = buildQuantSpec(*m, LayerPlacement::Gdfq, 3, 5, o);
        QVERIFY(!s.layers[3].weight.perChannel);
        QVERIFY(s.layers[3].weight.symmetric);
        QCOMPARE(s.layers[3].weight.observerConfig.bits, 3);  // synced into the observer config
        QCOMPARE(s.layers[3].weight.observerConfig.lpNorm, 2.0);
        QCOMPARE(s.activations[0].output.observerConfig.lpNorm, 2.4);
        QCOMPARE(s.label(), std::string("W3A5 gdfq folded-BN"));
    }

    void validationErrors() {
        auto m = models::createModel("resnet20");
        QVERIFY(contains(errorOf([&] { buildQuantSpec(*m, LayerPlacement::Gdfq, 9, 4); }), "got 9"));
        QVERIFY(contains(errorOf([&] { buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 1); }), "got 1"));
        QVERIFY(contains(errorOf([&] { buildQuantSpec(*m, LayerPlacement::Gdfq, 16, 4); }), "2..8"));
        QuantOptions bad;
        bad.weightObserver = "kmeans";
        QVERIFY(contains(errorOf([&] { buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 4, bad); }), "kmeans"));

        QuantSpec s = buildQuantSpec(*m, LayerPlacement::Gdfq, 4, 4);
        QVERIFY(errorOf([&] { validateQuantSpec(s, *m); }).empty());
        {
            QuantSpec x = s;
            x.layers[5].weight.bits = 12;
            const std::string e = errorOf([&] { validateQuantSpec(x, *m); });
            QVERIFY2(contains(e, x.layers[5].name) && contains(e, "12"), e.c_str());
        }
        {
            QuantSpec x = s;
            x.layers[2].name = "layer9.0.conv1";
            const std::string e = errorOf([&] { validateQuantSpec(x, *m); });
            QVERIFY2(contains(e, "layer9.0.conv1") && contains(e, "resnet20"), e.c_str());
        }
        {
            QuantSpec x = s;
            x.activations[0].name = "layer1.0.bn1";  // exists, but is not an activation
            QVERIFY(contains(errorOf([&] { validateQuantSpec(x, *m); }), "layer1.0.bn1"));
        }
        {
            QuantSpec x = s;
            x.activations[3].output.perChannel = true;
            QVERIFY(contains(errorOf([&] { validateQuantSpec(x, *m); }), x.activations[3].name));
        }
        {
            QuantSpec x = s;
            x.layers.push_back(x.layers[0]);
            QVERIFY(contains(errorOf([&] { validateQuantSpec(x, *m); }), "twice"));
        }
        QVERIFY(contains(errorOf([] { parsePlacement("w4a4"); }), "gdfq"));
        QCOMPARE(int(parsePlacement("all-inputs")), int(LayerPlacement::AllInputs));
    }

    void jsonRoundTripAndDescription() {
        auto m = models::createModel("resnet20");
        QuantOptions o;
        o.activationObserver = "mse";
        const QuantSpec s = buildQuantSpec(*m, LayerPlacement::F8L8, 4, 4, o);
        const nlohmann::json j = s.toJson();
        QCOMPARE(j["placement"].get<std::string>(), std::string("f8l8"));
        QCOMPARE(j["layers"][0]["weight"]["bits"].get<int>(), 8);
        QCOMPARE(j["layers"][0]["input"]["bits"].get<int>(), 32);
        QCOMPARE(j["activations"][0]["output"]["observer"].get<std::string>(), std::string("mse"));
        const QuantSpec back = QuantSpec::fromJson(nlohmann::json::parse(j.dump()));
        QCOMPARE(back.toJson(), j);
        QVERIFY(errorOf([&] { validateQuantSpec(back, *m); }).empty());
        QVERIFY(!errorOf([] { QuantSpec::fromJson(nlohmann::json{{"placement", "gdfq"}}); }).empty());

        const std::string d = s.describe();
        QVERIFY(contains(d, "W4A4 f8l8 (resnet20)"));
        QVERIFY(contains(d, "layer1.0.conv1"));
        QVERIFY(contains(d, "8b per-channel asym minmax"));
        QVERIFY(contains(d, "layer3.2.relu2"));
    }
};

QTEST_GUILESS_MAIN(TestQuantSpec)
#include "tst_quantspec.moc"
