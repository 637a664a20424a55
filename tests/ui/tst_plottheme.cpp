// PlotTheme: the dark palette is dark and readable (text contrasts with its background), and a theme
// reaches the plots: their background, axes, labels, legend and titles take the palette's colours.
#include "PlotTheme.h"
#include "QCustomPlotInclude.h"

#include <QApplication>
#include <QVBoxLayout>
#include <QtTest/QtTest>

using namespace dfq::ui;

class TestPlotTheme : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void darkIsDarkAndReadable() {
        const QPalette dark = themePalette(Theme::Dark);
        QVERIFY(dark.color(QPalette::Window).lightness() < 80);
        QVERIFY(dark.color(QPalette::Base).lightness() < 80);
        QVERIFY(dark.color(QPalette::Text).lightness() - dark.color(QPalette::Base).lightness() > 150);
        QVERIFY(dark.color(QPalette::WindowText).lightness() - dark.color(QPalette::Window).lightness() > 150);
        const QPalette light = themePalette(Theme::Light);
        QCOMPARE(light.color(QPalette::Base), QColor(Qt::white));
        QVERIFY(light.color(QPalette::Text).lightness() < 60);
    }

    void themeReachesEveryPlot() {
        QWidget root;
        auto* layout = new QVBoxLayout(&root);
        auto* a = new QCustomPlot;
        auto* b = new QCustomPlot;
        b->plotLayout()->insertRow(0);
        auto* title = new QCPTextElement(b, QStringLiteral("BN divergence"));
        b->plotLayout()->addElement(0, 0, title);
        b->legend->setVisible(true);
        layout->addWidget(a);
        layout->addWidget(b);
        applyTheme(Theme::Dark, &root);
        const QPalette p = QApplication::palette();
        QVERIFY(p.color(QPalette::Window).lightness() < 80);
        for (QCustomPlot* plot : {a, b}) {
            QCOMPARE(plot->axisRect()->backgroundBrush().color(), p.color(QPalette::Base));
            QCOMPARE(plot->xAxis->tickLabelColor(), p.color(QPalette::Text));
            QCOMPARE(plot->yAxis->labelColor(), p.color(QPalette::Text));
            QCOMPARE(plot->xAxis->basePen().color(), p.color(QPalette::Text));
        }
        QCOMPARE(title->textColor(), p.color(QPalette::Text));
        QCOMPARE(b->legend->textColor(), p.color(QPalette::Text));
        // And back: the light theme re-themes the same plots.
        applyTheme(Theme::Light, &root);
        QCOMPARE(a->xAxis->tickLabelColor(), QApplication::palette().color(QPalette::Text));
        QVERIFY(a->axisRect()->backgroundBrush().color().lightness() > 200);
    }
};

QTEST_MAIN(TestPlotTheme)
#include "tst_plottheme.moc"
