// RunsPanel: two recorded run directories drive the table, the overlaid curves (raw and smoothed,
// the smoothed values checked by hand), the snapshot strip and the buttons; a run from a newer
// version is refused with the reason and leaves the panel as it was.
#include "QCustomPlotInclude.h"
#include "RunsPanel.h"
#include "SnapshotViewer.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest/QtTest>

#include <cmath>

using namespace dfq::ui;

namespace {
void write(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

/// A run directory: status, one synthesis loss series, optionally two snapshots and a report.
QString makeRun(const QTemporaryDir& root, const QString& name, const QByteArray& status, const QByteArray& losses,
                bool withSnapshots, const QByteArray& format = "dfq-run-1") {
    const QString dir = root.filePath(name);
    write(dir + "/manifest.json", "{\"format\": \"" + format + "\", \"protocol\": \"calibrate-only\", \"placement\": {\"preset\": \"gdfq\"},"
                                  "\"config\": {\"resolved\": {\"synthesis\": {\"method\": \"zeroq\"}, \"ptq\": {\"method\": \"mse\"},"
                                  "\"quant\": {\"wbits\": 4, \"abits\": 8}}}}");
    write(dir + "/state.json", "{\"status\": \"" + status + "\", \"completed\": [\"load\", \"synthesize\"], \"seconds\": {\"load\": 1.0, \"synthesize\": 2.5}}");
    write(dir + "/metrics.jsonl", losses);
    if (status == "finished") {
        write(dir + "/results.json", "{\"fp32_top1\": 94.05, \"quant_top1\": 90.5}");
        write(dir + "/report.html", "<html></html>");
    }
    if (withSnapshots) {
        QImage a(8, 8, QImage::Format_RGB32);
        a.fill(Qt::red);
        QDir().mkpath(dir + "/snapshots");
        a.save(dir + "/snapshots/batch000-step000001.png");
        a.fill(Qt::blue);
        a.save(dir + "/snapshots/batch000-step000010.png");
    }
    return dir;
}

const QCPGraph* graphNamed(const QCustomPlot* plot, const QString& name) {
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->name() == name)
            return plot->graph(i);
    return nullptr;
}
} // namespace

class TestRunsPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recordedRunsDriveThePanel() {
        QTemporaryDir root;
        const QString a = makeRun(root, QStringLiteral("run-a"), "finished",
                                  "{\"stage\": \"synthesize\", \"step\": 1, \"loss_total\": 4.0}\n"
                                  "{\"stage\": \"synthesize\", \"step\": 10, \"loss_total\": 2.5}\n", true);
        const QString b = makeRun(root, QStringLiteral("run-b"), "cancelled",
                                  "{\"stage\": \"synthesize\", \"step\": 1, \"loss_total\": 8.0}\n"
                                  "{\"stage\": \"fine-tune\", \"step\": 1, \"epoch\": 1, \"loss\": 0.5}\n", false);
        RunsPanel panel;
        QSignalSpy opened(&panel, &RunsPanel::runOpened);
        panel.setSmoothing(SmoothingKind::DebiasedEma, 0.5, 10);
        panel.openRun(a);
        QVERIFY(opened.wait(10000));
        panel.openRun(b);
        QVERIFY(opened.wait(10000));

        QCOMPARE(panel.runs().size(), 2);
        auto* table = panel.findChild<QTreeWidget*>(QStringLiteral("runsTable"));
        QCOMPARE(table->topLevelItemCount(), 2);
        QCOMPARE(table->topLevelItem(0)->text(0), QStringLiteral("run-a"));
        QCOMPARE(table->topLevelItem(0)->text(4), QStringLiteral("W4A8"));
        QCOMPARE(table->topLevelItem(0)->text(7), QStringLiteral("90.50"));
        QCOMPARE(table->topLevelItem(1)->text(7), QStringLiteral("–"));   // not evaluated
        QCOMPARE(table->topLevelItem(0)->text(8), QStringLiteral("3.5"));
        QCOMPARE(panel.seriesKeys(), (QStringList{QStringLiteral("synthesize: loss_total"), QStringLiteral("fine-tune: loss")}));

        // Both runs' loss, raw and smoothed: EMA 0.5 of (4, 2.5) is (4, 2.25 / 0.75 = 3).
        panel.selectSeries(QStringLiteral("synthesize: loss_total"));
        auto* plot = panel.findChild<QCustomPlot*>(QStringLiteral("runCurvesPlot"));
        QCOMPARE(plot->graphCount(), 4);
        const QCPGraph* raw = graphNamed(plot, QStringLiteral("loss_total raw — run-a"));
        const QCPGraph* smooth = graphNamed(plot, QStringLiteral("loss_total — run-a"));
        QVERIFY(raw && smooth);
        QCOMPARE(raw->data()->at(1)->value, 2.5);
        QCOMPARE(smooth->data()->at(0)->value, 4.0);
        QVERIFY(std::abs(smooth->data()->at(1)->value - 3.0) < 1e-12);
        QCOMPARE(plot->xAxis->label(), QStringLiteral("step"));
        // Moving average over 2: (4, 3.25).
        panel.setSmoothing(SmoothingKind::MovingAverage, 0.9, 2);
        smooth = graphNamed(plot, QStringLiteral("loss_total — run-a"));
        QCOMPARE(smooth->data()->at(1)->value, 3.25);
        // Unchecking run-b takes its curves out.
        table->topLevelItem(1)->setCheckState(0, Qt::Unchecked);
        QCOMPARE(plot->graphCount(), 2);
        panel.setSmoothing(SmoothingKind::None, 0.9, 10);
        QCOMPARE(plot->graphCount(), 1);   // only the raw curve when nothing is smoothed
        QVERIFY(graphNamed(plot, QStringLiteral("loss_total — run-a")));

