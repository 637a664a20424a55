// RunHistory: a run directory written by hand (manifest, state, metrics with stage markers, a null,
// a half-written last line, snapshots) reads back as exactly these series; a newer format, a
// manifest from elsewhere and a folder that is not a run are refused with the file named.
#include "pipeline/PipelineError.h"
#include "pipeline/RunHistory.h"
#include "support/SharedData.h"

#include <QtTest/QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace dfq::pipeline;

namespace {
void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

const char* kManifest = R"({"format": "dfq-run-1", "created": "2026-12-04T02:00:00Z", "protocol": "fine-tuned",
  "placement": {"preset": "gdfq", "label": "W4A4 gdfq"},
  "config": {"resolved": {"synthesis": {"method": "zeroq"}, "ptq": {"method": "minmax"},
                          "quant": {"wbits": 4, "abits": 4}}}})";

/// An interrupted run: synthesis and calibration done, fine-tuning killed mid-line.
fs::path interruptedRun() {
    const fs::path dir = dfq::testing::makeTempDir("runhistory");
    write(dir / "manifest.json", kManifest);
    write(dir / "state.json", R"({"status": "running", "completed": ["load", "synthesize", "calibrate"],
        "current": "fine-tune", "message": "", "seconds": {"load": 0.5, "synthesize": 12.25, "calibrate": 3.0}})");
    write(dir / "metrics.jsonl",
          "{\"event\": \"stage-start\", \"stage\": \"synthesize\"}\n"
          "{\"stage\": \"synthesize\", \"step\": 1, \"loss_bns\": 4.0, \"loss_total\": 5.0}\n"
          "{\"stage\": \"synthesize\", \"step\": 10, \"loss_bns\": 2.5, \"loss_total\": null}\n"
          "{\"event\": \"stage-end\", \"stage\": \"synthesize\", \"seconds\": 12.25}\n"
          "{\"stage\": \"calibrate\", \"unit\": \"conv1\", \"iteration\": 0, \"loss_rec\": 0.5, \"loss_reg\": 0.1}\n"
          "{\"stage\": \"calibrate\", \"unit\": \"conv2\", \"iteration\": 0, \"loss_rec\": 0.25, \"loss_reg\": 0.05}\n"
          "{\"stage\": \"fine-tune\", \"step\": 1, \"epoch\": 1, \"loss\": 0.75}\n"
          "{\"stage\": \"fine-tune\", \"step\": 2, \"ep");   // killed while writing
    write(dir / "snapshots/batch000-step000010.png", "png");
    write(dir / "snapshots/batch000-step000001.png", "png");
    write(dir / "snapshots/notes.txt", "not a snapshot");
    return dir;
}

const MetricSeries* find(const RunHistory& h, const std::string& stage, const std::string& name) {
    for (const auto& s : h.series)
        if (s.stage == stage && s.name == name)
            return &s;
    return nullptr;
}

template <class F>
QString errorOf(F f) {
    try {
        f();
    } catch (const PipelineError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}
} // namespace

class TestRunHistory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsAnInterruptedRun() {
        const fs::path dir = interruptedRun();
        const RunHistory h = readRunHistory(dir.string());
        QCOMPARE(QString::fromStdString(h.summary.status), QStringLiteral("running"));
        QVERIFY(h.resumable());
        QCOMPARE(QString::fromStdString(h.summary.method), QStringLiteral("zeroq"));
        QCOMPARE(h.summary.wbits, 4);
        QVERIFY(h.results.is_null());
        QVERIFY(h.metricsTruncated);
        QCOMPARE(h.stageSeconds.size(), size_t(3));
        QCOMPARE(h.stageSeconds[1].second, 12.25);

