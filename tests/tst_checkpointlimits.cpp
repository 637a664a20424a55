// ReadLimits: small hostile checkpoints that once crashed, hung or exhausted memory now fail at once
// with their own error naming the file. Every pickle is assembled here, opcode by opcode.
#include "checkpoint/CheckpointError.h"
#include "checkpoint/CheckpointReader.h"
#include "checkpoint/PickleReader.h"
#include "checkpoint/ReadLimits.h"
#include "support/CheckpointTestKit.h"
#include "support/SharedData.h"

#include <QtTest/QtTest>

#include <zlib.h>

#include <filesystem>

using namespace dfq::checkpoint;
using namespace dfq::testing;
namespace fs = std::filesystem;
using Kind = PickleValue::Kind;

namespace {

// _rebuild_tensor_v2's arguments for a float storage "0" of `numel` elements (no GLOBAL, no REDUCE).
Pkl& tensorArgs(Pkl& p, int64_t numel, const std::vector<int64_t>& size, const std::vector<int64_t>& stride) {
    p.mark();
    p.mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(numel).tuple().persid();
    return p.integer(0).ints(size).ints(stride).boolean(false).orderedDict().tuple();
}

// Raw deflate (zip method 8) of `data`.
std::string deflateRaw(const std::string& data) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
    std::string out(deflateBound(&z, uLong(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("deflate");
    return out;
}

// A zip written field by field, for records LibTorch's writer never makes (deflated ones).
struct HandRecord {
    std::string name;
    std::string data;
    bool deflated = false;
};
std::string handZip(const std::vector<HandRecord>& records) {
    auto le = [](std::string& s, uint64_t v, int n) {
        for (int i = 0; i < n; ++i)
            s += char((v >> (8 * i)) & 0xff);
    };
    std::string out, dir;
    for (const auto& r : records) {
        const std::string payload = r.deflated ? deflateRaw(r.data) : r.data;
        const uint32_t crc = uint32_t(crc32(0, reinterpret_cast<const Bytef*>(r.data.data()), uInt(r.data.size())));
        const uint16_t method = r.deflated ? 8 : 0;
        const uint64_t offset = out.size();
        le(out, 0x04034b50, 4);
        le(out, 20, 2), le(out, 0, 2), le(out, method, 2), le(out, 0, 2), le(out, 0x21, 2);
        le(out, crc, 4), le(out, payload.size(), 4), le(out, r.data.size(), 4);
        le(out, r.name.size(), 2), le(out, 0, 2);
        out += r.name + payload;
        le(dir, 0x02014b50, 4);
        le(dir, 20, 2), le(dir, 20, 2), le(dir, 0, 2), le(dir, method, 2), le(dir, 0, 2), le(dir, 0x21, 2);
        le(dir, crc, 4), le(dir, payload.size(), 4), le(dir, r.data.size(), 4);
        le(dir, r.name.size(), 2), le(dir, 0, 2), le(dir, 0, 2), le(dir, 0, 2), le(dir, 0, 2), le(dir, 0, 4);
        le(dir, offset, 4);
        dir += r.name;
    }
    const uint64_t dirAt = out.size();
    out += dir;
    le(out, 0x06054b50, 4);
    le(out, 0, 2), le(out, 0, 2), le(out, records.size(), 2), le(out, records.size(), 2);
    le(out, dir.size(), 4), le(out, dirAt, 4), le(out, 0, 2);
    return out;
}

} // namespace

class TestCheckpointLimits : public QObject {
    Q_OBJECT

    std::string dir_;
    std::string path(const std::string& name) const { return dir_ + "/" + name; }

    // A torch.save-style zip of one data.pkl (and storage records), read by readCheckpoint.
    std::string errorOfZip(const std::string& name, const std::string& pkl,
                           const std::vector<std::pair<std::string, std::string>>& storages = {}) {
        const std::string file = path(name);
        std::vector<std::pair<std::string, std::string>> records = {{"data.pkl", pkl}};
        records.insert(records.end(), storages.begin(), storages.end());
        writeZip(file, records);
        return errorOf([&] { readCheckpoint(file); });
    }

private Q_SLOTS:
    void initTestCase() { dir_ = makeTempDir("checkpoint-limits"); }
    void cleanupTestCase() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // --- item: a 540 KB checkpoint once overflowed the stack (SIGSEGV)
    void deepRebuildNesting() {
        // _rebuild_from_type_v2(F, None, A, None) calls F(*A); F is _rebuild_from_type_v2 again,
        // 100,000 times (600 KB), around an innermost OrderedDict().
        const int levels = 100000;
        Pkl p;
        p.proto(2).emptyDict().str("w").global("torch._tensor", "_rebuild_from_type_v2").put(0);
        for (int i = 0; i < levels; ++i)
            p.mark().get(0).none();
        p.mark().global("collections", "OrderedDict").none().emptyTuple().none().tuple();
        for (int i = 0; i < levels; ++i)
            p.none().tuple();
        p.reduce().setitem().stop();
        const std::string file = path("deep-rebuild.pt");
        EXPECT_ERROR(errorOfZip("deep-rebuild.pt", p.bytes()), file.c_str(),
                     "_rebuild_from_type_v2 is nested more than 8 deep");
    }

    void rebuildFromTypeStillReadsATensor() {
        // What torch.save writes for a tensor with Python attributes: one level of nesting.
        Pkl p;
        p.proto(2).emptyDict().str("w").global("torch._tensor", "_rebuild_from_type_v2").mark();
        p.global("torch._utils", "_rebuild_tensor_v2").global("torch", "Tensor");
        tensorArgs(p, 4, {2, 2}, {2, 1});
        p.emptyDict().tuple().reduce().setitem().stop();
        const std::string file = path("from-type.pt");
        writeZip(file, {{"data.pkl", p.bytes()}, {"data/0", tensorBytes(torch::arange(4, torch::kFloat))}});
        const Checkpoint ck = readCheckpoint(file);
        QVERIFY(torch::equal(ck.tensors.at("w"), torch::arange(4, torch::kFloat).reshape({2, 2})));
    }

    // --- item: a 416-byte pickle whose dict key took seconds, growing 5x every two levels
    void sharedTupleKeyFingerprint() {
        // t0 = (1, 1); t_i = (t_{i-1}, t_{i-1}) through the memo; {t_39: None}: a key of 2^40 leaves.
        Pkl p;
        p.proto(2).integer(1).integer(1).op('\x86').put(0).op('0');
        for (int i = 1; i < 40; ++i)
            p.get(i - 1).get(i - 1).op('\x86').put(i).op('0');
        p.emptyDict().get(39).none().setitem().stop();
        QVERIFY(p.bytes().size() < 400);
        const std::string file = path("shared-tuple-key.pt");
        EXPECT_ERROR(errorOfZip("shared-tuple-key.pt", p.bytes()), file.c_str(), "dict key fingerprints expand",
                     "pickle of");
        // The same key, four levels deep, is an ordinary tuple key.
        Pkl q;
        q.proto(2).integer(1).integer(1).op('\x86').put(0).op('0');
        for (int i = 1; i < 4; ++i)
            q.get(i - 1).get(i - 1).op('\x86').put(i).op('0');
        q.emptyDict().get(3).str("v").setitem().stop();
        PickleArena arena;
        PickleReader reader("key.pkl", "the pickle", q.bytes().data(), q.bytes().size(), arena);
        PickleValuePtr root = reader.load();
        QCOMPARE(root->entries.size(), size_t(1));
        QCOMPARE(root->entries[0].second->text, std::string("v"));
    }

    // --- item: a 103 KB pickle reached 347 MB through set() / torch.Size() copies
    void sharedContainerCopies_data() {
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("name");
        QTest::addColumn<char>("container");
        QTest::newRow("builtins.set(list)") << "builtins" << "set" << ']';
        QTest::newRow("builtins.frozenset(list)") << "builtins" << "frozenset" << ']';
        QTest::newRow("torch.Size(tuple)") << "torch" << "Size" << ')';
    }
    void sharedContainerCopies() {
        QFETCH(QString, module);
        QFETCH(QString, name);
        QFETCH(char, container);
        // One container of 10,000 items in the memo, then 10,000 calls that copy it: 10^8 items
        // from 80 KB.
        const int n = 10000;
        Pkl p;
        p.proto(2).global(module.toStdString(), name.toStdString()).put(1);
        p.mark();
        for (int i = 0; i < n; ++i)
            p.integer(i % 200);
        if (container == ']')
            p.op('l');
        else
            p.tuple();
        p.put(0).op('0');
        p.op(']').mark();
        for (int i = 0; i < n; ++i)
            p.get(1).get(0).op('\x85').reduce();
        p.op('e').stop();
        QVERIFY(p.bytes().size() < 100000);
        const std::string file = path("copies.pt");
        EXPECT_ERROR(errorOfZip("copies.pt", p.bytes()), file.c_str(), "container items copied", "pickle of");
    }

    void sharedOrderedDictPairs() {
        // OrderedDict(pairs) with one shared list of 10,000 pairs, 10,000 times.
        const int n = 10000;
        Pkl p;
        p.proto(2).global("collections", "OrderedDict").put(1).op(']').mark();
        for (int i = 0; i < n; ++i)
            p.integer(i).none().op('\x86');
        p.op('e').put(0).op('0').op(']').mark();
        for (int i = 0; i < n; ++i)
            p.get(1).get(0).op('\x85').reduce();
        p.op('e').stop();
        const std::string file = path("pairs.pt");
        // Each call copies 10,000 pairs and fingerprints their keys: whichever count runs out first.
        EXPECT_ERROR(errorOfZip("pairs.pt", p.bytes()), file.c_str(), "more than a pickle of", "bytes can hold");
    }

    void sharedTensorSizes() {
        // _rebuild_tensor_v2 with one shared size tuple of 10,000 ones, 10,000 times.
        const int n = 10000;
        Pkl p;
        p.proto(2).emptyDict().mark();
        for (int i = 0; i < n; ++i)
            p.integer(1);
        p.tuple().put(0).op('0');
        p.mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(1).tuple().persid().put(1);
        p.op('0').global("torch._utils", "_rebuild_tensor_v2").put(2).op('0').mark();
        for (int i = 0; i < n; ++i) {
            p.str("w" + std::to_string(i)).get(2).mark().get(1).integer(0).get(0).get(0).boolean(false).none().tuple();
            p.reduce();
        }
        p.setitems().stop();
        const std::string file = path("sizes.pt");
        EXPECT_ERROR(errorOfZip("sizes.pt", p.bytes(), {{"data/0", tensorBytes(torch::ones({1}))}}), file.c_str(),
                     "_rebuild_tensor_v2", "container items copied");
    }

    // --- item: a stride-0 view expanded a tiny storage to 2^28 elements per tensor
    void strideZeroExpansion() {
        Pkl p;
        p.proto(2).emptyDict().str("w").global("torch._utils", "_rebuild_tensor_v2");
        tensorArgs(p, 1, {16384, 16384}, {0, 0}).reduce().setitem().stop();
        const std::string file = path("stride0.pt");
        EXPECT_ERROR(errorOfZip("stride0.pt", p.bytes(), {{"data/0", tensorBytes(torch::ones({1}))}}), file.c_str(),
                     "a view of 268435456 elements over a storage of 1");
        // A broadcast view no larger than its storage is fine (position_ids.expand((1, -1))).
        Pkl q;
        q.proto(2).emptyDict().str("w").global("torch._utils", "_rebuild_tensor_v2");
        tensorArgs(q, 3, {1, 3}, {0, 1}).reduce().setitem().stop();
        const std::string ok = path("stride0-ok.pt");
        writeZip(ok, {{"data.pkl", q.bytes()}, {"data/0", tensorBytes(torch::arange(3, torch::kFloat))}});
        QVERIFY(torch::equal(readCheckpoint(ok).tensors.at("w"), torch::arange(3, torch::kFloat).reshape({1, 3})));
    }

    void oneStorageNamedByManyTensors() {
        // 64 tensors that are each the whole 256 KB storage: 16 MB from a 260 KB file.
        Pkl p;
        p.proto(2).emptyDict().mark();
        p.mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(65536).tuple().persid().put(1);
        p.op('0').global("torch._utils", "_rebuild_tensor_v2").put(2).op('0');
        for (int i = 0; i < 64; ++i) {
            p.str("w" + std::to_string(i)).get(2).mark().get(1).integer(0).ints({65536}).ints({1}).boolean(false);
            p.none().tuple().reduce();
        }
        p.setitems().stop();
        const std::string file = path("many-views.pt");
        EXPECT_ERROR(errorOfZip("many-views.pt", p.bytes(), {{"data/0", tensorBytes(torch::zeros({65536}))}}),
                     file.c_str(), "8 x the 262144 bytes of storage");
        // Tied weights (two names, one storage) are fine.
        Pkl q;
        q.proto(2).emptyDict().mark();
        q.mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(4).tuple().persid().put(1);
        q.op('0').global("torch._utils", "_rebuild_tensor_v2").put(2).op('0');
        for (const char* k : {"embed.weight", "head.weight"})
            q.str(k).get(2).mark().get(1).integer(0).ints({2, 2}).ints({2, 1}).boolean(false).none().tuple().reduce();
        q.setitems().stop();
        const std::string ok = path("tied.pt");
        writeZip(ok, {{"data.pkl", q.bytes()}, {"data/0", tensorBytes(torch::arange(4, torch::kFloat))}});
        const Checkpoint ck = readCheckpoint(ok);
        QVERIFY(torch::equal(ck.tensors.at("embed.weight"), ck.tensors.at("head.weight")));
    }

    // --- a storage the metadata claims is checked against the bytes in the archive first
    void storageClaimBeyondTheRecord() {
        // The pickle claims 2^50 floats of a 16-byte record: an error, nothing allocated.
        Pkl p;
        p.proto(2).emptyDict().str("w").global("torch._utils", "_rebuild_tensor_v2");
        tensorArgs(p, int64_t(1) << 50, {int64_t(1) << 50}, {1}).reduce().setitem().stop();
        const std::string file = path("claim.pt");
        EXPECT_ERROR(errorOfZip("claim.pt", p.bytes(), {{"data/0", tensorBytes(torch::zeros({4}))}}), file.c_str(),
                     "'data/0' holds 16 bytes", "1125899906842624 elements");
    }

    void zipRecordsThatExpand() {
        // data/0 deflates 16 MiB of zeros into ~16 KB; the pickle asks for all of it.
        const int64_t numel = 4 << 20;
        Pkl p;
        p.proto(2).emptyDict().str("w").global("torch._utils", "_rebuild_tensor_v2");
        tensorArgs(p, numel, {numel}, {1}).reduce().setitem().stop();
        const std::string zeros(size_t(numel) * 4, '\0');
        const std::string bytes = handZip({{"archive/version", "3\n"}, {"archive/data.pkl", p.bytes()},
                                           {"archive/data/0", zeros, /*deflated=*/true}});
        QVERIFY(bytes.size() < 100000);
        const std::string file = path("zip-bomb.pt");
        writeFile(file, bytes);
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "zip records expand to", "a zip bomb?");

        // A small deflated record reads (so the hand-made zip itself is sound).
        Pkl q;
        q.proto(2).emptyDict().str("w").global("torch._utils", "_rebuild_tensor_v2");
        tensorArgs(q, 4, {4}, {1}).reduce().setitem().stop();
        writeFile(file, handZip({{"archive/version", "3\n"}, {"archive/data.pkl", q.bytes()},
                                 {"archive/data/0", tensorBytes(torch::arange(4, torch::kFloat)), true}}));
        QVERIFY(torch::equal(readCheckpoint(file).tensors.at("w"), torch::arange(4, torch::kFloat)));

        // A stored record whose directory entry claims 2 GB.
        std::string lie = handZip({{"archive/version", "3\n"}, {"archive/data.pkl", q.bytes()},
                                   {"archive/data/0", tensorBytes(torch::arange(4, torch::kFloat))}});
        const size_t entry = lie.rfind(std::string("PK\x01\x02", 4));
        for (size_t i : {entry + 20, entry + 24})  // compressed and uncompressed size
            lie.replace(i, 4, std::string("\x00\x00\x00\x80", 4));
        writeFile(file, lie);
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "archive/data/0", "more than the whole file");
    }

