#include "QuantizeRunBox.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace dfq::ui {

QuantizeRunBox::QuantizeRunBox(QWidget* parent) : QGroupBox(tr("Full quantization run"), parent) {
    ptq_ = new QComboBox;
    ptq_->setObjectName(QStringLiteral("reconstructionCombo"));
    ptq_->addItem(tr("none: calibrate the ranges only"), QStringLiteral("minmax"));
    ptq_->addItem(tr("AdaRound (per layer)"), QStringLiteral("adaround"));
    ptq_->addItem(tr("BRECQ (per block)"), QStringLiteral("brecq"));
    ptq_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    ptq_->setMinimumContentsLength(16);
    iterations_ = new QSpinBox;
    iterations_->setObjectName(QStringLiteral("reconstructionItersSpin"));
    iterations_->setRange(1, 100000);
    iterations_->setSingleStep(100);
    iterations_->setValue(500);
    iterations_->setToolTip(tr("Iterations per layer (AdaRound) or block (BRECQ); the papers use 20,000"));
    qatEpochs_ = new QSpinBox;
    qatEpochs_->setObjectName(QStringLiteral("qatEpochsSpin"));
    qatEpochs_->setRange(0, 1000);
    qatEpochs_->setSpecialValueText(tr("none"));
    qatEpochs_->setToolTip(tr("QAT with distillation from the FP32 model over the calibration set, after PTQ"));
    run_ = new QPushButton(tr("Quantize"));
    run_->setObjectName(QStringLiteral("quantizeButton"));
    run_->setToolTip(tr("Quantize with this spec on the current calibration set, evaluate on the whole test set "
                        "and export the model; the run opens in the Runs tab"));
    result_ = new QLabel;
    result_->setObjectName(QStringLiteral("quantizeResultLabel"));
    result_->setWordWrap(true);
    auto updateIterations = [this] { iterations_->setEnabled(ptq_->currentData().toString() != QLatin1String("minmax")); };
    connect(ptq_, &QComboBox::currentIndexChanged, this, updateIterations);
    updateIterations();
    connect(run_, &QPushButton::clicked, this, [this] { Q_EMIT quantizeRequested(settings()); });

    auto* form = new QFormLayout(this);
    form->addRow(tr("Reconstruction"), ptq_);
    form->addRow(tr("Iterations"), iterations_);
    form->addRow(tr("QAT-KD epochs"), qatEpochs_);
    form->addRow(run_);
    form->addRow(result_);
}

QuantizeSettings QuantizeRunBox::settings() const {
    QuantizeSettings s;
    s.ptq = ptq_->currentData().toString();
    s.iterations = iterations_->value();
    s.qatEpochs = qatEpochs_->value();
    return s;
}

void QuantizeRunBox::setBusy(bool busy) { run_->setEnabled(!busy); }

void QuantizeRunBox::setResult(const QString& text) { result_->setText(text); }

} // namespace dfq::ui
