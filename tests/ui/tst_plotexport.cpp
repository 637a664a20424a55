// PlotExport: a plot as PNG (decodes, at 2× its size), SVG and PDF (well-formed headers, the series'
// names inside the SVG), and its data as long-format CSV with RFC 4180 quoting, byte for byte.
#include "PlotExport.h"
#include "QCustomPlotInclude.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <limits>

using namespace dfq::ui;

namespace {
QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Two runs' loss curves and a bar chart.
void fill(QCustomPlot& plot) {
    plot.addGraph()->setName(QStringLiteral("loss — run 1"));
    plot.graph(0)->setData({0, 1, 2}, {3.5, 2.25, 1.0});
    plot.addGraph()->setName(QStringLiteral("loss — run 2"));
    plot.graph(1)->setData({0, 1}, {4.0, std::numeric_limits<double>::quiet_NaN()});
    auto* bars = new QCPBars(plot.xAxis, plot.yAxis);
    bars->setName(QStringLiteral("KL, per layer"));
    bars->setData({1, 2}, {0.5, 0.125});
    plot.rescaleAxes();
}
} // namespace

class TestPlotExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formatFromSuffix() {
        QCOMPARE(plotFormatOf(QStringLiteral("a/b.SVG")), PlotFormat::Svg);
        QCOMPARE(plotFormatOf(QStringLiteral("x.pdf")), PlotFormat::Pdf);
        QCOMPARE(plotFormatOf(QStringLiteral("x.csv")), PlotFormat::Csv);
        QCOMPARE(plotFormatOf(QStringLiteral("x.png")), PlotFormat::Png);
        QCOMPARE(plotFormatOf(QStringLiteral("x")), PlotFormat::Png);
    }

    void seriesOfAPlotSplitRunFromName() {
        QCustomPlot plot;
        fill(plot);
        const auto s = seriesOfPlot(&plot);
        QCOMPARE(s.size(), 3);
        QCOMPARE(s[0].run, QStringLiteral("run 1"));
        QCOMPARE(s[0].name, QStringLiteral("loss"));
        QCOMPARE(s[0].y, (QVector<double>{3.5, 2.25, 1.0}));
        QCOMPARE(s[1].run, QStringLiteral("run 2"));
        QCOMPARE(s[2].run, QString());
        QCOMPARE(s[2].name, QStringLiteral("KL, per layer"));
        QCOMPARE(s[2].x, (QVector<double>{1, 2}));
    }

    void csvIsLongFormatAndQuoted() {
        QCustomPlot plot;
        fill(plot);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("loss.csv"));
        const ExportResult r = exportPlot(&plot, path);
        QVERIFY2(r.ok, qPrintable(r.error));
        const QByteArray want = "run,series,x,y\r\n"
                                "run 1,loss,0,3.5\r\nrun 1,loss,1,2.25\r\nrun 1,loss,2,1\r\n"
                                "run 2,loss,0,4\r\nrun 2,loss,1,\r\n"
                                ",\"KL, per layer\",1,0.5\r\n,\"KL, per layer\",2,0.125\r\n";
        QCOMPARE(readAll(path), want);
        // Quotes double; a newline is quoted; x and y read back exactly.
        const QByteArray q = seriesCsv({{QStringLiteral("a\"b"), QStringLiteral("two\nlines"), {0.1}, {1.0 / 3}}});
        QCOMPARE(q, QByteArray("run,series,x,y\r\n\"a\"\"b\",\"two\nlines\",0.10000000000000001,0.33333333333333331\r\n"));
    }

    void pictureFormats() {
        QCustomPlot plot;
        fill(plot);
        plot.resize(320, 200);
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("p.png")), svg = dir.filePath(QStringLiteral("p.svg")),
                      pdf = dir.filePath(QStringLiteral("p.pdf"));
        for (const QString& p : {png, svg, pdf}) {
            const ExportResult r = exportPlot(&plot, p, 320, 200);
            QVERIFY2(r.ok, qPrintable(r.error));
        }
        const QImage image(png);
        QCOMPARE(image.size(), QSize(640, 400));   // rendered at 2× for high-DPI
        const QByteArray svgText = readAll(svg);
        QVERIFY(svgText.startsWith("<?xml"));
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("viewBox=\"0 0 320 200\""));
        QVERIFY(readAll(pdf).startsWith("%PDF-"));
    }

    void unwritablePathIsAClearErrorAndLeavesNothing() {
        QCustomPlot plot;
        fill(plot);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("no/such/folder/p.png"));
        const ExportResult r = exportPlot(&plot, path, 100, 100);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("p.png")), qPrintable(r.error));
        QVERIFY(!QFile::exists(path));
        // An existing file survives a failed CSV write into a folder that cannot take it.
        const QString good = dir.filePath(QStringLiteral("keep.csv"));
        QVERIFY(exportSeriesCsv({{QString(), QStringLiteral("a"), {1}, {2}}}, good).ok);
        const QByteArray before = readAll(good);
        QVERIFY(!exportSeriesCsv({}, dir.filePath(QStringLiteral("no/keep.csv"))).ok);
        QCOMPARE(readAll(good), before);
    }
};

QTEST_MAIN(TestPlotExport)
#include "tst_plotexport.moc"
