// `dfq eval --json` end to end against the PyTorch + PIL reference accuracies (../shared), and the
// embedded default model on Fashion-MNIST.
#include "runtime/Resources.h"
#include "support/SharedData.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest/QtTest>

#include <filesystem>

namespace {

QJsonObject runEval(const QStringList& args, QString* errOut = nullptr, int* exitCode = nullptr) {
    QProcess p;
    p.start(QStringLiteral(DFQ_BINARY_DIR "/app/cli/dfq"), QStringList{QStringLiteral("eval")} + args);
    p.waitForFinished(600000);
    if (errOut)
        *errOut = QString::fromUtf8(p.readAllStandardError());
    if (exitCode)
        *exitCode = p.exitCode();
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

} // namespace

class TestEvalCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resnet20LegacyMatchesPyTorch() {
        DFQ_REQUIRE_SHARED(model, "models/cifar10/resnet20-12fca82f.th");
        DFQ_REQUIRE_SHARED(data, "data/cifar10-jpeg/test");
        const auto j = runEval({"--model", QString::fromStdString(model), "--data", QString::fromStdString(data), "--json"});
        QCOMPARE(j.value("images").toInt(), 10000);
        QVERIFY2(std::abs(j.value("top1").toDouble() - 81.03) <= 0.3, qPrintable(QString::number(j.value("top1").toDouble())));
        QVERIFY(j.value("top5").toDouble() > j.value("top1").toDouble());
        QCOMPARE(j.value("arch").toString(), QStringLiteral("resnet20"));
    }

    void resnet32ZipMatchesPyTorch() {
        DFQ_REQUIRE_SHARED(model, "models/cifar10/resnet32.pt");
        DFQ_REQUIRE_SHARED(data, "data/cifar10-jpeg/test");
        const auto j = runEval({"--model", QString::fromStdString(model), "--data", QString::fromStdString(data),
                                "--json", "--threads", "2"});
        QVERIFY2(std::abs(j.value("top1").toDouble() - 82.56) <= 0.3, qPrintable(QString::number(j.value("top1").toDouble())));
        QCOMPARE(j.value("arch").toString(), QStringLiteral("resnet32"));
        QCOMPARE(j.value("per_class").toObject().size(), 10);
        // Opening (decoding the 10,000 JPEGs) is timed apart from inference; end to end is both.
        QCOMPARE(j.value("threads").toInt(), 2);
        QVERIFY(j.value("data_open_seconds").toDouble() > 0);
        QCOMPARE(j.value("end_to_end_seconds").toDouble(),
                 j.value("data_open_seconds").toDouble() + j.value("seconds").toDouble());
        QVERIFY(j.value("end_to_end_images_per_second").toDouble() < j.value("images_per_second").toDouble());
    }

    void embeddedDefaultReachesTarget() {
        DFQ_REQUIRE_EMBEDDED_MODEL();
        DFQ_REQUIRE_FASHION_MNIST();
        const auto j = runEval({"--json"});
        QCOMPARE(j.value("images").toInt(), 10000);
        QVERIFY2(j.value("top1").toDouble() >= 92.0, qPrintable(QString::number(j.value("top1").toDouble())));
    }

    void badCheckpointIsAClearError() {
        const std::string dir = dfq::testing::makeTempDir("evalcli");
        const std::string bad = dir + "/truncated.pt";
        std::FILE* f = std::fopen(bad.c_str(), "wb");
        std::fputs("PK\003\004garbage", f);
        std::fclose(f);
        QString err;
        int code = 0;
        runEval({"--model", QString::fromStdString(bad), "--json"}, &err, &code);
        QCOMPARE(code, 1);
        QVERIFY2(err.contains(QString::fromStdString(bad)), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestEvalCli)
#include "tst_evalcli.moc"
