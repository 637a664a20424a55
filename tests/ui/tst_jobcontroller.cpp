// JobController: one job at a time across workers, Cancel reaching only the running job, the token
// re-armed when a job starts (so a Cancel that came after a job cannot stop the next one).
#include "JobController.h"

#include <QSignalSpy>
#include <QtTest/QtTest>

using dfq::ui::JobController;

namespace {
/// A worker's cancel token as the controller sees it.
struct FakeWorker {
    bool cancelled = false;
    int cancels = 0, resets = 0;
    JobController::Worker hooks() {
        return {[this] { cancelled = true; ++cancels; }, [this] { cancelled = false; ++resets; }};
    }
};
} // namespace

class TestJobController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneJobAtATime() {
        JobController jobs;
        FakeWorker model, experiment;
        const int m = jobs.addWorker(model.hooks()), e = jobs.addWorker(experiment.hooks());
        QSignalSpy busy(&jobs, &JobController::busyChanged);
        QVERIFY(!jobs.isBusy());
        QVERIFY(jobs.start(e, QStringLiteral("experiment")));
        QVERIFY(jobs.isBusy());
        QCOMPARE(jobs.activeWorker(), e);
        QCOMPARE(jobs.activeJob(), QStringLiteral("experiment"));
        // Neither worker can start another job meanwhile.
        QVERIFY(!jobs.start(m, QStringLiteral("loading the model")));
        QVERIFY(!jobs.start(e, QStringLiteral("experiment")));
        QCOMPARE(jobs.activeWorker(), e);
        QCOMPARE(model.resets, 0);
        // The idle worker reporting idle changes nothing.
        jobs.finished(m);
        QVERIFY(jobs.isBusy());
        jobs.finished(e);
        QVERIFY(!jobs.isBusy());
        QCOMPARE(jobs.activeWorker(), -1);
        QCOMPARE(busy.count(), 2);
        QCOMPARE(busy.at(0).at(0).toBool(), true);
        QCOMPARE(busy.at(1).at(0).toBool(), false);
        QVERIFY(jobs.start(m, QStringLiteral("evaluation")));
        QVERIFY(!jobs.start(e, QStringLiteral("experiment")));
        QVERIFY(!jobs.start(5, QStringLiteral("no such worker")));
    }
    void cancelReachesOnlyTheRunningJob() {
        JobController jobs;
        FakeWorker model, experiment;
        const int m = jobs.addWorker(model.hooks()), e = jobs.addWorker(experiment.hooks());
        jobs.cancel();   // idle: nobody is touched
        QCOMPARE(model.cancels + experiment.cancels, 0);
        QVERIFY(jobs.start(e, QStringLiteral("experiment")));
        jobs.cancel();
        QCOMPARE(experiment.cancels, 1);
        QCOMPARE(model.cancels, 0);
        QVERIFY(!model.cancelled);
        jobs.finished(e);
        // A new job on the same worker starts with its token re-armed.
        QVERIFY(experiment.cancelled);
        QVERIFY(jobs.start(e, QStringLiteral("experiment")));
        QVERIFY(!experiment.cancelled);
        jobs.finished(e);
        QVERIFY(jobs.start(m, QStringLiteral("evaluation")));
        QCOMPARE(model.resets, 1);
        QVERIFY(!model.cancelled);
    }
};

QTEST_GUILESS_MAIN(TestJobController)
#include "tst_jobcontroller.moc"
