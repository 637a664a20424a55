#pragma once
// What a running pipeline reports, for the CLI (progress bar) and the GUI (signals). Plain C++ (no
// Qt). It extends JointEvents (SynthesisEvents + epochFinished): the synthesis and generative stages
// forward their events unchanged.
// Every callback runs on the pipeline's thread and should return quickly; defaults do nothing.
#include "generative/JointEvents.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace dfq::pipeline {

class PipelineEvents : public generative::JointEvents {
public:
    /// A stage begins. index is 0-based among `count` stages of this run; fromCheckpoint = the stage
    /// completed earlier (resume) and is being loaded, not recomputed.
    virtual void stageStarted(const std::string& stage, int index, int count, bool fromCheckpoint) {}
    /// A stage ended successfully after `seconds` of wall time.
    virtual void stageFinished(const std::string& stage, double seconds, bool fromCheckpoint) {}
    /// Progress within a stage: done of total units (steps, batches, iterations); etaSeconds is the
    /// extrapolated remaining time of the stage (0 when unknown).
    virtual void stageProgress(const std::string& stage, int64_t done, int64_t total, double etaSeconds) {}
    /// A line for the log (what was decided, where a file went).
    virtual void message(const std::string& text) {}
    /// A metrics line as it goes into metrics.jsonl (also when the run has no run directory: `dfq
    /// quantize` prints its reconstruction and QAT losses from these).
    virtual void metric(const nlohmann::json& line) {}
};

} // namespace dfq::pipeline
