// CIFAR-10 binary batches written here: record layout (label, R plane, G plane, B plane), split choice,
// class names from batches.meta.txt, and a file whose size is not a multiple of 3073 bytes.
#include "support/SharedData.h"

#include "data/CifarBinary.h"
#include "data/DataError.h"
#include "data/Dataset.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

using namespace dfq::data;
namespace fs = std::filesystem;

namespace {

/// Record r: label `label`; R(y,x) = (r + x) % 256, G = (2r + y) % 256, B = 200.
void writeBatch(const std::string& path, const std::vector<uint8_t>& labels, int firstRecord = 0) {
    std::ofstream f(path, std::ios::binary);
    for (size_t i = 0; i < labels.size(); ++i) {
        const int r = firstRecord + int(i);
        std::vector<uint8_t> rec(3073);
        rec[0] = labels[i];
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x) {
                rec[size_t(1 + y * 32 + x)] = uint8_t((r + x) % 256);
                rec[size_t(1 + 1024 + y * 32 + x)] = uint8_t((2 * r + y) % 256);
                rec[size_t(1 + 2048 + y * 32 + x)] = 200;
            }
        f.write(reinterpret_cast<const char*>(rec.data()), std::streamsize(rec.size()));
    }
}

DatasetOptions plain() {
    DatasetOptions o;
    o.geometry = {3, 32, 32};
    o.normalization = normalizationPreset("none");
    return o;
}

} // namespace

class TestCifarBinary : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recordsDecoded() {
        const std::string dir = dfq::testing::makeTempDir("cifarbin");
        writeBatch(dir + "/data_batch_1.bin", {6, 9, 9});
        writeBatch(dir + "/data_batch_2.bin", {4, 1}, 3);
        writeBatch(dir + "/test_batch.bin", {3, 8, 8, 0});
        auto o = plain();
        o.train = true;
        auto train = openDataset(dir, o);
        QCOMPARE(train->size(), int64_t(5));
        QCOMPARE(train->classNames().front(), std::string("airplane"));  // no meta file: CIFAR-10 names
        QCOMPARE(train->classNames().back(), std::string("truck"));
        const Batch b = train->get({0, 4});
        QCOMPARE(b.labels[0].item<int64_t>(), int64_t(6));
        QCOMPARE(b.labels[1].item<int64_t>(), int64_t(1));  // record 4 (second of data_batch_2)
        // record 4, (y=5, x=7): R = 11, G = 13, B = 200
        QCOMPARE(b.images[1][0][5][7].item<float>() * 255.0f, 11.0f);
        QCOMPARE(b.images[1][1][5][7].item<float>() * 255.0f, 13.0f);
        QCOMPARE(b.images[1][2][5][7].item<float>() * 255.0f, 200.0f);

        o.train = false;
        auto test = openDataset(dir, o);
        QCOMPARE(test->size(), int64_t(4));
        QCOMPARE(test->get({1}).labels[0].item<int64_t>(), int64_t(8));
        fs::remove_all(dir);
    }

    void metaNamesAndSingleFile() {
        const std::string dir = dfq::testing::makeTempDir("cifarbin-meta");
        writeBatch(dir + "/test_batch.bin", {0, 1, 2});
        std::ofstream(dir + "/batches.meta.txt") << "alpha\nbeta\ngamma\n\n";
        auto ds = openDataset(dir + "/test_batch.bin", plain());
        QCOMPARE(ds->classNames(), (std::vector<std::string>{"alpha", "beta", "gamma"}));
        QCOMPARE(ds->size(), int64_t(3));
        fs::remove_all(dir);
    }

    void geometryConversion() {
        const std::string dir = dfq::testing::makeTempDir("cifarbin-geom");
        writeBatch(dir + "/test_batch.bin", {0, 1});
        DatasetOptions o;
        o.geometry = {1, 16, 16};
        o.normalization = normalizationPreset("none");
        const Batch b = openDataset(dir, o)->get({0, 1});
        QCOMPARE(b.images.sizes().vec(), (std::vector<int64_t>{2, 1, 16, 16}));
        fs::remove_all(dir);
    }

    void badSizeNamesFile() {
        const std::string dir = dfq::testing::makeTempDir("cifarbin-bad");
        writeBatch(dir + "/test_batch.bin", {0, 1});
        std::ofstream(dir + "/test_batch.bin", std::ios::app) << "extra";
        try {
            openDataset(dir, plain());
            QFAIL("expected DataError");
        } catch (const DataError& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find(dir + "/test_batch.bin") != std::string::npos, e.what());
            QVERIFY2(msg.find("3073") != std::string::npos, e.what());
        }
        fs::remove_all(dir);
    }

    void missingSplit() {
        const std::string dir = dfq::testing::makeTempDir("cifarbin-split");
        writeBatch(dir + "/data_batch_1.bin", {0});
        QVERIFY_THROWS_EXCEPTION(DataError, openDataset(dir, plain()));  // test split asked, none there
        fs::remove_all(dir);
    }
};

QTEST_GUILESS_MAIN(TestCifarBinary)
#include "tst_cifarbinary.moc"
