// ImageFolder on PNGs written here: class order, hand-computed normalised pixels, channel conversions,
// centre crop, lazy decoding equal to the cache, limits, errors naming the folder or file; and (with
// ../shared) the CIFAR-10 JPEG test set.
#include "support/SharedData.h"

#include "data/DataError.h"
#include "data/Dataset.h"
#include "data/ImageFolder.h"

#include <QtTest/QtTest>

#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

using namespace dfq::data;
namespace fs = std::filesystem;

namespace {

/// 4x4 BGR image whose pixel (y, x) is B = base, G = base + 10 y, R = base + x (so RGB order is checkable).
cv::Mat patterned(int base, int rows = 4, int cols = 4) {
    cv::Mat m(rows, cols, CV_8UC3);
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x)
            m.at<cv::Vec3b>(y, x) = cv::Vec3b(uint8_t(base), uint8_t(base + 10 * y), uint8_t(base + x));
    return m;
}

void write(const std::string& path, const cv::Mat& m) { QVERIFY(cv::imwrite(path, m)); }

/// root/{b_dogs, a_cats, c_birds}: a_cats has 2 colour PNGs, b_dogs one grayscale PNG and one BGRA PNG,
/// c_birds one 4x6 colour PNG and a text file.
std::string makeTree() {
    const std::string root = dfq::testing::makeTempDir("imagefolder");
    for (const char* c : {"b_dogs", "a_cats", "c_birds"})
        fs::create_directories(root + "/" + c);
    write(root + "/a_cats/2.png", patterned(100));
    write(root + "/a_cats/1.png", patterned(50));
    write(root + "/b_dogs/gray.png", cv::Mat(4, 4, CV_8UC1, cv::Scalar(77)));
    cv::Mat bgra(4, 4, CV_8UC4, cv::Scalar(10, 20, 30, 128));
    write(root + "/b_dogs/rgba.png", bgra);
    write(root + "/c_birds/wide.png", patterned(0, 4, 6));
    std::ofstream(root + "/c_birds/readme.txt") << "not an image";
    return root;
}

DatasetOptions opts(int64_t c, const std::string& norm = "none") {
    DatasetOptions o;
    o.geometry = {c, 4, 4};
    o.normalization = normalizationPreset(norm);
    return o;
}

float px(const Batch& b, int64_t i, int64_t c, int64_t y, int64_t x) { return b.images[i][c][y][x].item<float>(); }

bool hasNote(const Dataset& ds, const std::string& text) {
    for (const auto& n : ds.notes())
        if (n.find(text) != std::string::npos)
            return true;
    return false;
}

template <class Fn>
std::string dataErrorOf(Fn fn) {
    try {
        fn();
    } catch (const DataError& e) {
        return e.what();
    }
    return "(no DataError)";
}

} // namespace

class TestImageFolder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classesSortedAndPixelsNormalised() {
        const std::string root = makeTree();
        auto ds = openDataset(root, opts(3, "imagenet"));
        QCOMPARE(ds->classNames(), (std::vector<std::string>{"a_cats", "b_dogs", "c_birds"}));
        QCOMPARE(ds->size(), int64_t(5));
        auto* folder = dynamic_cast<ImageFolder*>(ds.get());
        QVERIFY(folder && folder->cached());
        QCOMPARE(fs::path(folder->files()[0]).filename().string(), std::string("1.png"));  // sorted by name
        QCOMPARE(folder->labels(), (std::vector<int64_t>{0, 0, 1, 1, 2}));

        const Batch b = ds->get({0, 2, 3});
        QCOMPARE(b.images.sizes().vec(), (std::vector<int64_t>{3, 3, 4, 4}));
        QCOMPARE(b.labels[1].item<int64_t>(), int64_t(1));
        // 1.png, pixel (y=2, x=3): R = 50 + 3, G = 50 + 20, B = 50.
        const auto norm = [](float v, float m, float s) { return (v / 255.0f - m) / s; };
        QVERIFY(std::abs(px(b, 0, 0, 2, 3) - norm(53, 0.485f, 0.229f)) < 1e-5f);
        QVERIFY(std::abs(px(b, 0, 1, 2, 3) - norm(70, 0.456f, 0.224f)) < 1e-5f);
        QVERIFY(std::abs(px(b, 0, 2, 2, 3) - norm(50, 0.406f, 0.225f)) < 1e-5f);
        // Gray 77 replicated to R, G and B.
        for (int c = 0; c < 3; ++c)
            QVERIFY(std::abs(px(b, 1, c, 1, 1) - norm(77, normalizationPreset("imagenet").mean[size_t(c)],
                                                      normalizationPreset("imagenet").stdev[size_t(c)])) < 1e-5f);
        // BGRA (10, 20, 30, alpha 128) -> RGB (30, 20, 10), alpha dropped.
        QVERIFY(std::abs(px(b, 2, 0, 0, 0) - norm(30, 0.485f, 0.229f)) < 1e-5f);
        QVERIFY(std::abs(px(b, 2, 2, 0, 0) - norm(10, 0.406f, 0.225f)) < 1e-5f);

