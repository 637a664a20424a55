// dfq export / dfq verify-onnx end to end: a quantized export (dfq quantize --out, which writes
// model.onnx itself) exported again and checked in ONNX Runtime; a run directory resolves to its
// export/; bad input is a clear error naming the path; an FP32 export needs no quantized model.
#include "runtime/Resources.h"
#include "support/SharedData.h"

#include <QProcess>
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const QString kDfq = QStringLiteral(DFQ_BINARY_DIR "/app/cli/dfq");

struct Result {
    int code = -1;
    QString out, err;
};

Result runDfq(const QStringList& args) {
    QProcess p;
    p.start(kDfq, args);
    p.waitForFinished(600000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString q(const std::string& s) { return QString::fromStdString(s); }

bool runtimeInstalled() {
    const std::string script = dfq::runtime::resourcePath("ort/run-model.cjs");
    return !script.empty() && fs::exists(fs::path(script).parent_path() / "node_modules" / "onnxruntime-node");
}

bool required() {
    const char* v = std::getenv("CI");
    return v && (std::string(v) == "true" || std::string(v) == "1" || std::string(v) == "yes");
}

} // namespace

class TestOnnxCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exportAndVerify() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        if (!runtimeInstalled()) {
            if (required())
                QFAIL("ONNX Runtime is not installed (bash scripts/setup-onnxruntime.sh); required under CI");
            QSKIP("ONNX Runtime is not installed: bash scripts/setup-onnxruntime.sh installs it");
        }
        const std::string tmp = dfq::testing::makeTempDir("onnx-cli");
        dfq::testing::RemoveOnExit cleanup{tmp};
        const std::string qdir = tmp + "/q8";
        auto r = runDfq({"quantize", "--model", q(dfq::runtime::defaultModelPath()), "--calib", q("real:" + dfq::runtime::defaultDataPath()), "--calib-n", "64", "--wbits",
                         "8", "--abits", "8", "--preset", "all-inputs", "--fold-bn", "--threads", "1", "--out", q(qdir), "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(fs::exists(qdir + "/model.onnx"));   // the export stage wrote it
        r = runDfq({"export", "--quantized", q(qdir), "--out", q(tmp + "/x.onnx"), "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const json e = json::parse(r.out.toStdString());
        QCOMPARE(e.at("label").get<std::string>(), std::string("W8A8 all-inputs folded-BN"));
        QCOMPARE(e.at("quantized_weights").get<int>(), 8);
        // The two files are the same graph (the export stage and dfq export write the same bytes
        // apart from the recorded source paths): both verify.
        for (const std::string file : {tmp + "/x.onnx", qdir + "/model.onnx"}) {
            r = runDfq({"verify-onnx", q(file), "--limit", "500", "--threads", "1", "--report", q(tmp + "/report.json"), "--json"});
            QVERIFY2(r.code == 0, qPrintable(r.err));
            const json v = json::parse(r.out.toStdString());
            QCOMPARE(v.at("images").get<int>(), 500);
            QVERIFY2(std::abs(v.at("top1_difference").get<double>()) <= 1.0, r.out.toUtf8().constData());
            QVERIFY(v.at("prediction_agreement").get<double>() >= 98.0);
            QVERIFY(v.at("optimized_graph").at("integer_convs").get<int>() > 0);
            QVERIFY(fs::exists(tmp + "/report.json"));
        }
        // FP32: no --quantized.
        r = runDfq({"export", "--out", q(tmp + "/fp32.onnx")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("FP32"));
    }

    void badInput() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        const std::string tmp = dfq::testing::makeTempDir("onnx-cli-bad");
        dfq::testing::RemoveOnExit cleanup{tmp};
        fs::create_directories(tmp + "/empty");
        auto r = runDfq({"export", "--quantized", q(tmp + "/empty"), "--out", q(tmp + "/x.onnx")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("neither a quantized export") && r.err.contains(q(tmp + "/empty")), qPrintable(r.err));
        // A run directory that never reached its export stage.
        fs::create_directories(tmp + "/run");
        std::ofstream(tmp + "/run/manifest.json") << "{}";
        r = runDfq({"export", "--quantized", q(tmp + "/run"), "--out", q(tmp + "/x.onnx")});
        QVERIFY2(r.code == 1 && r.err.contains("has no quantized export"), qPrintable(r.err));
        // An output that cannot be written.
        std::ofstream(tmp + "/file") << "x";
        r = runDfq({"export", "--out", q(tmp + "/file/x.onnx")});
        QVERIFY2(r.code == 1 && r.err.contains("cannot write the ONNX file"), qPrintable(r.err));
        QVERIFY(!fs::exists(tmp + "/x.onnx"));
        // Not an ONNX file.
        std::ofstream(tmp + "/bad.onnx") << "not onnx";
        r = runDfq({"verify-onnx", q(tmp + "/bad.onnx")});
        QVERIFY2(r.code == 1 && r.err.contains("is not an ONNX model"), qPrintable(r.err));
        r = runDfq({"export", "--format", "tflite", "--out", q(tmp + "/x.tflite")});
        QVERIFY2(r.code == 1 && r.err.contains("tflite"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestOnnxCli)
#include "tst_onnxcli.moc"
