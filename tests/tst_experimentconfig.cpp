// Experiment configs: every bad input gives a clear message tied to its key path, all problems at
// once, and nothing half-written (run directory, atomic files, metrics lines).
#include "models/ModelLoader.h"
#include "pipeline/ExperimentConfig.h"
#include "pipeline/FileWriter.h"
#include "pipeline/Pipeline.h"
#include "pipeline/PipelineError.h"
#include "pipeline/RunStore.h"
#include "pipeline/StageContext.h"
#include "quant/QuantSpec.h"
#include "runtime/Resources.h"
#include "support/SharedData.h"

#include <QtTest/QtTest>

#include <cerrno>
#include <filesystem>
#include <fstream>

using nlohmann::json;
using namespace dfq::pipeline;
namespace fs = std::filesystem;

namespace {

using dfq::testing::RemoveOnExit;

// Every issue of parsing `doc` (empty when it parses).
std::vector<ConfigIssue> issuesOf(const json& doc, const std::string& base = "/") {
    try {
        parseExperimentConfig(doc, base);
    } catch (const ConfigError& e) {
        return e.issues();
    }
    return {};
}

// The one issue at `path`, or fails the test.
bool hasIssue(const std::vector<ConfigIssue>& issues, const std::string& path, const std::string& fragment) {
    for (const auto& i : issues)
        if (i.path == path && i.message.find(fragment) != std::string::npos)
            return true;
    std::string all;
    for (const auto& i : issues)
        all += "\n  " + i.text();
    qWarning("expected an issue at %s containing '%s'; got:%s", path.c_str(), fragment.c_str(), all.c_str());
    return false;
}

// Simulates a full disk: write(2) fails with ENOSPC once `quota` bytes have been written in total.
class FullDiskWriter : public AtomicFileWriter {
public:
    explicit FullDiskWriter(size_t quota) : quota_(quota) {}
    size_t written = 0;

protected:
    long writeBytes(int fd, const char* data, size_t size) override {
        if (written >= quota_) {
            errno = ENOSPC;
            return -1;
        }
        const size_t n = std::min(size, quota_ - written);
        const long w = AtomicFileWriter::writeBytes(fd, data, n);
        if (w > 0)
            written += size_t(w);
        return w;
    }

private:
    size_t quota_;
};

std::vector<std::string> listFiles(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        out.push_back(fs::relative(e.path(), dir).string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class TestExperimentConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsParse() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const auto c = parseExperimentConfig(json::object(), "/tmp");
        QCOMPARE(c.synthMethod, std::string("zeroq"));
        QCOMPARE(c.wbits, 4);
        QCOMPARE(c.testPath, dfq::runtime::defaultDataPath());
        QCOMPARE(c.protocol(), std::string("calibrate-only"));
        QCOMPARE(c.outputDir, std::string("/tmp/runs")); // relative to the config's directory
        QVERIFY(c.resolved.contains("quant"));
        QCOMPARE(c.resolved["ptq"]["brecq_iters"].get<int>(), 1000);
    }

    void unknownKeySuggestsTheNearOne() {
        const auto issues = issuesOf({{"synthesis", {{"methd", "zeroq"}}}, {"qaunt", json::object()}});
        QVERIFY(hasIssue(issues, "synthesis.methd", "unknown key (did you mean 'method'?)"));
        QVERIFY(hasIssue(issues, "qaunt", "did you mean 'quant'?"));
    }

    void wrongType() {
        const auto issues = issuesOf({{"quant", {{"wbits", "four"}}}, {"qat", {{"epochs", 1.5}}}});
        QVERIFY(hasIssue(issues, "quant.wbits", "expected an integer, got a string"));
        QVERIFY(hasIssue(issues, "qat.epochs", "expected an integer, got a number"));
    }

    void missingModel() {
        const auto issues = issuesOf({{"model", {{"path", "models/none.pt"}}}, {"data", {{"test", "none"}}}}, "/nonexistent");
        QVERIFY(hasIssue(issues, "model.path", "cannot read '/nonexistent/models/none.pt'"));
    }

    void unreadableDataPath() {
        const auto issues = issuesOf({{"data", {{"test", "/nonexistent/fashion"}}}});
        QVERIFY(hasIssue(issues, "data.test", "cannot read '/nonexistent/fashion': no such file or directory"));
    }

    void bitsOutOfRange() {
        const auto issues = issuesOf({{"quant", {{"wbits", 9}, {"abits", 1}, {"layers", {{"layer3.0.conv2", {{"wbits", 9}}}}}}}});
        QVERIFY(hasIssue(issues, "quant.wbits", "9 is outside 2–8"));
        QVERIFY(hasIssue(issues, "quant.abits", "1 is outside 2–8"));
        QVERIFY(hasIssue(issues, "quant.layers.layer3.0.conv2.wbits", "9 is outside 2–8"));
    }

    void unknownMethods() {
        const auto issues = issuesOf({{"synthesis", {{"method", "zeroqq"}}}, {"ptq", {{"method", "adaroundd"}}},
                                      {"quant", {{"preset", "gdfqq"}, {"weight_observer", "maxmin"}}}});
        QVERIFY(hasIssue(issues, "synthesis.method", "unknown method 'zeroqq' (available:"));
        QVERIFY(hasIssue(issues, "ptq.method", "unknown method 'adaroundd'"));
        QVERIFY(hasIssue(issues, "quant.preset", "unknown preset 'gdfqq'"));
        QVERIFY(hasIssue(issues, "quant.weight_observer", "unknown observer 'maxmin'"));
    }

    void methodOptionsAreValidatedByTheMethod() {
        const auto issues = issuesOf({{"synthesis", {{"method", "noise"}, {"iters", 10}, {"options", {{"stdd", 1.0}}}}}});
        QVERIFY(hasIssue(issues, "synthesis.iters", "does not iterate"));
        QVERIFY(hasIssue(issues, "synthesis.options", "stdd"));
    }

    void negativeBudgets() {
        const auto issues = issuesOf({{"ptq", {{"brecq_iters", -5}, {"batch", 0}}},
                                      {"budget", {{"max_seconds", -1}}},
                                      {"synthesis", {{"n", -3}}},
                                      {"qat", {{"epochs", -1}}}});
        QVERIFY(hasIssue(issues, "ptq.brecq_iters", "-5 must be >= 1"));
        QVERIFY(hasIssue(issues, "ptq.batch", "0 must be >= 1"));
        QVERIFY(hasIssue(issues, "budget.max_seconds", "must be >= 0"));
        QVERIFY(hasIssue(issues, "synthesis.n", "-3 must be >= 1"));
        QVERIFY(hasIssue(issues, "qat.epochs", "-1 must be >= 0"));
    }

    void everyProblemAtOnce() {
        const auto issues = issuesOf({{"quant", {{"wbits", 9}}}, {"ptq", {{"method", "x"}}}, {"seedd", 1}});
        QCOMPARE(int(issues.size()), 3);
        try {
            parseExperimentConfig({{"quant", {{"wbits", 9}}}, {"ptq", {{"method", "x"}}}, {"seedd", 1}}, "/");
            QFAIL("no ConfigError");
        } catch (const ConfigError& e) {
            const std::string w = e.what();
            QVERIFY2(w.find("3 problems") != std::string::npos, w.c_str());
            QVERIFY2(w.find("quant.wbits: 9 is outside 2–8") != std::string::npos, w.c_str());
        }
    }

    void unknownLayerNameNeedsTheModel() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const auto c = parseExperimentConfig(
            {{"quant", {{"layers", {{"layer3.1.conv2", {{"wbits", 8}}}, {"layer3.0.conv2", {{"wbits", 8}}},
                                    {"layer1.0.relu1", {{"wbits", 8}}}}}}}},
            "/");
        auto loaded = dfq::models::loadModel(c.modelPath);
        const auto issues = checkAgainstModel(c, *loaded.model);
        QVERIFY(hasIssue(issues, "quant.layers.layer3.1.conv2", "has no layer 'layer3.1.conv2' (did you mean 'layer3.0.conv2'?)"));
        QVERIFY(hasIssue(issues, "quant.layers.layer1.0.relu1.wbits", "is an activation"));
        QCOMPARE(int(issues.size()), 2);
        // startRun runs the model phase before writing anything.
        const std::string dir = dfq::testing::makeTempDir("cfg-layer") + "/run";
        RemoveOnExit cleanup{fs::path(dir).parent_path().string()};
        QVERIFY_THROWS_EXCEPTION(ConfigError, startRun(c, dir));
        QVERIFY(!fs::exists(dir));
    }

