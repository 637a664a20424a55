// readCheckpoint: torch.save zip and legacy files, TorchScript archives, and hostile or broken input.
#include "checkpoint/CheckpointError.h"
#include "checkpoint/CheckpointReader.h"
#include "checkpoint/CheckpointWriter.h"
#include "checkpoint/PickleReader.h"
#include "models/ModelLoader.h"
#include "quant/BatchSource.h"
#include "quant/QuantizedModel.h"
#include "quant/TorchScriptExport.h"
#include "runtime/Resources.h"
#include "support/CheckpointTestKit.h"
#include "support/SharedData.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/import.h>

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

using namespace dfq::checkpoint;
using namespace dfq::testing;
namespace fs = std::filesystem;
using Kind = PickleValue::Kind;

namespace {

bool sameTensor(const torch::Tensor& a, const torch::Tensor& b) {
    return a.scalar_type() == b.scalar_type() && a.sizes() == b.sizes() && torch::equal(a, b);
}

// The restricted reader against LibTorch's own loader: the same names, in the same order
// (named_parameters, then named_buffers), with the same values. The reference compiles the
// archive's code, so it only ever sees archives the test itself wrote or committed.
void checkAgainstJitLoad(const Checkpoint& ck, const std::string& file) {
    const torch::jit::Module m = torch::jit::load(file, torch::kCPU);
    std::vector<std::pair<std::string, torch::Tensor>> ref;
    for (const auto& p : m.named_parameters(true))
        ref.emplace_back(p.name, p.value);
    for (const auto& b : m.named_buffers(true))
        ref.emplace_back(b.name, b.value);
    QCOMPARE(ck.tensors.size(), ref.size());
    for (size_t i = 0; i < ref.size(); ++i) {
        QCOMPARE(ck.tensors.entries()[i].first, ref[i].first);
        QVERIFY2(sameTensor(ck.tensors.entries()[i].second, ref[i].second), ref[i].first.c_str());
    }
}

// The state dict recipe of tests/fixtures/checkpoint/make_fixtures.py, rebuilt here.
void checkFixtureStateDict(const Checkpoint& ck) {
    QCOMPARE(ck.unwrappedFrom, std::string("state_dict"));
    QCOMPARE(ck.strippedPrefix, std::string("module."));
    QCOMPARE(ck.extras.at("epoch"), std::string("12"));
    QCOMPARE(ck.extras.at("best_prec1"), std::string("91.25"));
    QCOMPARE(ck.extras.at("arch"), std::string("resnet20"));
    const std::vector<std::string> keys = {"half", "double", "bf16", "i8", "u8", "bool", "i16",
                                           "i32",  "count",  "base", "row", "colT", "slice"};
    QCOMPARE(ck.tensors.keys(), keys);
    const auto& sd = ck.tensors;
    QVERIFY(sameTensor(sd.at("half"), (torch::arange(6, torch::kFloat) / 4).reshape({2, 3}).to(torch::kHalf)));
    QVERIFY(sameTensor(sd.at("double"), torch::arange(3, torch::kDouble) / 3));
    QVERIFY(sameTensor(sd.at("bf16"), torch::tensor({1.5, -2.0}).to(torch::kBFloat16)));
    QVERIFY(sameTensor(sd.at("i8"), torch::tensor({-128, 127}).to(torch::kChar)));
    QVERIFY(sameTensor(sd.at("u8"), torch::tensor({0, 255}).to(torch::kByte)));
    QVERIFY(sameTensor(sd.at("bool"), torch::tensor({true, false, true})));
    QVERIFY(sameTensor(sd.at("i16"), torch::tensor({-300, 300}).to(torch::kShort)));
    QVERIFY(sameTensor(sd.at("i32"), torch::tensor({-70000, 70000}).to(torch::kInt)));
    QVERIFY(sameTensor(sd.at("count"), torch::tensor(42, torch::kLong)));
    const torch::Tensor base = torch::arange(12, torch::kFloat).reshape({3, 4});
    QVERIFY(sameTensor(sd.at("base"), base));
    QVERIFY(sameTensor(sd.at("row"), base[1]));
    QVERIFY(sameTensor(sd.at("colT"), base.t()));
    QVERIFY(sameTensor(sd.at("slice"), base.slice(1, 1, 3)));
    for (const auto& [name, t] : sd.entries())
        QVERIFY2(t.is_contiguous() && t.device().is_cpu(), name.c_str());
    // Views of one storage come back as tensors of their own.
    QVERIFY(sd.at("row").data_ptr() != sd.at("base").data_ptr());
}

} // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT

    std::string dir_;
    std::string path(const std::string& name) const { return dir_ + "/" + name; }
    static std::string fixture(const std::string& name) {
        return dfq::testing::sourcePath("tests/fixtures/checkpoint/" + name);
    }

