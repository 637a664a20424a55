// TrialScheduler: a burst of bit-width edits runs as few trials as possible, always ending with the
// newest spec, and only the newest result counts.
#include "TrialScheduler.h"

#include <QSignalSpy>
#include <QtTest/QtTest>

using dfq::ui::TrialScheduler;

class TestTrialScheduler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void idleRequestStartsAtOnce() {
        QVector<quint64> starts;
        int cancels = 0;
        TrialScheduler s([&](quint64 n) { starts << n; }, [&] { ++cancels; });
        QSignalSpy started(&s, &TrialScheduler::started);
        QCOMPARE(s.request(), quint64(1));
        QCOMPARE(starts, QVector<quint64>{1});
        QCOMPARE(started.count(), 1);
        QCOMPARE(s.running(), quint64(1));
        QVERIFY(s.isCurrent(1));
        s.finished(1);
        QVERIFY(!s.isRunning());
        QCOMPARE(cancels, 0);
        QVERIFY(s.isCurrent(1));   // still the newest: its result is shown
    }

    void burstCancelsOnceAndRunsOnlyTheNewest() {
        QVector<quint64> starts;
        int cancels = 0;
        TrialScheduler s([&](quint64 n) { starts << n; }, [&] { ++cancels; });
        s.request();                       // 1 runs
        s.request();                       // 2 waits, 1 cancelled
        s.request();                       // 3 replaces 2; no second cancel
        QCOMPARE(s.request(), quint64(4)); // 4 replaces 3
        QCOMPARE(cancels, 1);
        QVERIFY(s.hasPending());
        QCOMPARE(starts, QVector<quint64>{1});
        QVERIFY(!s.isCurrent(1));
        s.finished(1);                     // 1 ends (cancelled): 4 starts, 2 and 3 never run
        QCOMPARE(starts, (QVector<quint64>{1, 4}));
        QVERIFY(!s.hasPending());
        s.request();                       // 5 arrives while 4 runs: a new cancel for the new run
        QCOMPARE(cancels, 2);
        s.finished(4);
        QCOMPARE(starts, (QVector<quint64>{1, 4, 5}));
        s.finished(5);
        QVERIFY(!s.isRunning());
        QVERIFY(s.isCurrent(5));
    }

    void staleFinishIsIgnored() {
        QVector<quint64> starts;
        TrialScheduler s([&](quint64 n) { starts << n; }, [] {});
        s.request();
        s.request();
        s.finished(7);   // not the running trial
        s.finished(0);
        QCOMPARE(s.running(), quint64(1));
        QCOMPARE(starts, QVector<quint64>{1});
        s.finished(1);
        s.finished(1);   // twice: the second is stale
        QCOMPARE(starts, (QVector<quint64>{1, 2}));
        QCOMPARE(s.running(), quint64(2));
    }
};

QTEST_GUILESS_MAIN(TestTrialScheduler)
#include "tst_trialscheduler.moc"
