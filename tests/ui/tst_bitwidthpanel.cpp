// BitWidthPanel + QuantSpecTable on a small hand-made topology (no model, no worker): the grid's
// rows, the size at the chosen bits counted by hand, edits as undoable commands that each request a
// trial, undo restoring the exact previous spec, and trial results shown only for the newest spec.
#include "BitWidthPanel.h"
#include "MixedPrecisionView.h"
#include "ModelWorker.h"
#include "QuantSpecTable.h"
#include "TrialScheduler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QUndoStack>
#include <QtTest/QtTest>

using namespace dfq::ui;

namespace {

// conv0 [4,3,3,3]=108, conv1 [8,4,3,3]=288, conv2 [8,8,1,1]=64, fc [10,8]=80: 540 weights, 30
// output channels; + 100 other float elements (biases, BN) = 640.
QuantTopologySummary smallNet() {
    QuantTopologySummary t;
    t.arch = QStringLiteral("resnet20");   // any zoo name: the spec carries it, nothing loads it
    t.layers = {{QStringLiteral("conv0"), true, 108, 4},
                {QStringLiteral("conv1"), true, 288, 8},
                {QStringLiteral("conv2"), true, 64, 8},
                {QStringLiteral("fc"), false, 80, 10}};
    t.activations = {QStringLiteral("relu0"), QStringLiteral("relu1"), QStringLiteral("relu2")};
    t.floatElements = 640;
    return t;
}

QJsonObject specOf(const QByteArray& json) { return QJsonDocument::fromJson(json).object(); }

int layerBits(const QByteArray& json, const QString& layer) {
    for (const auto& l : specOf(json)[QStringLiteral("layers")].toArray())
        if (l.toObject()[QStringLiteral("name")].toString() == layer)
            return l.toObject()[QStringLiteral("weight")].toObject()[QStringLiteral("bits")].toInt();
    return -1;
}

QStringList activationNames(const QByteArray& json) {
    QStringList names;
    for (const auto& a : specOf(json)[QStringLiteral("activations")].toArray())
        names << a.toObject()[QStringLiteral("name")].toString();
    return names;
}

QuantTrialSummary result(quint64 serial, double top1) {
    QuantTrialSummary r;
    r.serial = serial;
    r.label = QStringLiteral("W4A4 gdfq");
    r.top1 = top1;
    r.fp32Top1 = 90;
    r.images = 100;
    return r;
}

} // namespace

class TestBitWidthPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A Pareto point of the mixed-precision view becomes one undoable edit of the weight bits, the
    // view marks the spec that results, and a measurement from the worker is shown.
    void paretoPointIsOneUndoableEdit() {
        BitWidthPanel panel;
        QSignalSpy requested(&panel, &BitWidthPanel::trialRequested);
        QSignalSpy measure(&panel, &BitWidthPanel::sensitivityRequested);
        panel.setModel(smallNet(), ModelWorker::observerNames());
        panel.showTrial(result(1, 70.0));   // the first trial ended: the next starts at once
        const QByteArray original = panel.specJson();
        auto* view = panel.mixedPrecisionView();
        QTest::mouseClick(view->findChild<QPushButton*>(QStringLiteral("measureSensitivityButton")), Qt::LeftButton);
        QCOMPARE(measure.count(), 1);
        QCOMPARE(measure.at(0).at(0).toByteArray(), original);
        QVERIFY(!view->findChild<QPushButton*>(QStringLiteral("measureSensitivityButton"))->isEnabled());

        SensitivitySummary s;
        s.layers = {QStringLiteral("conv0"), QStringLiteral("conv1"), QStringLiteral("conv2"), QStringLiteral("fc")};
        s.weightCounts = {108, 288, 64, 80};
        s.bits = {2, 4, 8};
        s.omega = {{0.9, 0.1, 0.01}, {0.3, 0.05, 0.001}, {0.2, 0.02, 0.002}, {0.4, 0.04, 0.004}};
        s.front = {{135, 1.8, {2, 2, 2, 2}}, {540, 0.017, {8, 8, 8, 8}}, {279, 0.21, {4, 4, 4, 4}}};
        panel.showSensitivity(s);
        QVERIFY(view->findChild<QPushButton*>(QStringLiteral("measureSensitivityButton"))->isEnabled());
        // The W4 preset is marked: Σ Ω at 4 bits = 0.1 + 0.05 + 0.02 + 0.04.
        double bytes = 0, omega = 0;
        QVERIFY(view->currentPoint(&bytes, &omega));
        QCOMPARE(bytes, 270.0);
        QVERIFY(std::abs(omega - 0.21) < 1e-12);

        view->choosePoint(1);   // all at 8 bits
        QCOMPARE(panel.undoStack()->count(), 1);
        for (const char* l : {"conv0", "conv1", "conv2", "fc"})
            QCOMPARE(layerBits(panel.specJson(), QLatin1String(l)), 8);
        QVERIFY(panel.undoStack()->undoText().startsWith(QStringLiteral("Pareto point")));
        QCOMPARE(requested.last().at(1).toByteArray(), panel.specJson());
        QVERIFY(view->currentPoint(&bytes, &omega));
        QCOMPARE(bytes, 540.0);
        panel.undoStack()->undo();
        QCOMPARE(panel.specJson(), original);
        QVERIFY(view->currentPoint(&bytes, nullptr));
        QCOMPARE(bytes, 270.0);
    }

    void gridAndSizeAtThePresetsBits() {
        BitWidthPanel panel;
        QSignalSpy requested(&panel, &BitWidthPanel::trialRequested);
        panel.setModel(smallNet(), ModelWorker::observerNames());
        QCOMPARE(requested.size(), 1);   // the model's first spec is tried at once
        QCOMPARE(requested.at(0).at(0).toULongLong(), quint64(1));
        QCOMPARE(requested.at(0).at(1).toByteArray(), panel.specJson());
        auto* table = panel.table();
        QCOMPARE(table->rowCount(), 4 + 3);   // 4 weights, 3 ReLU outputs under gdfq
        QCOMPARE(table->index(0, QuantSpecTable::NameColumn).data().toString(), QStringLiteral("conv0"));
        QCOMPARE(table->index(4, QuantSpecTable::NameColumn).data().toString(), QStringLiteral("relu0"));
        QCOMPARE(table->index(0, QuantSpecTable::BitsColumn).data().toString(), QStringLiteral("4"));
        QCOMPARE(table->index(0, QuantSpecTable::PerChannelColumn).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        // W4 per-channel: 540 x 4 weight bits + 30 ranges x 64 + (640 - 540) x 32 = 2160 + 1920 + 3200
        // = 7280 bits = 910 bytes; fp32 640 x 4 = 2560 bytes.
        QCOMPARE(table->sizeBytes(), 910.0);
        QCOMPARE(table->fp32Bytes(), 2560.0);
        QCOMPARE(table->label(), QStringLiteral("W4A4 gdfq"));

        // all-inputs: the rows become the layers' inputs.
        QuantPreset p = panel.preset();
        p.placement = QStringLiteral("all-inputs");
        panel.applyPreset(p);
        QCOMPARE(table->rowCount(), 4 + 4);
        QCOMPARE(table->index(4, QuantSpecTable::RoleColumn).data().toString(), QStringLiteral("input"));
    }

    void gridEditIsUndoableAndReTried() {
        BitWidthPanel panel;
        QSignalSpy requested(&panel, &BitWidthPanel::trialRequested);
        QSignalSpy cancelRequested(&panel, &BitWidthPanel::trialCancelRequested);
        QSignalSpy shown(&panel, &BitWidthPanel::resultShown);
        panel.setModel(smallNet(), ModelWorker::observerNames());
        const QByteArray original = panel.specJson();
        panel.showTrial(result(1, 70.0));
        QCOMPARE(shown.size(), 1);
        QVERIFY(panel.findChild<QLabel*>(QStringLiteral("trialAccuracyLabel"))->text().contains(QStringLiteral("70.00")));

        // conv1's weight 4 -> 2 bits through the grid: one command, one new trial.
        auto* table = panel.table();
        QVERIFY(table->setData(table->index(1, QuantSpecTable::BitsColumn), 2, Qt::EditRole));
        QCOMPARE(panel.undoStack()->count(), 1);
        QCOMPARE(layerBits(panel.specJson(), QStringLiteral("conv1")), 2);
        QCOMPARE(layerBits(panel.specJson(), QStringLiteral("conv0")), 4);
        QCOMPARE(table->index(1, QuantSpecTable::BitsColumn).data().toString(), QStringLiteral("2"));
        QCOMPARE(table->label(), QStringLiteral("W4A4 gdfq, mixed: 1 quantizer changed"));
        // 288 weights at 2 instead of 4 bits: 576 bits = 72 bytes less.
        QCOMPARE(table->sizeBytes(), 910.0 - 72.0);
        QCOMPARE(requested.size(), 2);
        QCOMPARE(requested.at(1).at(1).toByteArray(), panel.specJson());
        QVERIFY(cancelRequested.isEmpty());   // trial 1 had ended
        panel.showTrial(result(2, 55.0));
        QVERIFY(panel.findChild<QLabel*>(QStringLiteral("trialAccuracyLabel"))->text().contains(QStringLiteral("55.00")));

        // Undo: the exact previous spec, tried again.
        panel.undoStack()->undo();
        QCOMPARE(panel.specJson(), original);
        QCOMPARE(requested.size(), 3);
        QCOMPARE(requested.at(2).at(1).toByteArray(), original);
        panel.showTrial(result(3, 70.0));
        QVERIFY(panel.findChild<QLabel*>(QStringLiteral("trialAccuracyLabel"))->text().contains(QStringLiteral("70.00")));
        panel.undoStack()->redo();
        QCOMPARE(layerBits(panel.specJson(), QStringLiteral("conv1")), 2);

        // Invalid values are refused without a command.
        QVERIFY(!table->setData(table->index(1, QuantSpecTable::BitsColumn), 9, Qt::EditRole));
        QVERIFY(!table->setData(table->index(1, QuantSpecTable::BitsColumn), 2, Qt::EditRole));   // no change
        QVERIFY(!table->setData(table->index(1, QuantSpecTable::ObserverColumn), QStringLiteral("nope"), Qt::EditRole));
        QCOMPARE(panel.undoStack()->count(), 1);
    }

    void staleResultsAreNotShown() {
        BitWidthPanel panel;
        QSignalSpy requested(&panel, &BitWidthPanel::trialRequested);
        QSignalSpy cancelRequested(&panel, &BitWidthPanel::trialCancelRequested);
        panel.setModel(smallNet(), ModelWorker::observerNames());   // trial 1 runs
        auto* table = panel.table();
        table->setData(table->index(0, QuantSpecTable::BitsColumn), 3, Qt::EditRole);   // 2 waits, 1 cancelled
        table->setData(table->index(0, QuantSpecTable::BitsColumn), 2, Qt::EditRole);   // 3 replaces 2
        QCOMPARE(cancelRequested.size(), 1);
        QCOMPARE(requested.size(), 1);
        panel.showTrial(result(1, 11.0));   // finished before the cancel landed: not shown
        QVERIFY(!panel.hasResult());
        QCOMPARE(requested.size(), 2);
        QCOMPARE(requested.at(1).at(0).toULongLong(), quint64(3));
        QCOMPARE(layerBits(requested.at(1).at(1).toByteArray(), QStringLiteral("conv0")), 2);
        panel.showTrial(result(3, 33.0));
        QVERIFY(panel.hasResult());
        QCOMPARE(panel.shownResult().top1, 33.0);
    }

    void globalBitsAreOneEditAndFollowUndo() {
        BitWidthPanel panel;
        panel.setModel(smallNet(), ModelWorker::observerNames());
        auto* w = panel.findChild<QSpinBox*>(QStringLiteral("weightBitsSpin"));
        w->setValue(6);
        QCOMPARE(panel.undoStack()->count(), 1);
        for (const char* l : {"conv0", "conv1", "conv2", "fc"})
            QCOMPARE(layerBits(panel.specJson(), QString::fromLatin1(l)), 6);
        panel.undoStack()->undo();
        QCOMPARE(w->value(), 4);   // the control follows the spec
        QCOMPARE(panel.undoStack()->count(), 1);   // moving the control back was not an edit
        QCOMPARE(layerBits(panel.specJson(), QStringLiteral("fc")), 4);

        // f8l8: first and last layer at 8 bits.
        QuantPreset p = panel.preset();
        p.placement = QStringLiteral("f8l8");
        panel.applyPreset(p);
        QCOMPARE(layerBits(panel.specJson(), QStringLiteral("conv0")), 8);
        QCOMPARE(layerBits(panel.specJson(), QStringLiteral("conv1")), 4);
        QCOMPARE(layerBits(panel.specJson(), QStringLiteral("fc")), 8);
    }

    void activationSitesLeaveAndReturnInOrder() {
        BitWidthPanel panel;
        panel.setModel(smallNet(), ModelWorker::observerNames());
        auto* table = panel.table();
        const int relu1 = 5;
        QCOMPARE(table->index(relu1, QuantSpecTable::NameColumn).data().toString(), QStringLiteral("relu1"));
        QVERIFY(table->setData(table->index(relu1, QuantSpecTable::BitsColumn), 32, Qt::EditRole));
        QCOMPARE(activationNames(panel.specJson()), (QStringList{QStringLiteral("relu0"), QStringLiteral("relu2")}));
        QCOMPARE(table->index(relu1, QuantSpecTable::BitsColumn).data().toString(), QStringLiteral("fp32"));
        QVERIFY(!(table->flags(table->index(relu1, QuantSpecTable::ObserverColumn)) & Qt::ItemIsEditable));
        QVERIFY(table->setData(table->index(relu1, QuantSpecTable::BitsColumn), 6, Qt::EditRole));
        QCOMPARE(activationNames(panel.specJson()),
                 (QStringList{QStringLiteral("relu0"), QStringLiteral("relu1"), QStringLiteral("relu2")}));
        QCOMPARE(table->index(relu1, QuantSpecTable::BitsColumn).data().toString(), QStringLiteral("6"));
        // Per-channel off for one weight: one range instead of 8 (7 x 64 bits = 56 bytes less).
        const double before = table->sizeBytes();
        QVERIFY(table->setData(table->index(1, QuantSpecTable::PerChannelColumn), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(table->sizeBytes(), before - 56.0);
        QCOMPARE(panel.undoStack()->count(), 3);
    }

    void specForAnotherModelIsRefused() {
        QuantSpecTable table;
        table.setTopology(smallNet());
        QString error;
        QVERIFY(!table.setSpecJson("{not json", &error));
        QVERIFY(!error.isEmpty());
        QuantTopologySummary other = smallNet();
        other.layers[1].name = QStringLiteral("convX");
        QuantSpecTable table2;
        table2.setTopology(other);
        const QByteArray spec = table2.presetSpecJson(QuantPreset());
        QVERIFY(!table.setSpecJson(spec, &error));
        QVERIFY2(error.contains(QStringLiteral("convX")), qPrintable(error));
        QVERIFY(table.specJson().isEmpty());   // nothing changed
    }
};

QTEST_MAIN(TestBitWidthPanel)
#include "tst_bitwidthpanel.moc"
