#include "TrialScheduler.h"

namespace dfq::ui {

TrialScheduler::TrialScheduler(Start start, Cancel cancel, QObject* parent)
    : QObject(parent), start_(std::move(start)), cancel_(std::move(cancel)) {}

quint64 TrialScheduler::request() {
    ++latest_;
    if (!isRunning()) {
        startLatest();
        return latest_;
    }
    pending_ = true;   // replaces any request already waiting: only the newest spec is tried
    if (!cancelSent_) {
        cancelSent_ = true;
        if (cancel_)
            cancel_();
    }
    return latest_;
}

void TrialScheduler::finished(quint64 serial) {
    if (serial == 0 || serial != running_)
        return;
    running_ = 0;
    cancelSent_ = false;
    if (pending_)
        startLatest();
}

void TrialScheduler::startLatest() {
    pending_ = false;
    running_ = latest_;
    if (start_)
        start_(running_);
    Q_EMIT started(running_);
}

} // namespace dfq::ui
