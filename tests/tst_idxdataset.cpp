// IDX datasets: round trip through files written here (gzip and raw), errors naming the file,
// conversion to another geometry, and (when installed) the real Fashion-MNIST test set.
#include "support/SharedData.h"

#include "data/DataError.h"
#include "data/Dataset.h"
#include "data/IdxDataset.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <zlib.h>

#include <filesystem>
#include <fstream>

using namespace dfq::data;
namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> idxBytes(uint32_t magic, const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
    std::vector<uint8_t> out;
    const auto put = [&](uint32_t v) {
        for (int s = 24; s >= 0; s -= 8)
            out.push_back(uint8_t(v >> s));
    };
    put(magic);
    for (uint32_t d : dims)
        put(d);
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

void writeFile(const std::string& path, const std::vector<uint8_t>& bytes, bool gzip) {
    if (gzip) {
        gzFile f = gzopen(path.c_str(), "wb");
        QVERIFY(f);
        QCOMPARE(gzwrite(f, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
        gzclose(f);
    } else {
        std::ofstream f(path, std::ios::binary);
        f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    }
}

/// 5 images of 4x3 pixels; pixel (i, y, x) = 10*i + 4*y + x; labels 3,1,4,1,5.
const std::vector<uint8_t> kLabels = {3, 1, 4, 1, 5};
std::vector<uint8_t> pixels() {
    std::vector<uint8_t> p;
    for (int i = 0; i < 5; ++i)
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 3; ++x)
                p.push_back(uint8_t(10 * i + 4 * y + x));
    return p;
}

void writeSet(const std::string& dir, const std::string& prefix, bool gzip) {
    const std::string ext = gzip ? ".gz" : "";
    writeFile(dir + "/" + prefix + "-images-idx3-ubyte" + ext, idxBytes(0x803, {5, 4, 3}, pixels()), gzip);
    writeFile(dir + "/" + prefix + "-labels-idx1-ubyte" + ext, idxBytes(0x801, {5}, kLabels), gzip);
}

DatasetOptions plain(int64_t c, int64_t h, int64_t w) {
    DatasetOptions o;
    o.geometry = {c, h, w};
    o.normalization = normalizationPreset("none");
    return o;
}

} // namespace

class TestIdxDataset : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("gzip") << true;
        QTest::newRow("raw") << false;
    }
    void roundTrip() {
        QFETCH(bool, gzip);
        const std::string dir = dfq::testing::makeTempDir("idx");
        writeSet(dir, "t10k", gzip);
        auto ds = openDataset(dir, plain(1, 4, 3));
        QCOMPARE(ds->size(), int64_t(5));
        QCOMPARE(ds->classNames().size(), size_t(10));
        QCOMPARE(ds->classNames()[3], std::string("3"));
        const Batch b = ds->get({4, 0, 2});
        QCOMPARE(b.images.sizes().vec(), (std::vector<int64_t>{3, 1, 4, 3}));
        QCOMPARE(b.labels.scalar_type(), torch::kInt64);
        QCOMPARE(b.labels[0].item<int64_t>(), int64_t(5));
        QCOMPARE(b.labels[1].item<int64_t>(), int64_t(3));
        QCOMPARE(b.labels[2].item<int64_t>(), int64_t(4));
        // pixel (4, y=2, x=1) = 40 + 8 + 1 = 49
        QVERIFY(std::abs(b.images[0][0][2][1].item<float>() - 49.0f / 255.0f) < 1e-7f);
        QVERIFY(std::abs(b.images[2][0][3][2].item<float>() - 34.0f / 255.0f) < 1e-7f);

        // The same data opened through the images file path finds its labels.
        auto byFile = openDataset(dir + "/t10k-images-idx3-ubyte" + (gzip ? ".gz" : ""), plain(1, 4, 3));
        QVERIFY(torch::equal(byFile->get({0, 1, 2, 3, 4}).images, ds->get({0, 1, 2, 3, 4}).images));
        fs::remove_all(dir);
    }

    void trainFlagPicksSplit() {
        const std::string dir = dfq::testing::makeTempDir("idx-split");
        writeSet(dir, "t10k", true);
        // A train set with different labels: 3 images.
        writeFile(dir + "/train-images-idx3-ubyte.gz",
                  idxBytes(0x803, {3, 4, 3}, std::vector<uint8_t>(36, 7)), true);
        writeFile(dir + "/train-labels-idx1-ubyte.gz", idxBytes(0x801, {3}, {0, 1, 2}), true);
        auto o = plain(1, 4, 3);
        o.train = true;
        QCOMPARE(openDataset(dir, o)->size(), int64_t(3));
        o.train = false;
        QCOMPARE(openDataset(dir, o)->size(), int64_t(5));
        fs::remove_all(dir);
    }

    void normalisedAndResized() {
        const std::string dir = dfq::testing::makeTempDir("idx-geom");
        writeSet(dir, "t10k", false);
        DatasetOptions o;
        o.geometry = {3, 8, 6};  // twice the size, 3 channels
        o.normalization = normalizationPreset("mnist");
        auto ds = openDataset(dir, o);
        const Batch b = ds->get({1});
        QCOMPARE(b.images.sizes().vec(), (std::vector<int64_t>{1, 3, 8, 6}));
        // Channels are replicated copies.
        QVERIFY(torch::equal(b.images[0][0], b.images[0][1]));
        QVERIFY(torch::equal(b.images[0][0], b.images[0][2]));
        // Corner pixel of a 2x bilinear enlargement (half-pixel centres) equals the source corner: 10.
        QVERIFY(std::abs(b.images[0][0][0][0].item<float>() - (10.0f / 255.0f - 0.1307f) / 0.3081f) < 1e-5f);
        QVERIFY(!ds->notes().empty());
        fs::remove_all(dir);
    }

    void limitAndLimitPerClass() {
        const std::string dir = dfq::testing::makeTempDir("idx-limit");
        writeSet(dir, "t10k", true);
        auto o = plain(1, 4, 3);
        o.limit = 2;
        auto ds = openDataset(dir, o);
        QCOMPARE(ds->size(), int64_t(2));
        QCOMPARE(ds->get({1}).labels[0].item<int64_t>(), int64_t(1));
        o.limit = -1;
        o.limitPerClass = 1;  // labels 3,1,4,1,5 -> drops the second 1
        ds = openDataset(dir, o);
        QCOMPARE(ds->size(), int64_t(4));
        QCOMPARE(ds->get({3}).labels[0].item<int64_t>(), int64_t(5));
        fs::remove_all(dir);
    }

    void wrongMagicNamesFile() {
        const std::string dir = dfq::testing::makeTempDir("idx-magic");
        writeSet(dir, "t10k", true);
        const std::string images = dir + "/t10k-images-idx3-ubyte.gz";
        writeFile(images, idxBytes(0x801, {5}, kLabels), true);  // a labels file under an images name
        try {
            openDataset(dir, plain(1, 4, 3));
            QFAIL("expected DataError");
        } catch (const DataError& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find(images) != std::string::npos, e.what());
            QVERIFY2(msg.find("not an IDX image file (magic 0x00000801") != std::string::npos, e.what());
        }
        fs::remove_all(dir);
    }

    void truncatedAndMissingLabels() {
        const std::string dir = dfq::testing::makeTempDir("idx-trunc");
        auto px = pixels();
        px.resize(px.size() - 5);
        writeFile(dir + "/t10k-images-idx3-ubyte", idxBytes(0x803, {5, 4, 3}, px), false);
        try {
            openDataset(dir, plain(1, 4, 3));
            QFAIL("expected DataError: no labels");
        } catch (const DataError& e) {
            QVERIFY2(std::string(e.what()).find("labels") != std::string::npos, e.what());
        }
        writeFile(dir + "/t10k-labels-idx1-ubyte", idxBytes(0x801, {5}, kLabels), false);
        try {
            openDataset(dir, plain(1, 4, 3));
            QFAIL("expected DataError: truncated");
        } catch (const DataError& e) {
            QVERIFY2(std::string(e.what()).find("truncated") != std::string::npos, e.what());
        }
        fs::remove_all(dir);
    }

    void fashionMnistTestSet() {
        DFQ_REQUIRE_FASHION_MNIST();
        const std::string dir = "/usr/share/datasets/fashion-mnist";
        DatasetOptions o;
        o.geometry = {1, 28, 28};
        o.normalization = normalizationPreset("fashion-mnist");
        auto ds = openDataset(dir, o);
        QCOMPARE(ds->size(), int64_t(10000));
        QCOMPARE(ds->classNames().size(), size_t(10));
        QCOMPARE(ds->classNames()[0], std::string("T-shirt/top"));
        QCOMPARE(ds->classNames()[9], std::string("Ankle boot"));
        const Batch b = ds->get({0});
        QCOMPARE(b.labels[0].item<int64_t>(), int64_t(9));  // the first t10k image is an ankle boot
        QCOMPARE(b.images.sizes().vec(), (std::vector<int64_t>{1, 1, 28, 28}));
        // Pixels span [0,255] before normalisation.
        auto* idx = dynamic_cast<IdxDataset*>(ds.get());
        QVERIFY(idx);
        QCOMPARE(idx->storedImages().max().item<int>(), 255);
        QCOMPARE(idx->storedImages()[0].min().item<int>(), 0);
    }
};

QTEST_GUILESS_MAIN(TestIdxDataset)
#include "tst_idxdataset.moc"