        QVERIFY2(hasNote(*ds, "1 grayscale images converted to RGB"), ds->notes().front().c_str());
        QVERIFY(hasNote(*ds, "1 files without an image extension ignored"));
        fs::remove_all(root);
    }

    void centreCropOfWideImage() {
        const std::string root = makeTree();
        auto ds = openDataset(root, opts(3));
        // wide.png is 4x6: already 4 rows, so no resize, only a crop of columns 1..4.
        const Batch b = ds->get({4});
        for (int x = 0; x < 4; ++x)
            QCOMPARE(px(b, 0, 0, 0, x) * 255.0f, float(x + 1));  // R = base + source column
        QVERIFY(hasNote(*ds, "1 images resized and centre-cropped"));
        fs::remove_all(root);
    }

    void resizeKeepsUniformColour() {
        const std::string root = dfq::testing::makeTempDir("imagefolder-resize");
        fs::create_directories(root + "/only");
        write(root + "/only/big.png", cv::Mat(12, 8, CV_8UC3, cv::Scalar(40, 80, 120)));
        write(root + "/only/small.png", cv::Mat(2, 2, CV_8UC3, cv::Scalar(40, 80, 120)));
        auto ds = openDataset(root, opts(3));
        const Batch b = ds->get({0, 1});
        QCOMPARE(b.images.sizes().vec(), (std::vector<int64_t>{2, 3, 4, 4}));
        QVERIFY(torch::allclose(b.images.select(1, 0), torch::full({2, 4, 4}, 120.0f / 255.0f)));
        QVERIFY(torch::allclose(b.images.select(1, 2), torch::full({2, 4, 4}, 40.0f / 255.0f)));
        fs::remove_all(root);
    }

    void grayscaleGeometryUsesItu601() {
        const std::string root = dfq::testing::makeTempDir("imagefolder-gray");
        fs::create_directories(root + "/x");
        write(root + "/x/a.png", cv::Mat(4, 4, CV_8UC3, cv::Scalar(50, 100, 200)));  // BGR: R=200 G=100 B=50
        auto ds = openDataset(root, opts(1));
        // PIL: (19595*200 + 38470*100 + 7471*50 + 32768) >> 16 = 124 (0.299 R + 0.587 G + 0.114 B = 124.2).
        QCOMPARE(ds->get({0}).images[0][0][0][0].item<float>() * 255.0f, 124.0f);
        QVERIFY(hasNote(*ds, "1 colour images converted to grayscale"));
        fs::remove_all(root);
    }

    void lazyDecodingMatchesCache() {
        const std::string root = makeTree();
        ImageFolder cached(root, opts(3, "imagenet"));
        ImageFolder lazy(root, opts(3, "imagenet"), /*cacheLimitBytes=*/0);
        QVERIFY(cached.cached());
        QVERIFY(!lazy.cached());
        const std::vector<int64_t> idx = {4, 0, 3, 1, 2};
        QVERIFY(torch::equal(cached.get(idx).images, lazy.get(idx).images));
        QVERIFY(torch::equal(cached.get(idx).labels, lazy.get(idx).labels));
        fs::remove_all(root);
    }

    // Decoding uses the threads the user allowed (--threads sets LibTorch's intra-op count), not
    // every core; the pixels do not depend on how many threads decoded them.
    void decodingRespectsThreadBudget() {
        const std::string root = makeTree();
        const int before = at::get_num_threads();
        at::set_num_threads(1);
        ImageFolder one(root, opts(3, "imagenet"));
        QCOMPARE(one.lastDecodeWorkers(), 1);
        at::set_num_threads(3);
        ImageFolder three(root, opts(3, "imagenet"));
        QCOMPARE(three.lastDecodeWorkers(), 3);
        auto o = opts(3, "imagenet");
        o.decodeThreads = 2;  // an explicit count wins over the intra-op count
        ImageFolder two(root, o, /*cacheLimitBytes=*/0);
        QCOMPARE(two.lastDecodeWorkers(), 0);  // lazy: nothing decoded yet
        const std::vector<int64_t> idx = {0, 1, 2, 3, 4};
        const auto lazyImages = two.get(idx).images;
        QCOMPARE(two.lastDecodeWorkers(), 2);
        o.decodeThreads = 64;  // capped at 8, and at the 5 files
        ImageFolder many(root, o);
        QCOMPARE(many.lastDecodeWorkers(), 5);
        at::set_num_threads(before);
        QVERIFY(torch::equal(one.get(idx).images, three.get(idx).images));
        QVERIFY(torch::equal(one.get(idx).images, lazyImages));
        QVERIFY(torch::equal(one.get(idx).images, many.get(idx).images));
        fs::remove_all(root);
    }

    void limitKeepsFileOrder() {
        const std::string root = makeTree();
        auto o = opts(3);
        o.limitPerClass = 1;
        auto perClass = openDataset(root, o);
        QCOMPARE(dynamic_cast<ImageFolder*>(perClass.get())->labels(), (std::vector<int64_t>{0, 1, 2}));
        o.limitPerClass = -1;
        o.limit = 3;
        auto first3 = openDataset(root, o);
        QCOMPARE(dynamic_cast<ImageFolder*>(first3.get())->labels(), (std::vector<int64_t>{0, 0, 1}));
        fs::remove_all(root);
    }

    void errorsNameTheFolderOrFile() {
        const std::string root = dfq::testing::makeTempDir("imagefolder-errors");
        std::string msg = dataErrorOf([&] { ImageFolder(root, opts(3)); });
        QVERIFY2(msg.find(root) != std::string::npos && msg.find("empty folder") != std::string::npos, msg.c_str());

        std::ofstream(root + "/loose.png") << "x";
        msg = dataErrorOf([&] { ImageFolder(root, opts(3)); });
        QVERIFY2(msg.find(root) != std::string::npos && msg.find("no class folders") != std::string::npos, msg.c_str());
        fs::remove(root + "/loose.png");

        fs::create_directories(root + "/cats");
        fs::create_directories(root + "/dogs");
        write(root + "/cats/a.png", patterned(1));
        std::ofstream(root + "/dogs/notes.txt") << "no images here";
        msg = dataErrorOf([&] { ImageFolder(root, opts(3)); });
        QVERIFY2(msg.find(root + "/dogs") != std::string::npos && msg.find("no images") != std::string::npos,
                 msg.c_str());

        std::ofstream(root + "/dogs/x.jpg") << "this is text, not a JPEG";
        msg = dataErrorOf([&] { ImageFolder(root, opts(3)); });
        QVERIFY2(msg.find(root + "/dogs/x.jpg: not a decodable image") != std::string::npos, msg.c_str());

        // Decoding per batch: the same error comes from get().
        ImageFolder lazy(root, opts(3), /*cacheLimitBytes=*/0);
        msg = dataErrorOf([&] { lazy.get({0, 1}); });
        QVERIFY2(msg.find("x.jpg: not a decodable image") != std::string::npos, msg.c_str());
        fs::remove_all(root);
    }

    void cifarJpegTestSet() {
        DFQ_REQUIRE_SHARED(dir, "data/cifar10-jpeg/test");
        DatasetOptions o;
        o.geometry = {3, 32, 32};
        o.normalization = normalizationPreset("imagenet");
        auto ds = openDataset(dir, o);
        QCOMPARE(ds->size(), int64_t(10000));
        QCOMPARE(ds->classNames(), (std::vector<std::string>{"airplane", "automobile", "bird", "cat", "deer", "dog",
                                                             "frog", "horse", "ship", "truck"}));
        auto* f = dynamic_cast<ImageFolder*>(ds.get());
        QVERIFY(f && f->cached());
        for (int64_t c = 0; c < 10; ++c)
            QCOMPARE(std::count(f->labels().begin(), f->labels().end(), c), std::ptrdiff_t(1000));
        const Batch b = ds->get({0, 9999});
        QCOMPARE(b.labels[0].item<int64_t>(), int64_t(0));
        QCOMPARE(b.labels[1].item<int64_t>(), int64_t(9));
    }

    void cifarJpegSplitsAndLimit() {
        DFQ_REQUIRE_SHARED(dir, "data/cifar10-jpeg/train-5k");
        DatasetOptions o;
        o.normalization = normalizationPreset("imagenet");
        o.train = true;
        o.limit = 1024;  // sorted class then file order: 500 airplanes, 500 automobiles, 24 birds
        auto ds = openDataset(fs::path(dir).parent_path().string(), o);  // the folder with test/ and train-5k/
        auto* f = dynamic_cast<ImageFolder*>(ds.get());
        QVERIFY(f);
        QVERIFY2(ds->describe().find("train-5k") != std::string::npos, ds->describe().c_str());
        QCOMPARE(ds->size(), int64_t(1024));
        QCOMPARE(std::count(f->labels().begin(), f->labels().end(), 0), std::ptrdiff_t(500));
        QCOMPARE(std::count(f->labels().begin(), f->labels().end(), 2), std::ptrdiff_t(24));
    }
};

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