private Q_SLOTS:
    void initTestCase() { dir_ = dfq::testing::makeTempDir("checkpoint"); }
    void cleanupTestCase() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // --- the restricted unpickler on CPython's own output, protocols 0 to 5
    void pickleProtocols_data() {
        QTest::addColumn<int>("protocol");
        for (int p = 0; p <= 5; ++p)
            QTest::newRow(qPrintable(QStringLiteral("protocol %1").arg(p))) << p;
    }
    void pickleProtocols() {
        QFETCH(int, protocol);
        const std::string file = fixture("values-p" + std::to_string(protocol) + ".pkl");
        const std::string bytes = readFile(file);
        QVERIFY(!bytes.empty());
        PickleArena arena;
        PickleReader reader(file, "the pickle", bytes.data(), bytes.size(), arena);
        PickleValuePtr root = reader.load();
        QCOMPARE(reader.position(), bytes.size());
        QVERIFY(root->is(Kind::Dict));
        auto at = [&](const std::string& k) -> const PickleValue& {
            const PickleValuePtr* v = root->find(k);
            if (!v)
                throw std::runtime_error("missing key " + k);
            return **v;
        };
        QCOMPARE(at("i").integer, int64_t(7));
        QVERIFY(at("i").is(Kind::Int));
        QCOMPARE(at("neg").integer, int64_t(-123456));
        QVERIFY(at("big").is(Kind::BigInt));
        QCOMPARE(at("big").display(), std::string("0x400000000000000000"));  // 2**70
        QCOMPARE(at("negbig").display(), std::string("-0x400000000000000000"));
        QCOMPARE(at("f").real, 2.5);
        QCOMPARE(at("s").text, std::string("h\xc3\xa9llo\n\\"));
        QVERIFY(at("b").is(Kind::Bytes));
        QCOMPARE(at("b").text, std::string("\x00\xffz", 3));
        QVERIFY(at("n").is(Kind::None));
        QVERIFY(at("t").is(Kind::Bool) && at("t").boolean);
        QVERIFY(at("F").is(Kind::Bool) && !at("F").boolean);
        const PickleValue& l = at("l");
        QVERIFY(l.is(Kind::List) && l.items.size() == 2);
        QCOMPARE(l.items[0]->integer, int64_t(1));
        QVERIFY(l.items[1]->is(Kind::Tuple) && l.items[1]->items.size() == 2);
        QCOMPARE(l.items[1]->items[1]->integer, int64_t(3));
        QVERIFY(at("e").is(Kind::Tuple) && at("e").items.empty());
        QVERIFY(at("set").is(Kind::Set) && at("set").items.size() == 1 && at("set").items[0]->integer == 5);
        QVERIFY(at("fs").is(Kind::Set) && at("fs").items.size() == 1 && at("fs").items[0]->integer == 6);
        const PickleValue& od = at("od");
        QVERIFY(od.is(Kind::Dict) && od.entries.size() == 2);
        QCOMPARE(od.entries[0].first->text, std::string("x"));
        QCOMPARE(od.entries[1].second->integer, int64_t(2));
        // The memo gives back the same object, as in Python.
        const PickleValue& shared = at("shared");
        QVERIFY(shared.items.size() == 2 && shared.items[0] == shared.items[1]);
        QCOMPARE(shared.items[0]->items[0]->integer, int64_t(9));
        // Keys that are not strings.
        QCOMPARE(root->entries.size(), size_t(18));
        QCOMPARE(root->entries[16].first->integer, int64_t(3));
        QCOMPARE(root->entries[17].first->kind, Kind::Tuple);
        QCOMPARE(root->entries[17].second->text, std::string("tuple key"));
    }

    // --- real torch.save output (PyTorch 1.13, committed fixtures)
    void fixtureZip_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("format");
        QTest::newRow("zip, pickle protocol 2") << "nested-zip.pt" << int(CheckpointFormat::TorchZip);
        QTest::newRow("zip, pickle protocol 4") << "nested-p4.pt" << int(CheckpointFormat::TorchZip);
        QTest::newRow("zip, pickle protocol 5") << "nested-p5.pt" << int(CheckpointFormat::TorchZip);
        QTest::newRow("legacy") << "nested-legacy.pt" << int(CheckpointFormat::TorchLegacy);
    }
    void fixtureZip() {
        QFETCH(QString, file);
        QFETCH(int, format);
        const Checkpoint ck = readCheckpoint(fixture(file.toStdString()));
        QCOMPARE(int(ck.format), format);
        checkFixtureStateDict(ck);
    }

    void fixtureTorchScript() {
        const Checkpoint ck = readCheckpoint(fixture("tiny-script.pt"));
        QCOMPARE(ck.format, CheckpointFormat::TorchScript);
        const auto& sd = ck.tensors;
        for (const char* k : {"conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean",
                              "bn.running_var", "bn.num_batches_tracked"})
            QVERIFY2(sd.contains(k), k);
        QVERIFY(sameTensor(sd.at("conv.weight"), torch::tensor({0.5f, -1.0f}).reshape({2, 1, 1, 1})));
        QVERIFY(sameTensor(sd.at("conv.bias"), torch::tensor({0.25f, 0.75f})));
        QVERIFY(sameTensor(sd.at("bn.running_var"), torch::tensor({2.0f, 3.0f})));
        QCOMPARE(sd.at("bn.num_batches_tracked").scalar_type(), torch::kLong);
        checkAgainstJitLoad(ck, fixture("tiny-script.pt"));
    }

    // --- a TorchScript archive built here, without Python
    void generatedTorchScript() {
        torch::jit::Module sub("__torch__.Sub");
        sub.register_parameter("weight", torch::arange(6, torch::kFloat).reshape({2, 3}), false);
        sub.register_buffer("running_mean", torch::tensor({1.0, 2.0}, torch::kDouble));
        torch::jit::Module top("__torch__.Top");
        top.register_parameter("scale", torch::tensor({3.0f}), false);
        top.register_module("block", sub);
        // A plain tensor attribute is neither a parameter nor a buffer: not in the state dict.
        top.register_attribute("cache", c10::TensorType::get(), torch::zeros({5}));
        top.register_module("again", sub);  // one submodule under two names, as named_parameters lists it
        const std::string file = path("generated-script.pt");
        top.save(file);
        const Checkpoint ck = readCheckpoint(file);
        QCOMPARE(ck.format, CheckpointFormat::TorchScript);
        QCOMPARE(ck.tensors.size(), size_t(5));
        QVERIFY(sameTensor(ck.tensors.at("scale"), torch::tensor({3.0f})));
        QVERIFY(sameTensor(ck.tensors.at("block.weight"), torch::arange(6, torch::kFloat).reshape({2, 3})));
        QVERIFY(sameTensor(ck.tensors.at("block.running_mean"), torch::tensor({1.0, 2.0}, torch::kDouble)));
        QVERIFY(!ck.tensors.contains("cache"));
        checkAgainstJitLoad(ck, file);
    }

    // --- the project's own TorchScript export reads back through the restricted reader
    void ownTorchScriptExport() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        auto m = dfq::models::loadModel(dfq::runtime::defaultModelPath(), "auto").model;
        m->eval();
        const auto& info = m->info();
        dfq::quant::QuantizedModel qm(m, dfq::quant::buildQuantSpec(*m, dfq::quant::LayerPlacement::Gdfq, 8, 8));
        dfq::quant::GaussianNoiseSource calib({info.inChannels, info.inHeight, info.inWidth}, 8, 1, 1);
        qm.calibrate(calib);
        const std::string file = path("export.torchscript.pt");
        dfq::quant::exportTorchScript(qm, file);
        const Checkpoint ck = readCheckpoint(file);
        QCOMPARE(ck.format, CheckpointFormat::TorchScript);
        QVERIFY(ck.tensors.size() > 10);
        checkAgainstJitLoad(ck, file);
    }

    // --- a TorchScript archive is read by the restricted unpickler: a forbidden global stops it
    void torchScriptRunsNothing() {
        const std::string code = "class M(Module):\n  __parameters__ = []\n  __buffers__ = []\n";
        Pkl p;
        p.proto(2).global("__torch__", "M").emptyTuple().op('\x81').emptyDict().str("x");
        p.global("os", "system").str("true").op('\x85').reduce().setitem().build().stop();
        const std::string file = path("evil-script.pt");
        writeZip(file, {{"data.pkl", p.bytes()}, {"constants.pkl", "\x80\x02)."}, {"code/__torch__.py", code}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "forbidden global 'os.system'", "data.pkl");
        // TorchScript classes are only data inside a TorchScript archive, not in a torch.save file.
        Pkl q;
        q.proto(2).global("__torch__", "M").emptyTuple().op('\x81').emptyDict().build().stop();
        writeZip(file, {{"data.pkl", q.bytes()}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "forbidden global '__torch__.M'");
    }

    // --- a zip assembled opcode by opcode: the shapes torch.save produces, checked value by value
    void handAssembledZip() {
        // {'best_prec1': 91.5, 'epoch': 7, 'state_dict': OrderedDict(module.* ...) + _metadata}
        const torch::Tensor half = torch::tensor({1.0f, -0.5f, 2.25f, 65504.0f}).to(torch::kHalf);
        const torch::Tensor dbl = torch::tensor({1.0 / 3, -1e300, 5e-324}, torch::kDouble);
        const torch::Tensor base = torch::arange(8, torch::kFloat) * 0.5;  // one storage, two views
        Pkl p;
        p.proto(2).emptyDict().put(0).mark();
        p.str("best_prec1").real(91.5);
        p.str("epoch").integer(7);
        p.str("state_dict").orderedDict().put(1).mark();
        p.str("module.half").tensor("HalfStorage", "0", 4, 0, {2, 2}, {2, 1});
        p.str("module.double").tensor("DoubleStorage", "1", 3, 0, {3}, {1});
        p.str("module.upper").tensor("FloatStorage", "2", 8, 0, {2, 2}, {2, 1});
        p.str("module.lowerT").tensor("FloatStorage", "2", 8, 4, {2, 2}, {1, 2});
        p.setitems();
        // OrderedDict state: its _metadata attribute, which the reader ignores.
        p.emptyDict().str("_metadata").orderedDict().str("").emptyDict().str("version").integer(1).setitem()
            .setitem().setitem().build();
        p.setitems().stop();
        const std::string file = path("hand.pt");
        writeZip(file, {{"data.pkl", p.bytes()},
                        {"data/0", tensorBytes(half)},
                        {"data/1", tensorBytes(dbl)},
                        {"data/2", tensorBytes(base)}});

        const Checkpoint ck = readCheckpoint(file);
        QCOMPARE(ck.format, CheckpointFormat::TorchZip);
        QCOMPARE(ck.unwrappedFrom, std::string("state_dict"));
        QCOMPARE(ck.strippedPrefix, std::string("module."));
        QCOMPARE(ck.extras.size(), size_t(2));
        QCOMPARE(ck.extras.at("best_prec1"), std::string("91.5"));
        QCOMPARE(ck.extras.at("epoch"), std::string("7"));
        QCOMPARE(ck.tensors.keys(), (std::vector<std::string>{"half", "double", "upper", "lowerT"}));
        QVERIFY(sameTensor(ck.tensors.at("half"), half.reshape({2, 2})));
        QVERIFY(sameTensor(ck.tensors.at("double"), dbl));
        QVERIFY(sameTensor(ck.tensors.at("upper"), torch::tensor({0.0f, 0.5f, 1.0f, 1.5f}).reshape({2, 2})));
        // elements 4..7 = 2.0 2.5 3.0 3.5 read column-major: [[2.0, 3.0], [2.5, 3.5]]
        QVERIFY(sameTensor(ck.tensors.at("lowerT"), torch::tensor({2.0f, 3.0f, 2.5f, 3.5f}).reshape({2, 2})));
        QVERIFY(ck.tensors.at("lowerT").is_contiguous());
    }

    // --- our own writer's files read back
    void writerRoundTrip() {
        StateDict sd;
        sd.insert("conv.weight", torch::randn({4, 3, 3, 3}));
        sd.insert("bn.num_batches_tracked", torch::tensor(5, torch::kLong));
        sd.insert("fc.bias", torch::linspace(-1, 1, 10).to(torch::kDouble));
        const std::string file = path("written.pt");
        writeStateDict(file, sd);
        const Checkpoint ck = readCheckpoint(file);
        QCOMPARE(ck.format, CheckpointFormat::TorchZip);
        QCOMPARE(ck.tensors.size(), sd.size());
        for (const auto& [name, t] : sd.entries())
            QVERIFY2(sameTensor(ck.tensors.at(name), t), name.c_str());
    }

    // --- a legacy (pre-1.6) stream assembled by hand, with a storage view
    static std::string legacyStream(const torch::Tensor& storage) {
        std::string s;
        s += Pkl().proto(2).raw(std::string("\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 12)).stop().bytes();
        s += Pkl().proto(2).raw("M\xe9\x03").stop().bytes();  // 1001
        s += Pkl().proto(2).emptyDict().str("little_endian").boolean(true).setitem().stop().bytes();
        Pkl obj;
        obj.proto(2).emptyDict().mark().str("best_prec1").real(90.0).str("state_dict").orderedDict().mark();
        // module.w: a [2,2] tensor over the view (elements 2..5) of root storage 'k1'
        obj.str("module.w").global("torch._utils", "_rebuild_tensor").mark();
        obj.mark().str("storage").global("torch", "FloatStorage").str("k1").str("cuda:0").integer(8);
        obj.str("k1v").integer(2).integer(4).op('\x87').tuple().persid();
        obj.integer(0).ints({2, 2}).ints({2, 1}).tuple().reduce();
        obj.setitems().setitems().stop();
        s += obj.bytes();
        s += Pkl().proto(2).mark().str("k1").op('l').stop().bytes();
        const int64_t n = storage.numel();
        s += std::string(reinterpret_cast<const char*>(&n), 8);  // little-endian on our targets
        s += tensorBytes(storage);
        return s;
    }

    void handAssembledLegacy() {
        const torch::Tensor storage = torch::arange(8, torch::kFloat);
        const std::string file = path("legacy.th");
        writeFile(file, legacyStream(storage));
        const Checkpoint ck = readCheckpoint(file);
        QCOMPARE(ck.format, CheckpointFormat::TorchLegacy);
        QCOMPARE(ck.unwrappedFrom, std::string("state_dict"));
        QCOMPARE(ck.strippedPrefix, std::string("module."));
        QCOMPARE(ck.extras.at("best_prec1"), std::string("90.0"));
        QVERIFY(sameTensor(ck.tensors.at("w"), torch::tensor({2.0f, 3.0f, 4.0f, 5.0f}).reshape({2, 2})));
    }

    void legacyStorageClaimsAreCheckedFirst() {
        // The count before a legacy storage's bytes is checked against what the pickle claims and
        // against the bytes left in the file before anything is allocated.
        const std::string whole = legacyStream(torch::arange(8, torch::kFloat));
        const size_t countAt = whole.size() - 8 * 4 - 8;
        const std::string file = path("legacy-claim.th");
        auto withCount = [&](int64_t n) {
            std::string b = whole;
            for (int i = 0; i < 8; ++i)
                b[countAt + size_t(i)] = char((uint64_t(n) >> (8 * i)) & 0xff);
            writeFile(file, b);
        };
        withCount(int64_t(1) << 50);
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "ends inside storage 'k1'", "truncated");
        withCount(4);
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "storage 'k1' holds 4 elements, 8 expected");
    }

    // --- the shared models
    void sharedLegacyResnet20() {
        DFQ_REQUIRE_SHARED(th, "models/cifar10/resnet20-12fca82f.th");
        const Checkpoint ck = readCheckpoint(th);
        QCOMPARE(ck.format, CheckpointFormat::TorchLegacy);
        QCOMPARE(ck.unwrappedFrom, std::string("state_dict"));
        QCOMPARE(ck.strippedPrefix, std::string("module."));
        QCOMPARE(ck.extras.at("best_prec1"), std::string("91.78000183105469"));
        QCOMPARE(ck.tensors.size(), size_t(97));  // no num_batches_tracked in this old file
        QCOMPARE(ck.tensors.at("conv1.weight").sizes(), (torch::IntArrayRef{16, 3, 3, 3}));
        QCOMPARE(ck.tensors.at("linear.weight").sizes(), (torch::IntArrayRef{10, 64}));
        // Independent reference values, printed by PyTorch 1.13 from this file.
        QCOMPARE(ck.tensors.at("conv1.weight").flatten()[2].item<float>(), 0.8207383155822754f);
        QVERIFY(std::abs(ck.tensors.at("conv1.weight").to(torch::kDouble).sum().item<double>() - 1.3100982000032673) < 1e-9);
    }

    void sharedZipAgreesWithLegacy() {
        DFQ_REQUIRE_SHARED(th, "models/cifar10/resnet20-12fca82f.th");
        DFQ_REQUIRE_SHARED(pt, "models/cifar10/resnet20.pt");
        const Checkpoint legacy = readCheckpoint(th);
        const Checkpoint zip = readCheckpoint(pt);
        QCOMPARE(zip.format, CheckpointFormat::TorchZip);
        QVERIFY(zip.unwrappedFrom.empty());
        QVERIFY(zip.strippedPrefix.empty());
        QCOMPARE(zip.tensors.size(), size_t(116));  // 97 + 19 num_batches_tracked
        for (const auto& [name, t] : legacy.tensors.entries()) {
            QVERIFY2(zip.tensors.contains(name), name.c_str());
            QVERIFY2(sameTensor(zip.tensors.at(name), t), name.c_str());
        }
        QCOMPARE(zip.tensors.at("linear.bias")[1].item<float>(), -0.3431008756160736f);
    }

    void sharedResnet32() {
        DFQ_REQUIRE_SHARED(pt, "models/cifar10/resnet32.pt");
        const Checkpoint ck = readCheckpoint(pt);
        QCOMPARE(ck.tensors.size(), size_t(188));
        QCOMPARE(ck.tensors.at("layer3.4.conv2.weight").sizes(), (torch::IntArrayRef{64, 64, 3, 3}));
        QVERIFY(std::abs(ck.tensors.at("layer3.4.conv2.weight").to(torch::kDouble).sum().item<double>() -
                         42.735394229514725) < 1e-9);
    }

    void sharedReferenceIo_data() {
        QTest::addColumn<QString>("rel");
        QTest::addColumn<QList<qint64>>("input");
        QTest::addColumn<QList<qint64>>("logits");
        QTest::newRow("resnet20") << "models/cifar10/resnet20-reference-io.pt" << QList<qint64>{4, 3, 32, 32}
                                  << QList<qint64>{4, 10};
        QTest::newRow("resnet32") << "models/cifar10/resnet32-reference-io.pt" << QList<qint64>{4, 3, 32, 32}
                                  << QList<qint64>{4, 10};
        QTest::newRow("resnet18") << "models/torchvision/resnet18-reference-io.pt"
                                  << QList<qint64>{2, 3, 224, 224} << QList<qint64>{2, 1000};
        QTest::newRow("mobilenet_v2") << "models/torchvision/mobilenet_v2-reference-io.pt"
                                      << QList<qint64>{2, 3, 224, 224} << QList<qint64>{2, 1000};
    }
    void sharedReferenceIo() {
        QFETCH(QString, rel);
        QFETCH(QList<qint64>, input);
        QFETCH(QList<qint64>, logits);
        DFQ_REQUIRE_SHARED(file, rel.toStdString());
        const Checkpoint ck = readCheckpoint(file);
        QCOMPARE(ck.tensors.keys(), (std::vector<std::string>{"input", "logits"}));
        auto dims = [](const torch::Tensor& t) {
            QList<qint64> d;
            for (int64_t s : t.sizes())
                d << s;
            return d;
        };
        QCOMPARE(dims(ck.tensors.at("input")), input);
        QCOMPARE(dims(ck.tensors.at("logits")), logits);
        QCOMPARE(ck.tensors.at("input").scalar_type(), torch::kFloat);
        if (rel.contains("resnet20"))
            QVERIFY(std::abs(ck.tensors.at("input").to(torch::kDouble).sum().item<double>() - 108.18019656831166) < 1e-6);
    }

    void everySharedCheckpointLoads() {
        DFQ_REQUIRE_SHARED(models, "models");
        int n = 0;
        for (const auto& entry : fs::recursive_directory_iterator(models)) {
            const std::string ext = entry.path().extension().string();
            if (ext != ".pt" && ext != ".th" && ext != ".pth")
                continue;
            const Checkpoint ck = readCheckpoint(entry.path().string());
            QVERIFY2(!ck.tensors.empty(), entry.path().c_str());
            for (const auto& [name, t] : ck.tensors.entries())
                QVERIFY2(t.is_contiguous() && t.defined(), (entry.path().string() + ": " + name).c_str());
            ++n;
        }
        QVERIFY(n >= 9);
        DFQ_REQUIRE_SHARED(r18, "models/torchvision/resnet18-random.pt");
        const Checkpoint ck = readCheckpoint(r18);
        QCOMPARE(ck.tensors.size(), size_t(122));
        QCOMPARE(ck.tensors.at("bn1.num_batches_tracked").scalar_type(), torch::kLong);
        QVERIFY(std::abs(ck.tensors.at("bn1.running_var").to(torch::kDouble).sum().item<double>() - 78.42315834760666) < 1e-9);
    }

    // --- hostile input: nothing may run
    void forbiddenGlobalRunsNothing_data() {
        QTest::addColumn<QString>("how");
        QTest::newRow("GLOBAL + REDUCE") << "global";
        QTest::newRow("STACK_GLOBAL + REDUCE") << "stack";
        QTest::newRow("protocol 0 INST") << "inst";
        QTest::newRow("inside a tensor rebuild") << "nested";
        QTest::newRow("legacy stream") << "legacy";
    }
    void forbiddenGlobalRunsNothing() {
        QFETCH(QString, how);
        const std::string marker = "/tmp/dfq-pwned-" + std::to_string(std::random_device{}());
        const std::string cmd = "touch " + marker;
        std::string global = "os.system";
        Pkl p;
        if (how == "global") {
            p.proto(2).global("os", "system").str(cmd).op('\x85').reduce().stop();
        } else if (how == "stack") {
            global = "builtins.eval";
            p.proto(4).str("builtins").str("eval").op('\x93')
                .str("__import__('os').system('" + cmd + "')").op('\x85').reduce().stop();
        } else if (how == "inst") {
            global = "posix.system";
            p.mark().op('V').raw(cmd + "\n").op('i').raw("posix\nsystem\n").stop();
        } else if (how == "nested") {
            global = "subprocess.call";
            p.proto(2).emptyDict().str("w").global("torch._utils", "_rebuild_tensor_v2").mark();
            p.global("subprocess", "call").str(cmd).op('\x85').reduce();
            p.tuple().reduce().setitem().stop();
        }
        const std::string file = path("evil-" + how.toStdString() + (how == "legacy" ? ".th" : ".pt"));
        if (how == "legacy") {
            std::string s;
            s += Pkl().proto(2).raw(std::string("\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 12)).stop().bytes();
            s += Pkl().proto(2).raw("M\xe9\x03").stop().bytes();
            s += Pkl().proto(2).emptyDict().stop().bytes();
            s += Pkl().proto(2).global("os", "system").str(cmd).op('\x85').reduce().stop().bytes();
            writeFile(file, s);
        } else {
            writeZip(file, {{"data.pkl", p.bytes()}});
        }
        const std::string msg = errorOf([&] { readCheckpoint(file); });
        const std::string named = "forbidden global '" + global + "'";
        EXPECT_ERROR(msg, file.c_str(), named.c_str());
        if (how != "legacy")
            EXPECT_ERROR(msg, "data.pkl");
        QVERIFY2(!fs::exists(marker), "the pickle's command ran");
    }

    // --- broken input: a CheckpointError naming the file and the problem
    void truncatedZip() {
        const std::string good = path("good.pt");
        StateDict sd;
        sd.insert("w", torch::randn({64, 64}));
        writeStateDict(good, sd);
        const std::string bytes = readFile(good);
        const std::string file = path("truncated.pt");
        writeFile(file, bytes.substr(0, bytes.size() / 2));
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "truncated");
    }

    void garbageDataPkl() {
        const std::string file = path("garbage.pt");
        writeZip(file, {{"data.pkl", "this is not a pickle at all"}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "data.pkl", "not a valid pickle");
        // A pickle cut short inside data.pkl.
        Pkl p;
        p.proto(2).emptyDict().str("w");
        writeZip(file, {{"data.pkl", p.bytes()}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "data.pkl", "truncated");
    }

    void zipWithoutDataPkl() {
        const std::string file = path("nodata.pt");
        writeZip(file, {{"readme.txt", "hello"}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "no data.pkl");
    }

    void storageRecordMissing() {
        Pkl p;
        p.proto(2).emptyDict().str("w").tensor("FloatStorage", "9", 4, 0, {4}, {1}).setitem().stop();
        const std::string file = path("nostorage.pt");
        writeZip(file, {{"data.pkl", p.bytes()}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "storage record 'data/9' is missing");
    }

    void tensorOutsideItsStorage() {
        Pkl p;
        p.proto(2).emptyDict().str("w").tensor("FloatStorage", "0", 4, 2, {2, 2}, {2, 1}).setitem().stop();
        const std::string file = path("outside.pt");
        writeZip(file, {{"data.pkl", p.bytes()}, {"data/0", tensorBytes(torch::zeros({4}))}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "storage of 4 elements");
        // A storage record shorter than its declared size.
        Pkl q;
        q.proto(2).emptyDict().str("w").tensor("FloatStorage", "0", 16, 0, {16}, {1}).setitem().stop();
        writeZip(file, {{"data.pkl", q.bytes()}, {"data/0", tensorBytes(torch::zeros({4}))}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "data/0", "holds 16 bytes");
    }

    void noTensors() {
        Pkl p;
        p.proto(2).emptyDict().str("epoch").integer(3).setitem().stop();
        const std::string file = path("notensors.pt");
        writeZip(file, {{"data.pkl", p.bytes()}});
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "no tensors found", "epoch");
    }

    void emptyFile() {
        const std::string file = path("empty.pt");
        writeFile(file, "");
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "empty");
    }

    void missingFile() {
        const std::string file = path("does-not-exist.pt");
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "not found");
    }

    void notACheckpoint() {
        const std::string file = path("notes.txt");
        writeFile(file, "just some text");
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "not a PyTorch checkpoint");
    }

    void truncatedLegacy() {
        const std::string whole = legacyStream(torch::arange(8, torch::kFloat));
        const std::string file = path("legacy-cut.th");
        // Cut inside the raw storage bytes, then inside the object pickle.
        writeFile(file, whole.substr(0, whole.size() - 5));
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "storage 'k1'", "truncated");
        writeFile(file, whole.substr(0, 120));
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "truncated");
    }

    void truncatedSharedLegacy() {
        DFQ_REQUIRE_SHARED(th, "models/cifar10/resnet20-12fca82f.th");
        const std::string bytes = readFile(th);
        const std::string file = path("resnet20-cut.th");
        writeFile(file, bytes.substr(0, bytes.size() / 2));
        EXPECT_ERROR(errorOf([&] { readCheckpoint(file); }), file.c_str(), "truncated");
    }

    void selfReferencingPickleDoesNotHang() {
        // A list that contains itself, and a deep chain of nested lists: freed without recursion.
        Pkl p;
        p.proto(2).op(']').put(0).get(0).op('a');
        for (int i = 0; i < 100000; ++i)
            p.op(']');
        for (int i = 0; i < 100000; ++i)
            p.op('a');
        p.stop();
        PickleArena arena;
        PickleReader reader("self.pkl", "the pickle", p.bytes().data(), p.bytes().size(), arena);
        PickleValuePtr root = reader.load();
        QVERIFY(root->is(Kind::List));
        QCOMPARE(root->items[0], root);
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
