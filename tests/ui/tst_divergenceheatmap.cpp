// DivergenceHeatmap from a recorded diagnostics stream: one column per step, rows in the first
// column's layer order, colour = log10 KL (0 drawn at the 1e-6 floor, a missing layer empty), the
// numbers in the cell text, out-of-order steps ignored.
#include "DivergenceHeatmap.h"
#include "QCustomPlotInclude.h"

#include <QtTest/QtTest>

#include <cmath>

using namespace dfq::ui;

class TestDivergenceHeatmap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recordedStream() {
        DivergenceHeatmap h;
        h.addStep(10, {{QStringLiteral("bn1"), 1.0, 0.5, 0.25}, {QStringLiteral("layer1.bn"), 0.01, 0.1, 0.2}});
        h.addStep(20, {{QStringLiteral("layer1.bn"), 0.001, 0.05, 0.1}, {QStringLiteral("bn1"), 0.0, 0, 0}});
        h.addStep(20, {{QStringLiteral("bn1"), 9.0, 0, 0}});   // not after the last step: ignored
        h.addStep(30, {{QStringLiteral("bn1"), 0.1, 0, 0}});   // layer1.bn missing in this column
        QCOMPARE(h.steps(), 3);
        QCOMPARE(h.layers(), (QStringList{QStringLiteral("bn1"), QStringLiteral("layer1.bn")}));
        QCOMPARE(h.cell(0, 1)->kl, 0.0);            // matched by name, not by position
        QCOMPARE(h.cell(1, 1)->kl, 0.001);
        QVERIFY(std::isnan(h.cell(1, 2)->kl));
        QVERIFY(!h.cell(2, 0) && !h.cell(0, 3));

        auto* map = qobject_cast<QCPColorMap*>(h.plot()->plottable(0));
        QVERIFY(map);
        QCOMPARE(map->data()->keySize(), 3);
        QCOMPARE(map->data()->valueSize(), 2);
        QCOMPARE(map->data()->cell(0, 0), 0.0);     // log10 1
        QCOMPARE(map->data()->cell(0, 1), -2.0);    // log10 0.01
        QCOMPARE(map->data()->cell(1, 0), -6.0);    // KL 0 at the floor
        QVERIFY(std::abs(map->data()->cell(1, 1) + 3.0) < 1e-12);
        QVERIFY(std::isnan(map->data()->cell(2, 1)));
        QCOMPARE(map->dataRange().lower, -6.0);
        QCOMPARE(map->dataRange().upper, 0.0);

        const QString text = h.cellText(1, 0);
        QVERIFY2(text.contains(QStringLiteral("layer1.bn at step 10")) && text.contains(QStringLiteral("KL 0.01")) &&
                     text.contains(QStringLiteral("mean gap 0.1")) && text.contains(QStringLiteral("std gap 0.2")),
                 qPrintable(text));
        QVERIFY(h.cellText(1, 2).isEmpty());

        h.clear();
        QCOMPARE(h.steps(), 0);
        QVERIFY(h.layers().isEmpty());
    }
};

QTEST_MAIN(TestDivergenceHeatmap)
#include "tst_divergenceheatmap.moc"
