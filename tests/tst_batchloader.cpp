// BatchLoader: deterministic order (pinned to the algorithm), every sample once per epoch,
// the last partial batch, and errors from the decoding thread surfacing from next().
#include "data/BatchLoader.h"
#include "data/DataError.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <algorithm>
#include <set>

using namespace dfq::data;

namespace {

/// n samples; image i is a 1x1x1 image holding i, label i % 10. Index `bad` throws a DataError.
class CountingDataset : public Dataset {
public:
    explicit CountingDataset(int64_t n, int64_t bad = -1) : n_(n), bad_(bad) {}
    int64_t size() const override { return n_; }
    ImageGeometry geometry() const override { return {1, 1, 1}; }
    const std::vector<std::string>& classNames() const override { return names_; }
    Batch get(const std::vector<int64_t>& indices) const override {
        for (int64_t i : indices)
            if (i == bad_)
                throw DataError("sample" + std::to_string(i) + ".jpg", "not a decodable image");
        Batch b;
        b.images = torch::tensor(indices, torch::kInt64).to(torch::kFloat32).view({-1, 1, 1, 1});
        b.labels = torch::tensor(indices, torch::kInt64).remainder(10);
        return b;
    }
    std::string describe() const override { return "counting"; }

private:
    int64_t n_, bad_;
    std::vector<std::string> names_ = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
};

std::vector<int64_t> visit(BatchLoader& loader, std::vector<int64_t>* sizes = nullptr) {
    std::vector<int64_t> seen;
    while (auto b = loader.next()) {
        if (sizes)
            sizes->push_back(b->size());
        for (int64_t i = 0; i < b->size(); ++i)
            seen.push_back(int64_t(b->images[i][0][0][0].item<float>()));
    }
    return seen;
}

} // namespace

class TestBatchLoader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sequentialWithPartialLastBatch() {
        CountingDataset ds(10);
        BatchLoader loader(ds, 4, false, 0);
        QCOMPARE(loader.batchesPerEpoch(), int64_t(3));
        std::vector<int64_t> sizes;
        const auto seen = visit(loader, &sizes);
        QCOMPARE(sizes, (std::vector<int64_t>{4, 4, 2}));
        QCOMPARE(seen, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        QVERIFY(!loader.next().has_value());  // stays at the end
        loader.reset();
        QCOMPARE(visit(loader).size(), size_t(10));
    }

    void labelsFollowImages() {
        CountingDataset ds(23);
        BatchLoader loader(ds, 5, true, 3);
        while (auto b = loader.next())
            QVERIFY(torch::equal(b->images.view({-1}).to(torch::kInt64).remainder(10), b->labels));
    }

    void shuffleIsDeterministicAndComplete() {
        CountingDataset ds(1000);
        BatchLoader a(ds, 64, true, 42), b(ds, 64, true, 42);
        const auto oa = visit(a), ob = visit(b);
        QCOMPARE(oa, ob);
        std::vector<int64_t> sorted = oa;
        std::sort(sorted.begin(), sorted.end());
        for (int64_t i = 0; i < 1000; ++i)
            QCOMPARE(sorted[size_t(i)], i);  // each sample exactly once
        QVERIFY(oa != std::vector<int64_t>(sorted));

        a.reset(1);
        const auto epoch1 = visit(a);
        QVERIFY(epoch1 != oa);
        a.reset(1);
        QCOMPARE(visit(a), epoch1);
        QCOMPARE(epoch1, BatchLoader::shuffledOrder(1000, 42, 1));

        BatchLoader c(ds, 64, true, 43);
        QVERIFY(visit(c) != oa);
    }

    void pinnedOrder() {
        // Computed once with this implementation (splitmix64 seeding, mt19937_64, our Fisher-Yates):
        // a change here means every recorded training run would shuffle differently.
        const auto o = BatchLoader::shuffledOrder(10, 0, 0);
        QCOMPARE(o, (std::vector<int64_t>{6, 1, 2, 4, 7, 5, 3, 0, 9, 8}));
        const auto o1 = BatchLoader::shuffledOrder(10, 0, 1);
        QCOMPARE(o1, (std::vector<int64_t>{7, 4, 3, 6, 9, 5, 2, 8, 0, 1}));
        const auto big = BatchLoader::shuffledOrder(50000, 0, 1);
        QCOMPARE(std::vector<int64_t>(big.begin(), big.begin() + 8), (std::vector<int64_t>{35047, 23308, 8007, 15130, 37621, 16076, 45277, 25883}));
    }

    void errorSurfacesFromNext() {
        CountingDataset ds(10, /*bad=*/5);
        BatchLoader loader(ds, 4, false, 0);
        QVERIFY(loader.next().has_value());  // 0..3
        try {
            loader.next();  // 4..7 contains the bad sample
            QFAIL("expected DataError");
        } catch (const DataError& e) {
            QVERIFY2(std::string(e.what()).find("sample5.jpg") != std::string::npos, e.what());
        }
        auto last = loader.next();  // the loader carries on with the following batch
        QVERIFY(last.has_value());
        QCOMPARE(last->size(), int64_t(2));
        QVERIFY(!loader.next().has_value());
    }

    void emptyDatasetAndBadBatchSize() {
        CountingDataset ds(0);
        BatchLoader loader(ds, 8, true, 0);
        QCOMPARE(loader.batchesPerEpoch(), int64_t(0));
        QVERIFY(!loader.next().has_value());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, BatchLoader(ds, 0, false, 0));
    }

    void destroyWhilePrefetching() {
        // A loader destroyed right after construction waits for its prefetch instead of crashing.
        CountingDataset ds(100);
        for (int i = 0; i < 20; ++i)
            BatchLoader(ds, 10, true, uint64_t(i));
    }
};

QTEST_GUILESS_MAIN(TestBatchLoader)
#include "tst_batchloader.moc"
