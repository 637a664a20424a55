#pragma once
// Which stages an experiment runs, in order. Adding a stage kind: its own file with a make...Stage()
// factory declared here, and one line in buildStages.
#include "pipeline/ExperimentConfig.h"
#include "pipeline/Stage.h"

#include <memory>
#include <vector>

namespace dfq::pipeline {

/// load -> synthesize (or calibration-set when data.calibration names a set) -> calibrate ->
/// fine-tune (qat.epochs > 0) -> evaluate (when there is test data) -> export (output.export). With a
/// generator method (synthesis.method gdfq, clusterq) and no data.calibration: load -> generative ->
/// evaluate -> export.
std::vector<std::unique_ptr<Stage>> buildStages(const ExperimentConfig& config);

/// The stage names buildStages gives, in order.
std::vector<std::string> stageNames(const std::vector<std::unique_ptr<Stage>>& stages);

// The stage kinds (one file each).
std::unique_ptr<Stage> makeLoadStage();            ///< LoadStage.cpp
std::unique_ptr<Stage> makeSynthesizeStage();      ///< SynthesizeStage.cpp
std::unique_ptr<Stage> makeCalibrationSetStage();  ///< CalibrationSetStage.cpp
std::unique_ptr<Stage> makeCalibrateStage();       ///< CalibrateStage.cpp
std::unique_ptr<Stage> makeFineTuneStage();        ///< FineTuneStage.cpp
std::unique_ptr<Stage> makeGenerativeStage();      ///< GenerativeStage.cpp (generator methods: replaces the three above)
std::unique_ptr<Stage> makeEvaluateStage();        ///< EvaluateStage.cpp
std::unique_ptr<Stage> makeExportStage();          ///< ExportStage.cpp

} // namespace dfq::pipeline
