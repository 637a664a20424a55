#pragma once
// One experiment, end to end: load → synthesize (or calibration-set) → calibrate (and reconstruct) →
// fine-tune (QAT-KD, when qat.epochs > 0) → evaluate (when there is test data) → export (when
// output.export). Each stage is a Stage object (Stage.h, one file per kind); buildStages
// (StagePlan.h) lists them for a config and the runner here iterates them. The CLI (`dfq run`,
// `dfq resume`, `dfq sweep`, and `dfq quantize` in memory through runInMemory) and the GUI drive
// these same stages.
//
// Every stage writes its output into the run directory (RunStore.h) before it is marked completed in
// state.json. Resuming loads completed stages from their checkpoints and recomputes only the rest;
// an interrupted stage starts again from scratch (QAT: from its last epoch checkpoint, optimizer
// state included). With the same seed and thread count, a resumed run ends with the same numbers as
// an uninterrupted one.
//
// Cancellation (CancelToken) is checked between steps of every stage: state "cancelled", what was
// completed stays, and `dfq resume` continues it. Errors: state "failed" with the message, rethrown.
#include "pipeline/ExperimentConfig.h"
#include "pipeline/FileWriter.h"
#include "pipeline/PipelineEvents.h"
#include "pipeline/StageContext.h"
#include "runtime/CancelToken.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace dfq::pipeline {

struct RunOutcome {
    std::string runDir;
    std::string status;          ///< finished | cancelled
    nlohmann::json results;      ///< results.json (empty unless finished)
};

struct PipelineOptions {
    PipelineEvents* events = nullptr;
    runtime::CancelToken cancel;
    std::shared_ptr<FileWriter> writer;     ///< null: AtomicFileWriter
    /// A run directory whose completed synthesis may be reused when it was made with the same
    /// method, resolved options, n, seed and model (sweeps: one synthetic set per method for every bit
    /// width). The set is copied into this run, so the run stays self-contained; the result is the
    /// same as synthesising again (same stage seed), only faster.
    std::string reuseSynthesisFrom;
    /// Extra versions the app knows and core does not (e.g. {"qt": "6.4.2"}), recorded in the manifest.
    nlohmann::json appVersions = nlohmann::json::object();
};

/// "<output.dir>/<output.name>", or "<output.dir>/<YYYYmmdd-HHMMSS>-<method>-<ptq>-W<w>A<a>" when the
/// name is empty.
std::string defaultRunDir(const ExperimentConfig& config);

/// Starts a new run in runDir. Before anything is written: loads the model, runs the model phase of
/// validation (ConfigError) and opens the test data (ConfigError on data.test). Then creates the run
/// directory (PipelineError when not writable; a run directory whose first files cannot be written
/// is removed again) and runs every stage.
RunOutcome startRun(const ExperimentConfig& config, const std::string& runDir, const PipelineOptions& options = {});

/// Continues the run in runDir with the configuration recorded in its manifest. A finished run is
/// not recomputed: its results are returned.
RunOutcome resumeRun(const std::string& runDir, const PipelineOptions& options = {});

/// A run without a run directory: its context (the models, the calibration set, the quantized model)
/// and what its stages reported, merged as in results.json.
struct InMemoryRun {
    std::unique_ptr<StageContext> context;
    nlohmann::json results;
};

/// Runs the stages of `config` in this process only (`dfq quantize`): no validation against the model
/// beyond what the stages do, nothing checkpointed, nothing to resume; metrics go to options.events
/// (PipelineEvents::metric). The export stage, when config.exportModel, writes into exportDir.
/// Throws what the stages throw (runtime::Cancelled when options.cancel fires).
InMemoryRun runInMemory(const ExperimentConfig& config, const std::string& exportDir, const PipelineOptions& options = {},
                        SeedPolicy seeds = SeedPolicy::PerStage);

} // namespace dfq::pipeline