        // Selection: run-a has snapshots and a report, nothing to resume; run-b the other way round.
        auto* snaps = panel.findChild<QListWidget*>(QStringLiteral("runSnapshots"));
        auto* resume = panel.findChild<QPushButton*>(QStringLiteral("resumeRunButton"));
        auto* report = panel.findChild<QPushButton*>(QStringLiteral("openReportButton"));
        table->setCurrentItem(table->topLevelItem(0));
        QCOMPARE(snaps->count(), 2);
        QCOMPARE(snaps->item(0)->text(), QStringLiteral("batch000-step000001"));
        auto* viewer = panel.findChild<SnapshotViewer*>(QStringLiteral("runSnapshotViewer"));
        QCOMPARE(viewer->count(), 2);
        QCOMPARE(viewer->currentStep(), qint64(10));   // the latest first
        snaps->setCurrentRow(0);                       // a click in the strip shows that one
        QCOMPARE(viewer->currentStep(), qint64(1));
        QVERIFY(!resume->isEnabled());
        QVERIFY(report->isEnabled());
        table->setCurrentItem(table->topLevelItem(1));
        QCOMPARE(snaps->count(), 0);
        QVERIFY(resume->isEnabled());
        QVERIFY(!report->isEnabled());
        QSignalSpy resumeRequested(&panel, &RunsPanel::resumeRequested);
        QTest::mouseClick(resume, Qt::LeftButton);
        QCOMPARE(resumeRequested.count(), 1);
        QCOMPARE(resumeRequested.at(0).at(0).toString(), b);
        panel.setBusy(true);
        QVERIFY(!resume->isEnabled());

        // Opening a run again replaces its row (it may have moved on).
        panel.openRun(a);
        QVERIFY(opened.wait(10000));
        QCOMPARE(panel.runs().size(), 2);
    }

    // A sweep's runs: top-1 against weight bits, one series per method, the FP32 line; unchecked
    // and unevaluated runs are left out.
    void accuracyAgainstBitsPerMethod() {
        QTemporaryDir root;
        RunsPanel panel;
        QSignalSpy opened(&panel, &RunsPanel::runOpened);
        auto run = [&](const QString& name, const char* method, int wbits, const char* top1) {
            const QString dir = root.filePath(name);
            write(dir + "/manifest.json", QByteArray("{\"format\": \"dfq-run-1\", \"config\": {\"resolved\": {\"synthesis\": {\"method\": \"") +
                                              method + "\"}, \"ptq\": {\"method\": \"mse\"}, \"quant\": {\"wbits\": " +
                                              QByteArray::number(wbits) + ", \"abits\": 8}}}}");
            write(dir + "/state.json", "{\"status\": \"finished\", \"completed\": []}");
            write(dir + "/metrics.jsonl", "");
            if (top1)
                write(dir + "/results.json", QByteArray("{\"fp32_top1\": 94.0, \"quant_top1\": ") + top1 + "}");
            panel.openRun(dir);
            QVERIFY(opened.wait(10000));
        };
        run(QStringLiteral("z4"), "zeroq", 4, "88.0");
        run(QStringLiteral("z8"), "zeroq", 8, "93.5");
        run(QStringLiteral("z2"), "zeroq", 2, "40.0");
        run(QStringLiteral("n4"), "noise", 4, "70.0");
        run(QStringLiteral("n6"), "noise", 6, nullptr);   // not evaluated
        auto* plot = panel.findChild<QCustomPlot*>(QStringLiteral("accuracyBitsPlot"));
        QCOMPARE(plot->graphCount(), 3);   // noise, zeroq, FP32
        const QCPGraph* zeroq = graphNamed(plot, QStringLiteral("zeroq mse"));
        QVERIFY(zeroq);
        QCOMPARE(zeroq->data()->size(), 3);
        QCOMPARE(zeroq->data()->at(0)->key, 2.0);   // sorted by bits
        QCOMPARE(zeroq->data()->at(2)->value, 93.5);
        QCOMPARE(graphNamed(plot, QStringLiteral("noise mse"))->data()->size(), 1);
        QCOMPARE(graphNamed(plot, QStringLiteral("FP32"))->data()->at(0)->value, 94.0);
        // Unchecking z8 takes it out.
        panel.findChild<QTreeWidget*>(QStringLiteral("runsTable"))->topLevelItem(1)->setCheckState(0, Qt::Unchecked);
        QCOMPARE(graphNamed(plot, QStringLiteral("zeroq mse"))->data()->size(), 2);
    }

    void badRunsAreRefusedAndChangeNothing() {
        QTemporaryDir root;
        const QString good = makeRun(root, QStringLiteral("good"), "finished",
                                     "{\"stage\": \"synthesize\", \"step\": 1, \"loss_total\": 1.0}\n", false);
        const QString newer = makeRun(root, QStringLiteral("newer"), "finished", "", false, "dfq-run-7");
        RunsPanel panel;
        QSignalSpy opened(&panel, &RunsPanel::runOpened);
        QSignalSpy failed(&panel, &RunsPanel::openFailed);
        panel.openRun(good);
        QVERIFY(opened.wait(10000));
        panel.openRun(newer);
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.at(0).at(1).toString().contains(QStringLiteral("dfq-run-7")), qPrintable(failed.at(0).at(1).toString()));
        panel.openRun(root.filePath(QStringLiteral("no-such-run")));
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.at(1).at(1).toString().contains(QStringLiteral("not a run directory")));
        QCOMPARE(panel.runs().size(), 1);
        QCOMPARE(panel.runs().first().dir, good);
    }
};

QTEST_MAIN(TestRunsPanel)
#include "tst_runspanel.moc"
