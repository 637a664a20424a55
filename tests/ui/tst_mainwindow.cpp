// The first window: opens with the embedded default loaded and evaluates it in the worker thread.
#include "MainWindow.h"

#include "runtime/Resources.h"
#include "support/SharedData.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest/QtTest>

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
};

// File > Run experiment… drives the same pipeline as `dfq run`, in its own worker thread, and
// records the Qt version the CLI cannot know.
void TestMainWindow::runsAnExperimentInTheBackground() {
    if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"))
        QSKIP("Debian's dataset-fashion-mnist is not installed");
    if (dfq::runtime::defaultModelPath().empty())
        QSKIP("the embedded default model resources/models/fmnist_resnet8.pt is missing");
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
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

void TestMainWindow::opensWithEmbeddedDefault() {
    if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"))
        QSKIP("Debian's dataset-fashion-mnist is not installed");
    if (dfq::runtime::defaultModelPath().empty())
        QSKIP("the embedded default model resources/models/fmnist_resnet8.pt is missing");
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
    if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"))
        QSKIP("Debian's dataset-fashion-mnist is not installed");
    if (dfq::runtime::defaultModelPath().empty())
        QSKIP("the embedded default model resources/models/fmnist_resnet8.pt is missing");
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
