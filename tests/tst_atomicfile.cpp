// runtime/AtomicFile and AtomicDirectory: a file is the old one or the new one (a full disk leaves the
// old file and no .tmp), lines stay whole, and a folder written as a unit replaces only folders that
// are empty or recognised as ours, never anything else, and leaves nothing behind when not committed.
#include "runtime/AtomicDirectory.h"
#include "runtime/AtomicFile.h"
#include "support/SharedData.h"

#include <QtTest/QtTest>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include <unistd.h>

using namespace dfq;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

/// write(2) that fails with ENOSPC once `quota` bytes have been written.
runtime::WriteCall fullDisk(size_t quota) {
    auto written = std::make_shared<size_t>(0);
    return [quota, written](int fd, const char* data, size_t size) -> long {
        if (*written >= quota) {
            errno = ENOSPC;
            return -1;
        }
        const long n = long(::write(fd, data, std::min(size, quota - *written)));
        if (n > 0)
            *written += size_t(n);
        return n;
    };
}

bool hasMarker(const fs::path& dir) { return fs::exists(dir / "ours.txt"); }

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fileIsOldOrNew() {
        const fs::path dir = testing::makeTempDir("atomicfile");
        const fs::path f = dir / "a.json";
        runtime::writeFileAtomically(f.string(), "old");
        QCOMPARE(readAll(f), std::string("old"));
        try {
            runtime::writeFileAtomically(f.string(), "new content", fullDisk(4));
            QFAIL("a full disk was not reported");
        } catch (const runtime::FileError& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("No space left on device") != std::string::npos && m.find(f.string()) != std::string::npos,
                     m.c_str());
        }
        QCOMPARE(readAll(f), std::string("old"));
        QVERIFY(!fs::exists(f.string() + ".tmp"));
        runtime::writeFileAtomically(f.string(), "new content");
        QCOMPARE(readAll(f), std::string("new content"));
        QVERIFY_THROWS_EXCEPTION(runtime::FileError, runtime::writeFileAtomically((dir / "no" / "x").string(), "x"));
    }

    void linesStayWhole() {
        const fs::path f = fs::path(testing::makeTempDir("atomicfile")) / "m.jsonl";
        runtime::appendLineSynced(f.string(), "{\"a\": 1}");
        QVERIFY_THROWS_EXCEPTION(runtime::FileError, runtime::appendLineSynced(f.string(), "{\"b\": 2222222}", fullDisk(5)));
        runtime::appendLineSynced(f.string(), "{\"c\": 3}");
        QCOMPARE(readAll(f), std::string("{\"a\": 1}\n{\"c\": 3}\n"));
    }

    void folderIsWrittenAsAUnit() {
        const fs::path root = testing::makeTempDir("atomicdir");
        const fs::path dir = root / "out";
        {
            runtime::AtomicDirectory out(dir, hasMarker, "a test folder");
            out.writeFile("ours.txt", "1");
            out.writeFile("sub/deep/b.bin", "bytes");
            QVERIFY(!fs::exists(dir));   // nothing visible before commit
            out.commit();
        }
        QCOMPARE(readAll(dir / "sub" / "deep" / "b.bin"), std::string("bytes"));
        QVERIFY(!fs::exists(root / "out.tmp"));
        QVERIFY(!fs::exists(dir / runtime::AtomicDirectory::kStagingMark));

        // Replacing one of ours swaps the whole folder: no file of the old one survives.
        {
            runtime::AtomicDirectory out(dir, hasMarker, "a test folder");
            out.writeFile("ours.txt", "2");
            out.commit();
        }
        QCOMPARE(readAll(dir / "ours.txt"), std::string("2"));
        QVERIFY(!fs::exists(dir / "sub"));
        QVERIFY(!fs::exists(root / "out.tmp") && !fs::exists(root / "out.old"));

        // Not committed (an error half-way): the target is untouched, the staging folder gone.
        {
            runtime::AtomicDirectory out(dir, hasMarker, "a test folder");
            out.writeFile("ours.txt", "3");
        }
        QCOMPARE(readAll(dir / "ours.txt"), std::string("2"));
        QVERIFY(!fs::exists(root / "out.tmp"));
    }

    void neverReplacesWhatIsNotOurs() {
        const fs::path root = testing::makeTempDir("atomicdir");
        const fs::path user = root / "home";
        fs::create_directories(user / "docs");
        { std::ofstream(user / "docs" / "letter.txt") << "dear"; }
        try {
            runtime::AtomicDirectory out(user, hasMarker, "a test folder");
            QFAIL("a user's folder was accepted");
        } catch (const runtime::FileError& e) {
            QVERIFY2(std::string(e.what()).find("refusing") != std::string::npos, e.what());
        }
        QCOMPARE(readAll(user / "docs" / "letter.txt"), std::string("dear"));
        QVERIFY(!fs::exists(root / "home.tmp"));

        // It becomes someone else's between the check and the commit: still refused at commit.
        const fs::path late = root / "late";
        fs::create_directories(late);
        {
            runtime::AtomicDirectory out(late, hasMarker, "a test folder");
            out.writeFile("ours.txt", "1");
            { std::ofstream(late / "theirs.txt") << "mine"; }
            QVERIFY_THROWS_EXCEPTION(runtime::FileError, out.commit());
        }
        QCOMPARE(readAll(late / "theirs.txt"), std::string("mine"));
        QVERIFY(!fs::exists(late / "ours.txt"));

        // A "DIR.tmp" that is not an unfinished write: kept, and the write refused.
        const fs::path dir = root / "out";
        fs::create_directories(root / "out.tmp");
        { std::ofstream(root / "out.tmp" / "keep.txt") << "keep"; }
        QVERIFY_THROWS_EXCEPTION(runtime::FileError, runtime::AtomicDirectory(dir, hasMarker, "a test folder"));
        QCOMPARE(readAll(root / "out.tmp" / "keep.txt"), std::string("keep"));
        // With the staging mark it is an interrupted write of ours and goes.
        { std::ofstream(root / "out.tmp" / runtime::AtomicDirectory::kStagingMark); }
        {
            runtime::AtomicDirectory out(dir, hasMarker, "a test folder");
            QVERIFY(!fs::exists(out.staging() / "keep.txt"));
            out.writeFile("ours.txt", "1");
            out.commit();
        }
        QVERIFY(fs::exists(dir / "ours.txt") && !fs::exists(root / "out.tmp"));

        // A file under the name, "/" and "..": refused.
        { std::ofstream(root / "file") << "x"; }
        QVERIFY_THROWS_EXCEPTION(runtime::FileError, runtime::AtomicDirectory(root / "file", hasMarker, "a test folder"));
        QCOMPARE(readAll(root / "file"), std::string("x"));
        QVERIFY_THROWS_EXCEPTION(runtime::FileError, runtime::AtomicDirectory("/", hasMarker, "a test folder"));
        QVERIFY_THROWS_EXCEPTION(runtime::FileError, runtime::AtomicDirectory(root / "..", hasMarker, "a test folder"));
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
