// MixedPrecisionView: a measured sensitivity table drawn as one bar series per width with the
// table's values, the Pareto front as points, the current spec marked at its hand-computed size and
// Σ Ω, and a chosen point emitted as the allocation it stands for.
#include "MixedPrecisionView.h"
#include "QCustomPlotInclude.h"

#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest/QtTest>

using namespace dfq::ui;

namespace {
/// Two layers of 16 and 48 weights at widths {2, 4, 8}.
SensitivitySummary table() {
    SensitivitySummary s;
    s.layers = {QStringLiteral("conv1"), QStringLiteral("linear")};
    s.weightCounts = {16, 48};
    s.bits = {2, 4, 8};
    s.omega = {{0.5, 0.05, 0.001}, {0.2, 0.02, 0.0}};
    // Sizes in bytes: (2,2) = 16, (4,2) = 20, (4,4) = 32, (8,8) = 64.
    s.front = {{16, 0.7, {2, 2}}, {20, 0.25, {4, 2}}, {32, 0.07, {4, 4}}, {64, 0.001, {8, 8}}};
    s.images = 32;
    s.seconds = 0.4;
    return s;
}
} // namespace

class TestMixedPrecisionView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void candidatesParse() {
        MixedPrecisionView v;
        auto* edit = v.findChild<QLineEdit*>(QStringLiteral("candidateBitsEdit"));
        edit->setText(QStringLiteral("8, 2 x 4 4 9 1"));
        QCOMPARE(v.candidates(), (QVector<int>{2, 4, 8}));
        QSignalSpy requested(&v, &MixedPrecisionView::measureRequested);
        QTest::mouseClick(v.findChild<QPushButton*>(QStringLiteral("measureSensitivityButton")), Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).value<QVector<int>>(), (QVector<int>{2, 4, 8}));
    }

    void drawsBarsAndFront() {
        MixedPrecisionView v;
        v.showSensitivity(table());
        auto* bars = v.findChild<QCustomPlot*>(QStringLiteral("sensitivityPlot"));
        QCOMPARE(bars->plottableCount(), 3);   // one series per width
        for (int j = 0; j < 3; ++j) {
            auto* b = qobject_cast<QCPBars*>(bars->plottable(j));
            QVERIFY(b);
            QCOMPARE(b->data()->size(), 2);
        }
        auto* w2 = qobject_cast<QCPBars*>(bars->plottable(0));
        QCOMPARE(w2->name(), QStringLiteral("W2"));
        QCOMPARE(w2->data()->at(0)->value, 0.5);
        QCOMPARE(w2->data()->at(1)->value, 0.2);
        // Ω = 0 cannot sit on a log axis: drawn at the floor, never dropped.
        auto* w8 = qobject_cast<QCPBars*>(bars->plottable(2));
        QVERIFY(w8->data()->at(1)->value > 0 && w8->data()->at(1)->value < 1e-6);
        auto* front = v.findChild<QCustomPlot*>(QStringLiteral("paretoPlot"));
        QCOMPARE(front->graph(0)->data()->size(), 4);
        QCOMPARE(front->graph(0)->data()->at(1)->key, 20 / 1024.0);   // KiB
        QCOMPARE(front->graph(0)->data()->at(1)->value, 0.25);
    }

    void marksTheCurrentSpec() {
        MixedPrecisionView v;
        v.showSensitivity(table());
        // (8, 4): 16·8/8 + 48·4/8 = 16 + 24 = 40 bytes; Σ Ω = 0.001 + 0.02 = 0.021.
        v.setCurrentBits({8, 4});
        double bytes = 0, omega = 0;
        QVERIFY(v.currentPoint(&bytes, &omega));
        QCOMPARE(bytes, 40.0);
        QVERIFY(std::abs(omega - 0.021) < 1e-12);
        auto* current = v.findChild<QCustomPlot*>(QStringLiteral("paretoPlot"))->graph(1);
        QCOMPARE(current->data()->size(), 1);
        QCOMPARE(current->data()->at(0)->key, 40 / 1024.0);
        // A width that was not measured (3 bits) or a float layer: no mark.
        v.setCurrentBits({3, 4});
        QVERIFY(!v.currentPoint(nullptr, nullptr));
        QCOMPARE(current->data()->size(), 0);
    }

    void choosingAPointEmitsItsAllocation() {
        MixedPrecisionView v;
        v.showSensitivity(table());
        QSignalSpy chosen(&v, &MixedPrecisionView::pointChosen);
        v.choosePoint(1);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.at(0).at(0).toStringList(), (QStringList{QStringLiteral("conv1"), QStringLiteral("linear")}));
        QCOMPARE(chosen.at(0).at(1).value<QVector<int>>(), (QVector<int>{4, 2}));
        QVERIFY(chosen.at(0).at(2).toString().contains(QStringLiteral("4/2")));
        v.choosePoint(7);   // out of range: nothing
        QCOMPARE(chosen.count(), 1);
    }
};

QTEST_MAIN(TestMixedPrecisionView)
#include "tst_mixedprecisionview.moc"
