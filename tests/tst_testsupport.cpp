// tests/support: when a missing default (the embedded model, Debian's Fashion-MNIST) fails a test
// instead of skipping it.
#include "runtime/Resources.h"
#include "support/SharedData.h"

#include <QtTest/QtTest>

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;
using namespace dfq::testing;

class TestTestSupport : public QObject {
    Q_OBJECT

    std::string savedCi_, savedRequire_;
    bool hadCi_ = false, hadRequire_ = false;

    static void restore(const char* name, bool had, const std::string& value) {
        if (had)
            setenv(name, value.c_str(), 1);
        else
            unsetenv(name);
    }

private Q_SLOTS:
    void initTestCase() {
        if (const char* v = std::getenv("CI"))
            hadCi_ = true, savedCi_ = v;
        if (const char* v = std::getenv("DFQ_REQUIRE_DATASETS"))
            hadRequire_ = true, savedRequire_ = v;
    }
    void cleanupTestCase() {
        restore("CI", hadCi_, savedCi_);
        restore("DFQ_REQUIRE_DATASETS", hadRequire_, savedRequire_);
    }

    void ciOrAnExplicitRequestRequiresTheDatasets() {
        unsetenv("DFQ_REQUIRE_DATASETS");
        setenv("CI", "true", 1);
        QCOMPARE(datasetsRequiredBecause(), std::string("CI is set"));
        setenv("CI", "1", 1);
        QCOMPARE(datasetsRequiredBecause(), std::string("CI is set"));
        unsetenv("CI");
        setenv("DFQ_REQUIRE_DATASETS", "1", 1);
        QCOMPARE(datasetsRequiredBecause(), std::string("DFQ_REQUIRE_DATASETS is set"));
    }

    void otherwiseTheDpkgDatabaseDecides() {
        unsetenv("CI");
        setenv("DFQ_REQUIRE_DATASETS", "0", 1);
        const bool listed = fs::exists("/var/lib/dpkg/info/dataset-fashion-mnist.list");
        QCOMPARE(datasetsRequiredBecause().empty(), !listed);
        setenv("CI", "false", 1);
        QCOMPARE(datasetsRequiredBecause().empty(), !listed);
    }

    void missingDefaultsAreNamed() {
        QCOMPARE(missingEmbeddedModel().empty(), !dfq::runtime::defaultModelPath().empty());
        const bool present = fs::exists(dfq::runtime::defaultDataPath() + "/t10k-images-idx3-ubyte.gz") &&
                             fs::exists(dfq::runtime::defaultDataPath() + "/t10k-labels-idx1-ubyte.gz");
        QCOMPARE(missingFashionMnist().empty(), present);
        // The embedded model is part of the source tree.
        QVERIFY(missingEmbeddedModel().empty());
    }
};

QTEST_GUILESS_MAIN(TestTestSupport)
#include "tst_testsupport.moc"
