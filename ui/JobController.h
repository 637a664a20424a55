#pragma once
// One long job at a time for the whole window. The workers (ModelWorker, ExperimentWorker) each run on
// their own thread, but their jobs share LibTorch's global seed and thread pool and draw into the
// same panels, so the window must never run two. The controller owns the one busy state and which
// worker runs: a job starts only through start() (refused while another runs), Cancel reaches only
// the running job, and the job's cancel token is re-armed when it starts, so a Cancel that arrived
// after a job ended cannot stop the next one. Lives in the UI thread; torch-free.
#include <QObject>
#include <QString>
#include <QVector>

#include <functional>

namespace dfq::ui {

class JobController : public QObject {
    Q_OBJECT
public:
    /// How the controller reaches a worker: both are thread-safe (they only touch its cancel token).
    struct Worker {
        std::function<void()> cancel;        ///< asks the running job to stop at its next step
        std::function<void()> resetCancel;   ///< re-arms the token for a new job
    };

    explicit JobController(QObject* parent = nullptr);

    /// Registers a worker; returns its id for start() / finished().
    int addWorker(Worker worker);

    bool isBusy() const { return active_ >= 0; }
    /// The worker running the current job, or -1.
    int activeWorker() const { return active_; }
    /// What the current job is (for messages), empty when idle.
    const QString& activeJob() const { return job_; }

    /// Claims the window for a job on `worker`: false (and nothing changes) while another job runs.
    /// On true the worker's token has been reset and busyChanged(true) emitted; queue the job next.
    bool start(int worker, const QString& job);
    /// The worker reports its job ended (done, failed or cancelled). Ignored unless it is the active one.
    void finished(int worker);
    /// Cancels the running job, if any; an idle worker is never touched.
    void cancel();

Q_SIGNALS:
    void busyChanged(bool busy);

private:
    QVector<Worker> workers_;
    int active_ = -1;
    QString job_;
};

} // namespace dfq::ui
