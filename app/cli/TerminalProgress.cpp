#include "TerminalProgress.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <memory>

#include <unistd.h>

namespace dfq::cli {
namespace {

std::string clock(double s) {
    if (!(s > 0))
        return "--:--";
    const long t = long(s + 0.5);
    char b[32];
    if (t >= 3600)
        std::snprintf(b, sizeof b, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    else
        std::snprintf(b, sizeof b, "%ld:%02ld", t / 60, t % 60);
    return b;
}

// The token the signal handler cancels; its flag is a lock-free atomic, safe to set from a handler.
std::unique_ptr<runtime::CancelToken> gInterruptToken;

extern "C" void onInterrupt(int) {
    if (gInterruptToken)
        gInterruptToken->cancel();
}

} // namespace

void cancelOnInterrupt(const runtime::CancelToken& token) {
    gInterruptToken = std::make_unique<runtime::CancelToken>(token);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

TerminalProgress::TerminalProgress() : tty_(::isatty(STDERR_FILENO) == 1) {
    // The run records snapshots and BN diagnostics at the end of each batch only.
    diagnosticsEvery = 0;
    snapshotEvery = 0;
}

void TerminalProgress::endBar() {
    if (barOpen_) {
        std::fputc('\n', stderr);
        barOpen_ = false;
    }
}

void TerminalProgress::stageStarted(const std::string& stage, int index, int count, bool fromCheckpoint) {
    endBar();
    index_ = index;
    count_ = count;
    lastDecile_ = -1;
    std::fprintf(stderr, "[%d/%d] %s%s\n", index + 1, count, stage.c_str(), fromCheckpoint ? " (loaded from its checkpoint)" : "");
}

void TerminalProgress::stageFinished(const std::string& stage, double seconds, bool fromCheckpoint) {
    endBar();
    if (!fromCheckpoint)
        std::fprintf(stderr, "[%d/%d] %s done in %.1f s\n", index_ + 1, count_, stage.c_str(), seconds);
}

void TerminalProgress::stageProgress(const std::string& stage, int64_t done, int64_t total, double eta) {
    if (total <= 0)
        return;
    const double f = std::min(1.0, double(done) / double(total));
    if (tty_) {
        const auto now = std::chrono::steady_clock::now();
        if (done < total && now - lastDraw_ < std::chrono::milliseconds(100))
            return;
        lastDraw_ = now;
        const int width = 30, filled = int(f * width);
        std::string bar(size_t(filled), '#');
        bar += std::string(size_t(width - filled), '.');
        std::fprintf(stderr, "\r  %-10s [%s] %5.1f%%  %lld/%lld  ETA %s   ", stage.c_str(), bar.c_str(), 100 * f,
                     (long long)done, (long long)total, clock(eta).c_str());
        std::fflush(stderr);
        barOpen_ = true;
    } else {
        const int decile = int(f * 10);
        if (decile == lastDecile_)
            return;
        lastDecile_ = decile;
        std::fprintf(stderr, "  %s %3d%% (%lld/%lld) ETA %s\n", stage.c_str(), decile * 10, (long long)done, (long long)total,
                     clock(eta).c_str());
    }
}

void TerminalProgress::message(const std::string& text) {
    endBar();
    std::fprintf(stderr, "  %s\n", text.c_str());
}

void TerminalProgress::note(const std::string& text) { message("note: " + text); }

} // namespace dfq::cli
