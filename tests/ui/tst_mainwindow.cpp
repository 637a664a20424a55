// The first window: opens with the embedded default loaded and evaluates it in the worker thread.
#include "MainWindow.h"
#include "QCustomPlotInclude.h"
#include "SynthesisPanel.h"

#include "runtime/Resources.h"
#include "support/SharedData.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QSpinBox>
#include <QTabWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest/QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

using dfq::ui::MainWindow;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensWithEmbeddedDefault();
    void cancelStopsEvaluation();
    void badCheckpointIsReportedNotFatal();
    void runsAnExperimentInTheBackground();
    void synthesizesWithLivePreviews();
};

// The Synthesize tab: ZeroQ on the embedded model fills the gallery, the loss curve and the
// per-layer divergence while it runs, reports the set's quality, and saves a set `dfq quantize` reads.
void TestMainWindow::synthesizesWithLivePreviews() {
    DFQ_REQUIRE_EMBEDDED_MODEL();
    MainWindow w;
    QSignalSpy modelReady(&w, &MainWindow::modelReady);
    QVERIFY(modelReady.wait(60000));
    // The window also opens the embedded dataset when Debian's package is there: let it finish first.
    if (std::filesystem::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"))
        QTRY_VERIFY_WITH_TIMEOUT(!w.datasetSummary().path.isEmpty(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!w.isBusy(), 60000);
    auto* panel = w.synthesisPanel();
    auto* method = panel->findChild<QComboBox*>(QStringLiteral("synthMethod"));
    QVERIFY(method);
    for (const char* m : {"zeroq", "dsg", "intraq", "genie", "noise", "real"})
        QVERIFY2(method->findText(QString::fromLatin1(m)) >= 0, m);
    method->setCurrentText(QStringLiteral("zeroq"));
    panel->findChild<QSpinBox*>(QStringLiteral("synthImages"))->setValue(20);
    // DFQ_SCREENSHOT_DIR=DIR: a longer run whose window is saved as DIR/synthesize.png, for looking
    // at the tab as a user would (docs/screenshots); the assertions are the same.
    const QString shots = qEnvironmentVariable("DFQ_SCREENSHOT_DIR");
    panel->findChild<QSpinBox*>(QStringLiteral("synthIterations"))->setValue(shots.isEmpty() ? 30 : 300);
    if (!shots.isEmpty()) {
        w.resize(1400, 900);
        w.show();
        w.findChild<QTabWidget*>(QStringLiteral("tabs"))->setCurrentWidget(panel);
    }

    QSignalSpy finished(&w, &MainWindow::synthesisFinished);
    QTest::mouseClick(panel->findChild<QPushButton*>(QStringLiteral("synthesizeButton")), Qt::LeftButton);
    QVERIFY(finished.wait(300000));
    const auto& s = w.lastSynthesis();
    QCOMPARE(s.method, QStringLiteral("zeroq"));
    QCOMPARE(s.images, qint64(20));
    QCOMPARE(s.layers.size(), w.modelSummary().bnLayers);
    QVERIFY(s.meanKl > 0 && std::isfinite(s.meanKl));
    qint64 total = 0;
    for (qint64 c : s.classCounts)
        total += c;
    QCOMPARE(total, qint64(20));
    // The live views were fed: gallery tiles (one per predicted class), a loss curve, divergence bars.
    auto* gallery = panel->findChild<QListWidget*>(QStringLiteral("synthGallery"));
    QVERIFY(gallery->count() >= 1 && gallery->count() <= 10);
    QVERIFY(!gallery->item(0)->icon().isNull());
    auto* loss = panel->findChild<QCustomPlot*>(QStringLiteral("synthLossPlot"));
    QVERIFY(loss->graph(0)->data()->size() >= 30);
    auto* divergence = panel->findChild<QCustomPlot*>(QStringLiteral("synthDivergencePlot"));
    QCOMPARE(divergence->plottableCount(), 1);
    // The centroid map: every image once, one centroid marker per class present.
    QCOMPARE(s.imagePoints.size(), 20);
    int present = 0;
    for (qint64 c : s.classCounts)
        present += c > 0;
    QCOMPARE(s.centroidPoints.size(), present);
    auto* map = panel->findChild<QCustomPlot*>(QStringLiteral("synthCentroidPlot"));
    int mapped = 0;
    for (int g = 0; g < map->graphCount(); ++g)
        mapped += map->graph(g)->data()->size();
    QCOMPARE(mapped, 20 + present);
    QVERIFY(panel->findChild<QLabel*>(QStringLiteral("synthSummary"))->text().contains(QStringLiteral("mean BN KL")));
    if (!shots.isEmpty()) {
        QTest::qWait(300);
        QVERIFY(w.grab().save(shots + QStringLiteral("/synthesize.png")));
    }

    QVERIFY(panel->findChild<QPushButton*>(QStringLiteral("saveSetButton"))->isEnabled());
    // Save: the set on disk is complete (manifest, tensors, PNGs).
    const std::string dir = dfq::testing::makeTempDir("ui-synth") + "/set";
    QSignalSpy saved(&w, &MainWindow::syntheticSetSaved);
    w.saveSyntheticSet(QString::fromStdString(dir));
    QVERIFY(saved.wait(60000));
    QVERIFY(std::filesystem::exists(dir + "/manifest.json"));
    QVERIFY(std::filesystem::exists(dir + "/tensors.pt"));
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(dir).parent_path(), ec);
}

// File > Run experiment… drives the same pipeline as `dfq run`, in its own worker thread, and
// records the Qt version the CLI cannot know.
void TestMainWindow::runsAnExperimentInTheBackground() {
    DFQ_REQUIRE_FASHION_MNIST();
    DFQ_REQUIRE_EMBEDDED_MODEL();
    const std::string dir = dfq::testing::makeTempDir("ui-experiment");
    {
        std::ofstream f(dir + "/config.json");
        f << R"({"synthesis": {"method": "noise", "n": 64}, "data": {"limit_per_class": 20},
                 "output": {"dir": "runs", "name": "gui", "export": false}, "threads": 2})";
    }
    MainWindow w;
    QSignalSpy dataReady(&w, &MainWindow::datasetReady);
    QVERIFY(dataReady.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(!w.isBusy(), 30000);
    QSignalSpy finished(&w, &MainWindow::experimentFinished);
    w.runExperiment(QString::fromStdString(dir + "/config.json"));
    QVERIFY(finished.wait(300000));
    const std::string run = finished.at(0).at(0).toString().toStdString();
    QCOMPARE(run, dir + "/runs/gui");
    QVERIFY(std::filesystem::exists(run + "/report.html"));
    std::ifstream m(run + "/manifest.json");
    const std::string manifest((std::istreambuf_iterator<char>(m)), {});
    QVERIFY2(manifest.find(std::string("\"qt\": \"") + qVersion() + "\"") != std::string::npos, manifest.c_str());
    QVERIFY(w.findChild<QLabel*>(QStringLiteral("resultLabel"))->text().contains(QStringLiteral("quantized top-1")));
    // The run's synthesis stage showed in the Synthesize tab (noise: a preview per batch).
    QVERIFY(w.synthesisPanel()->findChild<QListWidget*>(QStringLiteral("synthGallery"))->count() >= 1);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

void TestMainWindow::opensWithEmbeddedDefault() {
    DFQ_REQUIRE_FASHION_MNIST();
    DFQ_REQUIRE_EMBEDDED_MODEL();
    MainWindow w;
    QSignalSpy dataReady(&w, &MainWindow::datasetReady);
    w.show();
    QVERIFY(dataReady.wait(60000));
    QCOMPARE(w.modelSummary().arch, QStringLiteral("fmnist_resnet8"));
    QVERIFY(w.modelSummary().bnLayers > 0);
    QCOMPARE(w.datasetSummary().images, qint64(10000));

    QSignalSpy done(&w, &MainWindow::evaluationFinished);
    auto* button = w.findChild<QPushButton*>(QStringLiteral("evaluateButton"));
    QVERIFY(button);
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 30000);
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(done.wait(300000));
    QCOMPARE(w.lastEvaluation().images, qint64(10000));
    QVERIFY2(w.lastEvaluation().top1 >= 92.0, qPrintable(QString::number(w.lastEvaluation().top1)));
    QVERIFY(w.findChild<QLabel*>(QStringLiteral("resultLabel"))->text().contains(QStringLiteral("top-1")));
}

