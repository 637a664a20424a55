// configureAllocator: respects the user's malloc tunables, and afterwards a tensor-sized block (4 MiB)
// comes from the heap instead of a fresh mmap (mallinfo2's mmapped bytes do not move), and is not
// handed back to the system when freed.
#include "runtime/Allocator.h"

#include <QtTest/QtTest>

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace dfq;

class TestAllocator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void respectsUserTunables() {
#if !defined(__GLIBC__)
        QSKIP("glibc only");
#else
        qputenv("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=1000000");
        QVERIFY(!runtime::configureAllocator().applied);
        qunsetenv("GLIBC_TUNABLES");
        qputenv("MALLOC_MMAP_THRESHOLD_", "65536");
        QVERIFY(!runtime::configureAllocator().applied);
        qunsetenv("MALLOC_MMAP_THRESHOLD_");
#endif
    }

    void tensorSizedBlocksStayInTheHeap() {
#if !defined(__GLIBC__)
        QSKIP("glibc only");
#else
        // The process may have been started with tunables in its environment; the test needs none.
        if (qEnvironmentVariableIsSet("GLIBC_TUNABLES") || qEnvironmentVariableIsSet("MALLOC_MMAP_THRESHOLD_") ||
            qEnvironmentVariableIsSet("MALLOC_TRIM_THRESHOLD_"))
            QSKIP("malloc tunables set in the environment");
        const auto s = runtime::configureAllocator();
        QVERIFY(s.applied);
        QCOMPARE(s.mmapThresholdBytes, 32L << 20);
        QCOMPARE(s.trimThresholdBytes, 512L << 20);

        const size_t block = 4u << 20;   // a [64,16,32,32] float activation
        const size_t mmappedBefore = mallinfo2().hblkhd;
        void* p = std::malloc(block);
        QVERIFY(p);
        static_cast<volatile char*>(p)[block - 1] = 1;
        QCOMPARE(mallinfo2().hblkhd, mmappedBefore);   // not an mmap of its own
        const size_t arenaWithBlock = mallinfo2().arena;
        std::free(p);
        QCOMPARE(mallinfo2().arena, arenaWithBlock);    // kept for the next iteration, not trimmed
        // A block above the threshold is still mmapped (long-lived caches such as a test set).
        void* big = std::malloc(64u << 20);
        QVERIFY(big);
        QVERIFY(mallinfo2().hblkhd >= mmappedBefore + (64u << 20));
        std::free(big);
#endif
    }
};

QTEST_APPLESS_MAIN(TestAllocator)
#include "tst_allocator.moc"
