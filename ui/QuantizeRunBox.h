#pragma once
// "Full quantization run" under the Bit-widths tab's preset: the spec being edited, calibrated on the
// current synthetic set, optionally reconstructed (AdaRound per layer, BRECQ per block) and
// fine-tuned (QAT-KD epochs), evaluated on the whole test set and exported, as a run directory that
// opens in the Runs tab. The box only asks; the window runs it as an experiment (ExperimentWorker).
#include <QGroupBox>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace dfq::ui {

struct QuantizeSettings {
    QString ptq = QStringLiteral("minmax");   ///< minmax = ranges only (the spec's observers); adaround; brecq
    int iterations = 500;                     ///< AdaRound / BRECQ iterations per layer / block
    int qatEpochs = 0;                        ///< QAT-KD epochs over the calibration set
};

class QuantizeRunBox : public QGroupBox {
    Q_OBJECT
public:
    explicit QuantizeRunBox(QWidget* parent = nullptr);
    QuantizeSettings settings() const;
    /// While the window runs a job the button waits.
    void setBusy(bool busy);
    /// The result line of the last run ("W4A4 gdfq, reconstructed: top-1 91.2 % on 10000 images").
    void setResult(const QString& text);

Q_SIGNALS:
    void quantizeRequested(const dfq::ui::QuantizeSettings& settings);

private:
    QComboBox* ptq_ = nullptr;
    QSpinBox* iterations_ = nullptr;
    QSpinBox* qatEpochs_ = nullptr;
    QPushButton* run_ = nullptr;
    QLabel* result_ = nullptr;
};

} // namespace dfq::ui

Q_DECLARE_METATYPE(dfq::ui::QuantizeSettings)
