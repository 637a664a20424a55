#pragma once
// The Bit-widths panel, the app's interactive heart: a placement preset with global W/A bits and
// observers, a per-layer grid (QuantSpecTable), the model size at the chosen bits, and the accuracy
// of the quantized model. Every change of the spec is one undoable edit (QUndoStack of
// SpecEditCommand) and asks for a re-quantization trial with the current calibration set; trials are
// coalesced by a TrialScheduler (one runs, the newest waits, a stale result is never shown). The
// panel only draws: trialRequested goes to the window, which runs it in the ModelWorker. Torch-free.
#include "QuantSpecTable.h"
#include "SessionTypes.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QTableView;
class QUndoStack;
class QUndoView;

namespace dfq::ui {

class TrialScheduler;
class MixedPrecisionView;
class QuantizeRunBox;
struct QuantizeSettings;

class BitWidthPanel : public QWidget {
    Q_OBJECT
public:
    explicit BitWidthPanel(QWidget* parent = nullptr);

    /// A new model: the grid shows its quantizers at the preset controls' settings, the history is
    /// cleared, and a trial is requested.
    void setModel(const QuantTopologySummary& topology, const QStringList& observerNames);
    /// What the trials calibrate on, e.g. "256 zeroq images", shown under the accuracy.
    void setCalibration(const QString& text);
    /// Why no trial can run right now (no calibration set, no test data, another job running);
    /// empty clears it.
    void setWaiting(const QString& reason);

    /// The preset controls as they are now.
    QuantPreset preset() const;
    /// Sets the controls and pushes the preset's spec as one edit (undoable).
    void applyPreset(const QuantPreset& preset);
    QByteArray specJson() const;
    /// Test images per trial; 0 = the whole test set.
    qint64 evalLimit() const;
    void setEvalLimit(qint64 images);

    QUndoStack* undoStack() const { return undo_; }
    QuantSpecTable* table() const { return table_; }
    TrialScheduler* scheduler() const { return scheduler_; }
    MixedPrecisionView* mixedPrecisionView() const { return mixed_; }
    QuantizeRunBox* quantizeBox() const { return quantize_; }
    bool hasResult() const { return hasResult_; }
    const QuantTrialSummary& shownResult() const { return shown_; }

public Q_SLOTS:
    /// A finished trial: shown when it answers the newest spec, otherwise ignored.
    void showTrial(const dfq::ui::QuantTrialSummary& result);
    /// Trial `serial` ended without a result (cancelled, failed, could not start): message shown
    /// when it was the newest.
    void trialEnded(quint64 serial, const QString& message);
    /// Asks again for a trial of the current spec (the calibration set or test data changed).
    void requestTrial();
    /// A finished sensitivity measurement (the mixed-precision view shows it).
    void showSensitivity(const dfq::ui::SensitivitySummary& result);
    /// The measurement ended without a result; message shown (empty: cancelled).
    void sensitivityEnded(const QString& message);

Q_SIGNALS:
    /// Run trial `serial` of spec (QuantSpec JSON) on the first evalLimit test images (0 = all).
    void trialRequested(quint64 serial, const QByteArray& spec, qint64 evalLimit);
    /// Cancel the running trial (a newer spec waits).
    void trialCancelRequested();
    /// Run a full quantization of spec (QuantSpec JSON) with these settings.
    void quantizeRequested(const QByteArray& spec, const dfq::ui::QuantizeSettings& settings);
    /// Measure per-layer sensitivity under spec at the candidate widths.
    void sensitivityRequested(const QByteArray& spec, const QVector<int>& candidates);
    /// A trial result was shown (the accuracy label changed).
    void resultShown(const dfq::ui::QuantTrialSummary& result);

private:
    void buildUi();
    /// Applies a spec from the undo stack: grid, controls, size; then requests its trial.
    void showSpec(const QByteArray& spec);
    void pushEdit(const QByteArray& after, const QString& text);
    void onPresetControlChanged();
    void updateSize();
    void updateAccuracy();

    QuantSpecTable* table_ = nullptr;
    QUndoStack* undo_ = nullptr;
    TrialScheduler* scheduler_ = nullptr;

    QComboBox* placement_ = nullptr;
    QSpinBox* weightBits_ = nullptr;
    QSpinBox* activationBits_ = nullptr;
    QCheckBox* perChannel_ = nullptr;
    QComboBox* weightObserver_ = nullptr;
    QComboBox* activationObserver_ = nullptr;
    QCheckBox* foldBn_ = nullptr;
    QSpinBox* evalLimit_ = nullptr;
    QTableView* grid_ = nullptr;
    MixedPrecisionView* mixed_ = nullptr;
    QuantizeRunBox* quantize_ = nullptr;
    QUndoView* history_ = nullptr;
    QLabel* accuracy_ = nullptr;
    QLabel* detail_ = nullptr;
    QLabel* size_ = nullptr;
    QLabel* status_ = nullptr;

    bool updatingControls_ = false;   ///< controls being set from a spec: not an edit
    bool hasResult_ = false;
    QuantTrialSummary shown_;
    QString calibration_, waiting_;
};

} // namespace dfq::ui
