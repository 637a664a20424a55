#include "BitWidthPanel.h"

#include "MixedPrecisionView.h"
#include "QuantizeRunBox.h"
#include "SpecEditCommand.h"
#include "TrialScheduler.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QScrollArea>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QUndoStack>
#include <QUndoView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace dfq::ui {

namespace {

/// Bits cells: a spin box 2..8 whose lowest step reads "fp32" (stored as 32).
class BitsDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const override {
        auto* box = new QSpinBox(parent);
        box->setRange(1, 8);
        box->setSpecialValueText(QStringLiteral("fp32"));   // shown at the minimum (1)
        box->setFrame(false);
        return box;
    }
    void setEditorData(QWidget* editor, const QModelIndex& index) const override {
        const int bits = index.data(Qt::EditRole).toInt();
        static_cast<QSpinBox*>(editor)->setValue(bits == 32 ? 1 : bits);
    }
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override {
        auto* box = static_cast<QSpinBox*>(editor);
        box->interpretText();
        model->setData(index, box->value() == 1 ? 32 : box->value(), Qt::EditRole);
    }
};

/// Observer cells: the registered observers.
class ObserverDelegate : public QStyledItemDelegate {
public:
    ObserverDelegate(const QuantSpecTable* table, QObject* parent) : QStyledItemDelegate(parent), table_(table) {}
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const override {
        auto* box = new QComboBox(parent);
        box->addItems(table_->observerNames());
        return box;
    }
    void setEditorData(QWidget* editor, const QModelIndex& index) const override {
        auto* box = static_cast<QComboBox*>(editor);
        box->setCurrentIndex(box->findText(index.data(Qt::EditRole).toString()));
    }
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override {
        model->setData(index, static_cast<QComboBox*>(editor)->currentText(), Qt::EditRole);
    }

private:
    const QuantSpecTable* table_;
};

