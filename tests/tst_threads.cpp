// runtime::configureThreads: an explicit count wins, then $DFQ_THREADS (the per-test budget CTest
// sets, tests/CMakeLists.txt), then all cores.
#include "runtime/Threads.h"

#include <QtTest/QtTest>

#include <ATen/Parallel.h>

#include <cstdlib>

using namespace dfq::runtime;

class TestThreads : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        const char* v = std::getenv("DFQ_THREADS");
        underCTest_ = v != nullptr;
        saved_ = v ? v : "";
    }
    void cleanupTestCase() {
        if (underCTest_)
            setenv("DFQ_THREADS", saved_.c_str(), 1);
        else
            unsetenv("DFQ_THREADS");
    }

    void environmentGivesTheDefault() {
        setenv("DFQ_THREADS", "3", 1);
        QCOMPARE(threadsFromEnvironment(), 3);
        QCOMPARE(configureThreads(0), 3);
        QCOMPARE(at::get_num_threads(), 3);
        QCOMPARE(configureThreads(-1), 3);
    }

    void explicitCountWins() {
        setenv("DFQ_THREADS", "3", 1);
        QCOMPARE(configureThreads(2), 2);
        QCOMPARE(at::get_num_threads(), 2);
    }

    void withoutItAllCores() {
        for (const char* bad : {"", "0", "-2", "four", "3x", "100000"}) {
            setenv("DFQ_THREADS", bad, 1);
            QCOMPARE(threadsFromEnvironment(), 0);
            QCOMPARE(configureThreads(0), hardwareThreads());
        }
        unsetenv("DFQ_THREADS");
        QCOMPARE(configureThreads(0), hardwareThreads());
    }

    void ctestSetsABudget() {
        // Under CTest every test gets DFQ_THREADS and OMP_NUM_THREADS (tests/CMakeLists.txt).
        if (!underCTest_)
            QSKIP("not run by CTest");
        QVERIFY(atoi(saved_.c_str()) >= 1);
        const char* omp = std::getenv("OMP_NUM_THREADS");
        QVERIFY(omp && saved_ == omp);
    }

private:
    bool underCTest_ = false;
    std::string saved_;
};

QTEST_GUILESS_MAIN(TestThreads)
#include "tst_threads.moc"