    // quant.spec: the GUI's whole spec, used as given; its nominal bits and placement become the
    // config's; it cannot be mixed with per-layer overrides; a spec for another model is refused.
    void wholeSpecIsUsedAsGiven() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        auto loaded = dfq::models::loadModel(dfq::runtime::defaultModelPath());
        auto spec = dfq::quant::buildQuantSpec(*loaded.model, dfq::quant::LayerPlacement::F8L8, 3, 5);
        spec.layers[1].weight.bits = 6;
        spec.layers[1].weight.perChannel = false;
        json doc;
        doc["quant"]["spec"] = spec.toJson();
        const auto c = parseExperimentConfig(doc, "/");
        QCOMPARE(c.wbits, 3);
        QCOMPARE(c.abits, 5);
        QCOMPARE(c.preset, std::string("f8l8"));
        QVERIFY(checkAgainstModel(c, *loaded.model).empty());
        const auto built = quantSpecFor(c, *loaded.model);
        QCOMPARE(built.toJson().dump(), spec.toJson().dump());   // exactly the given spec, per-tensor layer included

        QVERIFY(hasIssue(issuesOf({{"quant", {{"spec", "W4A4"}}}}), "quant.spec", "expected a QuantSpec object"));
        json mixed = doc;
        mixed["quant"]["layers"]["conv1"]["wbits"] = 8;
        QVERIFY(hasIssue(issuesOf(mixed), "quant.layers", "cannot be combined with quant.spec"));
        json broken = spec.toJson();
        broken["layers"][0]["weight"]["bits"] = "eight";
        json brokenDoc;
        brokenDoc["quant"]["spec"] = broken;
        QVERIFY(!issuesOf(brokenDoc).empty());
        json other = spec.toJson();
        other["arch"] = "resnet20";
        json otherDoc;
        otherDoc["quant"]["spec"] = other;
        const auto c2 = parseExperimentConfig(otherDoc, "/");
        QVERIFY(hasIssue(checkAgainstModel(c2, *loaded.model), "quant.spec", "the spec is for resnet20"));
    }

    void assignmentsKeepLayerNames() {
        json doc = json::object();
        applyAssignment(doc, "quant.layers.layer3.0.conv2.wbits=8");
        applyAssignment(doc, "synthesis.method=noise");
        applyAssignment(doc, "quant.wbits=6");
        QCOMPARE(doc["quant"]["layers"]["layer3.0.conv2"]["wbits"].get<int>(), 8);
        QCOMPARE(doc["synthesis"]["method"].get<std::string>(), std::string("noise"));
        QCOMPARE(doc["quant"]["wbits"].get<int>(), 6);
        QVERIFY_THROWS_EXCEPTION(ConfigError, applyAssignment(doc, "quant.wbits"));
    }

    void outputDirectoryNotWritable() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        // A directory below a regular file cannot be created, whoever runs the test (root included).
        const std::string tmp = dfq::testing::makeTempDir("cfg-out");
        RemoveOnExit cleanup{tmp};
        std::ofstream(tmp + "/file") << "x";
        const auto c = parseExperimentConfig({{"output", {{"dir", tmp + "/file/runs"}}}}, "/");
        try {
            startRun(c, defaultRunDir(c));
            QFAIL("no PipelineError");
        } catch (const PipelineError& e) {
            const std::string w = e.what();
            QVERIFY2(w.find("output directory '" + tmp + "/file/runs/") != std::string::npos && w.find("is not writable") != std::string::npos,
                     w.c_str());
        }
        QCOMPARE(listFiles(tmp), std::vector<std::string>{"file"});
    }

    void diskFullLeavesNoHalfFile() {
        const std::string tmp = dfq::testing::makeTempDir("cfg-full");
        RemoveOnExit cleanup{tmp};
        auto w = std::make_shared<FullDiskWriter>(10);
        try {
            w->writeFile(tmp + "/manifest.json", std::string(100, 'x'));
            QFAIL("no PipelineError");
        } catch (const PipelineError& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("No space left on device") != std::string::npos && m.find("manifest.json") != std::string::npos, m.c_str());
        }
        QVERIFY(listFiles(tmp).empty()); // neither manifest.json nor manifest.json.tmp

        // An existing file keeps its old content.
        AtomicFileWriter().writeFile(tmp + "/a.json", "old");
        QVERIFY_THROWS_EXCEPTION(PipelineError, FullDiskWriter(2).writeFile(tmp + "/a.json", "new content"));
        std::ifstream f(tmp + "/a.json");
        std::string s((std::istreambuf_iterator<char>(f)), {});
        QCOMPARE(s, std::string("old"));
        QCOMPARE(listFiles(tmp), std::vector<std::string>{"a.json"});

        // A metrics line that does not fit is taken back: the file stays whole lines.
        FullDiskWriter lines(30);
        lines.appendLine(tmp + "/m.jsonl", R"({"a":1})");
        QVERIFY_THROWS_EXCEPTION(PipelineError, lines.appendLine(tmp + "/m.jsonl", R"({"b":"a long line that does not fit"})"));
        bool truncated = true;
        QCOMPARE(int(readMetrics(tmp + "/m.jsonl", &truncated).size()), 1);
        QVERIFY(!truncated);
    }

    void diskFullAtRunStartRemovesTheRunDirectory() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const std::string tmp = dfq::testing::makeTempDir("cfg-fullrun");
        RemoveOnExit cleanup{tmp};
        const auto c = parseExperimentConfig({{"output", {{"dir", tmp}}}}, "/");
        PipelineOptions o;
        o.writer = std::make_shared<FullDiskWriter>(100); // the manifest is larger
        try {
            startRun(c, tmp + "/run", o);
            QFAIL("no PipelineError");
        } catch (const PipelineError& e) {
            QVERIFY2(std::string(e.what()).find("No space left on device") != std::string::npos, e.what());
        }
        QVERIFY(listFiles(tmp).empty());
    }

    void truncatedMetricsLineIsTolerated() {
        const std::string tmp = dfq::testing::makeTempDir("cfg-metrics");
        RemoveOnExit cleanup{tmp};
        std::ofstream(tmp + "/metrics.jsonl") << "{\"a\":1}\n{\"b\":2}\n{\"c\":";
        bool truncated = false;
        const auto lines = readMetrics(tmp + "/metrics.jsonl", &truncated);
        QCOMPARE(int(lines.size()), 2);
        QVERIFY(truncated);
        std::ofstream(tmp + "/bad.jsonl") << "{\"a\":1}\nnot json\n{\"c\":3}\n";
        QVERIFY_THROWS_EXCEPTION(PipelineError, readMetrics(tmp + "/bad.jsonl"));
    }

    void runStoreRefusesAFullDirectory() {
        const std::string tmp = dfq::testing::makeTempDir("cfg-store");
        RemoveOnExit cleanup{tmp};
        std::ofstream(tmp + "/something") << "x";
        QVERIFY_THROWS_EXCEPTION(PipelineError, RunStore::create(tmp));
        QVERIFY_THROWS_EXCEPTION(PipelineError, RunStore::open(tmp)); // no manifest
    }
};

QTEST_APPLESS_MAIN(TestExperimentConfig)
#include "tst_experimentconfig.moc"
