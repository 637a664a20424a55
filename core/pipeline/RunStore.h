#pragma once
// A run directory: everything one experiment produced, readable after a crash.
//
//   manifest.json        config as given + resolved, seed, versions, CPU, threads, protocol, placement
//                        and the full per-layer spec (written at the start, completed after "load")
//   state.json           {"status": running|finished|failed|cancelled, "completed": [stage...],
//                         "current": stage, "message": ...}; rewritten at every stage boundary
//   metrics.jsonl        one JSON object per line, appended and flushed (a truncated last line after
//                        a kill is skipped by readMetrics)
//   snapshots/*.png      synthesis previews
//   checkpoints/         stage outputs (synthetic set, quantized state, QAT epoch checkpoints)
//   results.json         final metrics; report.html + plots/ (RunReport.h)
// Every file but metrics.jsonl is replaced atomically through the FileWriter.
#include "pipeline/FileWriter.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace dfq::pipeline {

struct RunState {
    std::string status = "running";       ///< running | finished | failed | cancelled
    std::vector<std::string> completed;   ///< stage names, in order
    std::string current;                  ///< the stage running (or that was running when it stopped)
    std::string message;                  ///< error or cancellation text
    nlohmann::json seconds = nlohmann::json::object(); ///< stage -> wall seconds when it completed
    nlohmann::json toJson() const;
    static RunState fromJson(const nlohmann::json& j);
    bool done(const std::string& stage) const;
};

class RunStore {
public:
    /// Creates `dir` (and its parents). It must not exist or be empty. Throws PipelineError naming the
    /// directory when it cannot be created or written ("output directory ... is not writable").
    static RunStore create(const std::string& dir, std::shared_ptr<FileWriter> writer = nullptr);
    /// Opens an existing run (manifest.json and state.json must be readable). Throws PipelineError.
    static RunStore open(const std::string& dir, std::shared_ptr<FileWriter> writer = nullptr);

    const std::string& dir() const { return dir_; }
    std::string path(const std::string& rel) const;  ///< dir/rel
    FileWriter& writer() { return *writer_; }

    void writeJson(const std::string& rel, const nlohmann::json& j);
    void writeText(const std::string& rel, const std::string& text);
    nlohmann::json readJson(const std::string& rel) const;   ///< throws PipelineError
    bool exists(const std::string& rel) const;
    void makeDir(const std::string& rel);

    RunState state() const;
    void writeState(const RunState& s);
    nlohmann::json manifest() const { return readJson("manifest.json"); }
    void appendMetric(const nlohmann::json& line);

private:
    RunStore(std::string dir, std::shared_ptr<FileWriter> writer) : dir_(std::move(dir)), writer_(std::move(writer)) {}
    std::string dir_;
    std::shared_ptr<FileWriter> writer_;
};

/// The JSON lines of a metrics.jsonl. A last line that does not parse (cut by a kill) is skipped and
/// reported through `truncated`; a bad line elsewhere throws PipelineError naming the line.
std::vector<nlohmann::json> readMetrics(const std::string& path, bool* truncated = nullptr);

} // namespace dfq::pipeline
