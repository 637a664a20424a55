// SynthesisPanel driven by a recorded event stream (what a ZeroQ run on a 3-class model sends):
// the loss curve holds every positive finite point, the divergence bars the latest per-layer KL, the
// gallery one tile per predicted class in class order (a class seen only mid-run goes at the end),
// the centroid map every image and one marker per class (of features or a chosen BN layer), the mode
// collapse view its bars and pairs; a click on a tile shows its images large with the teacher's
// confidence; a generator run's epochs fill the curves (raw and smoothed) and ClusterQ's trajectories.
#include "CentroidMapView.h"
#include "DivergenceHeatmap.h"
#include "ImageInspector.h"
#include "ModeCollapseView.h"
#include "QCustomPlotInclude.h"
#include "SynthesisPanel.h"
#include "TrainingCurves.h"

#include <QCheckBox>
#include <QToolButton>
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
        QCOMPARE(div->plottableCount(), 3);   // KL, mean gap, std gap
        auto* bars = qobject_cast<QCPBars*>(div->plottable(0));
        QCOMPARE(bars->data()->size(), 3);
        QCOMPARE(bars->data()->at(0)->value, 0.5);
        QCOMPARE(bars->data()->at(1)->value, 0.25);
        QVERIFY(bars->data()->at(2)->value > 0);
        QCOMPARE(qobject_cast<QCPBars*>(div->plottable(1))->data()->at(0)->value, 0.1);
        QCOMPARE(qobject_cast<QCPBars*>(div->plottable(2))->data()->at(1)->value, 0.2);
        QCOMPARE(panel.divergenceTip(1), QStringLiteral("layer1.0.bn1\nKL 0.25\nmean gap 0.1\nstd gap 0.2"));
        QVERIFY(panel.divergenceTip(3).isEmpty());
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
        CentroidMapData features;
        features.imagePoints = {{0, 0}, {0.1, 0}, {0, 0.1}, {0.1, 0.1}, {1, 1}, {1.1, 1}};
        features.imageLabels = {0, 0, 0, 0, 1, 1};
        features.centroidPoints = {{0.05, 0.05}, {1.05, 1}};
        features.centroidClasses = {0, 1};
        features.explained[0] = 0.9;
        features.explained[1] = 0.1;
        CentroidMapData bn = features;
        bn.source = QStringLiteral("layer1.0.bn2");
        bn.imagePoints = {{5, 0}, {5, 1}, {5, 2}, {5, 3}, {-5, 0}, {-5, 1}};
        bn.centroidPoints = {{5, 1.5}, {-5, 0.5}};
        s.quality.maps = {features, bn};
        s.quality.counts = {4, 2, 0};
        s.quality.diversity = {0.02, 0.4, std::nan("")};
        s.quality.modeCollapse = {0.97, 0.1, std::nan("")};
        s.quality.pairs = {{0, 0.999, tile(Qt::black), tile(Qt::black)}, {1, 0.61, tile(Qt::gray), tile(Qt::white)}};
        panel.showSummary(s);
        QCOMPARE(gallery->count(), 2);
        bars = qobject_cast<QCPBars*>(div->plottable(0));
        QCOMPARE(bars->data()->at(0)->value, 0.25);   // the whole set's divergence now
        auto* map = panel.findChild<QCustomPlot*>(QStringLiteral("centroidPlot"));
        QCOMPARE(map->graphCount(), 4);   // two classes' clouds, two centroid markers
        QCOMPARE(map->graph(0)->name(), QStringLiteral("cat"));
        QCOMPARE(map->graph(0)->data()->size(), 4);
        QCOMPARE(map->graph(1)->data()->size(), 2);
        QCOMPARE(map->graph(3)->data()->at(0)->key, 1.05);
        QVERIFY(map->xAxis->label().contains(QStringLiteral("90 %")));
        // The map of a BN layer instead, and the toggles.
        auto* centroids = panel.centroidMap();
        QVERIFY(centroids->selectSource(QStringLiteral("layer1.0.bn2")));
        QCOMPARE(map->graph(0)->data()->at(0)->key, 5.0);
        QCOMPARE(centroids->imagePointCount(), 6);
        centroids->findChild<QCheckBox*>(QStringLiteral("centroidShowImages"))->setChecked(false);
        QCOMPARE(centroids->imagePointCount(), 0);
        QCOMPARE(map->graphCount(), 2);
        QCOMPARE(centroids->centroidPointCount(), 2);
        centroids->findChild<QCheckBox*>(QStringLiteral("centroidShowImages"))->setChecked(true);
        QVERIFY(!centroids->selectSource(QStringLiteral("layer9.bn")));
        // Mode collapse: two bar series over three classes, the pairs, numbers in the tooltip.
        auto* collapse = panel.findChild<QCustomPlot*>(QStringLiteral("modeCollapsePlot"));
        QCOMPARE(collapse->plottableCount(), 2);
        QCOMPARE(qobject_cast<QCPBars*>(collapse->plottable(0))->data()->size(), 2);   // owl has no diversity
        QCOMPARE(qobject_cast<QCPBars*>(collapse->plottable(1))->data()->at(0)->value, 0.97);
        QCOMPARE(panel.modeCollapse()->pairCount(), 2);
        QVERIFY(panel.modeCollapse()->classTip(0).contains(QStringLiteral("0.970")));
        QVERIFY(panel.modeCollapse()->classTip(0).contains(QStringLiteral("4 image(s)")));
        QVERIFY(panel.findChild<QLabel*>(QStringLiteral("modeCollapseTitle"))->text().contains(QStringLiteral("1 of 3 classes")));
        QVERIFY(panel.findChild<QLabel*>(QStringLiteral("synthSummary"))->text().contains(QStringLiteral("cat 4, dog 2, owl 0")));
        QVERIFY(panel.findChild<QPushButton*>(QStringLiteral("saveSetButton"))->isEnabled());

        // A new synthesis clears the live views.
        panel.started(QStringLiteral("again"));
        QCOMPARE(loss->graph(0)->data()->size(), 0);
        QCOMPARE(div->plottableCount(), 0);
        QCOMPARE(heatmap->steps(), 0);
        QCOMPARE(centroids->imagePointCount(), 0);
        QCOMPARE(panel.modeCollapse()->pairCount(), 0);
    }

    void galleryClickShowsAnImageLarge() {
        SynthesisPanel panel;
        panel.resize(1400, 900);
        panel.setClassNames({QStringLiteral("cat"), QStringLiteral("dog")});
        panel.started(QStringLiteral("…"));
        panel.showSnapshot({20, {tile(Qt::white), tile(Qt::gray), tile(Qt::black)}, {1, 1, 0}, {0.875, 0.5, 0.25}});
        auto* gallery = panel.findChild<QListWidget*>(QStringLiteral("synthGallery"));
        gallery->setCurrentRow(1);   // dog
        auto* inspector = panel.inspector();
        QCOMPARE(inspector->count(), 2);
        QVERIFY2(inspector->caption().contains(QStringLiteral("<b>dog</b> · 87.5 %")), qPrintable(inspector->caption()));
        QVERIFY(inspector->caption().contains(QStringLiteral("step 20")));
        QCOMPARE(inspector->currentImage().pixelColor(0, 0), QColor(Qt::white));
        inspector->findChild<QToolButton*>(QStringLiteral("inspectorNext"))->click();
        QCOMPARE(inspector->index(), 1);
        QVERIFY(inspector->caption().contains(QStringLiteral("50.0 %")));
        QVERIFY(!inspector->findChild<QToolButton*>(QStringLiteral("inspectorNext"))->isEnabled());
        // A newer preview keeps the large view on the same class and image, with the new numbers.
        panel.showSnapshot({30, {tile(Qt::black), tile(Qt::white)}, {1, 1}, {0.9, 0.6}});
        QCOMPARE(inspector->index(), 1);
        QVERIFY(inspector->caption().contains(QStringLiteral("60.0 %")));
        QVERIFY(inspector->caption().contains(QStringLiteral("step 30")));
        // Whole-pixel magnification of the 28-pixel image.
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(inspector->zoom() >= 2);
    }

    void generatorEpochsFillCurvesAndTrajectories() {
        SynthesisPanel panel;
        panel.setClassNames({QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("owl")});
        panel.started(QStringLiteral("Training clusterq …"));
        CentroidMapData features, bn;
        features.imagePoints = {{0, 0}, {1, 1}};
        features.imageLabels = {0, 1};
        bn.source = QStringLiteral("layer3.bn");
        bn.imagePoints = {{0, 0}, {2, 2}};
        bn.imageLabels = {0, 1};
        GeneratorEpoch e1;
        e1.epoch = 1;
        e1.epochs = 2;
        e1.terms = {{QStringLiteral("g_ce"), 2.0}, {QStringLiteral("g_bns"), 0.5}};
        e1.quality.maps = {features, bn};
        e1.trajectories.layer = QStringLiteral("layer3.bn");
        e1.trajectories.classes = {0};
        e1.trajectories.points = {{{0.1, 0.1}}};
        panel.showEpoch(e1);
        GeneratorEpoch e2 = e1;
        e2.epoch = 2;
        e2.studentTrained = true;
        e2.studentTop1 = 55.0;
        e2.terms = {{QStringLiteral("g_ce"), 1.0}, {QStringLiteral("g_bns"), 0.25}, {QStringLiteral("s_kd"), 0.125}};
        e2.trajectories.classes = {0, 2};
        e2.trajectories.points = {{{0.1, 0.1}, {0.3, 0.2}}, {{-1, 0}}};
        panel.showEpoch(e2);

        auto* curves = panel.trainingCurves();
        QCOMPARE(curves->seriesNames(), (QStringList{QStringLiteral("g_bns"), QStringLiteral("g_ce"), QStringLiteral("s_kd"),
                                                     QStringLiteral("student top-1")}));
        QCOMPARE(curves->series(QStringLiteral("g_ce")), (QVector<double>{2.0, 1.0}));
        QVERIFY(std::isnan(curves->series(QStringLiteral("s_kd"))[0]));   // first reported in epoch 2
        QVERIFY(std::isnan(curves->series(QStringLiteral("student top-1"))[0]));
        QCOMPARE(curves->series(QStringLiteral("student top-1"))[1], 55.0);
        // Debiased EMA, weight 0.6, by hand: m1 = 0.4·2 = 0.8 → 0.8/0.4 = 2; m2 = 0.6·0.8 + 0.4·1 = 0.88 → 0.88/0.64.
        const auto smooth = curves->smoothed(QStringLiteral("g_ce"));
        QVERIFY(std::abs(smooth[0] - 2.0) < 1e-12);
        QVERIFY(std::abs(smooth[1] - 0.88 / 0.64) < 1e-12);
        auto* plot = curves->findChild<QCustomPlot*>(QStringLiteral("trainingCurvesPlot"));
        QCOMPARE(plot->graphCount(), 8);   // four series, raw and smoothed
        curves->findChild<QCheckBox*>(QStringLiteral("curvesSmoothed"))->setChecked(false);
        QCOMPARE(plot->graphCount(), 4);   // the raw curves stay
        QVERIFY(curves->findChild<QLabel*>(QStringLiteral("curvesStatus"))->text().contains(QStringLiteral("55.00 %")));

        // Trajectories belong to their layer's map only, and have a toggle.
        auto* centroids = panel.centroidMap();
        QCOMPARE(centroids->trajectoryCount(), 0);   // the features map is shown
        QVERIFY(centroids->selectSource(QStringLiteral("layer3.bn")));
        QCOMPARE(centroids->trajectoryCount(), 2);
        auto* map = panel.findChild<QCustomPlot*>(QStringLiteral("centroidPlot"));
        auto* path = qobject_cast<QCPCurve*>(map->plottable(map->plottableCount() - 4));
        QVERIFY(path);
        QCOMPARE(path->data()->size(), 2);
        QCOMPARE(path->data()->at(1)->value, 0.2);
        centroids->findChild<QCheckBox*>(QStringLiteral("centroidShowTrajectories"))->setChecked(false);
        QCOMPARE(centroids->trajectoryCount(), 0);
        QVERIFY(panel.findChild<QLabel*>(QStringLiteral("synthSummary"))->text().contains(QStringLiteral("Epoch 2 of 2")));
    }
};

QTEST_MAIN(TestSynthesisPanel)
#include "tst_synthesispanel.moc"
