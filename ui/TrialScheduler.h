#pragma once
// Coalesces the bit-width panel's edits into re-quantization trials. Edits come faster than trials
// finish (a spin box held down, undo pressed five times), and only the newest spec matters: at most
// one trial runs, an edit while it runs cancels it and becomes the next, and an edit arriving while
// one already waits replaces it. A result is shown only when it belongs to the newest edit
// (isCurrent), so a stale trial that finished just before its cancel landed never overwrites the
// accuracy of a newer spec. Lives in the UI thread; torch-free; the start/cancel callbacks reach the
// worker (start queues the trial for the panel's current spec under the given serial).
#include <QObject>

#include <functional>

namespace dfq::ui {

class TrialScheduler : public QObject {
    Q_OBJECT
public:
    using Start = std::function<void(quint64 serial)>;
    using Cancel = std::function<void()>;

    TrialScheduler(Start start, Cancel cancel, QObject* parent = nullptr);

    /// A new spec to try; returns its serial (1, 2, ...). Starts it now when idle, otherwise cancels
    /// the running trial (once) and keeps this one as the next.
    quint64 request();
    /// The worker reports trial `serial` ended (done, failed or cancelled); starts the waiting one.
    /// A serial that is not the running trial is ignored.
    void finished(quint64 serial);

    bool isRunning() const { return running_ != 0; }
    quint64 running() const { return running_; }   ///< 0 when idle
    bool hasPending() const { return pending_; }
    /// True when serial is the newest request: its result is the one to show.
    bool isCurrent(quint64 serial) const { return serial != 0 && serial == latest_; }

Q_SIGNALS:
    void started(quint64 serial);

private:
    void startLatest();

    Start start_;
    Cancel cancel_;
    quint64 latest_ = 0, running_ = 0;
    bool pending_ = false, cancelSent_ = false;
};

} // namespace dfq::ui
