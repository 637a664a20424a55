#pragma once
#include "SessionTypes.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

namespace dfq::ui {

/// Owns the model and dataset and runs every long operation; lives in a worker QThread. The UI thread
/// talks to it only through queued signals and slots, and cancels through cancel() (thread-safe).
class ModelWorker : public QObject {
    Q_OBJECT
public:
    ModelWorker();
    ~ModelWorker() override;

    /// Thread-safe: asks the running operation to stop at its next batch (synthesis: next step).
    void cancel();
    /// The registered synthesis methods, for the GUI's chooser (thread-safe).
    static QStringList synthesisMethods();

public Q_SLOTS:
    void loadModel(const QString& path, const QString& arch);
    void loadDataset(const QString& path, const QString& normalization);
    void evaluate(qint64 limit);
    /// Synthesises a calibration set from the loaded model with live previews, then assesses it;
    /// the set is kept for saveSyntheticSet().
    void synthesize(const dfq::ui::SynthesisSettings& settings);
    /// Writes the last synthesised set (PNG ImageFolder + exact tensors) to dir, replacing it.
    void saveSyntheticSet(const QString& dir);

Q_SIGNALS:
    void modelLoaded(const dfq::ui::ModelSummary& summary);
    void datasetLoaded(const dfq::ui::DatasetSummary& summary);
    void progress(qint64 done, qint64 total);
    void evaluated(const dfq::ui::EvalSummary& result);
    void cancelled();
    /// Synthesis: loss after every step, per-layer BN divergence and previews every few steps.
    void synthesisLoss(qint64 step, double total);
    void synthesisDiagnostics(qint64 step, const QVector<dfq::ui::LayerDivergenceRow>& layers);
    void synthesisSnapshot(const dfq::ui::SynthesisSnapshot& snapshot);
    void synthesized(const dfq::ui::SynthesisSummary& summary);
    void syntheticSetSaved(const QString& dir);
    /// Something worth telling the user that is not an error (e.g. a recovered NaN during synthesis).
    void note(const QString& message);
    void failed(const QString& message);
    void busyChanged(bool busy);

private:
    /// Emits the result signal of a finished job.
    using Announce = std::function<void()>;
    /// Runs a job: busy around it, the cancel token reset after it, Cancelled -> cancelled(),
    /// other exceptions -> failed(); on success busyChanged(false) and then the job's announcement.
    void runJob(const std::function<Announce()>& job);

    struct State;
    std::unique_ptr<State> state_;
};

} // namespace dfq::ui
