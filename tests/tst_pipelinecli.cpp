// `dfq run`, `dfq resume`, `dfq sweep`, `dfq report` end to end on the embedded default with tiny
// budgets: a run killed with SIGKILL mid-way is readable and resumes to the same accuracy as an
// uninterrupted run with the same seed; a sweep writes its table; every manifest carries the
// protocol label and the placement.
#include "pipeline/RunStore.h"
#include "runtime/Resources.h"
#include "support/SharedData.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using dfq::testing::RemoveOnExit;

const QString kDfq = QStringLiteral(DFQ_BINARY_DIR "/app/cli/dfq");

// Tiny budgets: 128 zeroq images (20 iterations), min-max PTQ, 3 QAT epochs, 1,000 test images.
std::string writeConfig(const std::string& dir, const json& extra = json::object()) {
    json c = {{"model", {{"path", ""}}},
              {"data", {{"test", ""}, {"limit_per_class", 100}}},
              {"synthesis", {{"method", "zeroq"}, {"n", 128}, {"batch", 64}, {"iters", 20}}},
              {"quant", {{"wbits", 4}, {"abits", 4}, {"preset", "gdfq"}}},
              {"ptq", {{"method", "minmax"}, {"batch", 64}}},
              {"qat", {{"epochs", 3}, {"lr", 1e-4}, {"batch", 32}}},
              {"seed", 7},
              {"threads", 2},
              {"output", {{"dir", "runs"}, {"export", false}}}};
    c.merge_patch(extra);
    const std::string path = dir + "/config.json";
    std::ofstream(path) << c.dump(2);
    return path;
}

struct Result {
    int code = -1;
    QString out, err;
};

Result runDfq(const QStringList& args, int timeoutMs = 600000) {
    QProcess p;
    p.start(kDfq, args);
    p.waitForFinished(timeoutMs);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

json readJson(const std::string& path) {
    std::ifstream f(path);
    return json::parse(f);
}

void checkManifest(const std::string& run, const std::string& protocol) {
    const json m = readJson(run + "/manifest.json");
    QCOMPARE(m.value("protocol", ""), protocol);
    QVERIFY(m.contains("placement"));
    QCOMPARE(m["placement"].value("preset", ""), std::string("gdfq"));
    QVERIFY(m["placement"]["layers"].size() > 3);   // the full per-layer spec
    QVERIFY(m.contains("quant_spec"));
    QVERIFY(m["versions"].contains("libtorch"));
    QVERIFY(m["versions"].contains("opencv"));
    QVERIFY(!m.value("cpu", "").empty());
    QVERIFY(m["config"].contains("given"));
    QVERIFY(m["config"].contains("resolved"));
}

} // namespace

class TestPipelineCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedRunResumesToTheSameResult() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const std::string tmp = dfq::testing::makeTempDir("pipeline-kill");
        RemoveOnExit cleanup{tmp};
        const std::string cfg = writeConfig(tmp);

        // Uninterrupted reference run.
        const std::string a = tmp + "/a";
        auto ra = runDfq({"run", QString::fromStdString(cfg), "--out", QString::fromStdString(a), "--json"});
        QVERIFY2(ra.code == 0, qPrintable(ra.err));
        const json resA = json::parse(ra.out.toStdString());
        QVERIFY(resA["quant_top1"].get<double>() > 10.0);
        QCOMPARE(resA["evaluation"]["quant"]["images"].get<int>(), 1000);
        // Both models are timed in one layout, so fp32/quant seconds differ by fake quantization only.
        QCOMPARE(resA["evaluation"].value("layout", ""), std::string("channels-last, BN not folded (FP32 and quantized alike)"));
        checkManifest(a, "fine-tuned");
        QVERIFY(fs::exists(a + "/report.html"));
        QVERIFY(fs::exists(a + "/plots/per-class-accuracy.svg"));
        QVERIFY(fs::exists(a + "/plots/per-class-accuracy.png"));
        QVERIFY(fs::exists(a + "/checkpoints/synthetic/tensors.pt"));
        QVERIFY(fs::exists(a + "/checkpoints/qat-epoch-003.optim"));

        // Same config, killed (SIGKILL) as soon as the first QAT epoch checkpoint appears: the
        // synthesis and calibration stages are complete, fine-tune is interrupted mid-way.
        const std::string b = tmp + "/b";
        QProcess p;
        p.start(kDfq, {"run", QString::fromStdString(cfg), "--out", QString::fromStdString(b)});
        QVERIFY(p.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        while (!fs::exists(b + "/checkpoints/qat.json") && p.state() == QProcess::Running && timer.elapsed() < 300000)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        QVERIFY2(p.state() == QProcess::Running, "the run ended before it could be killed");
        p.kill(); // SIGKILL
        p.waitForFinished();

        // Readable after the kill.
        dfq::pipeline::RunStore store = dfq::pipeline::RunStore::open(b);
        const auto st = store.state();
        QCOMPARE(st.status, std::string("running"));
        QVERIFY(st.done("synthesize"));
        QVERIFY(st.done("calibrate"));
        QVERIFY(!st.done("evaluate"));
        checkManifest(b, "fine-tuned");
        const auto metrics = dfq::pipeline::readMetrics(b + "/metrics.jsonl");
        QVERIFY(metrics.size() > 3);
        // `dfq report` reads an unfinished run too.
        auto rr = runDfq({"report", QString::fromStdString(b), "--html", QString::fromStdString(tmp + "/cmp.html")});
        QVERIFY2(rr.code == 0, qPrintable(rr.err));
        QVERIFY(rr.out.contains(QStringLiteral("running")));

        // Resume: completed stages are loaded, fine-tune continues from its epoch checkpoint.
        auto rb = runDfq({"resume", QString::fromStdString(b), "--json"});
        QVERIFY2(rb.code == 0, qPrintable(rb.err));
        QVERIFY2(rb.err.contains(QStringLiteral("synthesize (loaded from its checkpoint)")), qPrintable(rb.err));
        QVERIFY2(rb.err.contains(QStringLiteral("fine-tune resumes after epoch")), qPrintable(rb.err));
        const json resB = json::parse(rb.out.toStdString());
        QCOMPARE(resB["fp32_top1"].get<double>(), resA["fp32_top1"].get<double>());
        QCOMPARE(resB["quant_top1"].get<double>(), resA["quant_top1"].get<double>());
        QCOMPARE(resB["quant_top5"].get<double>(), resA["quant_top5"].get<double>());
        QCOMPARE(resB["evaluation"]["quant"]["per_class"], resA["evaluation"]["quant"]["per_class"]);
        QCOMPARE(store.state().status, std::string("finished"));
        QVERIFY(fs::exists(b + "/report.html"));

        // Resuming a finished run recomputes nothing and reports the same.
        auto rc = runDfq({"resume", QString::fromStdString(b), "--json"});
        QCOMPARE(rc.code, 0);
        QCOMPARE(json::parse(rc.out.toStdString())["quant_top1"], resA["quant_top1"]);
    }

    void killedDuringSynthesisResumesToTheSameResult() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const std::string tmp = dfq::testing::makeTempDir("pipeline-kill-synth");
        RemoveOnExit cleanup{tmp};
        const std::string cfg = writeConfig(tmp, {{"qat", {{"epochs", 0}}}, {"synthesis", {{"n", 256}, {"iters", 30}}}});
        const std::string a = tmp + "/a", b = tmp + "/b";
        auto ra = runDfq({"run", QString::fromStdString(cfg), "--out", QString::fromStdString(a), "--json"});
        QVERIFY2(ra.code == 0, qPrintable(ra.err));
        checkManifest(a, "calibrate-only");
        QProcess p;
        p.start(kDfq, {"run", QString::fromStdString(cfg), "--out", QString::fromStdString(b)});
        QVERIFY(p.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        // Kill after a few metrics lines: synthesis is under way, nothing is checkpointed yet.
        while (p.state() == QProcess::Running && timer.elapsed() < 300000) {
            if (fs::exists(b + "/metrics.jsonl") && dfq::pipeline::readMetrics(b + "/metrics.jsonl").size() >= 6)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        QVERIFY2(p.state() == QProcess::Running, "the run ended before it could be killed");
        p.kill();
        p.waitForFinished();
        QVERIFY(!dfq::pipeline::RunStore::open(b).state().done("synthesize"));
        auto rb = runDfq({"resume", QString::fromStdString(b), "--json"});
        QVERIFY2(rb.code == 0, qPrintable(rb.err));
        const json resA = json::parse(ra.out.toStdString()), resB = json::parse(rb.out.toStdString());
        QCOMPARE(resB["quant_top1"].get<double>(), resA["quant_top1"].get<double>());
        QCOMPARE(resB["synthesis"]["final_loss"], resA["synthesis"]["final_loss"]);
    }

    void sweepWritesTheTable() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const std::string tmp = dfq::testing::makeTempDir("pipeline-sweep");
        RemoveOnExit cleanup{tmp};
        const std::string cfg = writeConfig(tmp, {{"qat", {{"epochs", 0}}}, {"synthesis", {{"n", 64}, {"iters", 5}}},
                                                  {"data", {{"limit_per_class", 20}}}});
        const std::string sweep = tmp + "/sweep";
        auto r = runDfq({"sweep", QString::fromStdString(cfg), "--wbits", "4,6,8", "--methods", "noise,zeroq", "--out",
                      QString::fromStdString(sweep)});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        std::ifstream csv(sweep + "/results.csv");
        std::vector<std::string> lines;
        for (std::string l; std::getline(csv, l);)
            lines.push_back(l);
        QCOMPARE(int(lines.size()), 7); // header + 2 methods × 3 bit widths
        QVERIFY(lines[0].find("method") != std::string::npos && lines[0].find("quant_top1") != std::string::npos);
        QVERIFY(fs::exists(sweep + "/results.md"));
        QVERIFY(fs::exists(sweep + "/report.html"));
        for (const char* cell : {"noise-W4A4", "noise-W6A6", "noise-W8A8", "zeroq-W4A4", "zeroq-W6A6", "zeroq-W8A8"}) {
            checkManifest(sweep + "/" + cell, "calibrate-only");
            QCOMPARE(readJson(sweep + "/" + cell + "/state.json").value("status", ""), std::string("finished"));
        }
        // One synthetic set per method, reused by the other bit widths (same method, options, n, seed).
        QVERIFY(!readJson(sweep + "/zeroq-W4A4/checkpoints/synthesis.json").contains("reused_from"));
        QCOMPARE(readJson(sweep + "/zeroq-W8A8/checkpoints/synthesis.json").value("reused_from", ""), sweep + "/zeroq-W4A4");
        // W8A8 stays close to FP32.
        const json w8 = readJson(sweep + "/zeroq-W8A8/results.json");
        QVERIFY(w8["quant_top1"].get<double>() > w8["fp32_top1"].get<double>() - 3);
    }

    void terminateCancelsAndBudgetStops() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const std::string tmp = dfq::testing::makeTempDir("pipeline-cancel");
        RemoveOnExit cleanup{tmp};
        const std::string cfg = writeConfig(tmp, {{"qat", {{"epochs", 0}}}, {"synthesis", {{"n", 256}, {"iters", 200}}}});
        // SIGTERM (as Ctrl-C) cancels between steps: state "cancelled", exit code 130, resumable.
        const std::string a = tmp + "/a";
        QProcess p;
        p.start(kDfq, {"run", QString::fromStdString(cfg), "--out", QString::fromStdString(a)});
        QVERIFY(p.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        while (p.state() == QProcess::Running && timer.elapsed() < 300000) {
            if (fs::exists(a + "/metrics.jsonl") && dfq::pipeline::readMetrics(a + "/metrics.jsonl").size() >= 4)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        p.terminate();
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 130);
        const auto st = dfq::pipeline::RunStore::open(a).state();
        QCOMPARE(st.status, std::string("cancelled"));
        QCOMPARE(st.current, std::string("synthesize"));

        // A time budget stops the run as failed, naming the stage.
        auto r = runDfq({"run", QString::fromStdString(cfg), "--set", "budget.max_seconds=0.5", "--out",
                         QString::fromStdString(tmp + "/b")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("budget.max_seconds (0.5 s) exceeded during stage synthesize")), qPrintable(r.err));
        const auto sb = dfq::pipeline::RunStore::open(tmp + "/b").state();
        QCOMPARE(sb.status, std::string("failed"));
        QVERIFY(sb.message.find("budget.max_seconds") != std::string::npos);
    }

    // `dfq quantize` runs the pipeline's stages in memory: on the synthetic set of a `dfq run`, with the
    // same bits, placement, PTQ method and batch, it calibrates to the same grids (min-max ranges do not
    // depend on the seed) and its --out holds the export files plus result.json.
    void quantizeRunsTheSameStagesAsRun() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const std::string tmp = dfq::testing::makeTempDir("pipeline-quantize");
        RemoveOnExit cleanup{tmp};
        const std::string cfg = writeConfig(tmp, {{"qat", {{"epochs", 0}}}, {"synthesis", {{"n", 64}, {"iters", 5}}},
                                                  {"data", {{"test", "none"}}}, {"output", {{"export", true}}}});
        const std::string a = tmp + "/a", q = tmp + "/q";
        auto ra = runDfq({"run", QString::fromStdString(cfg), "--out", QString::fromStdString(a), "--json"});
        QVERIFY2(ra.code == 0, qPrintable(ra.err));
        auto rq = runDfq({"quantize", "--model", QString::fromStdString(dfq::runtime::defaultModelPath()), "--calib",
                          QString::fromStdString("synth:" + a + "/checkpoints/synthetic"), "--calib-n", "64", "--wbits", "4",
                          "--abits", "4", "--ptq", "minmax", "--batch", "64", "--threads", "2", "--out",
                          QString::fromStdString(q), "--json"});
        QVERIFY2(rq.code == 0, qPrintable(rq.err));
        const json jq = json::parse(rq.out.toStdString());
        QCOMPARE(jq["calibration_images"].get<int>(), 64);
        QCOMPARE(jq.value("label", ""), std::string("W4A4 gdfq"));
        QCOMPARE(jq.value("protocol", ""), std::string("calibrate-only"));
        QVERIFY(jq["fp32_top1"].is_null()); // no --test
        QVERIFY(jq["calibration"].get<std::string>().find("synthetic set") == 0);
        for (const char* f : {"quant.json", "weights.bin", "fakequant.pt", "fakequant.torchscript.pt", "model.onnx", "result.json"})
            QVERIFY2(fs::exists(q + "/" + f), f);
        QCOMPARE(readJson(q + "/result.json")["quantization"], jq["quantization"]);
        QCOMPARE(readJson(q + "/quant.json"), readJson(a + "/export/quant.json"));
        auto bytes = [](const std::string& path) {
            std::ifstream f(path, std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(f), {});
        };
        QVERIFY(!bytes(q + "/weights.bin").empty());
        QCOMPARE(bytes(q + "/weights.bin"), bytes(a + "/export/weights.bin"));
        QVERIFY(!fs::exists(q + "/checkpoints")); // in memory: no run directory

        // A bad flag is named as the flag.
        auto rb = runDfq({"quantize", "--model", QString::fromStdString(dfq::runtime::defaultModelPath()), "--calib",
                          QString::fromStdString("real:" + tmp + "/missing"), "--wbits", "4", "--abits", "4"});
        QCOMPARE(rb.code, 1);
        QVERIFY2(rb.err.contains(QStringLiteral("--calib: cannot read")), qPrintable(rb.err));
    }

    // data.calibration replaces synthesis by a given set (stage calibration-set) and quant.mp_avg_bits
    // chooses per-layer weight bits at calibrate; a resume that restores calibrate rebuilds the model
    // with the mixed-precision spec of its checkpoint and exports the same grids.
    void calibrationSetAndMixedPrecisionResume() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const std::string tmp = dfq::testing::makeTempDir("pipeline-calibset");
        RemoveOnExit cleanup{tmp};
        const std::string cfg = writeConfig(tmp, {{"qat", {{"epochs", 0}}}, {"synthesis", {{"n", 64}}},
                                                  {"data", {{"test", "none"}, {"calibration", "noise"}}},
                                                  {"quant", {{"mp_avg_bits", 4}}}, {"output", {{"export", true}}}});
        const std::string a = tmp + "/a";
        auto ra = runDfq({"run", QString::fromStdString(cfg), "--out", QString::fromStdString(a), "--json"});
        QVERIFY2(ra.code == 0, qPrintable(ra.err));
        const json res = json::parse(ra.out.toStdString());
        QCOMPARE(res["calibration_set"]["images"].get<int>(), 64);
        QVERIFY(!res.contains("synthesis"));
        QVERIFY(res["calibration"].contains("mixed_precision"));
        std::set<int> bits;
        for (const auto& l : res["calibration"]["mixed_precision"]["layers"])
            bits.insert(l["bits"].get<int>());
        QVERIFY(!bits.empty());
        for (int b : bits)
            QVERIFY2(b == 2 || b == 4 || b == 8, qPrintable(QString::number(b)));
        const json m = readJson(a + "/manifest.json");
        QCOMPARE(m["quant_spec"], res["calibration"]["quant_spec"]);
        const json exported = readJson(a + "/export/quant.json");

        // As if killed during export: calibrate restores from its checkpoint, export runs again.
        json st = readJson(a + "/state.json");
        st["status"] = "running";
        st["completed"] = json::array({"load", "calibration-set", "calibrate"});
        std::ofstream(a + "/state.json") << st.dump();
        fs::remove(a + "/results.json");
        fs::remove_all(a + "/export");
        auto rb = runDfq({"resume", QString::fromStdString(a), "--json"});
        QVERIFY2(rb.code == 0, qPrintable(rb.err));
        QVERIFY2(rb.err.contains(QStringLiteral("calibrate (loaded from its checkpoint)")), qPrintable(rb.err));
        QCOMPARE(readJson(a + "/export/quant.json"), exported);
        QCOMPARE(json::parse(rb.out.toStdString())["calibration"], res["calibration"]);
    }

    // `dfq synth --method gdfq` trains the generator alone (no student) and exports a class-balanced
    // synthetic set that another calibration can use; generator methods refuse --data.
    void generatorSynthExportsACalibrationSet() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        const std::string tmp = dfq::testing::makeTempDir("pipeline-gensynth");
        RemoveOnExit cleanup{tmp};
        const QString out = QString::fromStdString(tmp + "/gdfq-set");
        auto r = runDfq({"synth", "--method", "gdfq", "--epochs", "2", "--iters", "3", "--batch", "8", "--n", "20",
                         "--options", R"({"warmup_epochs":1,"range_epochs":1,"lr_milestones":"","generator_width":16,"latent_dim":16,"probe_per_class":2})",
                         "--seed", "4", "--threads", "2", "--out", out, "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const json j = json::parse(r.out.toStdString());
        QCOMPARE(j.value("method", ""), std::string("gdfq"));
        QCOMPARE(j["n"].get<int>(), 20);
        QCOMPARE(j["options"]["epochs"].get<int>(), 2);
        QCOMPARE(j["options"]["iters_per_epoch"].get<int>(), 3);
        QCOMPARE(j["class_counts"], json(std::vector<int>(10, 2)));
        QVERIFY(fs::exists(tmp + "/gdfq-set/manifest.json"));
        auto rq = runDfq({"quantize", "--model", QString::fromStdString(dfq::runtime::defaultModelPath()), "--calib",
                          "synth:" + out, "--calib-n", "20", "--wbits", "8", "--abits", "8", "--ptq", "minmax",
                          "--threads", "2", "--json"});
        QVERIFY2(rq.code == 0, qPrintable(rq.err));
        QCOMPARE(json::parse(rq.out.toStdString())["calibration_images"].get<int>(), 20);

        auto rd = runDfq({"synth", "--method", "gdfq", "--data", QString::fromStdString(tmp), "--out",
                          QString::fromStdString(tmp + "/x")});
        QCOMPARE(rd.code, 1);
        QVERIFY2(rd.err.contains(QStringLiteral("--data is for --method real")), qPrintable(rd.err));
    }

    // A generator method runs the generative stage in place of synthesize + calibrate + fine-tune: its
    // result is the final model (protocol generator-trained) with per-epoch curves; the last epoch's
    // checkpoint alone is kept, and a run interrupted after it resumes from it to the same model.
    void generativeRunKeepsItsLastEpochAndResumes() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const std::string tmp = dfq::testing::makeTempDir("pipeline-gdfq");
        RemoveOnExit cleanup{tmp};
        const json options = {{"epochs", 3}, {"warmup_epochs", 1}, {"range_epochs", 1}, {"lr_milestones", "2"},
                              {"probe_per_class", 2}, {"latent_dim", 16}, {"generator_width", 16}};
        const std::string cfg = writeConfig(tmp, {{"qat", {{"epochs", 0}}},
                                                  {"synthesis", {{"method", "gdfq"}, {"batch", 8}, {"iters", 2}, {"options", options}}},
                                                  {"data", {{"limit_per_class", 20}}}, {"output", {{"export", true}}}});
        const std::string a = tmp + "/a";
        auto ra = runDfq({"run", QString::fromStdString(cfg), "--out", QString::fromStdString(a), "--json"});
        QVERIFY2(ra.code == 0, qPrintable(ra.err));
        const json res = json::parse(ra.out.toStdString());
        QCOMPARE(res.value("protocol", ""), std::string("generator-trained"));
        QVERIFY(!res.contains("synthesis") && !res.contains("calibration") && !res.contains("fine_tune"));
        QCOMPARE(res["generative"]["epochs"].get<int>(), 3);
        QCOMPARE(res["generative"]["iterations"].get<int>(), 6);
        QCOMPARE(res["generative"]["curves"].size(), size_t(3));
        QVERIFY(res["generative"]["curves"][2]["student_top1_subset"].is_number());
        QVERIFY(res["generative"]["curves"][2].contains("loss_s_kd"));
        QVERIFY(res["quant_top1"].is_number());
        QVERIFY(fs::exists(a + "/checkpoints/generative-epoch-003.trainer"));
        QVERIFY(!fs::exists(a + "/checkpoints/generative-epoch-001.trainer"));
        QVERIFY(fs::exists(a + "/export/quant.json"));
        checkManifest(a, "generator-trained");
        const json exported = readJson(a + "/export/quant.json");

        // As if killed after the last epoch's checkpoint, before the stage was marked completed.
        json st = readJson(a + "/state.json");
        st["status"] = "running";
        st["completed"] = json::array({"load"});
        std::ofstream(a + "/state.json") << st.dump();
        for (const char* f : {"/results.json", "/checkpoints/quantized-generative.pt", "/checkpoints/generative-result.json"})
            fs::remove(a + f);
        fs::remove_all(a + "/export");
        auto rb = runDfq({"resume", QString::fromStdString(a), "--json"});
        QVERIFY2(rb.code == 0, qPrintable(rb.err));
        const json rr = json::parse(rb.out.toStdString());
        QCOMPARE(rr["generative"]["resumed_at_epoch"].get<int>(), 3);
        QCOMPARE(rr["quant_top1"], res["quant_top1"]);
        QCOMPARE(readJson(a + "/export/quant.json"), exported);

        // The generative stage trains the student itself: a fine-tune on top is a configuration error.
        auto rc = runDfq({"run", QString::fromStdString(cfg), "--set", "qat.epochs=2", "--out", QString::fromStdString(tmp + "/c")});
        QCOMPARE(rc.code, 1);
        QVERIFY2(rc.err.contains(QStringLiteral("qat.epochs")), qPrintable(rc.err));

        // Test data with more classes than the classifier: a clear error naming the folder, no crash.
        const std::string eleven = tmp + "/eleven";
        for (int k = 0; k < 11; ++k) {
            const std::string dir = eleven + "/class" + std::to_string(10 + k);
            fs::create_directories(dir);
            QVERIFY(cv::imwrite(dir + "/0.png", cv::Mat(28, 28, CV_8UC1, cv::Scalar(20 * k))));
        }
        auto rd = runDfq({"run", QString::fromStdString(cfg), "--set", QString::fromStdString("data.test=" + eleven),
                          "--out", QString::fromStdString(tmp + "/d")});
        QCOMPARE(rd.code, 1);
        QVERIFY2(rd.err.contains(QStringLiteral("11 classes")) && rd.err.contains(QString::fromStdString(eleven)),
                 qPrintable(rd.err));
    }

    void badConfigIsAClearErrorAndWritesNothing() {
        const std::string tmp = dfq::testing::makeTempDir("pipeline-bad");
        RemoveOnExit cleanup{tmp};
        const std::string cfg = writeConfig(tmp, {{"quant", {{"wbits", 9}}}, {"synthesis", {{"methd", "x"}}}});
        auto r = runDfq({"run", QString::fromStdString(cfg), "--out", QString::fromStdString(tmp + "/run")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("quant.wbits: 9 is outside 2–8")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("synthesis.methd: unknown key (did you mean 'method'?)")), qPrintable(r.err));
        QVERIFY(!fs::exists(tmp + "/run"));
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        auto s = runDfq({"run", QString::fromStdString(writeConfig(tmp)), "--set", "quant.layers.layer9.conv1.wbits=4", "--out",
                      QString::fromStdString(tmp + "/run")});
        QCOMPARE(s.code, 1);
        QVERIFY2(s.err.contains(QStringLiteral("quant.layers.layer9.conv1: the model (fmnist_resnet8) has no layer")), qPrintable(s.err));
        QVERIFY(!fs::exists(tmp + "/run"));
    }
};

QTEST_GUILESS_MAIN(TestPipelineCli)
#include "tst_pipelinecli.moc"