    // --- TorchScript module trees: explicit depth, every attribute visited counted
    void scriptModuleCycles() {
        // A module whose attribute is itself; then a tree of 2^40 paths through shared submodules.
        const std::string code = "class M(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n";
        Pkl p;
        p.proto(2).global("__torch__", "M").put(0).emptyTuple().op('\x81').put(1);
        p.emptyDict().str("self").get(1).setitem().build().stop();
        const std::string file = path("cycle-script.pt");
        writeZip(file, {{"data.pkl", p.bytes()}, {"constants.pkl", "\x80\x02)."}, {"code/__torch__.py", code}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "submodules are nested more than 256 deep");

        Pkl q;
        q.proto(2).global("__torch__", "M").put(0).op('0');
        q.get(0).emptyTuple().op('\x81').emptyDict().str("training").boolean(false).setitem().build().put(1).op('0');
        for (int i = 2; i < 42; ++i) {
            q.get(0).emptyTuple().op('\x81').emptyDict().mark().str("a").get(i - 1).str("b").get(i - 1).setitems();
            q.build().put(i).op('0');
        }
        q.get(41).stop();
        writeZip(file, {{"data.pkl", q.bytes()}, {"constants.pkl", "\x80\x02)."}, {"code/__torch__.py", code}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "TorchScript module attributes",
                     "container items copied");
    }
};

QTEST_GUILESS_MAIN(TestCheckpointLimits)
#include "tst_checkpointlimits.moc"
