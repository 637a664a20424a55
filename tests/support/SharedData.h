#pragma once
#include <QString>
#include <string>

namespace dfq::testing {

/// The read-only ../shared folder beside the checkout (or $DFQ_SHARED_DIR), "" when absent.
std::string sharedDir();
/// sharedDir() + "/" + rel, or "" when ../shared or that file is missing.
std::string sharedPath(const std::string& rel);
/// Path inside the source tree (resources, fixtures).
std::string sourcePath(const std::string& rel);
/// A fresh temporary directory for one test (removed by the OS; tests clean up what they can).
std::string makeTempDir(const std::string& tag);

/// Removes a directory (recursively) when it goes out of scope: tests whose run directories hold
/// synthetic sets and checkpoints clean up after themselves, also when a QVERIFY returns early.
struct RemoveOnExit {
    std::string dir;
    ~RemoveOnExit();
};

} // namespace dfq::testing

/// Skips the current test with a clear message when a file from ../shared is missing.
#define DFQ_REQUIRE_SHARED(var, rel)                                                                   \
    const std::string var = dfq::testing::sharedPath(rel);                                            \
    if (var.empty())                                                                                   \
        QSKIP(qPrintable(QStringLiteral("../shared/%1 not found: this test needs the shared models and " \
                                        "data beside the checkout").arg(QString::fromStdString(rel))))
