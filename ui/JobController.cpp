#include "JobController.h"

namespace dfq::ui {

JobController::JobController(QObject* parent) : QObject(parent) {}

int JobController::addWorker(Worker worker) {
    workers_.push_back(std::move(worker));
    return int(workers_.size()) - 1;
}

bool JobController::start(int worker, const QString& job) {
    if (isBusy() || worker < 0 || worker >= workers_.size())
        return false;
    // Re-armed here, in the UI thread before the job is queued: a Cancel pressed from now on (even
    // before the worker picks the job up) stops this job, and one pressed earlier cannot.
    if (workers_[worker].resetCancel)
        workers_[worker].resetCancel();
    active_ = worker;
    job_ = job;
    Q_EMIT busyChanged(true);
    return true;
}

void JobController::finished(int worker) {
    if (worker != active_)
        return;
    active_ = -1;
    job_.clear();
    Q_EMIT busyChanged(false);
}

void JobController::cancel() {
    if (isBusy() && workers_[active_].cancel)
        workers_[active_].cancel();
}

} // namespace dfq::ui
