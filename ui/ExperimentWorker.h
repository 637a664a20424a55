#pragma once
// Runs an experiment (core/pipeline/Pipeline.h) in a worker QThread for the GUI, reporting through
// queued signals. No torch in this header: the pipeline's events are translated in the .cpp.
#include "SessionTypes.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace dfq::ui {

class SynthesisFeed;

class ExperimentWorker : public QObject {
    Q_OBJECT
public:
    ExperimentWorker();
    ~ExperimentWorker() override;

    /// Thread-safe: the run stops at its next step, as "cancelled" (resumable with `dfq resume`).
    void cancel();
    /// Thread-safe: clears a cancel request; the window's JobController calls it before it queues a run.
    void resetCancel();
    /// The live view of the run's synthesis stage (loss, divergence, previews).
    SynthesisFeed* synthesisFeed() const { return feed_; }

public Q_SLOTS:
    /// Loads the config (JSON file), creates its run directory and runs every stage.
    void run(const QString& configPath);
    /// Continues the interrupted run in runDir (pipeline::resumeRun): completed stages are restored,
    /// the interrupted one restarts from its last checkpoint.
    void resume(const QString& runDir);

Q_SIGNALS:
    void stageStarted(const QString& stage, int index, int count);
    void progress(qint64 done, qint64 total, double etaSeconds);
    void message(const QString& text);
    /// A generator method finished an epoch (its probe, losses, student accuracy, ClusterQ centroids).
    void epochFinished(const dfq::ui::GeneratorEpoch& epoch);
    /// summary: protocol, quantization label and top-1 lines; runDir holds report.html.
    void finished(const QString& runDir, const QString& summary);
    void cancelled(const QString& runDir);
    void failed(const QString& message);
    void busyChanged(bool busy);

private:
    struct State;
    /// Runs start (a new run or a resume) with the window's events and cancel token; announces the
    /// outcome after busyChanged(false).
    void execute(const std::function<void()>& start);
    std::unique_ptr<State> state_;
    SynthesisFeed* feed_ = nullptr;
};

} // namespace dfq::ui
