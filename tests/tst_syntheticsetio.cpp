// Synthetic set export/import: exact tensors, PNG ImageFolder within 8-bit rounding, manifest, class
// folder naming, atomic replacement and refusal of bad input, and never deleting a folder that is
// not a synthetic set.
#include "support/SharedData.h"

#include "data/Normalization.h"
#include "runtime/AtomicDirectory.h"
#include "synth/PixelConversion.h"
#include "synth/SynthesisError.h"
#include "synth/SyntheticSetIO.h"

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

using namespace dfq;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kCifar = {"airplane", "automobile", "bird", "cat", "deer",
                                         "dog", "frog", "horse", "ship", "truck"};

/// n images [n,C,5,4] whose de-normalised pixels are exact 8-bit values (so PNG round trips are
/// exact up to float error), labels cycling over the classes.
synth::SyntheticSet makeSet(int64_t n, int64_t channels, const data::Normalization& norm, int64_t classes = 10) {
    torch::manual_seed(n * 31 + channels);
    synth::SyntheticSet s;
    s.images = synth::fromPixels(torch::randint(0, 256, {n, 5, 4, channels}).to(torch::kUInt8), norm);
    s.labels = torch::arange(n, torch::kLong) % 3;
    s.numClasses = classes;
    s.normalization = norm;
    s.method = "zeroq";
    s.options = {{"iterations", 20}, {"lr", 0.5}};
    s.seed = 1234567890123ull;
    s.modelArch = "resnet20";
    s.seconds = 1.5;
    s.batches = 2;
    s.notes = {"a note"};
    s.steps = {{0, 0, 0.5, {{"total", 4.0}}}, {1, 0, 0.5, {{"total", 2.0}}}, {0, 1, 0.5, {{"total", 1.0}}}};
    s.steps[0].bnKl = 0.3;   // batch 1 not measured (NaN) at iteration 0: the curve averages what is there
    s.steps[2].bnKl = 0.1;
    s.steps[0].confidence = 0.5;
    s.steps[1].confidence = 0.7;
    return s;
}

nlohmann::json manifest(const fs::path& dir) {
    std::ifstream f(dir / "manifest.json");
    return nlohmann::json::parse(f);
}

} // namespace

class TestSyntheticSetIO : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pngRoundTripAndManifest() {
        const fs::path dir = fs::path(testing::makeTempDir("synthio")) / "set";
        const auto norm = data::normalizationPreset("imagenet");
        auto set = makeSet(7, 3, norm);
        set.classNames = kCifar;
        synth::writeSyntheticSet(dir.string(), set);
        QVERIFY(!fs::exists(dir.string() + ".tmp"));

        // CIFAR names are unique and sorted: used as folders; images land by label, named by index.
        QVERIFY(fs::is_regular_file(dir / "airplane" / "000000.png"));
        QVERIFY(fs::is_regular_file(dir / "automobile" / "000001.png"));
        QVERIFY(fs::is_regular_file(dir / "bird" / "000005.png"));
        QVERIFY(fs::is_regular_file(dir / "tensors.pt"));

        const auto m = manifest(dir);
        QCOMPARE(m.at("method").get<std::string>(), std::string("zeroq"));
        QCOMPARE(m.at("seed").get<uint64_t>(), uint64_t(1234567890123ull));
        QCOMPARE(m.at("n").get<int64_t>(), int64_t(7));
        QCOMPARE(m.at("image_shape"), nlohmann::json({3, 5, 4}));
        QCOMPARE(m.at("options").at("iterations").get<int>(), 20);
        QCOMPARE(m.at("normalization").at("name").get<std::string>(), std::string("imagenet"));
        QCOMPARE(m.at("classes")[1].at("count").get<int64_t>(), int64_t(2));   // labels 0,1,2,0,1,2,0
        QCOMPARE(m.at("classes")[3].at("folder").get<std::string>(), std::string("cat"));
        // Loss curve: iteration 0 averaged over the two batches (4+2)/2, iteration 1 -> 1.
        QCOMPARE(m.at("loss_curve"), nlohmann::json({3.0, 1.0}));
        QCOMPARE(m.at("diagnostics_curves").at("bn_kl"), nlohmann::json({0.3, 0.1}));
        QCOMPARE(m.at("diagnostics_curves").at("teacher_confidence").size(), size_t(1));
        QVERIFY(std::abs(m.at("diagnostics_curves").at("teacher_confidence")[0].get<double>() - 0.6) < 1e-12);
        QCOMPARE(m.at("diagnostics_curves").at("feature_diversity"), nlohmann::json::array());
        QCOMPARE(m.at("timings").at("synthesis_seconds").get<double>(), 1.5);