void TestMainWindow::cancelStopsEvaluation() {
    DFQ_REQUIRE_FASHION_MNIST();
    DFQ_REQUIRE_EMBEDDED_MODEL();
    MainWindow w;
    QSignalSpy dataReady(&w, &MainWindow::datasetReady);
    QVERIFY(dataReady.wait(60000));
    QSignalSpy done(&w, &MainWindow::evaluationFinished);
    w.evaluate();
    w.cancel();   // before or during the first batches: either way it must end promptly and stay usable
    QVERIFY(done.wait(300000));
    QVERIFY(!w.isBusy() || QTest::qWaitFor([&] { return !w.isBusy(); }, 10000));
}

void TestMainWindow::badCheckpointIsReportedNotFatal() {
    const std::string dir = dfq::testing::makeTempDir("ui-bad");
    const std::string bad = dir + "/broken.pt";
    {
        std::FILE* f = std::fopen(bad.c_str(), "wb");
        std::fputs("PK\003\004 this is not really a zip", f);
        std::fclose(f);
    }
    MainWindow w(QString::fromStdString(bad), QStringLiteral("/nonexistent"));
    QSignalSpy finished(&w, &MainWindow::evaluationFinished);   // failures end in the same signal
    QVERIFY(finished.wait(30000));
    auto* log = w.findChild<QWidget*>(QStringLiteral("log"));
    QVERIFY(log);
    QVERIFY(w.modelSummary().arch.isEmpty());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
