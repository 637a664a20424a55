#pragma once
#include "SessionTypes.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

namespace dfq::ui {

class SynthesisFeed;

/// Owns the model and dataset and runs every long operation; lives in a worker QThread. The UI thread
/// talks to it only through queued signals and slots, and cancels through cancel() (thread-safe). Jobs
/// are started through the window's JobController, which re-arms the token (resetCancel) before it
/// queues one: a Cancel never outlives the job it was meant for.
class ModelWorker : public QObject {
    Q_OBJECT
public:
    ModelWorker();
    ~ModelWorker() override;

    /// Thread-safe: asks the running operation to stop at its next batch (synthesis: next step).
    void cancel();
    /// Thread-safe: clears a cancel request, for the next job.
    void resetCancel();
    /// The registered synthesis methods with their option keys, for the GUI's chooser (thread-safe).
    static QVector<SynthesisMethodInfo> synthesisMethods();
    /// The registered range observers (quant::observerNames()), for the bit-width grid (thread-safe).
    static QStringList observerNames();
    /// The live view of a running synthesize() (loss, divergence, previews, notes).
    SynthesisFeed* synthesisFeed() const { return feed_; }

public Q_SLOTS:
    /// Loads a checkpoint. A dataset opened for the previous model is closed (it was prepared for that
    /// model's input size): open it again for this one. The last synthesised set is dropped too.
    void loadModel(const QString& path, const QString& arch);
    void loadDataset(const QString& path, const QString& normalization);
    void evaluate(qint64 limit);
    /// Synthesises a calibration set from the loaded model with live previews, then assesses it;
    /// the set is kept for saveSyntheticSet(). Settings the method has no option for (e.g. iterations
    /// for noise and real) are left out; a method that takes images from a dataset gets the open one.
    void synthesize(const dfq::ui::SynthesisSettings& settings);
    /// Writes the last synthesised set (PNG ImageFolder + exact tensors) to dir, replacing it if it is a
    /// synthetic set or empty; any other folder is refused (failed()), never deleted.
    void saveSyntheticSet(const QString& dir);
    /// The bit-width panel's what-if: the loaded model quantized with spec (QuantSpec JSON),
    /// calibrated on the last synthesised set, evaluated on the first evalLimit images of the open
    /// dataset (0 = all); the model is left as it was. trialDone(serial) on success.
    void quantTrial(quint64 serial, const QByteArray& spec, qint64 evalLimit);
    /// Per-layer weight sensitivity Ω at each candidate bit width under spec, on the last synthesised
    /// set (up to 256 images), and the size/Ω Pareto front; sensitivityMeasured on success.
    void measureSensitivity(const QByteArray& spec, const QVector<int>& candidates);
    /// Assesses a run directory's synthetic set (checkpoints/synthetic) with the run's own model (the
    /// manifest's resolved model path), leaving the loaded model alone; runSetAssessed on success.
    void assessRunSet(const QString& dir);
    /// Runs dir/export/model.onnx in ONNX Runtime on the dataset at dataPath and compares it with the
    /// simulated model it was exported from (deploy::checkInOnnxRuntime); onnxChecked on success.
    void checkRunOnnx(const QString& dir, const QString& dataPath);

Q_SIGNALS:
    void modelLoaded(const dfq::ui::ModelSummary& summary);
    void datasetLoaded(const dfq::ui::DatasetSummary& summary);
    void progress(qint64 done, qint64 total);
    void evaluated(const dfq::ui::EvalSummary& result);
    void cancelled();
    void synthesized(const dfq::ui::SynthesisSummary& summary);
    void syntheticSetSaved(const QString& dir);
    void trialDone(const dfq::ui::QuantTrialSummary& result);
    void sensitivityMeasured(const dfq::ui::SensitivitySummary& result);
    void onnxChecked(const QString& dir, const QString& text);
    void runSetAssessed(const QString& dir, const dfq::ui::SetQuality& quality, const QStringList& classNames,
                        const QString& what);
    void failed(const QString& message);
    void busyChanged(bool busy);

private:
    /// Emits the result signal of a finished job.
    using Announce = std::function<void()>;
    /// Runs a job: busy around it, Cancelled -> cancelled(), other exceptions -> failed(); on success
    /// busyChanged(false) and then the job's announcement (idle first: a slot reacting to the result
    /// may start the next job at once).
    void runJob(const std::function<Announce()>& job);

    struct State;
    std::unique_ptr<State> state_;
    SynthesisFeed* feed_ = nullptr;
};

} // namespace dfq::ui
