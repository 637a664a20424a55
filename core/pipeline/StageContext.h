#pragma once
// What the stages of one experiment share: the configuration, where outputs go, the events and the
// cancellation token, and what earlier stages produced (the model, the calibration set, the quantized
// model). The runner (Pipeline.cpp, or `dfq quantize` in memory) creates one context per run and
// passes it to every stage in order.
//
// A context with a RunStore checkpoints: stages write their outputs into the run directory through
// save*(), and restore() reads them back with read*(). Without a store (`dfq quantize`) the save*()
// calls do nothing and metrics go to the events only; such a run cannot resume.
#include "data/Dataset.h"
#include "models/ZooModel.h"
#include "pipeline/ExperimentConfig.h"
#include "pipeline/PipelineEvents.h"
#include "quant/QuantSpec.h"
#include "quant/QuantizedModel.h"
#include "runtime/CancelToken.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace dfq::pipeline {

class RunStore;

/// Where a stage's seed comes from.
enum class SeedPolicy {
    PerStage, ///< stageSeed(run seed, stage name) (PipelineStage.h): runs and resumes
    RunSeed,  ///< the run seed itself for every stage (`dfq quantize --seed`, as it always seeded)
};

class StageContext {
public:
    /// store may be null (nothing is checkpointed); events may be null.
    StageContext(ExperimentConfig config, RunStore* store, PipelineEvents* events, runtime::CancelToken cancel,
                 SeedPolicy seeds = SeedPolicy::PerStage);

    const ExperimentConfig config;
    PipelineEvents* const events;
    runtime::CancelToken cancel;
    /// A run directory whose completed synthesis may be copied (PipelineOptions::reuseSynthesisFrom).
    std::string reuseSynthesisFrom;
    /// Where the export stage writes (the run's export/, or `dfq quantize --out`).
    std::string exportDir;

    // What the stages produce, in order: load -> (synthesize | calibration-set) -> calibrate -> ...
    models::ZooModel model{nullptr};   ///< the network being quantized (in place)
    models::ZooModel fp32{nullptr};    ///< an FP32 clone made at load: the teacher and the reference
    data::DatasetOptions datasetOptions; ///< the model's geometry and normalisation (evaluation data)
    quant::QuantSpec spec;             ///< from the config at load; mixed precision may change it at calibrate
    std::unique_ptr<quant::QuantizedModel> quantized;
    torch::Tensor images, labels;      ///< calibration set [N, C, H, W] float, labels [N] int64 (may be undefined)

    /// The seed of a stage under the context's SeedPolicy.
    uint64_t seed(const std::string& stage) const;
    /// Seconds since the context was made (the run's budget clock).
    double elapsed() const;

    /// One metrics line: "t" (elapsed seconds) is added; appended to metrics.jsonl (with a store) and
    /// passed to events->metric.
    void metric(nlohmann::json line);
    /// Progress within a stage; checks the budget and the cancellation first (throws
    /// runtime::Cancelled; after a budget overrun budgetExceeded() says which).
    void progress(const std::string& stage, int64_t done, int64_t total, double etaSeconds);
    /// The budget and cancellation check of progress() alone.
    void checkBudget(const std::string& stage);
    /// "" unless budget.max_seconds stopped the run: the message naming the stage.
    const std::string& budgetExceeded() const { return budgetExceeded_; }
    void message(const std::string& text);

    // Checkpoints, relative to the run directory. Without a store: save*() do nothing, exists() is
    // false, read*() throw PipelineError.
    bool persistent() const { return store_ != nullptr; }
    RunStore& store();                  ///< throws PipelineError without one
    std::string path(const std::string& rel) const;
    bool exists(const std::string& rel) const;
    void saveFile(const std::string& rel, const std::string& bytes);
    void saveJson(const std::string& rel, const nlohmann::json& j);
    std::string readFile(const std::string& rel) const;
    nlohmann::json readJson(const std::string& rel) const;
    /// Writes the model's arch, the placement and the full per-layer spec into manifest.json.
    void recordSpecInManifest();

private:
    RunStore* store_;
    SeedPolicy seeds_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::string budgetExceeded_;
};

/// Extrapolates the remaining time of a stage from its mean unit time.
struct StageClock {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    double eta(int64_t done, int64_t total) const;
};

/// A finite number, or null (JSON has no NaN).
nlohmann::json finiteOrNull(double v);

/// The run-relative base of an epoch's checkpoint files: "checkpoints/<stem>-epoch-NNN" (epoch from 1).
std::string epochCheckpointBase(const std::string& stem, int64_t epoch);

/// The evaluation data options of a config for a model: its geometry, the normalisation ("model" = the
/// checkpoint's preset), data.limit and data.limit_per_class.
data::DatasetOptions datasetOptionsFor(const ExperimentConfig& config, const models::ModelInfo& info);

/// The spec of the config for a model: preset, bits, observers of the PTQ method, per-layer overrides
/// (validated; throws QuantError).
quant::QuantSpec quantSpecFor(const ExperimentConfig& config, models::ZooModelImpl& model);

} // namespace dfq::pipeline
