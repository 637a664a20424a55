#pragma once
// Everything a finished, interrupted or running run directory holds, read back for the desktop app's
// Runs panel: what the run was (summary, configuration, protocol), how it went (every numeric series
// of metrics.jsonl, per stage, against its step / epoch / iteration), its snapshots and its results.
// Refuses what it cannot read faithfully: not a run directory, a format from a newer DFQ Studio, a
// corrupt manifest; tolerates what a crash leaves (a half-written last metrics line, no results yet).
#include "pipeline/RunReport.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace dfq::pipeline {

/// One curve: a numeric key of one stage's metrics lines against its x key.
struct MetricSeries {
    std::string stage;     ///< "synthesize", "fine-tune", "generative", "calibrate", ...
    std::string name;      ///< the key, e.g. "loss_bns", "student_top1"
    std::string xKey;      ///< "step", "epoch" or "iteration" (calibrate: a running count over units)
    std::vector<double> x, y;
};

struct RunHistory {
    RunSummary summary;
    std::string format;                 ///< manifest "format" ("dfq-run-1")
    std::string message;                ///< state.json's message (why it stopped), may be empty
    std::string created;
    nlohmann::json resolvedConfig;      ///< the config with defaults filled in
    nlohmann::json results;             ///< results.json, or null when the run has not finished
    std::vector<std::pair<std::string, double>> stageSeconds;   ///< completed stages, in run order
    std::vector<MetricSeries> series;
    std::vector<std::string> snapshots; ///< paths relative to the run directory, sorted
    bool metricsTruncated = false;      ///< the last metrics line was cut off (a kill mid-write)
    bool resumable() const { return summary.status != "finished"; }
};

/// The run format this build reads and writes.
constexpr const char* kRunFormat = "dfq-run-1";

/// Reads dir. Throws PipelineError naming the file and what is wrong.
RunHistory readRunHistory(const std::string& dir);

} // namespace dfq::pipeline
