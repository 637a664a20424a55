// MAC counting against hand-worked values: CIFAR ResNet-20 (40.55 M MACs, the figure usually quoted
// as "41 M") and torchvision ResNet-18 at 224×224 (1.814 G MACs, torchvision's "1.81 GFLOPS").
#include "metrics/ModelFlops.h"
#include "models/ModelZoo.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace dfq;

class TestModelFlops : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resnet20() {
        auto m = models::createModel("resnet20");
        const auto r = metrics::countMacs(*m);
        // conv1: 32·32·16·3·9 = 442,368. Stage 1: 6 convs of 32·32·16·16·9 = 2,359,296 each.
        // Stage 2: first conv 16·16·32·16·9 = 1,179,648, then 5 of 16·16·32·32·9 = 2,359,296.
        // Stage 3: first 8·8·64·32·9 = 1,179,648, then 5 of 8·8·64·64·9 = 2,359,296. fc: 640.
        const int64_t expected = 442368 + 6 * 2359296 + (1179648 + 5 * 2359296) * 2 + 640;
        QCOMPARE(r.macs, expected);
        QCOMPARE(r.layers.front().name, std::string("conv1"));
        QCOMPARE(r.layers.front().macs, int64_t(442368));
        QCOMPARE(r.layers.back().macs, int64_t(640));
    }
    void resnet18() {
        auto m = models::createModel("resnet18");
        const auto r = metrics::countMacs(*m);
        QVERIFY2(std::abs(double(r.macs) / 1.814e9 - 1.0) < 0.002, qPrintable(QString::number(r.macs)));
    }
};

QTEST_APPLESS_MAIN(TestModelFlops)
#include "tst_modelflops.moc"
