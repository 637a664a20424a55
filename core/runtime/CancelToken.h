#pragma once
#include <atomic>
#include <memory>
#include <stdexcept>

namespace dfq::runtime {

/// Shared cancellation flag: the UI thread requests, the worker checks between steps.
class CancelToken {
public:
    void cancel() { flag_->store(true); }
    bool cancelled() const { return flag_->load(); }
    void reset() { flag_->store(false); }

private:
    std::shared_ptr<std::atomic<bool>> flag_ = std::make_shared<std::atomic<bool>>(false);
};

/// Thrown by long operations when their CancelToken fires; results written so far stay valid.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled by the user") {}
};

} // namespace dfq::runtime
