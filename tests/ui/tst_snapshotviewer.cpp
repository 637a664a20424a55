// SnapshotViewer: steps read from the file names, the latest shown first, an exact step jumps to the
// last snapshot at or before it, 1:1 shows the image's own pixels, fitting enlarges by whole pixels,
// images beyond the decoded ones are read when shown, and a pinned snapshot stays beside the current
// one across steps and runs.
#include "SnapshotViewer.h"

#include <QLabel>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using dfq::ui::SnapshotViewer;

class TestSnapshotViewer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stepsFromNames() {
        QCOMPARE(SnapshotViewer::stepOf(QStringLiteral("/r/snapshots/batch002-step000120.png")), qint64(120));
        QCOMPARE(SnapshotViewer::stepOf(QStringLiteral("probe-epoch3.png")), qint64(-1));
    }

    void scrubsTheHistory() {
        QTemporaryDir dir;
        QStringList files;
        for (int step : {1, 11, 21}) {
            QImage image(8, 4, QImage::Format_RGB32);
            image.fill(QColor(step * 10, 0, 0));
            files << dir.filePath(QStringLiteral("batch000-step%1.png").arg(step, 6, 10, QLatin1Char('0')));
            QVERIFY(image.save(files.last()));
        }
        SnapshotViewer v;
        v.resize(400, 300);
        v.show();
        // Only the first image decoded by the loader: the others are read when shown.
        v.setSnapshots(files, {QImage(files[0])});
        QCOMPARE(v.count(), 3);
        QCOMPARE(v.current(), 2);
        QCOMPARE(v.currentStep(), qint64(21));
        QVERIFY(v.findChild<QLabel*>(QStringLiteral("snapshotCaption"))->text().contains(QStringLiteral("3 of 3")));
        v.showStep(15);
        QCOMPARE(v.currentStep(), qint64(11));
        QCOMPARE(v.findChild<QSlider*>(QStringLiteral("snapshotSlider"))->value(), 1);
        v.showStep(0);
        QCOMPARE(v.current(), 0);
        v.showStep(1000);
        QCOMPARE(v.current(), 2);
        v.findChild<QSlider*>(QStringLiteral("snapshotSlider"))->setValue(0);
        QCOMPARE(v.currentStep(), qint64(1));

        v.setActualPixels(true);
        QCOMPARE(v.shownSize(), QSize(8, 4));
        v.setActualPixels(false);
        const QSize fitted = v.shownSize();
        QVERIFY(fitted.width() > 8);
        QCOMPARE(fitted.width() % 8, 0);   // whole pixel multiples
        QCOMPARE(fitted.width() / 8, fitted.height() / 4);

        // Pin step 1, scrub to 21: both side by side at 1:1, the caption names both.
        v.setActualPixels(true);
        v.showStep(1);
        v.pin(QStringLiteral("run-a"));
        QVERIFY(v.hasPin());
        v.showStep(21);
        QCOMPARE(v.shownSize(), QSize(8 + SnapshotViewer::kGap + 8, 4));
        const QString caption = v.findChild<QLabel*>(QStringLiteral("snapshotCaption"))->text();
        QVERIFY2(caption.contains(QStringLiteral("run-a batch000-step000001")) && caption.contains(QStringLiteral("step000021")),
                 qPrintable(caption));
        // Another run's snapshots: the pin stays (two runs compared).
        v.setSnapshots({files[1]}, {});
        QVERIFY(v.hasPin());
        QCOMPARE(v.shownSize(), QSize(8 + SnapshotViewer::kGap + 8, 4));
        v.unpin();
        QCOMPARE(v.shownSize(), QSize(8, 4));

        v.setSnapshots({}, {});
        QCOMPARE(v.count(), 0);
        QCOMPARE(v.currentStep(), qint64(-1));
    }
};

QTEST_MAIN(TestSnapshotViewer)
#include "tst_snapshotviewer.moc"
