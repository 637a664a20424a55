#pragma once
// One step of an experiment (load, synthesize, calibrate, fine-tune, evaluate, export, ...). The
// runner calls, for every stage in buildStages' order (StagePlan.h), either run() (the stage is not
// completed in state.json) or restore() (it is: load its output from its checkpoint), then report().
//
// A stage reads what earlier stages left in the StageContext and leaves its own output there
// (context.images, context.quantized, ...). run() writes the stage's checkpoint through
// context.save*() before it returns; only then does the runner mark the stage completed, so a kill
// at any moment leaves either a completed stage with its checkpoint or an incomplete one. A stage may
// keep finer checkpoints of its own (fine-tune: one per epoch) and continue from them in run().
// Stages check context.progress() between their steps (cancellation, budget).
#include "pipeline/StageContext.h"

#include <nlohmann/json.hpp>

#include <string>

namespace dfq::pipeline {

class Stage {
public:
    virtual ~Stage() = default;
    /// The name in state.json, metrics.jsonl and the events (PipelineStage.h); also its seed.
    virtual std::string name() const = 0;
    /// Computes the stage and writes its checkpoint. Throws runtime::Cancelled when cancelled.
    virtual void run(StageContext& context) = 0;
    /// Loads the completed stage's output from its checkpoint into the context (default: run again,
    /// for stages whose input is their checkpoint, e.g. load).
    virtual void restore(StageContext& context) { run(context); }
    /// What the stage contributes to results.json: an object whose keys are merged into it (after
    /// run() or restore(); empty by default).
    virtual nlohmann::json report() const { return nlohmann::json::object(); }
};

} // namespace dfq::pipeline