        synth::SyntheticSetSource source;
        const auto back = synth::readSyntheticSet(dir.string(), &source, /*preferTensors=*/false);
        QVERIFY(source == synth::SyntheticSetSource::Png);
        QVERIFY(torch::equal(back.labels, set.labels));
        QVERIFY(torch::allclose(back.images, set.images, 0, 1e-5));
        QCOMPARE(back.classNames, kCifar);
        QCOMPARE(back.method, std::string("zeroq"));
        QCOMPARE(back.seed, set.seed);
        QCOMPARE(back.normalization.mean, norm.mean);
        QCOMPARE(back.options, set.options);
    }

    void pngIsWithinEightBitRounding() {
        // Arbitrary in-range values: the PNG copy is off by at most half a grey level, i.e.
        // 0.5/255/std in normalised units; out-of-range values are clamped.
        const fs::path dir = fs::path(testing::makeTempDir("synthio")) / "set";
        const auto norm = data::normalizationPreset("cifar10");
        auto set = makeSet(4, 3, norm);
        const torch::Tensor mean = torch::tensor(norm.mean).view({1, 3, 1, 1});
        const torch::Tensor sd = torch::tensor(norm.stdev).view({1, 3, 1, 1});
        set.images = (torch::rand({4, 3, 5, 4}) - mean) / sd;
        synth::writeSyntheticSet(dir.string(), set);
        const auto back = synth::readSyntheticSet(dir.string(), nullptr, false);
        const torch::Tensor err = ((back.images - set.images).abs() * sd * 255.0).max();
        QVERIFY2(err.item<double>() <= 0.5 + 1e-3, qPrintable(QString::number(err.item<double>())));
    }

    void exactTensorsPreferred() {
        const fs::path dir = fs::path(testing::makeTempDir("synthio")) / "set";
        auto set = makeSet(6, 3, data::normalizationPreset("imagenet"));
        set.images = set.images + 1e-3f * torch::randn_like(set.images);   // not 8-bit representable
        synth::writeSyntheticSet(dir.string(), set);
        synth::SyntheticSetSource source;
        const auto back = synth::readSyntheticSet(dir.string(), &source);
        QVERIFY(source == synth::SyntheticSetSource::Tensors);
        QVERIFY(torch::equal(back.images, set.images));
        QVERIFY(torch::equal(back.labels, set.labels));

        // A damaged tensors.pt falls back to the PNGs and says so.
        { std::ofstream(dir / "tensors.pt", std::ios::binary | std::ios::trunc) << "garbage"; }
        const auto fallback = synth::readSyntheticSet(dir.string(), &source);
        QVERIFY(source == synth::SyntheticSetSource::Png);
        QVERIFY(std::any_of(fallback.notes.begin(), fallback.notes.end(),
                            [](const std::string& n) { return n.find("tensors.pt could not be read") != std::string::npos; }));
        QVERIFY(torch::allclose(fallback.images, set.images, 0, 0.5 / 255 / 0.224 + 1e-3));
    }

    void grayscaleAndIndexFolders() {
        // Fashion-MNIST names are not sorted ("T-shirt/top" < "Trouser" but "Pullover" < ...): folders
        // become zero-padded indices so an ImageFolder loader keeps the label order.
        const fs::path dir = fs::path(testing::makeTempDir("synthio")) / "set";
        const auto norm = data::normalizationPreset("fashion-mnist");
        auto set = makeSet(5, 1, norm);
        set.classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
        synth::writeSyntheticSet(dir.string(), set, {});
        QVERIFY(fs::is_regular_file(dir / "0" / "000000.png"));
        QVERIFY(fs::is_regular_file(dir / "2" / "000002.png"));
        const auto m = manifest(dir);
        QCOMPARE(m.at("classes")[0].at("name").get<std::string>(), std::string("T-shirt/top"));
        const auto back = synth::readSyntheticSet(dir.string(), nullptr, false);
        QVERIFY(torch::allclose(back.images, set.images, 0, 1e-5));
        QVERIFY(torch::equal(back.labels, set.labels));
        // Unnamed classes and more than 10: "00".."11".
        const fs::path dir2 = dir.parent_path() / "set12";
        auto many = makeSet(3, 1, norm, 12);
        synth::writeSyntheticSet(dir2.string(), many);
        QVERIFY(fs::is_directory(dir2 / "00") && fs::is_directory(dir2 / "11"));
    }

    void atomicReplaceAndRefusals() {
        const fs::path root = testing::makeTempDir("synthio");
        const fs::path dir = root / "set";
        const auto norm = data::normalizationPreset("imagenet");
        auto set = makeSet(3, 3, norm);
        synth::writeSyntheticSet(dir.string(), set);

        // Existing folder without overwrite: refused, untouched.
        auto other = makeSet(5, 3, norm);
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, synth::writeSyntheticSet(dir.string(), other));
        QCOMPARE(manifest(dir).at("n").get<int64_t>(), int64_t(3));

        // A stale .tmp from an interrupted write (it carries the staging mark) is cleared; overwrite
        // replaces the whole folder.
        fs::create_directories(dir.string() + ".tmp/junk");
        { std::ofstream(dir.string() + ".tmp/" + runtime::AtomicDirectory::kStagingMark); }
        synth::SyntheticSetWriteOptions o;
        o.overwrite = true;
        synth::writeSyntheticSet(dir.string(), other, o);
        QCOMPARE(manifest(dir).at("n").get<int64_t>(), int64_t(5));
        QVERIFY(!fs::exists(dir.string() + ".tmp") && !fs::exists(dir.string() + ".old"));

        // NaN images are never written: no folder, no leftovers.
        auto bad = makeSet(2, 3, norm);
        bad.images[1][0][0][0] = NAN;
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, synth::writeSyntheticSet((root / "nan").string(), bad));
        QVERIFY(!fs::exists(root / "nan") && !fs::exists(root / "nan.tmp"));

        // Tensors-only sets read back exactly; PNG-only sets read from PNGs.
        o.png = false;
        synth::writeSyntheticSet((root / "t").string(), set, o);
        QVERIFY(!fs::exists(root / "t" / "airplane") && !fs::exists(root / "t" / "0"));
        QVERIFY(torch::equal(synth::readSyntheticSet((root / "t").string()).images, set.images));

        // Not a synthetic set / a missing image: clear errors.
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, synth::readSyntheticSet(root.string()));
        fs::remove(dir / "tensors.pt");
        fs::remove(dir / "1" / "000001.png");
        try {
            synth::readSyntheticSet(dir.string());
            QFAIL("missing PNG not reported");
        } catch (const synth::SynthesisError& e) {
            QVERIFY(std::string(e.what()).find("000001.png") != std::string::npos);
        }
    }

    // Save set... always overwrites: pointed at a user's folder (home, a project), it must refuse and
    // leave every file as it was, and never remove a DIR.tmp that is not an unfinished write of ours.
    void overwriteNeverDeletesWhatItDidNotWrite() {
        const fs::path root = testing::makeTempDir("synthio");
        const auto norm = data::normalizationPreset("imagenet");
        const auto set = makeSet(3, 3, norm);
        synth::SyntheticSetWriteOptions o;
        o.overwrite = true;

        const fs::path home = root / "home";
        fs::create_directories(home / "project" / "src");
        { std::ofstream(home / "notes.txt") << "keep me"; }
        { std::ofstream(home / "project" / "src" / "main.cpp") << "int main() {}"; }
        try {
            synth::writeSyntheticSet(home.string(), set, o);
            QFAIL("a folder that is not a synthetic set was replaced");
        } catch (const synth::SynthesisError& e) {
            const std::string m = e.what();
            QVERIFY2(m.find(home.string()) != std::string::npos && m.find("not a synthetic set") != std::string::npos,
                     m.c_str());
        }
        QVERIFY(fs::is_regular_file(home / "notes.txt"));
        QVERIFY(fs::is_regular_file(home / "project" / "src" / "main.cpp"));
        QVERIFY(!fs::exists(home / "manifest.json"));
        QVERIFY(!fs::exists(root / "home.tmp") && !fs::exists(root / "home.old"));

        // A folder with a manifest.json of another kind is not ours either.
        const fs::path foreign = root / "foreign";
        fs::create_directories(foreign);
        { std::ofstream(foreign / "manifest.json") << R"({"format": "something-else"})"; }
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, synth::writeSyntheticSet(foreign.string(), set, o));
        QVERIFY(fs::is_regular_file(foreign / "manifest.json"));

        // A regular file under the name: refused, kept.
        const fs::path file = root / "file";
        { std::ofstream(file) << "data"; }
        QVERIFY_THROWS_EXCEPTION(synth::SynthesisError, synth::writeSyntheticSet(file.string(), set, o));
        QVERIFY(fs::is_regular_file(file));

        // DIR.tmp that is somebody's folder (no staging mark, not a set): refused, kept, DIR untouched.
        const fs::path dir = root / "set";
        synth::writeSyntheticSet(dir.string(), set, o);
        fs::create_directories(root / "set.tmp");
        { std::ofstream(root / "set.tmp" / "thesis.tex") << "chapter 1"; }
        try {
            synth::writeSyntheticSet(dir.string(), makeSet(5, 3, norm), o);
            QFAIL("a foreign DIR.tmp was removed");
        } catch (const synth::SynthesisError& e) {
            QVERIFY2(std::string(e.what()).find("set.tmp") != std::string::npos, e.what());
        }
        QVERIFY(fs::is_regular_file(root / "set.tmp" / "thesis.tex"));
        QCOMPARE(manifest(dir).at("n").get<int64_t>(), int64_t(3));

        // An empty folder (a new folder made in the save dialog) is filled; a set is replaced as a unit.
        const fs::path empty = root / "empty";
        fs::create_directories(empty);
        synth::writeSyntheticSet(empty.string(), set, o);
        QCOMPARE(manifest(empty).at("n").get<int64_t>(), int64_t(3));
        synth::writeSyntheticSet(empty.string(), makeSet(4, 3, norm), o);
        QCOMPARE(manifest(empty).at("n").get<int64_t>(), int64_t(4));
        QVERIFY(!fs::exists(root / "empty.tmp") && !fs::exists(root / "empty.old"));
        QVERIFY(!fs::exists(empty / runtime::AtomicDirectory::kStagingMark));
        QCOMPARE(synth::readSyntheticSet(empty.string()).size(), int64_t(4));
    }
};

QTEST_GUILESS_MAIN(TestSyntheticSetIO)
#include "tst_syntheticsetio.moc"
