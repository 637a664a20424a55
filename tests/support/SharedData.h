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

/// The project's defaults that tests use: the embedded model (resources/models/fmnist_resnet8.pt,
/// part of the source tree) and Debian's Fashion-MNIST (/usr/share/datasets/fashion-mnist, package
/// dataset-fashion-mnist, installed by scripts/setup.sh). "" when present, else what is missing.
std::string missingEmbeddedModel();
std::string missingFashionMnist();

/// Why a missing Fashion-MNIST is a failure here rather than a skip, "" where it may skip:
/// CI=true (or 1/yes) in the environment, DFQ_REQUIRE_DATASETS=1, or the dpkg database lists
/// dataset-fashion-mnist (scripts/setup.sh installed it, so its files must be there). A broken
/// install step must turn the suite red, not skip the tests that need the data.
std::string datasetsRequiredBecause();

/// Removes a directory (recursively) when it goes out of scope: tests whose run directories hold
/// synthetic sets and checkpoints clean up after themselves, also when a QVERIFY returns early.
struct RemoveOnExit {
    std::string dir;
    ~RemoveOnExit();
};

} // namespace dfq::testing

/// The embedded model ships in the source tree: a test that needs it fails when it is missing.
#define DFQ_REQUIRE_EMBEDDED_MODEL()                                                                   \
    do {                                                                                               \
        const std::string missing_ = dfq::testing::missingEmbeddedModel();                            \
        if (!missing_.empty())                                                                         \
            QFAIL(missing_.c_str());                                                                   \
    } while (0)

/// Fashion-MNIST: a failure where it is required (datasetsRequiredBecause()), a skip elsewhere.
#define DFQ_REQUIRE_FASHION_MNIST()                                                                    \
    do {                                                                                               \
        const std::string missing_ = dfq::testing::missingFashionMnist();                             \
        if (!missing_.empty()) {                                                                       \
            const std::string why_ = dfq::testing::datasetsRequiredBecause();                         \
            if (!why_.empty())                                                                         \
                QFAIL((missing_ + " (a failure, not a skip: " + why_ + ")").c_str());                  \
            QSKIP(missing_.c_str());                                                                   \
        }                                                                                              \
    } while (0)

/// Skips the current test with a clear message when a file from ../shared is missing.
#define DFQ_REQUIRE_SHARED(var, rel)                                                                   \
    const std::string var = dfq::testing::sharedPath(rel);                                            \
    if (var.empty())                                                                                   \
        QSKIP(qPrintable(QStringLiteral("../shared/%1 not found: this test needs the shared models and " \
                                        "data beside the checkout").arg(QString::fromStdString(rel))))
