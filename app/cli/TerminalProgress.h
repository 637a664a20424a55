#pragma once
// Pipeline progress on the terminal: a bar with the stage and its ETA, rewritten in place when stderr
// is a terminal (isatty); plain lines (stage start/end, every 10 %) otherwise, for logs and CI.
#include "pipeline/PipelineEvents.h"
#include "runtime/CancelToken.h"

#include <chrono>
#include <string>

namespace dfq::cli {

class TerminalProgress : public pipeline::PipelineEvents {
public:
    TerminalProgress();
    void stageStarted(const std::string& stage, int index, int count, bool fromCheckpoint) override;
    void stageFinished(const std::string& stage, double seconds, bool fromCheckpoint) override;
    void stageProgress(const std::string& stage, int64_t done, int64_t total, double etaSeconds) override;
    void message(const std::string& text) override;
    void note(const std::string& text) override;

private:
    void endBar();
    bool tty_;
    bool barOpen_ = false;
    int index_ = 0, count_ = 0;
    int lastDecile_ = -1;
    std::chrono::steady_clock::time_point lastDraw_{};
};

/// Installs a SIGINT/SIGTERM handler that cancels `token` (the run stops between steps as "cancelled").
void cancelOnInterrupt(const runtime::CancelToken& token);

} // namespace dfq::cli