QString bytesText(double bytes) {
    return QLocale().formattedDataSize(qint64(std::llround(bytes)), 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

BitWidthPanel::BitWidthPanel(QWidget* parent) : QWidget(parent) {
    table_ = new QuantSpecTable(this);
    undo_ = new QUndoStack(this);
    scheduler_ = new TrialScheduler(
        [this](quint64 serial) { Q_EMIT trialRequested(serial, specJson(), evalLimit()); },
        [this] { Q_EMIT trialCancelRequested(); }, this);
    connect(scheduler_, &TrialScheduler::started, this, [this] { updateAccuracy(); });
    connect(table_, &QuantSpecTable::editRequested, this, &BitWidthPanel::pushEdit);
    buildUi();
}

void BitWidthPanel::buildUi() {
    placement_ = new QComboBox;
    placement_->setObjectName(QStringLiteral("placementCombo"));
    placement_->addItem(tr("gdfq: every weight, every ReLU output"), QStringLiteral("gdfq"));
    placement_->addItem(tr("f8l8: gdfq, first and last layers at 8 bits"), QStringLiteral("f8l8"));
    placement_->addItem(tr("all-inputs: every layer input (integer runtimes)"), QStringLiteral("all-inputs"));
    // The long descriptions must not widen the whole left column (the grid needs the room).
    placement_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    placement_->setMinimumContentsLength(16);
    weightBits_ = new QSpinBox;
    weightBits_->setObjectName(QStringLiteral("weightBitsSpin"));
    activationBits_ = new QSpinBox;
    activationBits_->setObjectName(QStringLiteral("activationBitsSpin"));
    for (QSpinBox* b : {weightBits_, activationBits_}) {
        b->setRange(2, 8);
        b->setValue(4);
        b->setSuffix(tr(" bits"));
    }
    perChannel_ = new QCheckBox(tr("Per-channel weights"));
    perChannel_->setObjectName(QStringLiteral("perChannelCheck"));
    perChannel_->setChecked(true);
    weightObserver_ = new QComboBox;
    weightObserver_->setObjectName(QStringLiteral("weightObserverCombo"));
    activationObserver_ = new QComboBox;
    activationObserver_->setObjectName(QStringLiteral("activationObserverCombo"));
    foldBn_ = new QCheckBox(tr("Fold BN into convolutions"));
    foldBn_->setObjectName(QStringLiteral("foldBnCheck"));
    evalLimit_ = new QSpinBox;
    evalLimit_->setObjectName(QStringLiteral("evalLimitSpin"));
    evalLimit_->setRange(0, 1000000);
    evalLimit_->setSingleStep(500);
    evalLimit_->setValue(1000);   // ~1 s on the embedded default; ±0.9 % standard error at 90 % top-1
    evalLimit_->setSpecialValueText(tr("all"));
    evalLimit_->setToolTip(tr("Test images per trial: fewer answer faster; 'all' uses the whole test set."));

    auto* presetBox = new QGroupBox(tr("Preset"));
    auto* form = new QFormLayout(presetBox);
    form->addRow(tr("Placement"), placement_);
    auto* bits = new QHBoxLayout;
    bits->addWidget(new QLabel(tr("W")));
    bits->addWidget(weightBits_);
    bits->addSpacing(12);
    bits->addWidget(new QLabel(tr("A")));
    bits->addWidget(activationBits_);
    bits->addStretch(1);
    form->addRow(tr("Bits"), bits);
    form->addRow(QString(), perChannel_);
    form->addRow(tr("Weight observer"), weightObserver_);
    form->addRow(tr("Activation observer"), activationObserver_);
    form->addRow(QString(), foldBn_);
    form->addRow(tr("Test images"), evalLimit_);

    accuracy_ = new QLabel(tr("No trial yet"));
    accuracy_->setObjectName(QStringLiteral("trialAccuracyLabel"));
    QFont big = accuracy_->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    accuracy_->setFont(big);
    detail_ = new QLabel;
    detail_->setObjectName(QStringLiteral("trialDetailLabel"));
    detail_->setWordWrap(true);
    size_ = new QLabel;
    size_->setObjectName(QStringLiteral("modelSizeLabel"));
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("trialStatusLabel"));
    status_->setWordWrap(true);
    auto* resultBox = new QGroupBox(tr("Quantized model"));
    auto* resultLayout = new QVBoxLayout(resultBox);
    resultLayout->addWidget(accuracy_);
    resultLayout->addWidget(detail_);
    resultLayout->addWidget(size_);
    resultLayout->addWidget(status_);
    resultLayout->addStretch(1);

    auto* undoButton = new QPushButton(tr("Undo"));
    undoButton->setObjectName(QStringLiteral("undoSpecButton"));
    auto* redoButton = new QPushButton(tr("Redo"));
    redoButton->setObjectName(QStringLiteral("redoSpecButton"));
    connect(undoButton, &QPushButton::clicked, undo_, &QUndoStack::undo);
    connect(redoButton, &QPushButton::clicked, undo_, &QUndoStack::redo);
    connect(undo_, &QUndoStack::canUndoChanged, undoButton, &QWidget::setEnabled);
    connect(undo_, &QUndoStack::canRedoChanged, redoButton, &QWidget::setEnabled);
    undoButton->setEnabled(false);
    redoButton->setEnabled(false);
    history_ = new QUndoView(undo_);
    history_->setObjectName(QStringLiteral("specHistory"));
    history_->setEmptyLabel(tr("<model's preset>"));
    auto* historyBox = new QGroupBox(tr("History"));
    auto* historyLayout = new QVBoxLayout(historyBox);
    auto* undoRow = new QHBoxLayout;
    undoRow->addWidget(undoButton);
    undoRow->addWidget(redoButton);
    historyLayout->addLayout(undoRow);
    historyLayout->addWidget(history_, 1);

    grid_ = new QTableView;
    grid_->setObjectName(QStringLiteral("quantizerGrid"));
    grid_->setModel(table_);
    grid_->setItemDelegateForColumn(QuantSpecTable::BitsColumn, new BitsDelegate(grid_));
    grid_->setItemDelegateForColumn(QuantSpecTable::ObserverColumn, new ObserverDelegate(table_, grid_));
    grid_->setAlternatingRowColors(true);
    grid_->setSelectionBehavior(QAbstractItemView::SelectRows);
    grid_->setEditTriggers(QAbstractItemView::AllEditTriggers);
    grid_->verticalHeader()->hide();
    // Every column as wide as its contents, the names take what is left: no column hides off-screen.
    grid_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    grid_->horizontalHeader()->setSectionResizeMode(QuantSpecTable::NameColumn, QHeaderView::Stretch);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    quantize_ = new QuantizeRunBox;
    connect(quantize_, &QuantizeRunBox::quantizeRequested, this,
            [this](const QuantizeSettings& s) { Q_EMIT quantizeRequested(specJson(), s); });
    leftLayout->addWidget(presetBox);
    leftLayout->addWidget(resultBox);
    leftLayout->addWidget(quantize_);
    leftLayout->addWidget(historyBox, 1);
    // Right: the per-layer grid, and the mixed-precision view whose Pareto points become edits.
    mixed_ = new MixedPrecisionView;
    mixed_->setObjectName(QStringLiteral("mixedPrecisionView"));
    connect(mixed_, &MixedPrecisionView::measureRequested, this, [this](const QVector<int>& candidates) {
        if (candidates.isEmpty()) {
            mixed_->setStatus(tr("Give at least one width from 2 to 8."));
            return;
        }
        mixed_->setMeasuring(true);
        Q_EMIT sensitivityRequested(specJson(), candidates);
    });
    connect(mixed_, &MixedPrecisionView::pointChosen, this,
            [this](const QStringList& layers, const QVector<int>& bits, const QString& text) {
                QString error;
                const QByteArray after = table_->specJsonWithWeightBits(layers, bits, &error);
                if (after.isEmpty())
                    mixed_->setStatus(tr("Point not applied: %1").arg(error));
                else
                    pushEdit(after, text);
            });
    auto* right = new QTabWidget;
    right->setObjectName(QStringLiteral("bitWidthViews"));
    right->addTab(grid_, tr("Layers"));
    right->addTab(mixed_, tr("Mixed precision"));
    // The controls scroll rather than push the window taller than a laptop screen.
    auto* leftScroll = new QScrollArea;
    leftScroll->setWidget(left);
    leftScroll->setWidgetResizable(true);
    leftScroll->setFrameShape(QFrame::NoFrame);
    leftScroll->setMinimumWidth(480);   // the accuracy line in full at the default font
    auto* split = new QSplitter;
    split->addWidget(leftScroll);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(placement_, &QComboBox::currentIndexChanged, this, &BitWidthPanel::onPresetControlChanged);
    for (QSpinBox* b : {weightBits_, activationBits_})
        connect(b, &QSpinBox::valueChanged, this, &BitWidthPanel::onPresetControlChanged);
    for (QCheckBox* c : {perChannel_, foldBn_})
        connect(c, &QCheckBox::toggled, this, &BitWidthPanel::onPresetControlChanged);
    for (QComboBox* c : {weightObserver_, activationObserver_})
        connect(c, &QComboBox::currentIndexChanged, this, &BitWidthPanel::onPresetControlChanged);
    connect(evalLimit_, &QSpinBox::valueChanged, this, [this] {
        if (!updatingControls_)
            requestTrial();
    });
    setEnabled(false);   // until a model is loaded
}

void BitWidthPanel::setModel(const QuantTopologySummary& topology, const QStringList& observerNames) {
    updatingControls_ = true;
    const QuantPreset current = preset();
    for (QComboBox* c : {weightObserver_, activationObserver_}) {
        c->clear();
        c->addItems(observerNames);
    }
    weightObserver_->setCurrentText(current.weightObserver);
    activationObserver_->setCurrentText(current.activationObserver);
    updatingControls_ = false;
    table_->setObserverNames(observerNames);
    table_->setTopology(topology);
    mixed_->showSensitivity({});   // measured on the previous model
    mixed_->setStatus(tr("Sensitivity not measured yet."));
    undo_->clear();
    hasResult_ = false;
    shown_ = {};
    setEnabled(!topology.layers.isEmpty());
    QString error;
    const QByteArray spec = table_->presetSpecJson(preset(), &error);
    if (spec.isEmpty()) {
        status_->setText(tr("Cannot quantize this model: %1").arg(error));
        return;
    }
    showSpec(spec);
}

void BitWidthPanel::setCalibration(const QString& text) {
    calibration_ = text;
    updateAccuracy();
}

void BitWidthPanel::setWaiting(const QString& reason) {
    waiting_ = reason;
    updateAccuracy();
}

void BitWidthPanel::setEvalLimit(qint64 images) { evalLimit_->setValue(int(std::clamp<qint64>(images, 0, evalLimit_->maximum()))); }

QuantPreset BitWidthPanel::preset() const {
    QuantPreset p;
    p.placement = placement_->currentData().toString();
    p.weightBits = weightBits_->value();
    p.activationBits = activationBits_->value();
    p.perChannelWeights = perChannel_->isChecked();
    if (!weightObserver_->currentText().isEmpty())
        p.weightObserver = weightObserver_->currentText();
    if (!activationObserver_->currentText().isEmpty())
        p.activationObserver = activationObserver_->currentText();
    p.foldBn = foldBn_->isChecked();
    return p;
}

void BitWidthPanel::applyPreset(const QuantPreset& p) {
    QString error;
    const QByteArray spec = table_->presetSpecJson(p, &error);
    if (spec.isEmpty()) {
        status_->setText(tr("Preset not applied: %1").arg(error));
        return;
    }
    pushEdit(spec, tr("Preset W%1A%2 %3").arg(p.weightBits).arg(p.activationBits).arg(p.placement));
}

QByteArray BitWidthPanel::specJson() const { return table_->specJson(); }

qint64 BitWidthPanel::evalLimit() const { return evalLimit_->value(); }

void BitWidthPanel::pushEdit(const QByteArray& after, const QString& text) {
    const QByteArray before = table_->specJson();
    if (after == before)
        return;
    // push() runs redo() at once: the spec is shown and its trial requested.
    undo_->push(new SpecEditCommand(before, after, text, [this](const QByteArray& spec) { showSpec(spec); }));
}

void BitWidthPanel::showSpec(const QByteArray& spec) {
    QString error;
    if (!table_->setSpecJson(spec, &error)) {
        status_->setText(tr("Spec not applied: %1").arg(error));
        return;
    }
    // The controls follow the spec (undo of a preset change moves them back) without being an edit.
    const QuantPreset p = table_->presetOfSpec();
    updatingControls_ = true;
    placement_->setCurrentIndex(placement_->findData(p.placement));
    weightBits_->setValue(p.weightBits == 32 ? 8 : p.weightBits);
    activationBits_->setValue(p.activationBits == 32 ? 8 : p.activationBits);
    perChannel_->setChecked(p.perChannelWeights);
    weightObserver_->setCurrentText(p.weightObserver);
    activationObserver_->setCurrentText(p.activationObserver);
    foldBn_->setChecked(p.foldBn);
    updatingControls_ = false;
    updateSize();
    if (mixed_->hasSummary())
        mixed_->setCurrentBits(table_->weightBitsOf(mixed_->summary().layers));
    requestTrial();
}

void BitWidthPanel::showSensitivity(const SensitivitySummary& result) {
    mixed_->showSensitivity(result);
    mixed_->setCurrentBits(table_->weightBitsOf(result.layers));
}

void BitWidthPanel::sensitivityEnded(const QString& message) {
    mixed_->setMeasuring(false);
    mixed_->setStatus(message.isEmpty() ? tr("Sensitivity measurement cancelled.") : message);
}

void BitWidthPanel::onPresetControlChanged() {
    if (updatingControls_ || !table_->hasTopology())
        return;
    applyPreset(preset());
}

void BitWidthPanel::requestTrial() {
    if (table_->specJson().isEmpty())
        return;
    scheduler_->request();
    updateAccuracy();
}

void BitWidthPanel::showTrial(const QuantTrialSummary& r) {
    const bool current = scheduler_->isCurrent(r.serial);
    scheduler_->finished(r.serial);
    if (!current) {
        updateAccuracy();
        return;
    }
    shown_ = r;
    hasResult_ = true;
    waiting_.clear();
    updateAccuracy();
    Q_EMIT resultShown(r);
}

void BitWidthPanel::trialEnded(quint64 serial, const QString& message) {
    const bool current = scheduler_->isCurrent(serial);
    scheduler_->finished(serial);
    if (current && !message.isEmpty())
        waiting_ = message;
    updateAccuracy();
}

void BitWidthPanel::updateSize() {
    const double bytes = table_->sizeBytes(), fp32 = table_->fp32Bytes();
    size_->setText(tr("Size %1 (fp32 %2, %3× smaller)")
                       .arg(bytesText(bytes), bytesText(fp32))
                       .arg(bytes > 0 ? fp32 / bytes : 0.0, 0, 'f', 2));
}

void BitWidthPanel::updateAccuracy() {
    const bool running = scheduler_->isRunning();
    const bool stale = hasResult_ && !scheduler_->isCurrent(shown_.serial);
    if (hasResult_) {
        const double drop = shown_.top1 - shown_.fp32Top1;
        accuracy_->setText(tr("top-1 %1 %  (%2%3 vs FP32 %4 %)")
                               .arg(shown_.top1, 0, 'f', 2)
                               .arg(drop >= 0 ? QStringLiteral("+") : QString())
                               .arg(drop, 0, 'f', 2)
                               .arg(shown_.fp32Top1, 0, 'f', 2));
        accuracy_->setEnabled(!stale);   // greyed while the shown number belongs to an older spec
        detail_->setText(tr("%1 · top-5 %2 % · %3 test images · calibrated on %4 images · %5 s")
                             .arg(shown_.label).arg(shown_.top5, 0, 'f', 2).arg(shown_.images)
                             .arg(shown_.calibrationImages).arg(shown_.seconds, 0, 'f', 2));
    }
    QStringList status;
    if (running)
        status << tr("Re-quantizing %1 …").arg(table_->label());
    else if (!waiting_.isEmpty())
        status << waiting_;
    if (!calibration_.isEmpty())
        status << tr("Calibration: %1").arg(calibration_);
    if (!table_->label().isEmpty() && !running)
        status << tr("Spec: %1").arg(table_->label());
    status_->setText(status.join(QStringLiteral("\n")));
}

} // namespace dfq::ui
