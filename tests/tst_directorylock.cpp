// One writer per run directory: a second claim is refused naming the holder (what, pid, host); the
// claim ends with its owner, also when the owner is killed with SIGKILL (flock is the kernel's);
// `dfq resume` of a run another process writes is refused with that message, and nothing is written.
#include "runtime/AtomicFile.h"
#include "runtime/DirectoryLock.h"
#include "support/SharedData.h"

#include <QProcess>
#include <QtTest/QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace dfq;

namespace {
std::string refusal(const std::string& dir, const std::string& what) {
    try {
        runtime::DirectoryLock l(dir, what);
    } catch (const runtime::FileError& e) {
        return e.what();
    }
    return "";
}
} // namespace

class TestDirectoryLock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void secondClaimIsRefusedNamingTheHolder() {
        const std::string dir = testing::makeTempDir("lock");
        testing::RemoveOnExit cleanup{dir};
        {
            runtime::DirectoryLock first(dir, "a run");
            const std::string m = refusal(dir, "a resume");
            QVERIFY2(m.find("'" + dir + "' is in use by a run (pid " + std::to_string(getpid()) + " on ") != std::string::npos,
                     m.c_str());
        }
        QCOMPARE(refusal(dir, "a resume"), std::string());   // released with its owner
    }

    void killedOwnerLeavesNoStaleLock() {
        const std::string dir = testing::makeTempDir("lock-kill");
        testing::RemoveOnExit cleanup{dir};
        int ready[2];
        QVERIFY(pipe(ready) == 0);
        const pid_t child = fork();
        if (child == 0) {
            try {
                runtime::DirectoryLock l(dir, "a child");
                const char c = 'x';
                (void)!write(ready[1], &c, 1);
                pause();
            } catch (...) {
            }
            _exit(1);
        }
        char c = 0;
        QCOMPARE(read(ready[0], &c, 1), ssize_t(1));
        const std::string m = refusal(dir, "the parent");
        QVERIFY2(m.find("a child (pid " + std::to_string(child)) != std::string::npos, m.c_str());
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        QCOMPARE(refusal(dir, "the parent"), std::string());
        close(ready[0]);
        close(ready[1]);
    }

    void resumeOfARunInUseIsRefused() {
        const std::string dir = testing::makeTempDir("lock-resume");
        testing::RemoveOnExit cleanup{dir};
        std::ofstream(dir + "/manifest.json") << "{}";
        std::ofstream(dir + "/state.json") << R"({"status": "running"})";
        runtime::DirectoryLock held(dir, "a run");
        QProcess p;
        p.start(QStringLiteral(DFQ_BINARY_DIR "/app/cli/dfq"), {"resume", QString::fromStdString(dir)});
        QVERIFY(p.waitForFinished(120000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(err.contains(QStringLiteral("is in use by a run (pid %1").arg(getpid())), qPrintable(err));
        QCOMPARE(int(std::distance(std::filesystem::directory_iterator(dir), {})), 3);   // manifest, state, .lock
    }
};

QTEST_GUILESS_MAIN(TestDirectoryLock)
#include "tst_directorylock.moc"