        const auto* bns = find(h, "synthesize", "loss_bns");
        QVERIFY(bns);
        QCOMPARE(QString::fromStdString(bns->xKey), QStringLiteral("step"));
        QCOMPARE(bns->x, (std::vector<double>{1, 10}));
        QCOMPARE(bns->y, (std::vector<double>{4.0, 2.5}));
        const auto* total = find(h, "synthesize", "loss_total");
        QCOMPARE(total->y[0], 5.0);
        QVERIFY(std::isnan(total->y[1]));   // recorded as null: a gap, not a zero
        // calibrate: iterations restart per unit, so x counts lines.
        const auto* rec = find(h, "calibrate", "loss_rec");
        QCOMPARE(rec->x, (std::vector<double>{1, 2}));
        QCOMPARE(rec->y, (std::vector<double>{0.5, 0.25}));
        const auto* ft = find(h, "fine-tune", "loss");
        QCOMPARE(ft->x, std::vector<double>{1});   // the cut-off line is not read
        QVERIFY(!find(h, "synthesize", "seconds"));   // stage markers are not series
        QCOMPARE(h.series.size(), size_t(5));
        QCOMPARE(h.snapshots, (std::vector<std::string>{"snapshots/batch000-step000001.png", "snapshots/batch000-step000010.png"}));
        fs::remove_all(dir);
    }

    void finishedRunHasResults() {
        const fs::path dir = interruptedRun();
        write(dir / "state.json", R"({"status": "finished", "completed": ["load"], "seconds": {"load": 1}})");
        write(dir / "results.json", R"({"fp32_top1": 94.0, "quant_top1": 91.5})");
        const RunHistory h = readRunHistory(dir.string());
        QVERIFY(!h.resumable());
        QCOMPARE(h.results["quant_top1"].get<double>(), 91.5);
        QCOMPARE(h.summary.quantTop1, 91.5);
        fs::remove_all(dir);
    }

    void refusesWhatItCannotRead() {
        const fs::path dir = interruptedRun();
        write(dir / "manifest.json", R"({"format": "dfq-run-2", "config": {}})");
        QString e = errorOf([&] { readRunHistory(dir.string()); });
        QVERIFY2(e.contains(QStringLiteral("manifest.json")) && e.contains(QStringLiteral("dfq-run-2")) &&
                     e.contains(QStringLiteral("newer")), qPrintable(e));
        write(dir / "manifest.json", R"({"format": "dfq-run-1", "config": {"resolved": {"synthesis": {}}}})");
        e = errorOf([&] { readRunHistory(dir.string()); });
        QVERIFY2(e.contains(QStringLiteral("config.resolved.ptq")), qPrintable(e));
        write(dir / "manifest.json", "{\"format\": \"dfq-r");   // half-written
        e = errorOf([&] { readRunHistory(dir.string()); });
        QVERIFY2(e.contains(QStringLiteral("manifest.json")) && e.contains(QStringLiteral("not valid JSON")), qPrintable(e));
        fs::remove(dir / "state.json");
        e = errorOf([&] { readRunHistory(dir.string()); });
        QVERIFY2(e.contains(QStringLiteral("not a run directory")), qPrintable(e));
        e = errorOf([&] { readRunHistory((dir / "nope").string()); });
        QVERIFY2(e.contains(QStringLiteral("no such directory")), qPrintable(e));
        // A corrupt line that is not the last is an error, not silently skipped.
        const fs::path dir2 = interruptedRun();
        write(dir2 / "metrics.jsonl", "{\"stage\": \"x\", \"step\": 1, \"a\": 1}\n{broken\n{\"stage\": \"x\", \"step\": 2, \"a\": 2}\n");
        e = errorOf([&] { readRunHistory(dir2.string()); });
        QVERIFY2(e.contains(QStringLiteral("metrics.jsonl")) && e.contains(QStringLiteral("line 2")), qPrintable(e));
        fs::remove_all(dir);
        fs::remove_all(dir2);
    }
};

QTEST_APPLESS_MAIN(TestRunHistory)
#include "tst_runhistory.moc"
