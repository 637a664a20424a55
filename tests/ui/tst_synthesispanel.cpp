// SynthesisPanel driven by a recorded event stream (what a ZeroQ run on a 3-class model sends):
// the loss curve holds every positive finite point, the divergence bars the latest per-layer KL, the
// gallery one tile per predicted class in class order (a class seen only mid-run goes at the end),
// and the centroid map every image and one marker per class.
#include "DivergenceHeatmap.h"
#include "QCustomPlotInclude.h"
#include "SynthesisPanel.h"

#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QtTest/QtTest>

#include <cmath>
#include <limits>

using namespace dfq::ui;

namespace {
QImage tile(QColor c) {
    QImage i(28, 28, QImage::Format_Grayscale8);
    i.fill(c);
    return i;
}

QVector<LayerDivergenceRow> layers(double scale) {
    return {{QStringLiteral("bn1"), 0.5 * scale, 0.1, 0.2},
            {QStringLiteral("layer1.0.bn1"), 0.25 * scale, 0.1, 0.2},
            {QStringLiteral("layer1.0.bn2"), 0.0, 0.0, 0.0}};   // exactly matched: drawn at the floor
}
} // namespace

class TestSynthesisPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recordedStreamFillsEveryView() {
        SynthesisPanel panel;
        panel.setClassNames({QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("owl")});
        panel.started(QStringLiteral("Synthesising 6 images with zeroq …"));

        // Loss: 10 steps; a NaN and a zero (a log axis cannot show them) are skipped.
        for (int step = 1; step <= 10; ++step)
            panel.showLoss(step, step == 4 ? std::numeric_limits<double>::quiet_NaN() : step == 7 ? 0.0 : 10.0 / step);
        auto* loss = panel.findChild<QCustomPlot*>(QStringLiteral("synthLossPlot"));
        QCOMPARE(loss->graph(0)->data()->size(), 8);
        QCOMPARE(loss->graph(0)->data()->at(0)->value, 10.0);
        QCOMPARE(loss->graph(0)->data()->at(7)->key, 10.0);
        QCOMPARE(loss->graph(0)->data()->at(7)->value, 1.0);

        // Divergence: the latest diagnostics replace the previous bars.
        panel.showDiagnostics(5, layers(4.0));
        panel.showDiagnostics(10, layers(1.0));
        auto* div = panel.findChild<QCustomPlot*>(QStringLiteral("synthDivergencePlot"));
        QCOMPARE(div->plottableCount(), 1);
        auto* bars = qobject_cast<QCPBars*>(div->plottable(0));
        QCOMPARE(bars->data()->size(), 3);
        QCOMPARE(bars->data()->at(0)->value, 0.5);
        QCOMPARE(bars->data()->at(1)->value, 0.25);
        QVERIFY(bars->data()->at(2)->value > 0);
        // ... and both steps stand as columns of the layer × step heatmap.
        auto* heatmap = panel.findChild<DivergenceHeatmap*>(QStringLiteral("synthDivergenceHeatmap"));
        QCOMPARE(heatmap->steps(), 2);
        QCOMPARE(heatmap->cell(0, 0)->kl, 2.0);
        QCOMPARE(heatmap->cell(0, 1)->kl, 0.5);

        // Snapshots: step 5 sees dog and owl, step 10 cat (×5: capped at 4) and dog.
        panel.showSnapshot({5, {tile(Qt::white), tile(Qt::gray)}, {1, 2}});
        panel.showSnapshot({10, {tile(Qt::black), tile(Qt::black), tile(Qt::black), tile(Qt::black), tile(Qt::black), tile(Qt::gray)},
                            {0, 0, 0, 0, 0, 1}});
        auto* gallery = panel.findChild<QListWidget*>(QStringLiteral("synthGallery"));
        QCOMPARE(gallery->count(), 3);
        QCOMPARE(gallery->item(0)->text(), QStringLiteral("cat"));
        QCOMPARE(gallery->item(1)->text(), QStringLiteral("dog"));
        QCOMPARE(gallery->item(2)->text(), QStringLiteral("owl"));
        QVERIFY(gallery->item(0)->toolTip().contains(QStringLiteral("4 image(s)")));
        QVERIFY(gallery->item(1)->toolTip().contains(QStringLiteral("step 10")));
        QVERIFY(gallery->item(2)->toolTip().contains(QStringLiteral("step 5")));

        // The end: owl has no final image, so its tile goes; 6 images and 2 centroids are mapped.
        SynthesisSummary s;
        s.method = QStringLiteral("zeroq");
        s.images = 6;
        s.meanKl = 0.25;
        s.layers = layers(0.5);
        s.classCounts = {4, 2, 0};
        s.imagePoints = {{0, 0}, {0.1, 0}, {0, 0.1}, {0.1, 0.1}, {1, 1}, {1.1, 1}};
        s.imageLabels = {0, 0, 0, 0, 1, 1};
        s.centroidPoints = {{0.05, 0.05}, {1.05, 1}};
        s.centroidClasses = {0, 1};
        s.explained[0] = 0.9;
        s.explained[1] = 0.1;
        panel.showSummary(s);
        QCOMPARE(gallery->count(), 2);
        bars = qobject_cast<QCPBars*>(div->plottable(0));
        QCOMPARE(bars->data()->at(0)->value, 0.25);   // the whole set's divergence now
        auto* map = panel.findChild<QCustomPlot*>(QStringLiteral("synthCentroidPlot"));
        QCOMPARE(map->graphCount(), 4);   // two classes' clouds, two centroid markers
        QCOMPARE(map->graph(0)->name(), QStringLiteral("cat"));
        QCOMPARE(map->graph(0)->data()->size(), 4);
        QCOMPARE(map->graph(1)->data()->size(), 2);
        QCOMPARE(map->graph(3)->data()->at(0)->key, 1.05);
        QVERIFY(map->xAxis->label().contains(QStringLiteral("90 %")));
        QVERIFY(panel.findChild<QLabel*>(QStringLiteral("synthSummary"))->text().contains(QStringLiteral("cat 4, dog 2, owl 0")));
        QVERIFY(panel.findChild<QPushButton*>(QStringLiteral("saveSetButton"))->isEnabled());

        // A new synthesis clears the live views.
        panel.started(QStringLiteral("again"));
        QCOMPARE(loss->graph(0)->data()->size(), 0);
        QCOMPARE(div->plottableCount(), 0);
        QCOMPARE(heatmap->steps(), 0);
    }
};

QTEST_MAIN(TestSynthesisPanel)
#include "tst_synthesispanel.moc"
